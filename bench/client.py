"""Load-generator clients: a lean HTTP/1.1 keep-alive client and graphql-transport-ws subscribers.

The HTTP client is a few lines over asyncio streams: the load generator shares the machine's
two cores with the server, so it must cost as little as possible per request (an httpx request
costs several times more client CPU than this one).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from bench.env import log

PROTOCOL = "graphql-transport-ws"
ROOT = Path(__file__).resolve().parent.parent
#: When set, servers run under a profiler and leave <name>.prof here (figures then are not).
PROFILE_DIR: Path | None = None
PROFILER = "sample"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HttpError(Exception):
    pass


class Http:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port (responses with Content-Length)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> Http:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.writer.write(head + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = raw.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length = None
        chunked = False
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if length is not None:
            return status, await self.reader.readexactly(length)
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            return status, b"".join(parts)
        raise HttpError(f"response without length: {raw!r}")

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        status, body = await self.request(
            "POST", "/graphql", graphql_body(query, variables), graphql_headers(token)
        )
        if status != 200:
            raise HttpError(f"HTTP {status}: {body[:300]!r}")
        return json.loads(body)


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def graphql_headers(token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


LOGIN = """
mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
  token userErrors { code message } } }
"""


async def login(port: int, email: str, password: str) -> str:
    http = await Http(port).open()
    try:
        body = await http.graphql(LOGIN, {"e": email, "p": password})
    finally:
        await http.close()
    payload = body["data"]["login"]
    if not payload["token"]:
        raise HttpError(f"login refused for {email}: {payload}")
    return str(payload["token"])


# ------------------------------------------------------------------------------ servers


@dataclass
class ServerProcess:
    """A server in a child process (ours): its port, pid, CPU time and memory from /proc."""

    process: subprocess.Popen[bytes]
    port: int
    name: str
    #: How a bench server was started (to start another instance of the same app).
    app_url: str | None = None
    settings: dict[str, Any] | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    async def phase(self, label: str) -> None:
        """Tell the server's sampling profiler (if any) which phase its samples belong to."""
        if PROFILE_DIR is None or self.name == "p7":
            return
        http = await Http(self.port).open()
        try:
            await http.request("POST", f"/__bench/phase?label={label.replace(' ', '-')}")
        finally:
            await http.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


async def start_server(
    command: list[str], port: int, name: str, env: dict[str, str] | None = None
) -> ServerProcess:
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL
    )
    server = ServerProcess(process, port, name)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            http = await Http(port).open()
            try:
                status, _ = await http.request("GET", "/healthz")
            finally:
                await http.close()
            if status == 200:
                return server
        except OSError:
            pass
        await asyncio.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not start")


async def start_bench_server(
    app_url: str,
    name: str = "spring",
    settings: dict[str, Any] | None = None,
    demo_log: str | None = None,
) -> ServerProcess:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bench.server",
        "--app-url",
        app_url,
        "--port",
        str(port),
        "--settings",
        json.dumps(settings or {}),
    ]
    if PROFILE_DIR is not None:
        command += ["--profile", str(PROFILE_DIR / f"{name}.prof"), "--profiler", PROFILER]
    if demo_log is not None:
        command += ["--as-demo", demo_log]
    server = await start_server(command, port, name)
    server.app_url, server.settings = app_url, settings
    log(f"{name} server up on 127.0.0.1:{port} (pid {server.pid})")
    return server


@contextlib.asynccontextmanager
async def bench_server(
    app_url: str,
    name: str = "spring",
    settings: dict[str, Any] | None = None,
    demo_log: str | None = None,
) -> AsyncIterator[ServerProcess]:
    server = await start_bench_server(app_url, name, settings, demo_log)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


# ------------------------------------------------------------------------------ WebSockets


@dataclass
class Subscriber:
    """One WebSocket connection with one subscription; records what it receives.

    Received messages are kept raw with their receipt time (time.monotonic and time.time) and
    parsed after the run, so the receiving loop costs as little as possible.
    """

    name: str
    ws: ClientConnection | None = None
    received: list[tuple[float, float, str]] = field(default_factory=list)
    closed: str | None = None
    task: asyncio.Task[None] | None = None

    async def connect(
        self,
        port: int,
        token: str | None,
        query: str | None,
        variables: dict[str, Any] | None = None,
        path: str = "/graphql",
    ) -> None:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port}{path}",
            subprotocols=[PROTOCOL],  # type: ignore[list-item]
            compression=None,
            proxy=None,
            max_queue=None,
            open_timeout=60,
            ping_interval=None,
        )
        self.ws = ws
        if query is not None:
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                )
            )
            ack = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            if ack.get("type") != "connection_ack":
                raise HttpError(f"no connection_ack: {ack}")
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": query, "variables": variables or {}},
                    }
                )
            )
        self.task = asyncio.create_task(self._read(), name=f"sub-{self.name}")

    async def _read(self) -> None:
        assert self.ws is not None
        ws, append, monotonic, wall = self.ws, self.received.append, time.monotonic, time.time
        try:
            async for message in ws:
                append((monotonic(), wall(), message))  # type: ignore[arg-type]
                if '"ping"' in message[:40]:
                    await ws.send('{"type":"pong"}')
        except websockets.ConnectionClosed as exc:
            rcvd = exc.rcvd
            self.closed = f"{rcvd.code} {rcvd.reason}" if rcvd else "closed without a frame"
        else:
            self.closed = f"{ws.close_code} {ws.close_reason or ''}"

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), timeout=5)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task


async def connect_all(
    subscribers: list[Subscriber],
    connect: Callable[[Subscriber], Any],
    *,
    concurrency: int = 32,
) -> float:
    """Connect every subscriber, `concurrency` at a time; return the seconds it took."""
    started = time.perf_counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(subscriber: Subscriber) -> None:
        async with gate:
            await connect(subscriber)

    await asyncio.gather(*(one(s) for s in subscribers))
    return time.perf_counter() - started


async def close_all(subscribers: list[Subscriber]) -> None:
    gate = asyncio.Semaphore(100)

    async def one(subscriber: Subscriber) -> None:
        async with gate:
            await subscriber.close()

    await asyncio.gather(*(one(s) for s in subscribers))
