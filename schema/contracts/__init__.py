"""GraphQL types and root fields of the contracts domain."""
