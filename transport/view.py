"""The GraphQL ASGI app: HTTP and WebSocket on `/graphql`.

Each request's Context is built by transport/context.py (who is asking, their transaction);
here: the request's timeout (504), a failure outside execution (500, or 503 when the database
is unreachable), the multipart CSRF rule, the WebSocket's authentication at `connection_init`
and the connections counted per user. The WebSocket protocol handler is transport/websocket.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from db.session import Database, database_unavailable
from resolvers.messages import locale_from, message
from schema.context import AuthConfig, Context
from schema.extensions import RETRY_AFTER, internal_message, unavailable_message
from transport import http
from transport.cohorts import CohortRegistry
from transport.context import authenticate, bearer_token, build_context
from transport.documents import DocumentRefused, TrustedDocuments, TrustedDocumentsView
from transport.websocket import CohortTransportWSHandler

log = logging.getLogger("spring.graphql")


def _scope_locale(scope: Scope) -> str:
    """The request's Accept-Language, as every error message follows it (French by default)."""
    return locale_from(Headers(scope=scope).get("accept-language"))


async def _timed_out(scope: Scope, send: Send, limit: float | None) -> None:
    """504 with a GraphQL error: the request was cancelled and its transaction rolled back."""
    context = scope.get("spring.context")
    request_id = getattr(context, "request_id", None)
    body = {
        "data": None,
        "errors": [
            {
                "message": message("request_timed_out", _scope_locale(scope), limit=limit),
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ],
    }
    response = JSONResponse(body, status_code=504)
    if request_id:
        response.headers["X-Request-Id"] = request_id
    await response(scope, _no_receive, send)


async def _failed(scope: Scope, send: Send, exc: Exception) -> None:
    """500 (503 when the database is unreachable) with a masked GraphQL error; the exception
    is logged with its traceback under the error id the client sees."""
    context = scope.get("spring.context")
    request_id = getattr(context, "request_id", None) or scope.get("spring.request_id")
    error_id = uuid.uuid4().hex
    unavailable = database_unavailable(exc)
    log.error(
        "unexpected error %s (request %s) outside execution",
        error_id,
        request_id,
        exc_info=exc,
    )
    locale = _scope_locale(scope)
    text = (
        unavailable_message(error_id, locale) if unavailable else internal_message(error_id, locale)
    )
    extensions = {"code": "INTERNAL_SERVER_ERROR", "errorId": error_id, "requestId": request_id}
    response = JSONResponse(
        {"data": None, "errors": [{"message": text, "extensions": extensions}]},
        status_code=503 if unavailable else 500,
    )
    if unavailable:
        response.headers["Retry-After"] = RETRY_AFTER
    if request_id:
        response.headers["X-Request-Id"] = request_id
    await response(scope, _no_receive, send)


def _multipart_without_bearer(scope: Scope) -> bool:
    """A multipart body (an upload) sent without `Authorization: Bearer`: refused (CSRF)."""
    headers = dict(scope.get("headers") or ())
    content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
    if not content_type.startswith("multipart/"):
        return False
    return bearer_token(headers.get(b"authorization", b"").decode("latin-1") or None) is None


async def _no_receive() -> Any:
    return {"type": "http.disconnect"}


class SpringGraphQL(TrustedDocumentsView, GraphQL):
    """strawberry's ASGI app, speaking only graphql-transport-ws over WebSocket."""

    graphql_transport_ws_handler_class = CohortTransportWSHandler

    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        db: Database,
        auth_config: AuthConfig,
        graphiql: bool,
        allowed_origins: Sequence[str] = (),
        live: Any = None,
        max_subscriptions_per_connection: int = 20,
        max_connections_per_user: int = 10,
        connection_init_timeout: dt.timedelta = dt.timedelta(seconds=10),
        live_cohorts: bool = False,
        request_timeout: float | None = None,
        ide_page: Callable[[Request], Awaitable[Response]] | None = None,
        max_upload_bytes: int = 10 * 1024 * 1024,
        documents: TrustedDocuments | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            # Queries over GET, mutations never (transport/http.py answers 405).
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
            max_subscriptions_per_connection=max_subscriptions_per_connection,
            connection_init_wait_timeout=connection_init_timeout,
            # The GraphQL multipart request (uploadCompanyDocument): a form is a request any
            # site may make a browser send, so __call__ lets one through only with a bearer
            # token, which a cross-site form cannot carry (CSRF).
            multipart_uploads_enabled=True,
        )
        self.max_upload_bytes = max_upload_bytes
        #: The console's trusted documents and SPRING_TRUSTED_DOCUMENTS (transport/documents.py).
        self.documents = documents or TrustedDocuments.empty()
        self.db = db
        self.auth_config = auth_config
        self.live = live
        #: Subscribers sharing one execution per event (None: each runs its own).
        self.cohorts = CohortRegistry(self.schema) if live_cohorts else None
        #: Seconds an HTTP GraphQL request may take before it is cancelled (None: no limit).
        self.request_timeout = request_timeout
        self.max_connections_per_user = max_connections_per_user
        #: The GraphiQL page a browser gets on GET /graphql (the app's own build, served
        #: with no CDN); None: strawberry's page.
        self.ide_page = ide_page
        #: Open WebSocket connections per user, in this process.
        self.connections: Counter[uuid.UUID] = Counter()

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """strawberry's run, its answer in the negotiated media type and status."""
        if self.is_websocket_request(request):
            return await super().run(request, context, root_value)
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as exc:
            return http.refused(request, exc)
        return http.conclude(request, response)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:  # type: ignore[override]
        return http.shape(request, result)

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        """A GET's parameters; its own `documentId` names a trusted document, a variable of
        that name stays a variable (`parse_json` is told it reads values)."""
        self._parsing_values = True
        try:
            data = http.query_params(params, self.parse_json)
        finally:
            self._parsing_values = False
        return self.documents.substitute(data)

    def should_render_graphql_ide(self, request: Any) -> bool:
        return http.wants_ide(request.query_params, super().should_render_graphql_ide(request))

    async def render_graphql_ide(self, request: Request) -> Response:
        if self.ide_page is not None:
            return await self.ide_page(request)
        return await super().render_graphql_ide(request)

    def encode_json(self, data: object) -> str:
        """A response's JSON: orjson (compact, UTF-8 text rather than \\u escapes: the same
        content as strawberry's `json.dumps`, about ten times faster on a page of 100).
        What orjson refuses (an integer beyond 64 bits, a non-string key) goes to
        `json.dumps` as before."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # orjson.JSONEncodeError is one
            return json.dumps(data, separators=(",", ":"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _multipart_without_bearer(scope):
            await JSONResponse(
                {"errors": [{"message": "A multipart request needs a bearer token."}]},
                status_code=400,
            )(scope, _no_receive, send)
            return
        if scope["type"] == "http" and (refusal := http.before_reading(scope)) is not None:
            await refusal(scope, _no_receive, send)  # 406, 415
            return
        if scope["type"] != "websocket":
            started = False

            async def tracked_send(message: Any) -> None:
                nonlocal started
                if message["type"] == "http.response.start":
                    started = True
                await send(message)

            try:
                async with asyncio.timeout(self.request_timeout):
                    await super().__call__(scope, receive, tracked_send)
            except TimeoutError:
                if not started:
                    await _timed_out(scope, send, self.request_timeout)
            except DocumentRefused as refusal:  # an unknown documentId, or `require`
                await refusal.respond(scope, send)
            except ClientDisconnect:
                # The client left before its body was whole (a tab closed, a retry): nobody
                # to answer, nothing ran. The request log says 499; no error, no traceback.
                pass
            except Exception as exc:
                # Outside any field (the database unreachable while authenticating, a bug in
                # the view): masked like a field's unexpected error, with a logged id.
                if started:
                    raise
                await _failed(scope, send, exc)
            finally:
                # A request refused before execution (bad JSON, a batch, a GET), or cancelled
                # by the timeout, never finished its transaction: roll it back, give it back.
                context = scope.get("spring.context")
                if context is not None and context.session is not None:
                    try:
                        await context.finish(commit=False)
                    except Exception:  # the connection is gone: the pool replaces it
                        log.warning("rollback failed (request %s)", context.request_id)
            return
        try:
            await super().__call__(scope, receive, send)
        finally:
            context = scope.get("spring.context")
            if context is not None and getattr(context, "counted", False):
                user_id = context.principal.user_id
                self.connections[user_id] -= 1
                if self.connections[user_id] <= 0:
                    del self.connections[user_id]

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:  # type: ignore[override]
        """Authenticate a WebSocket with the token of its `connection_init` payload."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        token = bearer_token(header if isinstance(header, str) else None)
        if token is None:
            raise ConnectionRejectionError({"reason": "connection_init needs Authorization"})
        x_tenant = params.get("X-Tenant") or params.get("x-tenant")
        await authenticate(context, token, x_tenant if isinstance(x_tenant, str) else None)
        await context.finish(commit=True)
        if context.principal is None or context.context_error is not None:
            raise ConnectionRejectionError({"reason": str(context.auth_error or "refused")})
        user_id = context.principal.user_id
        if self.connections[user_id] >= self.max_connections_per_user:
            raise ConnectionRejectionError({"reason": "too many connections for this user"})
        self.connections[user_id] += 1
        context.counted = True
        return UNSET

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:  # type: ignore[override]
        return await build_context(
            request,
            response,
            db=self.db,
            auth=self.auth_config,
            live=self.live,
            max_upload_bytes=self.max_upload_bytes,
        )

    async def execute_single(self, **kwargs: Any) -> Any:  # type: ignore[override]
        """Execute one HTTP operation, once the trusted-documents setting allows its text."""
        data = kwargs["request_data"]
        self.documents.check(data.query, browser=kwargs["context"].browser)
        return await super().execute_single(**kwargs)
