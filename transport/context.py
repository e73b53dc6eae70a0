"""Each request's Context, built from the HTTP request or the WebSocket: who is asking (the
bearer token, `X-Tenant`), their request id, and what the transport offers resolvers
(`Context.close_connection` on a WebSocket)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from db.identifiers import request_id as new_request_id
from db.session import Database
from resolvers import auth as auth_use_cases
from resolvers.errors import Forbidden, SpringError, Text
from schema.context import AuthConfig, Context
from tenancy.principal import claims_for
from tenancy.tokens import InvalidToken


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def closer(websocket: WebSocket) -> Callable[[int, str], Awaitable[None]]:
    """`Context.close_connection` for a WebSocket: close it with a code and a reason."""

    async def close(code: int, reason: str) -> None:
        await websocket.close(code=code, reason=reason[:123])

    return close


async def build_context(
    request: Request | WebSocket,
    response: Response | WebSocket,
    *,
    db: Database,
    auth: AuthConfig,
    live: Any,
    max_upload_bytes: int,
) -> Context:
    """The Context of an HTTP request, or of a WebSocket connection (whose operations each
    get a copy: `fork_context`)."""
    # The request id: the one the request-log middleware chose (spring/logs.py), else the
    # caller's X-Request-Id if well-formed, else a new one.
    request_id = request.scope.get("spring.request_id") or new_request_id(
        request.headers.get("x-request-id")
    )
    if isinstance(response, Response):
        response.headers["X-Request-Id"] = request_id
    context = Context(
        request=request,
        response=response,
        db=db,
        auth=auth,
        request_id=request_id,
        live=live,
        max_upload_bytes=max_upload_bytes,
        close_connection=closer(request) if isinstance(request, WebSocket) else None,
    )
    token = bearer_token(request.headers.get("authorization"))
    if token is not None:
        await authenticate(context, token, request.headers.get("x-tenant"))
    # The request log reads who asked (principal) and whether a mutation refused its input.
    request.scope["spring.context"] = context
    if isinstance(request, WebSocket):
        # A connection lives long: each event opens its own transaction; the token comes
        # with connection_init (on_ws_connect).
        await context.finish(commit=True)
    return context


def fork_context(context: Any) -> Any:
    """The connection's context for one operation: same caller, own session, loaders, lock."""
    if not isinstance(context, Context):
        return context
    return dataclasses.replace(context, session=None, _lock=asyncio.Lock())


async def authenticate(context: Context, token: str, x_tenant: str | None) -> None:
    """Verify the token and load the principal in the request's own transaction."""
    try:
        claims = auth_use_cases.VERIFIED_TOKENS.decode(token, context.auth.secrets)
    except InvalidToken as exc:
        context.auth_error = Text("token_invalid", problem=str(exc))
        return
    session = context.db.session(claims_for(claims.user_id, claims.role, claims.tenant_id))
    principal = await auth_use_cases.load_principal(session, claims)
    if principal is None:
        await session.close()
        context.auth_error = Text("session_invalid")
        return
    x_tenant = (x_tenant or "").strip()
    if principal.is_platform and x_tenant:
        try:
            principal = await auth_use_cases.enter_tenant(session, principal, x_tenant)
        except SpringError as exc:
            context.context_error = exc
        await session.close()  # the request's transaction will carry the tenant's claims
    else:
        if x_tenant and x_tenant.lower() != (principal.tenant_slug or ""):
            context.context_error = Forbidden(Text("x_tenant_platform_only"))
        context.session = session
    context.principal = principal
    context.token_expires_at = claims.expires_at
    context.browser = claims.browser
    context.authenticated_at = dt.datetime.now(dt.UTC)
