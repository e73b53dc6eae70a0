"""GraphQL types and the root field of search across the tenant's records."""
