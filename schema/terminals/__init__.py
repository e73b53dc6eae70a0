"""GraphQL types and root fields of the terminals domain."""
