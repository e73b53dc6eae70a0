"""Engine and sessions. Every transaction carries its caller's claims.

The one place where the tenant is set: an `after_begin` event on the session class sets the
claims with `set_config(name, value, true)` (transaction-local) before the transaction's first
statement, at every (auto)begin, including the one after a commit. A session without claims
refuses to begin, so no code path can forget them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

CLAIMS_KEY = "claims"


class MissingClaims(RuntimeError):
    """A transaction was about to begin without the caller's claims."""


class TenantSession(Session):
    """The application's sync session class: its transactions always carry claims."""


def _set_config_sql(names: list[str]) -> str:
    parts = [f"set_config(:n{i}, :v{i}, true)" for i in range(len(names))]
    return "SELECT " + ", ".join(parts)


@event.listens_for(TenantSession, "after_begin")
def _apply_claims(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    claims: Mapping[str, str] | None = session.info.get(CLAIMS_KEY)
    if claims is None:
        raise MissingClaims("every Spring transaction must carry claims (tenant, user, role)")
    settings = {**session.info.get("settings", {}), **claims}
    names = list(settings)
    params: dict[str, Any] = {}
    for i, name in enumerate(names):
        params[f"n{i}"] = name
        params[f"v{i}"] = settings[name]
    connection.execute(text(_set_config_sql(names)), params)


def async_url(url: str) -> str:
    """Turn any postgres URL into SQLAlchemy's asyncpg form."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def plain_url(url: str) -> str:
    """The libpq/asyncpg form of a URL (no SQLAlchemy driver suffix)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class Database:
    """The application's connection pool (as the application role) and its session factory."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int = 10,
        statement_timeout_ms: int = 15_000,
        echo: bool = False,
    ) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
            echo=echo,
        )
        self.statement_timeout_ms = statement_timeout_ms
        #: SQL statements sent through this pool since start (tests and metrics read it).
        self.statements = 0
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._count_statement)
        self._sessions = async_sessionmaker(
            self.engine, sync_session_class=TenantSession, expire_on_commit=False
        )

    def _count_statement(self, *args: Any) -> None:
        self.statements += 1

    def session(self, claims: Mapping[str, str]) -> AsyncSession:
        """A new session whose every transaction sets these claims first."""
        session = self._sessions()
        session.info[CLAIMS_KEY] = dict(claims)
        session.info["settings"] = {"statement_timeout": str(self.statement_timeout_ms)}
        return session

    async def dispose(self) -> None:
        await self.engine.dispose()
