"""One dedicated LISTEN connection per process, outside the pool, reconnected when it drops.

A LISTEN left on a pooled connection would follow that connection to other users; this one
belongs to the broker alone. When it drops (server restart, pg_terminate_backend, network),
it reconnects with exponential backoff and tells the broker, which then catches up from the
database: notifications sent while it was away are lost, rows are not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger("spring.subscriptions.listener")

Callback = Callable[[str, str], None]


class PgListener:
    def __init__(
        self,
        dsn: str,
        channels: list[str],
        on_notify: Callback,
        on_reconnect: Callable[[], Awaitable[None]],
        *,
        health_interval: float = 2.0,
        max_backoff: float = 10.0,
    ) -> None:
        self.dsn = dsn
        self.channels = channels
        self.on_notify = on_notify
        self.on_reconnect = on_reconnect
        self.health_interval = health_interval
        self.max_backoff = max_backoff
        self.connection: asyncpg.Connection | None = None
        self.connected = asyncio.Event()
        self.reconnects = 0
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    @property
    def alive(self) -> bool:
        return self.connection is not None and not self.connection.is_closed()

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._watch(), name="spring-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close()

    async def _connect(self) -> None:
        connection = await asyncpg.connect(
            self.dsn, server_settings={"application_name": "spring-listener"}
        )
        connection.add_termination_listener(lambda _c: self._lost.set())
        for channel in self.channels:
            await connection.add_listener(channel, self._dispatch)
        self.connection = connection
        self._lost.clear()
        self.connected.set()
        log.info("listening on %s", ", ".join(self.channels))

    def _dispatch(self, _connection: object, _pid: int, channel: str, payload: str) -> None:
        try:
            self.on_notify(channel, payload)
        except Exception:
            log.exception("notification handler failed on %s", channel)

    async def _close(self) -> None:
        connection, self.connection = self.connection, None
        self.connected.clear()
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), timeout=2)

    async def _watch(self) -> None:
        """Detect a dropped connection (termination event or failed ping) and reconnect."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), timeout=self.health_interval)
            if not self._lost.is_set():
                try:
                    assert self.connection is not None
                    await asyncio.wait_for(self.connection.fetchval("SELECT 1"), timeout=5)
                    continue
                except Exception:
                    log.warning("LISTEN connection failed its health check")
            await self._reconnect()

    async def _reconnect(self) -> None:
        await self._close()
        delay = 0.05
        while True:
            try:
                await self._connect()
                break
            except Exception as exc:
                log.warning("LISTEN reconnect failed (%s); retrying in %.2fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
        self.reconnects += 1
        log.info("LISTEN connection re-established (%d reconnects)", self.reconnects)
        try:
            await self.on_reconnect()
        except Exception:
            log.exception("catch-up after reconnect failed")
