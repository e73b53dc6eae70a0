"""Helpers for live tests: a real uvicorn on a free loopback port, a graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn
import websockets
from starlette.applications import Starlette

PROTOCOL = "graphql-transport-ws"


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
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=30)


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

    async def next(self, timeout: float = 10) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
                continue
            return message

    async def take(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        received = []
        while len(received) < count:
            message = await self.next(timeout)
            assert message["type"] == "next", message
            received.append(message["payload"])
        return received

    async def silent(self, seconds: float) -> bool:
        try:
            message = await self.next(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message: {message}")


async def held(broker: Any, tenant_id: Any, feed: str = "transactions", count: int = 1) -> None:
    """Wait until the server's broker holds `count` subscribers of the tenant's `feed`, at
    their position: events made before that would not be theirs. No fixed wait."""
    for _ in range(1000):
        found = broker.feeds.get((feed, tenant_id))
        if found is not None and found._ready.is_set() and len(found.subscribers) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the server never held a subscriber of {feed}")
