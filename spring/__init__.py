"""The composition root: settings, the Starlette app, the `spring` command."""
