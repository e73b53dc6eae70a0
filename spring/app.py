"""The Starlette app: routes, health, and the GraphQL endpoint. Small and explicit."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from db.migrate import current_revision, head_revision
from db.session import Database
from schema.context import AuthConfig
from schema.schema import schema
from schema.view import SpringGraphQL
from spring.settings import Settings
from tenancy.principal import ANONYMOUS_CLAIMS


def create_app(settings: Settings, app_database_url: str) -> Starlette:
    """Compose the service: one Database (as the application role), one GraphQL endpoint."""
    database = Database(
        app_database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    graphql = SpringGraphQL(
        schema,
        db=database,
        auth_config=AuthConfig(
            secrets=settings.secrets,
            token_lifetime=dt.timedelta(minutes=settings.token_lifetime_minutes),
        ),
        graphiql=settings.graphiql_enabled,
        allowed_origins=settings.allowed_origins,
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
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
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
    return app
