"""Serving: health and readiness, two instances sharing live traffic, shutdown closing the
subscribers, CORS, and the request time limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from spring.app import CLOSE_GOING_AWAY, GracefulServer, create_app
from spring.settings import Settings
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD
from tests.live import (
    PROTOCOL,
    Subscription,
    free_port,
    held,
    login,
    post,
    running,
    served_subscriptions,
    started,
    until,
    until_sync,
)
from tests.operations.helpers import (
    RECORD,
    transaction,
)

SUBSCRIBE = """
subscription { transactionRecorded { cursor transaction { id externalId } } }
"""


async def test_healthz_and_readyz_with_the_listen_connection(app_url: str) -> None:
    application = create_app(Settings(secret_key=TEST_SECRET), app_url)
    async with running(application) as base, httpx.AsyncClient() as http:
        assert (await http.get(f"http://{base}/healthz")).json() == {"status": "ok"}
        ready = await http.get(f"http://{base}/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "migrations": "ok", "listen": "ok"}
        # Draining (SIGTERM received): not ready, so the load balancer stops sending.
        application.state.draining = True
        draining = await http.get(f"http://{base}/readyz")
        assert draining.status_code == 503
        assert draining.json()["checks"]["shutdown"] == "draining"
        application.state.draining = False
        metrics = (await http.get(f"http://{base}/metrics")).text
        assert "spring_live_listen_up 1.0" in metrics


async def test_readyz_says_not_ready_when_the_database_is_unreachable() -> None:
    nowhere = f"postgresql://spring_app@127.0.0.1:{free_port()}/spring"
    application = create_app(Settings(secret_key=TEST_SECRET), nowhere)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://spring.test"
        ) as http:
            assert (await http.get("/healthz")).status_code == 200  # alive, though
            ready = await http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json() == {"status": "not ready", "checks": {"database": "unreachable"}}
    finally:
        await application.state.database.dispose()


async def test_readyz_during_a_rolling_deploy(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    """Behind (the code needs a migration) is not ready; ahead (a newer release migrated
    first, this instance is about to be rolled) still is."""
    async with owner_engine.connect() as conn:
        head = await conn.scalar(text("SELECT version_num FROM alembic_version"))

    async def set_revision(revision: str) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})

    try:
        await set_revision("0001")
        behind = await client.http.get("/readyz")
        assert behind.status_code == 503
        assert behind.json()["checks"]["migrations"] == "behind"
        await set_revision("9999_from_a_newer_release")
        ahead = await client.http.get("/readyz")
        assert ahead.status_code == 200, ahead.json()
    finally:
        await set_revision(head)
    assert (await client.http.get("/readyz")).status_code == 200


async def test_two_instances_serve_and_share_live_traffic(
    app_url: str, world: dict[str, Any]
) -> None:
    """No sticky sessions: a token from one instance works on the other, and a transaction
    recorded through one reaches subscribers of both (the database's NOTIFY is the bus)."""
    users, tid = world["users"], world["tid"]
    first, second = create_app(_settings(), app_url), create_app(_settings(), app_url)
    async with running(first) as a, running(second) as b, httpx.AsyncClient() as http:
        for base in (a, b):
            assert (await http.get(f"http://{base}/readyz")).status_code == 200
        supervisor = await login(a, users["SUPERVISOR"], PASSWORD)
        service = await login(b, users["SERVICE"], PASSWORD)
        me = await post(b, supervisor, "{ me { role } }")
        assert me["data"]["me"]["role"] == "SUPERVISOR"
        async with (
            Subscription.open(a, supervisor, SUBSCRIBE) as on_a,
            Subscription.open(b, supervisor, SUBSCRIBE) as on_b,
        ):
            tenant = world["graph"].tenant_id
            await held(first.state.live, tenant)
            await held(second.state.live, tenant)
            for via in (b, a):
                sent = transaction(tid)
                body = await post(via, service, RECORD, {"i": {"transactions": [sent]}})
                assert body["data"]["recordTransactions"]["created"] == 1, body
                for sub in (on_a, on_b):
                    await sub.first(_recorded(sent), f"{sent['externalId']} on both instances")


@contextlib.asynccontextmanager
async def graceful(application: Starlette) -> AsyncIterator[tuple[str, GracefulServer]]:
    """Like tests.live.running, with the server `spring serve` uses."""
    port = free_port()
    server = GracefulServer(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    await started(server, task)
    try:
        yield f"127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


async def closed(ws: Any, timeout: float = 10) -> websockets.frames.Close:
    """Read until the server closes the connection; return its close frame."""
    with pytest.raises(websockets.ConnectionClosed) as info:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=timeout))
            if message.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong"}))
    assert info.value.rcvd is not None, "closed without a close frame"
    return info.value.rcvd


