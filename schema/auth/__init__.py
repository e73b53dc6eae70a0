"""Authentication: `login`, `me`, and the User and Tenant types."""
