"""Models, engine and sessions, migrations, embedded PostgreSQL, demo data."""
