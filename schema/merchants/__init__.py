"""GraphQL types and root fields of the merchants domain."""
