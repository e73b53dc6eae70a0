"""The Starlette app: routes, health, and the GraphQL endpoint. Small and explicit."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from db.migrate import current_revision, head_revision
from db.session import Database, plain_url
from resolvers import ingest
from schema.context import AuthConfig
from schema.schema import schema
from schema.view import SpringGraphQL
from spring.settings import Settings
from spring.unblocker import Unblocker
from subscriptions.broker import LiveBroker
from tenancy.principal import ANONYMOUS_CLAIMS, tenant_claims


def create_app(settings: Settings, app_database_url: str) -> Starlette:
    """Compose the service: one Database (as the application role), one GraphQL endpoint."""
    database = Database(
        app_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    # The live broker: one LISTEN connection (as the application role, outside the pool).
    live = LiveBroker(
        database,
        plain_url(app_database_url),
        queue_size=settings.live_queue_size,
        poll_interval=settings.live_poll_interval_s,
    )

    async def gone_offline(
        tenant_id: uuid.UUID, since: dt.datetime, until: dt.datetime
    ) -> list[uuid.UUID]:
        async with database.session(tenant_claims(tenant_id)) as session:
            return await ingest.terminals_gone_offline(session, since, until)

    live.add_offline_source(gone_offline)
    graphql = SpringGraphQL(
        schema,
        db=database,
        auth_config=AuthConfig(
            secrets=settings.secrets,
            token_lifetime=dt.timedelta(minutes=settings.token_lifetime_minutes),
        ),
        graphiql=settings.graphiql_enabled,
        allowed_origins=settings.allowed_origins,
        live=live,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        max_connections_per_user=settings.max_connections_per_user,
    )
    expected_revision = head_revision()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            async with database.session(ANONYMOUS_CLAIMS) as session:
                await session.execute(text("SELECT 1"))
                revision = await (await session.connection()).run_sync(current_revision)
            checks["database"] = "ok"
            checks["migrations"] = "ok" if revision == expected_revision else "behind"
        except Exception:
            checks["database"] = "unreachable"
        if app.state.live_started:
            checks["listen"] = "ok" if live.healthy else "down"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Lifts blocks whose `until` has come; safe with several processes running it.
        unblocker = Unblocker(database)
        unblocker.start()
        await live.start()
        app.state.live_started = True
        try:
            yield
        finally:
            await live.stop()
            await unblocker.stop()
            await database.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.settings = settings
    app.state.live = live
    app.state.live_started = False
    return app
