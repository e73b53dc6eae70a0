"""Run the Alembic migrations as the owner, then make sure the application role exists.

The application role (NOSUPERUSER, NOBYPASSRLS, owns nothing) gets only what it needs:
SELECT/INSERT/UPDATE on mutable tables, SELECT/INSERT on append-only ones, DELETE only on the
association rows a draft edits, EXECUTE on the login look-up and on the functions of the shared
authentication state (migration 0005: the role cannot reach the `spring_auth` schema's tables
otherwise). It is (re)granted after every migration from the lists in db.models, so a new table
cannot be forgotten.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from db.models import APPEND_ONLY_TABLES, DELETABLE_TABLES, Base
from db.session import async_url

MIGRATIONS = Path(__file__).parent / "migrations"

#: Functions the application role may execute (SECURITY DEFINER, owned by the owner).
APP_FUNCTIONS = (
    "spring_login_candidates(text)",
    "spring_login_attempt(bytea[], integer[], uuid, timestamptz, interval)",
    "spring_login_forgive(bytea[], uuid, bytea[])",
    "spring_login_failures(bytea, timestamptz)",
    "spring_spend_refresh_token(bytea, bytea, timestamptz)",
    "spring_prune_auth_state()",
)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None before the first migration).

    Read from alembic's version table directly: `MigrationContext.configure` logs two INFO
    lines each time, and the readiness probe (`/readyz`) asks this every few seconds."""
    if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = list(versions)
    if len(found) > 1:  # alembic's own reading refuses several heads too
        return MigrationContext.configure(connection).get_current_revision()
    return found[0] if found else None


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def ensure_app_role(connection: Connection, role: str, password: str | None) -> None:
    """Create the application role if missing and grant it exactly what it needs."""
    r = _quote(role)
    found = connection.execute(
        text(
            "SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole"
            " FROM pg_roles WHERE rolname = :r"
        ),
        {"r": role},
    ).first()
    if found is None:
        connection.execute(text(f"CREATE ROLE {r} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB"))
    elif found.rolsuper or found.rolbypassrls:
        # Only a superuser may take these attributes away; a non-superuser owner (managed
        # PostgreSQL) never needs to, as it creates the role without them.
        connection.execute(text(f"ALTER ROLE {r} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"))
    elif found.rolcreatedb or found.rolcreaterole:
        connection.execute(text(f"ALTER ROLE {r} NOCREATEDB NOCREATEROLE"))
    if password:
        # ALTER ROLE cannot take a bind parameter: quote the literal.
        literal = "'" + password.replace("'", "''") + "'"
        connection.execute(text(f"ALTER ROLE {r} PASSWORD {literal}"))
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    connection.execute(text(f"GRANT CONNECT ON DATABASE {_quote(database)} TO {r}"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {r}"))
    for table in Base.metadata.tables:
        privileges = ["SELECT", "INSERT"]
        if table not in APPEND_ONLY_TABLES:
            privileges.append("UPDATE")
        if table in DELETABLE_TABLES:
            privileges.append("DELETE")
        connection.execute(text(f"REVOKE ALL ON TABLE {_quote(table)} FROM {r}"))
        connection.execute(text(f"GRANT {', '.join(privileges)} ON TABLE {_quote(table)} TO {r}"))
    # Readiness checks compare the database's revision with the code's.
    connection.execute(text(f"GRANT SELECT ON TABLE alembic_version TO {r}"))
    for function in APP_FUNCTIONS:
        connection.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))
        connection.execute(text(f"GRANT EXECUTE ON FUNCTION {function} TO {r}"))


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def migrate(
    owner_url: str, *, app_role: str = "spring_app", app_password: str | None = None
) -> str | None:
    """Upgrade the database to head and (re)grant the application role. Returns the revision."""
    engine = create_async_engine(async_url(owner_url))
    try:
        async with engine.begin() as conn:
            # One migration at a time, even with several instances releasing at once.
            await conn.execute(text("SELECT pg_advisory_xact_lock(2026112801)"))
            await conn.run_sync(_upgrade, "head")
            await conn.run_sync(ensure_app_role, app_role, app_password)
            return await conn.run_sync(current_revision)
    finally:
        await engine.dispose()


async def database_revision(url: str) -> str | None:
    engine = create_async_engine(async_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(current_revision)
    finally:
        await engine.dispose()
