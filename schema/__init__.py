"""GraphQL: strawberry types, inputs, enums, the Schema and its extensions."""
