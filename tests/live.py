"""Helpers for live tests: a real uvicorn on a free loopback port, a graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
import sqlalchemy
import uvicorn
import websockets
from starlette.applications import Starlette

PROTOCOL = "graphql-transport-ws"

#: How long a live test waits for something before failing. Generous: a deadline costs time
#: only when the test fails. On a shared PostgreSQL server, other databases' long transactions
#: hold back the commit horizon, and live delivery with it, for seconds at a time.
PATIENCE = 30.0

T = TypeVar("T")


async def until(
    predicate: Callable[[], T | Awaitable[T]],
    what: str,
    timeout: float = PATIENCE,
    interval: float = 0.02,
) -> T:
    """Poll `predicate` (plain or async) until it returns something truthy; return that.

    Fails after `timeout` seconds with a message naming `what` was awaited. This is how tests
    wait for readiness: never a fixed sleep.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}, in vain")
        await asyncio.sleep(interval)


def until_sync(
    predicate: Callable[[], T],
    what: str,
    timeout: float = PATIENCE,
    interval: float = 0.05,
) -> T:
    """`until` for synchronous tests (subprocesses, threads)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}, in vain")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[str]:
    """Serve the app with uvicorn (lifespan included) on loopback; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    await started(server, task)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


async def started(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    """Wait until uvicorn listens (or fail with its own error if it stopped)."""

    def listening() -> bool:
        if task.done():
            task.result()  # raises what stopped it
            raise AssertionError("uvicorn stopped before it started")
        return server.started

    await until(listening, "uvicorn to start")


async def login(base: str, email: str, password: str) -> str:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"http://{base}/graphql",
            json={
                "query": "mutation($e: String!, $p: String!) { login(input: {email: $e,"
                " password: $p}) { token userErrors { code } } }",
                "variables": {"e": email, "p": password},
            },
        )
    payload = response.json()["data"]["login"]
    assert payload["token"], payload
    return payload["token"]


async def post(base: str, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"http://{base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
    return response.json()


class Subscription:
    """One graphql-transport-ws connection with one subscription."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls, base: str, token: str, query: str, variables: dict[str, Any] | None = None
    ) -> AsyncIterator[Subscription]:
        async with websockets.connect(f"ws://{base}/graphql", subprotocols=[PROTOCOL]) as ws:
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                )
            )
            ack = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            assert ack["type"] == "connection_ack", ack
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": query, "variables": variables or {}},
                    }
                )
            )
            yield cls(ws)

    async def next(self, timeout: float = PATIENCE) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
                continue
            return message

    async def take(self, count: int, timeout: float = PATIENCE) -> list[dict[str, Any]]:
        received = []
        while len(received) < count:
            message = await self.next(timeout)
            assert message["type"] == "next", message
            received.append(message["payload"])
        return received

    async def first(
        self, wanted: Callable[[dict[str, Any]], bool], what: str, timeout: float = PATIENCE
    ) -> dict[str, Any]:
        """The first `next` payload for which `wanted` is true; others are skipped.

        A live subscription starts at the commit horizon (the oldest transaction still
        running anywhere on the PostgreSQL server), so rows committed just before it, by an
        earlier test of the same tenant, may come first.
        """
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"waited {timeout:g} s for {what}, in vain")
            try:
                message = await self.next(left)
            except TimeoutError:
                continue
            assert message["type"] == "next", message
            if wanted(message["payload"]):
                return message["payload"]

    async def silent(self, seconds: float) -> bool:
        """Nothing arrives for `seconds` (a bounded look, for what must not be delivered)."""
        try:
            message = await self.next(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message: {message}")


async def held(
    broker: Any,
    tenant_id: Any,
    feed: str = "transactions",
    count: int = 1,
    timeout: float = PATIENCE,
) -> None:
    """Wait until the server's broker holds `count` subscribers of the tenant's `feed`, at
    their position: events made before that would not be theirs. No fixed wait."""

    def holding() -> bool:
        found = broker.feeds.get((feed, tenant_id))
        return found is not None and found._ready.is_set() and len(found.subscribers) >= count

    await until(holding, f"the server to hold {count} subscriber(s) of {feed}", timeout)


#: The tables live feeds read (each row carries the `xid` of the transaction that wrote it).
LIVE_TABLES = ("transactions", "terminal_events", "notifications")


async def settled(engine: Any, tenant_id: Any, timeout: float = PATIENCE) -> None:
    """Wait until every live row of the tenant is below the commit horizon (the oldest write
    transaction still running anywhere on the PostgreSQL server).

    A live feed starts at that horizon, so a row above it when a test subscribes (the tenant
    graph's own fixture transaction, say, while another database's transaction holds the
    horizon back) would reach the test's subscribers as if it were new. Call this, with the
    owner's engine, between writing a tenant's fixtures and subscribing.
    """
    above = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE tenant_id = :t"
        " AND xid >= pg_snapshot_xmin(pg_current_snapshot()))"
        for table in LIVE_TABLES
    )
    query = sqlalchemy.text(f"SELECT NOT ({above})")

    async def below() -> bool:
        async with engine.connect() as conn:  # read only: takes no xid, holds nothing back
            return bool(await conn.scalar(query, {"t": tenant_id}))

    await until(below, "the tenant's rows to pass the commit horizon", timeout)


async def served_subscriptions(base: str, feed: str = "transactions") -> float:
    """How many live subscriptions of `feed` the server at `base` holds (its /metrics): for
    servers in another process, whose broker a test cannot look at."""
    async with httpx.AsyncClient(timeout=5) as http:
        text = (await http.get(f"http://{base}/metrics")).text
    for line in text.splitlines():
        if line.startswith(f'spring_live_subscriptions{{feed="{feed}"}} '):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def watched(broker: Any, tenant_id: Any, count: int = 1, timeout: float = PATIENCE) -> None:
    """Wait until the broker holds `count` terminal-status subscribers of the tenant."""
    await until(
        lambda: len(broker.statuses.get(tenant_id) or ()) >= count,
        f"the server to hold {count} terminal status subscriber(s)",
        timeout,
    )
