"""Use cases per domain, and dataloaders. No GraphQL types inside."""
