"""A swarm of live subscribers in a process of its own (P4c: 10,000 WebSockets).

    python -m bench.swarm --port 8123 < plan.json

`websockets` clients cost too much memory and CPU at 10,000 in the load generator's process,
which shares the machine's two cores with the server and PostgreSQL. Here each subscriber is a
bare `asyncio.Protocol`: the WebSocket handshake, masked client frames, unmasked server frames
kept raw with their arrival time (`time.monotonic`, one clock for every process of the
machine), parsed by the parent after the run. No task per connection.

The parent writes a plan on stdin (one JSON line: the query and, per subscriber, its token
and variables), reads `connected <n> <failed> <seconds>` on stdout once every subscription is
sent, then writes `report <path>` and reads `reported`: the frames each subscriber received and
how its connection ended, as JSON at that path; the swarm then closes its sockets and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

PROTOCOL = "graphql-transport-ws"


def frame(payload: bytes, opcode: int = 1) -> bytes:
    """One masked client frame (RFC 6455 §5.2)."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    if not n:
        return header + mask
    key = (mask * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
    return header + mask + masked


PONG = frame(b'{"type":"pong"}')


class Socket(asyncio.Protocol):
    """One graphql-transport-ws subscriber: handshake, connection_init, subscribe, receive."""

    __slots__ = ("buffer", "closed", "init", "ready", "received", "state", "subscribe", "transport")

    def __init__(self, init: bytes, subscribe: bytes, ready: asyncio.Future[None]) -> None:
        self.init = init
        self.subscribe = subscribe
        self.ready = ready
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        #: 0: upgrading, 1: waiting for connection_ack, 2: subscribed.
        self.state = 0
        self.received: list[tuple[float, str]] = []
        self.closed: str | None = None

    def request(self, port: int) -> bytes:
        key = base64.b64encode(os.urandom(16)).decode()
        return (
            f"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
        ).encode()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def _fail(self, why: str) -> None:
        if self.closed is None:
            self.closed = why
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(why))

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buffer = self.buffer + data if self.buffer else data
        if self.state == 0:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buffer
                return
            if b" 101 " not in buffer[: buffer.find(b"\r\n")]:
                self._fail(buffer[:80].decode("latin-1"))
                assert self.transport is not None
                self.transport.close()
                return
            buffer = buffer[end + 4 :]
            self.state = 1
            assert self.transport is not None
            self.transport.write(self.init)
        offset, size = 0, len(buffer)
        while size - offset >= 2:
            opcode = buffer[offset] & 0x0F
            length = buffer[offset + 1] & 0x7F
            start = offset + 2
            if length == 126:
                if size - offset < 4:
                    break
                length = int.from_bytes(buffer[offset + 2 : offset + 4], "big")
                start = offset + 4
            elif length == 127:
                if size - offset < 10:
                    break
                length = int.from_bytes(buffer[offset + 2 : offset + 10], "big")
                start = offset + 10
            end = start + length
            if end > size:
                break
            self._frame(opcode, buffer[start:end], now)
            offset = end
        self.buffer = buffer[offset:]

    def _frame(self, opcode: int, payload: bytes, now: float) -> None:
        transport = self.transport
        assert transport is not None
        if opcode == 1:
            text = payload.decode()
            if self.state == 1:
                if '"connection_ack"' in text:
                    self.state = 2
                    transport.write(self.subscribe)
                    self.ready.set_result(None)
                else:
                    self._fail(text[:200])
                return
            if '"type":"ping"' in text[:40]:
                transport.write(PONG)
            self.received.append((now, text))
        elif opcode == 8:
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self._fail(f"{code} {payload[2:].decode(errors='replace')}")
            transport.write(frame(payload[:2], 8))
            transport.close()
        elif opcode == 9:
            transport.write(frame(payload, 10))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail("closed without a frame")

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame((1000).to_bytes(2, "big"), 8))
            self.transport.close()


async def connect_all(port: int, plan: dict[str, Any], concurrency: int) -> list[Socket]:
    loop = asyncio.get_running_loop()
    query = plan["query"]
    gate = asyncio.Semaphore(concurrency)
    sockets: list[Socket] = []

    async def one(subscriber: dict[str, Any]) -> None:
        init = frame(
            json.dumps(
                {
                    "type": "connection_init",
                    "payload": {"Authorization": f"Bearer {subscriber['token']}"},
                }
            ).encode()
        )
        subscribe = frame(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": subscriber["variables"]},
                }
            ).encode()
        )
        ready = loop.create_future()
        socket = Socket(init, subscribe, ready)
        sockets.append(socket)
        async with gate:
            try:
                await loop.create_connection(lambda: socket, "127.0.0.1", port)
                assert socket.transport is not None
                socket.transport.write(socket.request(port))
                await asyncio.wait_for(ready, 120)
            except Exception as exc:  # counted as failed; the parent reports it
                if not ready.done():
                    ready.cancel()
                socket.closed = socket.closed or f"connect failed: {exc!r}"[:200]

    await asyncio.gather(*(one(s) for s in plan["subscribers"]))
    return sockets


async def main_async(port: int, concurrency: int) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**30)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    plan = json.loads(await reader.readline())
    started = time.perf_counter()
    sockets = await connect_all(port, plan, concurrency)
    failed = sum(1 for s in sockets if s.state != 2)
    print(f"connected {len(sockets) - failed} {failed} {time.perf_counter() - started:.2f}")
    sys.stdout.flush()
    while True:
        line = (await reader.readline()).decode().strip()
        if not line or line == "close":
            break
        command, _, path = line.partition(" ")
        if command == "report":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            result = {
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss_kib": usage.ru_maxrss,
                "subscribers": [{"received": s.received, "closed": s.closed} for s in sockets],
            }
            await asyncio.to_thread(Path(path).write_text, json.dumps(result))
            print("reported")
            sys.stdout.flush()
    for s in sockets:
        s.close()
    # Let the close frames go out (the server would otherwise see 10,000 resets at once).
    await asyncio.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.run(main_async(args.port, args.concurrency))
    except ImportError:
        asyncio.run(main_async(args.port, args.concurrency))


if __name__ == "__main__":
    main()
