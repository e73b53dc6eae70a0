"""GraphQL types and root fields of the transactions domain."""