def _recorded(sent: dict[str, Any]) -> Any:
    """Is a transactionRecorded payload the one of `sent`?"""
    return lambda payload: (
        payload["data"]["transactionRecorded"]["transaction"]["externalId"] == sent["externalId"]
    )


def _settings() -> Settings:
    return Settings(secret_key=TEST_SECRET, live_poll_interval_s=0.3)


async def test_shutdown_closes_subscribers_with_1001_and_their_cursor_to_resume(
    app_url: str, world: dict[str, Any]
) -> None:
    """A roll: instance A stops while a subscriber listens; the subscriber gets 1001 with its
    cursor, resumes on instance B, and receives what was recorded meanwhile."""
    users, tid = world["users"], world["tid"]
    first = create_app(_settings(), app_url)
    second = create_app(_settings(), app_url)
    async with running(second) as other:
        async with graceful(first) as (base, server):
            supervisor = await login(base, users["SUPERVISOR"], PASSWORD)
            service = await login(base, users["SERVICE"], PASSWORD)
            async with Subscription.open(base, supervisor, SUBSCRIBE) as sub:
                await held(first.state.live, world["graph"].tenant_id)
                sent = transaction(tid)
                await post(base, service, RECORD, {"i": {"transactions": [sent]}})
                event = await sub.first(_recorded(sent), sent["externalId"])
                got = event["data"]["transactionRecorded"]
                assert got["transaction"]["externalId"] == sent["externalId"]
                idle = await websockets.connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL])
                await idle.send(
                    json.dumps(
                        {
                            "type": "connection_init",
                            "payload": {"Authorization": f"Bearer {supervisor}"},
                        }
                    )
                )
                assert json.loads(await idle.recv())["type"] == "connection_ack"

                server.should_exit = True  # what SIGTERM does
                frame = await closed(sub.ws)
                idle_frame = await closed(idle)
                await idle.close()
        assert frame.code == CLOSE_GOING_AWAY, frame
        assert "reconnect" in frame.reason and "after=" in frame.reason, frame.reason
        cursor = frame.reason.rsplit("after=", 1)[1]
        assert cursor == got["cursor"]
        assert idle_frame.code == CLOSE_GOING_AWAY
        assert "reconnect" in idle_frame.reason
        # The pool and the LISTEN connection were closed by the lifespan shutdown.
        assert not first.state.live.healthy
        assert first.state.database.engine.pool.checkedout() == 0

        # Meanwhile on B; the subscriber resumes there with its cursor and misses nothing.
        service_b = await login(other, users["SERVICE"], PASSWORD)
        missed = transaction(tid)
        await post(other, service_b, RECORD, {"i": {"transactions": [missed]}})
        resume = """subscription($a: String) { transactionRecorded(after: $a) {
          cursor transaction { externalId } } }"""
        supervisor_b = await login(other, users["SUPERVISOR"], PASSWORD)
        async with Subscription.open(other, supervisor_b, resume, {"a": cursor}) as sub:
            (event,) = await sub.take(1)
            assert (
                event["data"]["transactionRecorded"]["transaction"]["externalId"]
                == missed["externalId"]
            )


async def test_plain_uvicorn_closes_subscribers_with_1012(
    app_url: str, world: dict[str, Any]
) -> None:
    """Without GracefulServer uvicorn closes WebSockets itself (1012 "service restart", no
    reason) before the app's shutdown runs: clients still reconnect, with the last cursor
    they received."""
    application = create_app(_settings(), app_url)
    async with running(application) as base:
        supervisor = await login(base, world["users"]["SUPERVISOR"], PASSWORD)
        sub_cm = Subscription.open(base, supervisor, SUBSCRIBE)
        sub = await sub_cm.__aenter__()
        await held(application.state.live, world["graph"].tenant_id)
    try:
        frame = await closed(sub.ws)
        assert frame.code == 1012
    finally:
        with contextlib.suppress(Exception):
            await sub_cm.__aexit__(None, None, None)


