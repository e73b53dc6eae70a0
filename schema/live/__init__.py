"""Live supervision: ingestion mutations and subscriptions."""
