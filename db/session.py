"""Engine and sessions. Every transaction carries its caller's claims.

The one place where the tenant is set: an `after_begin` event on the session class sets the
claims with `set_config(name, value, true)` (transaction-local) before the transaction's first
statement, at every (auto)begin, including the one after a commit. A session without claims
refuses to begin, so no code path can forget them.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Mapping
from typing import Any

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

from db.shortcuts import first_row

log = logging.getLogger("spring.db")

CLAIMS_KEY = "claims"


class MissingClaims(RuntimeError):
    """A transaction was about to begin without the caller's claims."""


class TenantSession(Session):
    """The application's sync session class: its transactions always carry claims."""


@functools.cache
def _set_config_sql(count: int) -> str:
    """`SELECT set_config($1, $2, true), ...` for `count` settings, in the driver's own
    parameter style: sent as it is (no SQL compilation on every transaction)."""
    parts = [f"set_config(${2 * i + 1}, ${2 * i + 2}, true)" for i in range(count)]
    return "SELECT " + ", ".join(parts)


#: session.info keys: a scalar sub-select to evaluate in the transaction's first statement,
#: after the claims are set (`ride_along`), and its value once the transaction has begun.
RIDE_ALONG_KEY = "ride_along"
RIDE_ALONG_VALUE_KEY = "ride_along_value"


@functools.cache
def _with_ride_along(count: int, subselect: str, arguments: int) -> str:
    """The set_config statement with `(subselect)` as its last column; the sub-select's
    `{0}`, `{1}`... become the parameters after the settings'."""
    first = 2 * count + 1
    placeholders = [f"${first + i}" for i in range(arguments)]
    return f"{_set_config_sql(count)}, ({subselect.format(*placeholders)})"


def ride_along(session: AsyncSession, subselect: str, params: tuple[Any, ...]) -> None:
    """Evaluate `subselect` (a scalar sub-select in the driver's SQL, its parameters written
    `{0}`, `{1}`...) in the first statement of the session's next transaction, after the
    claims: one round trip instead of two. Its value is `ride_along_value` once the
    transaction has begun.

    PostgreSQL evaluates a SELECT's target list in order, and an uncorrelated sub-select
    (an initPlan) only when its column is reached: the claims are set by then, and the
    sub-select's row-level security sees them. (Were it ever evaluated first, it would see
    no tenant, hence no rows: the check fails closed, and the tests see it at once.)
    """
    if session.in_transaction():
        raise RuntimeError("ride_along must be set before the transaction begins")
    session.info[RIDE_ALONG_KEY] = (subselect, params)
    session.info.pop(RIDE_ALONG_VALUE_KEY, None)


def ride_along_value(session: AsyncSession) -> Any:
    """The value of the ride-along sub-select (None: no row). KeyError if none ran."""
    return session.info.pop(RIDE_ALONG_VALUE_KEY)


#: Set while a use case runs on an input already refused (`schema.mutations.attempt`): every
#: transaction begun meanwhile is read-only, so that input reaches no table.
READ_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("spring_read_only", default=False)


@event.listens_for(TenantSession, "after_begin")
def _apply_claims(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    claims: Mapping[str, str] | None = session.info.get(CLAIMS_KEY)
    if claims is None:
        raise MissingClaims("every Spring transaction must carry claims (tenant, user, role)")
    settings = {**session.info.get("settings", {}), **claims}
    if READ_ONLY.get():
        settings["transaction_read_only"] = "on"
    params: list[Any] = []
    for name, value in settings.items():
        params.append(name)
        params.append(value)
    extra = session.info.pop(RIDE_ALONG_KEY, None)
    if extra is None:
        first_row(connection, _set_config_sql(len(settings)), tuple(params))
        return
    subselect, arguments = extra
    statement = _with_ride_along(len(settings), subselect, len(arguments))
    row = first_row(connection, statement, (*params, *arguments))
    session.info[RIDE_ALONG_VALUE_KEY] = row[-1]


def _check_open(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection whose socket the server closed (a restart, an idle timeout, a
    terminated backend) is replaced before anyone uses it, without a round trip: asyncpg
    notices the close as soon as the event loop reads the socket's end. (A silent network
    loss is not seen here; SQLAlchemy's disconnect handling renews the pool on the first
    failure, or `SPRING_DB_POOL_PRE_PING` pings every checkout.)"""
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        raise exc.DisconnectionError("the server closed this pooled connection")
    if _left_in_transaction(dbapi_connection):
        raise exc.DisconnectionError("this pooled connection was left inside a transaction")


def _left_in_transaction(dbapi_connection: Any) -> bool:
    """Whether PostgreSQL still holds a transaction open on a connection that SQLAlchemy's
    asyncpg adapter believes idle. A task cancelled while the adapter was opening its
    transaction (BEGIN sent, not yet recorded: a CancelledError is not an Exception) or
    while it was committing (COMMIT sent, the transaction already forgotten) leaves it so;
    the pool's reset-on-return then
    rolls back nothing, and every later use of the connection runs as savepoints inside that
    never-ending transaction, holding its locks and the snapshot horizon (which stalls the
    live feeds: they deliver only below xmin)."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    in_transaction = getattr(driver, "is_in_transaction", None)
    if in_transaction is None or not in_transaction():
        return False
    return getattr(dbapi_connection, "_transaction", None) is None


def _end_leaked_transaction(dbapi_connection: Any, _record: Any) -> None:
    """On return to the pool: a connection left inside a transaction its adapter does not
    know about is terminated at once (PostgreSQL aborts the transaction and releases its
    locks); the next checkout replaces it (`_check_open`)."""
    if _left_in_transaction(dbapi_connection):
        log.warning("a pooled connection was left inside a transaction: terminated")
        dbapi_connection.driver_connection.terminate()


#: SQLSTATEs meaning "the server cannot serve now", not a bug: connection exceptions (class
#: 08) and a server shutting down (57P01 admin shutdown, 57P02 crash shutdown, 57P03 "the
#: database system is shutting down" / starting up).
_UNAVAILABLE_STATES = ("57P01", "57P02", "57P03")


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` (or what caused it) means the database cannot be reached right now:
    unreachable, refusing connections while it shuts down or starts, or a connection it
    dropped. Such a failure is answered 503 with Retry-After, never 500."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | asyncpg.PostgresConnectionError):
            return True
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in _UNAVAILABLE_STATES):
            return True
        current = current.__cause__ or current.__context__
    return False


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
        pool_size: int = 20,
        max_overflow: int = 0,
        statement_timeout_ms: int = 15_000,
        pre_ping: bool = False,
        echo: bool = False,
    ) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            # SQLAlchemy's pre-ping costs three round trips per checkout (BEGIN, `;`,
            # ROLLBACK with asyncpg): off by default, `_check_open` catches what it would.
            pool_pre_ping=pre_ping,
            echo=echo,
        )
        event.listen(self.engine.sync_engine.pool, "checkout", _check_open)
        event.listen(self.engine.sync_engine.pool, "checkin", _end_leaked_transaction)
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
