"""The Starlette app: routes, health, metrics, and the GraphQL endpoint. Small and explicit."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import hmac
import logging
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import strawberry
import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp

from db.migrate import alembic_config, current_revision, head_revision
from db.session import Database, plain_url
from resolvers import ingest
from schema.context import AuthConfig
from schema.limits.config import Limits
from schema.schema import build_schema
from spring.browser_session import session_routes
from spring.console import DIST, console_routes, graphiql_page
from spring.documents import document_routes
from spring.exports import export_routes
from spring.logs import RequestLog, install_record_redaction
from spring.metrics import CONTENT_TYPE, MeasuredBroker, Metrics
from spring.notifier import Mailer, Notifier, SmtpServer
from spring.settings import ConfigurationError, Environment, Settings
from spring.unblocker import Unblocker
from tenancy.principal import ANONYMOUS_CLAIMS, tenant_claims
from transport.context import bearer_token
from transport.documents import ManifestError, TrustedDocuments
from transport.sockets import OpenSockets
from transport.view import SpringGraphQL

log = logging.getLogger("spring.app")

#: The close code and reason WebSocket clients get when this process stops: 1001 "going
#: away" tells them to reconnect (the load balancer picks another instance); live
#: subscriptions also get their cursor, to resume with `after:` and miss nothing.
CLOSE_GOING_AWAY = 1001
SHUTDOWN_REASON = "server shutting down: reconnect and resume with `after`"


def create_app(settings: Settings, app_database_url: str) -> Starlette:
    """Compose the service: one Database (as the application role), one GraphQL endpoint."""
    install_record_redaction()  # no handler, ours or not, ever sees a secret
    database = Database(
        app_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        statement_timeout_ms=settings.statement_timeout_ms,
        pre_ping=settings.db_pool_pre_ping,
    )
    metrics = Metrics()
    metrics.count_statements(database)
    # The live broker: one LISTEN connection (as the application role, outside the pool).
    live = MeasuredBroker(
        database,
        plain_url(app_database_url),
        queue_size=settings.live_queue_size,
        poll_interval=settings.live_poll_interval_s,
        offline_check_interval=settings.live_offline_check_interval_s,
    )
    live.lag = metrics.broker_lag

    async def gone_offline(
        tenant_id: uuid.UUID, since: dt.datetime, until: dt.datetime
    ) -> list[uuid.UUID]:
        async with database.session(tenant_claims(tenant_id)) as session:
            return await ingest.terminals_gone_offline(session, since, until)

    live.add_offline_source(gone_offline)
    auth_config = AuthConfig(
        secrets=settings.secrets,
        token_lifetime=dt.timedelta(minutes=settings.token_lifetime_minutes),
        refresh_token_lifetime=dt.timedelta(hours=settings.refresh_token_lifetime_hours),
    )
    # Notifications: conditions over time and pruning in every process; e-mail only with
    # SPRING_SMTP_URL, woken by the broker when notifications are committed.
    notifier = Notifier(database, settings.notifier_interval_s, email=settings.smtp_url is not None)
    mailer = (
        Mailer(database, SmtpServer.from_url(settings.smtp_url), settings.smtp_from)
        if settings.smtp_url
        else None
    )
    if mailer is not None:
        live.notification_hooks.append(mailer.wake)
    schema = build_schema(
        Limits(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_query_aliases,
            max_cost=settings.max_query_cost,
            max_root_fields=settings.max_query_root_fields,
        ),
        introspection=settings.introspection_enabled,
        suggestions=settings.env == Environment.DEVELOPMENT,
    )
    graphql = SpringGraphQL(
        schema,
        db=database,
        auth_config=auth_config,
        graphiql=settings.graphiql_enabled,
        ide_page=graphiql_page,
        allowed_origins=settings.allowed_origins,
        live=live,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        max_connections_per_user=settings.max_connections_per_user,
        live_cohorts=settings.live_cohorts,
        request_timeout=settings.request_timeout_s,
        max_upload_bytes=settings.max_upload_bytes,
        documents=trusted_documents(settings, schema),
    )
    metrics.watch_live(live, graphql)
    expected_revision = head_revision()
    known = known_revisions()
    #: The open WebSockets, which `drain` closes.
    sockets = OpenSockets(freeze_after_bursts=settings.live_gc_freeze)
    request_log = RequestLog(
        None,  # the inner app: set when Starlette builds its middleware stack
        observe=metrics.observe_request if settings.metrics else None,
        on_websocket=metrics.websocket,
        sockets=sockets,
        max_body_bytes=settings.max_body_bytes,
        # A multipart upload may carry a document of up to max_upload_bytes, and its form.
        max_upload_body_bytes=settings.max_upload_bytes + 64 * 1024,
    )

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        if app.state.draining:
            checks["shutdown"] = "draining"
        try:
            async with database.session(ANONYMOUS_CLAIMS) as session:
                await session.execute(text("SELECT 1"))
                revision = await (await session.connection()).run_sync(current_revision)
            checks["database"] = "ok"
            # Behind: this code needs migrations not applied yet. A revision this code does
            # not know is a newer release's (rolling deploy: `release` ran first): fine.
            behind = revision != expected_revision and (revision is None or revision in known)
            checks["migrations"] = "behind" if behind else "ok"
        except Exception:
            checks["database"] = "unreachable"
        if app.state.live_started and not app.state.draining:
            checks["listen"] = "ok" if live.healthy else "down"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    async def metrics_endpoint(request: Request) -> Response:
        if settings.metrics_token:
            sent = bearer_token(request.headers.get("authorization")) or ""
            if not hmac.compare_digest(sent.encode(), settings.metrics_token.encode()):
                return Response("metrics need the scrape token\n", status_code=401)
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    async def drain(grace_s: float = 1.0) -> None:
        """Before the server stops: say "not ready", close every WebSocket with 1001.

        Live subscriptions are closed by the broker with their cursor in the reason (they
        resume with `after:` on another instance); connections still open after that (idle
        ones, other subscriptions) are closed with 1001 and a reason to reconnect.
        """
        if app.state.draining:
            return
        app.state.draining = True
        log.info("draining: closing %d WebSocket connection(s)", len(sockets))
        await live.stop()
        await sockets.wait_closed(grace_s / 2)
        await sockets.close_all(CLOSE_GOING_AWAY, SHUTDOWN_REASON)
        await sockets.wait_closed(grace_s / 2)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Lifts blocks whose `until` has come; safe with several processes running it.
        unblocker = Unblocker(database, interval_s=settings.unblock_interval_s)
        unblocker.start()
        notifier.start()
        if mailer is not None:
            mailer.start()
        await live.start()
        app.state.live_started = True
        # Everything built so far (modules, the schema, the app) lives as long as the process:
        # out of the collector's sight, full collections walk only what requests create (their
        # pauses showed in P4's p99: docs/performance.md).
        gc.freeze()
        try:
            yield
        finally:
            # With plain uvicorn the connections are already closed (1012) by now; with
            # GracefulServer (spring serve) `drain` ran first and closed them with 1001.
            app.state.draining = True
            await live.stop()
            await unblocker.stop()
            await notifier.stop()
            if mailer is not None:
                await mailer.stop()
            await database.dispose()
            log.info("stopped: database pool closed")

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.metrics:
        routes.append(Route("/metrics", metrics_endpoint))
    # CSV exports of the lists (transactions, journal, fleet), as /graphql authenticates.
    routes += export_routes(schema, database, auth_config, settings.export_max_rows)
    # Documents' short-lived download links (Document.url).
    routes += document_routes(database, auth_config)
    # The console's session cookie, then the console itself (its catch-all comes last).
    routes += session_routes(database, auth_config)
    routes += console_routes()

    def attach_request_log(inner: ASGIApp) -> RequestLog:
        request_log.app = inner
        return request_log

    middleware = [Middleware(attach_request_log)]
    if settings.allowed_origins:
        # Browsers on these origins may call the API (the same list admits their WebSockets).
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "X-Tenant", "X-Request-Id"],
                expose_headers=["X-Request-Id", "Retry-After"],
                max_age=600,
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.database = database
    app.state.notifier = notifier
    app.state.mailer = mailer
    app.state.settings = settings
    app.state.live = live
    app.state.sockets = sockets
    app.state.cohorts = graphql.cohorts
    app.state.live_started = False
    app.state.draining = False
    app.state.metrics = metrics
    app.state.request_log = request_log
    app.state.drain = drain
    return app


def trusted_documents(settings: Settings, schema: strawberry.Schema) -> TrustedDocuments:
    """The console's trusted documents (transport/documents.py), read and checked once here;
    a manifest that does not fit this schema stops the start (ConfigurationError)."""
    path = (
        Path(settings.trusted_documents_file)
        if settings.trusted_documents_file
        else DIST / "trusted-documents.json"
    )
    try:
        return TrustedDocuments.load(path, schema._schema, settings.trusted_documents)
    except ManifestError as exc:
        raise ConfigurationError(f"SPRING_TRUSTED_DOCUMENTS_FILE: {exc}") from exc


def known_revisions() -> frozenset[str]:
    """Every migration revision this code ships."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


class GracefulServer(uvicorn.Server):
    """uvicorn, draining the app first: on SIGTERM, WebSocket clients get 1001 with a reason.

    Plain uvicorn closes every WebSocket with 1012 and no reason *before* the app's lifespan
    shutdown runs, so the app has no say. This runs the app's `drain` before that: readiness
    turns 503, live subscriptions close with 1001 and their resume cursor, other WebSockets
    with 1001. Then uvicorn stops accepting, lets in-flight requests finish (within
    `timeout_graceful_shutdown`), and runs the lifespan shutdown (broker, pool).
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        drain = getattr(getattr(self.config.app, "state", None), "drain", None)
        if drain is not None and not self.force_exit:
            try:
                await asyncio.wait_for(drain(), timeout=10)
            except Exception:
                log.exception("draining before shutdown failed")
        await super().shutdown(sockets)


def server_config(application: Starlette, settings: Settings) -> uvicorn.Config:
    """uvicorn's configuration for `spring serve`: our logging, no access log (the request
    log says it once), the graceful-shutdown deadline from the settings."""
    return uvicorn.Config(
        application,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=settings.shutdown_timeout_s,  # type: ignore[arg-type]
    )
