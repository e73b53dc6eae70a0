"""Health endpoints for load balancers."""

from __future__ import annotations

import logging

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import current_revision, head_revision
from tests.conftest import GraphQLClient


async def test_healthz_and_readyz(client: GraphQLClient) -> None:
    assert (await client.http.get("/healthz")).json() == {"status": "ok"}
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


async def test_a_readiness_probe_writes_no_migration_chatter(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A load balancer asks /readyz every few seconds: alembic's "Context impl" lines must not
    fill the log each time."""
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            ready = await client.http.get("/readyz")
            assert ready.status_code == 200, ready.text
    assert [r.getMessage() for r in caplog.records if r.name.startswith("alembic")] == []


async def test_the_current_revision_is_alembics_reading(owner_engine: AsyncEngine) -> None:
    async with owner_engine.connect() as conn:
        ours = await conn.run_sync(current_revision)
        theirs = await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    assert ours == theirs == head_revision()


async def test_every_response_names_its_request_id(client: GraphQLClient) -> None:
    response = await client.http.post("/graphql", json={"query": "{ __typename }"})
    assert len(response.headers["x-request-id"]) == 32
    response = await client.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "lb-req-0001"}
    )
    assert response.headers["x-request-id"] == "lb-req-0001"


async def test_graphiql_is_served_to_a_browser(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_legacy_graphql_ws_protocol_is_not_offered(app) -> None:  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    http = TestClient(app)  # no lifespan: the session's app keeps its pool
    try:
        with http.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
            ws.receive_text()
    except WebSocketDisconnect as closed:
        assert closed.code == 4406
    else:  # pragma: no cover - the connection must not stay open
        raise AssertionError("the legacy protocol was accepted")
