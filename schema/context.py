"""The explicit per-request context every resolver receives (`info.context`).

Declared here, built by the transport (transport/context.py, transport/cohorts.py): what a
resolver may ask of the transport is a field of it (`close_connection`, `live_share`), never an
attribute looked up on a socket.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from db.session import Database
from resolvers.errors import SpringError, Text, Unauthenticated
from resolvers.loaders import Loaders
from resolvers.messages import user_locale
from schema.outcome import OperationOutcomes
from tenancy.principal import ANONYMOUS_CLAIMS, Principal


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """What the schema needs to know to sign tokens (from the settings)."""

    secrets: list[str]
    token_lifetime: dt.timedelta
    #: How long a login lasts through refreshes (a refresh token's lifetime).
    refresh_token_lifetime: dt.timedelta = dt.timedelta(hours=12)


class LiveShare(Protocol):
    """Rows a live subscription shares with the other cohorts of its family
    (transport/cohorts.py): one execution per row for them all."""

    async def delivered(self, cursor: str) -> bool:
        """Whether the row at `cursor` was executed (and written) by another cohort."""
        ...


@dataclass
class Context:
    """One request (or one WebSocket event): who asks, and their single database transaction.

    graphql-core resolves sibling fields concurrently, and one AsyncSession must not be used by
    two tasks at once: resolvers reach the session only through `db_session()`, which holds a
    lock for the duration of their use.
    """

    request: Request | WebSocket
    response: Response | WebSocket | None
    db: Database
    auth: AuthConfig
    request_id: str
    principal: Principal | None = None
    #: Why the bearer token was refused, if one was sent and refused.
    auth_error: Text | None = None
    #: A refusal decided while building the context (e.g. an unknown X-Tenant), raised by
    #: every guarded field.
    context_error: SpringError | None = None
    #: Set by a mutation that returned user errors: its transaction is rolled back.
    rollback_only: bool = False
    #: A mutation of this request refused its input (its savepoint was rolled back).
    refused: bool = False
    session: AsyncSession | None = None
    loaders: Loaders = field(init=False)
    #: The live broker (subscriptions); None where the app runs without one.
    live: Any = None
    #: WebSocket: the `connection_init` payload, and when the token expires.
    connection_params: dict[str, Any] | None = None
    token_expires_at: dt.datetime | None = None
    #: The token is the console's cookie session's (`brw`): SPRING_TRUSTED_DOCUMENTS=require
    #: lets it run only trusted documents (transport/documents.py).
    browser: bool = False
    authenticated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: Counted in the view's connections per user (WebSocket).
    counted: bool = False
    #: Largest uploaded document (SPRING_MAX_UPLOAD_BYTES).
    max_upload_bytes: int = 10 * 1024 * 1024
    #: WebSocket: close the connection (or the cohort) with a code and a reason; None over HTTP.
    close_connection: Callable[[int, str], Awaitable[None]] | None = None
    #: A live subscription run by a cohort of a family: rows shared with the other cohorts.
    live_share: LiveShare | None = None
    #: What each operation came to (schema/outcome.py): read by the request log.
    outcomes: OperationOutcomes = field(default_factory=OperationOutcomes)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db_session)

    def claims(self) -> dict[str, str]:
        return self.principal.db_claims() if self.principal else dict(ANONYMOUS_CLAIMS)

    def locale(self) -> str:
        """The language of this request's messages: the user's own choice (account page)
        when set, else the Accept-Language header, else French (resolvers/messages.py)."""
        language = self.principal.language if self.principal is not None else None
        return user_locale(language, self.request.headers.get("accept-language"))

    def require_principal(self) -> Principal:
        if self.context_error is not None:
            raise self.context_error
        if self.principal is None:
            raise Unauthenticated(self.auth_error or Text("authentication_required"))
        return self.principal

    @asynccontextmanager
    async def db_session(self) -> AsyncIterator[AsyncSession]:
        """The request's session, opened on first use with the caller's claims."""
        async with self._lock:
            if self.session is None:
                self.session = self.db.session(self.claims())
            yield self.session

    def fresh_event(self) -> None:
        """A WebSocket event starts: new loaders (the previous event's data may be stale)."""
        self.loaders = Loaders(self.db_session)
        self.rollback_only = False
        self.refused = False

    async def finish(self, *, commit: bool) -> None:
        """End the request's transaction: commit it, or roll it back."""
        if self.session is None:
            return
        session, self.session = self.session, None
        # One greenlet for the transaction's end and the session's close (AsyncSession's
        # commit() and close() would take one each).
        await greenlet_spawn(_end, session.sync_session, commit and not self.rollback_only)


def _end(session: Session, commit: bool) -> None:
    """Commit or roll back, then close: `Context.finish`'s work, in one greenlet."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
