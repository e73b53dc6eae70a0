"""GraphQL types and root fields of the audit domain."""
