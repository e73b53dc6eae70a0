"""GraphQL types and root fields of the requests domain."""