def _wait_http(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    def answering() -> bool:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(url, timeout=1).status_code == 200
        return False

    until_sync(answering, f"spring serve to answer {url}", seconds)


@pytest.mark.slow
async def test_spring_serve_on_sigterm_closes_with_1001_and_logs_json(
    owner_url: str, app_url: str, world: dict[str, Any]
) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SPRING_")},
        "SPRING_ENV": "production",
        "DATABASE_URL": owner_url,
        "SPRING_APP_DATABASE_URL": app_url,
        "SPRING_SECRET_KEY": TEST_SECRET,
        "SPRING_SHUTDOWN_TIMEOUT_S": "5",
        "PORT": str(port),
    }
    spring = os.path.join(os.path.dirname(sys.executable), "spring")
    process = subprocess.Popen(  # noqa: ASYNC220 - waited for in a thread
        [spring, "serve", "--host", "127.0.0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        await asyncio.to_thread(_wait_http, f"http://127.0.0.1:{port}/readyz", process)
        base = f"127.0.0.1:{port}"
        supervisor = await login(base, world["users"]["SUPERVISOR"], PASSWORD)
        async with Subscription.open(base, supervisor, SUBSCRIBE) as sub:
            await until(lambda: served_subscriptions(base), "spring serve to hold the subscription")
            process.send_signal(signal.SIGTERM)
            frame = await closed(sub.ws)
        assert frame.code == CLOSE_GOING_AWAY
        assert "reconnect" in frame.reason
        code = await asyncio.to_thread(process.wait, 30)
        assert code == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read() if process.stderr else ""
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [r for r in records if r.get("event") == "request"]
    assert any(r.get("fields") == ["login"] and r["status"] == 200 for r in requests), stderr
    assert any(r.get("event") == "websocket closed" for r in records)
    assert PASSWORD not in stderr and supervisor not in stderr
    assert not re.search(r"INFO:\s+\d", stderr)  # no uvicorn access log: the request line says it


async def test_cors_follows_the_allowed_origins(app_url: str) -> None:
    """Browsers on a configured origin may call the API; others get no CORS grant."""
    import httpx

    from spring.app import create_app
    from spring.settings import Environment, Settings
    from tests.conftest import TEST_SECRET

    app = create_app(
        Settings(
            env=Environment.DEVELOPMENT,
            secret_key=TEST_SECRET,
            allowed_origins=["https://backoffice.alizes.example"],
        ),
        app_url,
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
        ) as http:
            allowed = await http.options(
                "/graphql",
                headers={
                    "Origin": "https://backoffice.alizes.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            assert allowed.status_code == 200
            assert allowed.headers["access-control-allow-origin"] == (
                "https://backoffice.alizes.example"
            )
            refused = await http.options(
                "/graphql",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            )
            assert "access-control-allow-origin" not in refused.headers
    finally:
        await app.state.database.dispose()


async def test_a_request_over_its_time_limit_is_cancelled_and_writes_nothing(
    app_url: str, owner_engine: Any
) -> None:
    """SPRING_REQUEST_TIMEOUT_S: past it the request answers 504 with a GraphQL error."""
    import httpx
    from sqlalchemy import text as sql

    from spring.app import create_app
    from spring.settings import Environment, Settings
    from tests.conftest import TEST_SECRET

    app = create_app(
        Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, request_timeout_s=0.001),
        app_url,
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
        ) as http:
            # Argon2 alone takes tens of milliseconds: the login cannot finish in 1 ms.
            response = await http.post(
                "/graphql",
                json={
                    "query": 'mutation { login(input: {email: "x@y.test", password: "z"})'
                    " { token } }"
                },
            )
        assert response.status_code == 504
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "annulée" in body["errors"][0]["message"]
        assert response.headers["x-request-id"]
        async with owner_engine.connect() as conn:
            idle_in_transaction = await conn.scalar(
                sql(
                    # This test database's connections only: a shared server runs others.
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'spring_app'"
                    " AND datname = current_database() AND state = 'idle in transaction'"
                )
            )
        assert idle_in_transaction == 0
    finally:
        await app.state.database.dispose()
