"""The ingest tests' shared fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from spring.app import create_app
from spring.settings import Environment, Settings
from tests.api import signed_in
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import add_user, make_tenant_graph
from tests.live import running


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    graph = await make_tenant_graph(owner_engine)
    users = {
        role: await add_user(owner_engine, graph, role)
        for role in ("SERVICE", "SUPERVISOR", "TECHNICIAN", "HOTLINE", "SELLER")
    }
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return {"graph": graph, "users": users, "tid": tid}


@pytest.fixture
async def service(client: GraphQLClient, world: dict[str, Any]) -> GraphQLClient:
    return await signed_in(client, world["users"]["SERVICE"])


@pytest.fixture(scope="module")
async def live_app(app_url: str) -> AsyncIterator[tuple[Starlette, str]]:
    """A real server on loopback whose offline detector looks every half second."""
    settings = Settings(
        env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, live_poll_interval_s=0.5
    )
    application = create_app(settings, app_url)
    application.state.live.offline_check_interval = 0.5
    async with running(application) as base:
        yield application, base
