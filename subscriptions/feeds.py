"""Row feeds: per tenant, read new rows in commit order and fan them out to subscribers.

A feed exists while someone listens to its tenant. It wakes on a NOTIFY of its topic (and
every `poll_interval` as a safety net), reads the rows after its position that every running
transaction has left behind (xid below the snapshot's xmin), and appends them to one bounded
buffer that its subscribers read at their own pace. A subscriber that falls out of the buffer
is closed with a reason and its last cursor (it resumes with `after:`), so memory never grows
with a slow reader, and fast subscribers never wait for it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db.models import XID8
from db.session import Database
from subscriptions.cursors import ORIGIN, FeedCursor
from tenancy.principal import tenant_claims

log = logging.getLogger("spring.subscriptions.feeds")

PAGE = 500
Predicate = Callable[[Any], bool]


class SubscriberClosed(Exception):
    """The feed closed this subscriber (too slow, or the broker is stopping)."""

    def __init__(self, reason: str, cursor: FeedCursor | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cursor = cursor


class Subscriber:
    """A reader of a feed's shared buffer, at its own pace, from its own position.

    Memory does not grow per subscriber: rows are kept once per feed, in a bounded buffer.
    A subscriber whose position falls out of the buffer is too slow and is closed with its
    last cursor.
    """

    def __init__(self, feed: RowFeed, predicate: Predicate) -> None:
        self.feed = feed
        self.predicate = predicate
        self.position = feed.end
        self.delivered: FeedCursor | None = None
        self.closed: SubscriberClosed | None = None

    def close(self, reason: str) -> None:
        if self.closed is None:
            self.closed = SubscriberClosed(reason, self.delivered)

    async def next(self) -> Any:
        feed = self.feed
        while True:
            if self.closed is None and feed.stopped is not None:
                self.close(feed.stopped)
            if self.closed is not None:
                self.closed.cursor = self.delivered
                raise self.closed
            if self.position < feed.first:
                self.close("subscriber too slow: resume with `after`")
                continue
            if self.position < feed.end:
                row = feed.buffer[self.position - feed.first]
                self.position += 1
                if self.predicate(row):
                    return row
                continue
            await feed.changed()


@dataclass(frozen=True)
class FeedKind:
    """What a feed reads: an append-only model with `xid` and `id`, and its topic."""

    name: str
    model: type[Any]
    topic: str


def _xmin() -> Any:
    return sa.func.pg_snapshot_xmin(sa.func.pg_current_snapshot())


def _after(model: Any, cursor: FeedCursor) -> Any:
    return sa.tuple_(model.xid, model.id) > sa.tuple_(
        sa.cast(sa.literal(str(cursor.xid)), XID8), sa.literal(cursor.id)
    )


class RowFeed:
    def __init__(
        self,
        kind: FeedKind,
        tenant_id: uuid.UUID,
        db: Database,
        *,
        queue_size: int,
        poll_interval: float,
    ) -> None:
        self.kind = kind
        self.tenant_id = tenant_id
        self.db = db
        self.queue_size = queue_size
        self.poll_interval = poll_interval
        self.position = ORIGIN
        self.subscribers: set[Subscriber] = set()
        #: The last rows read, shared by every subscriber: buffer[i] has sequence first + i.
        self.buffer: collections.deque[Any] = collections.deque()
        self.first = 0
        self.stopped: str | None = None
        self._changed: asyncio.Future[None] | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.polls = 0

    # ------------------------------------------------------------------ reading

    async def read(self, after: FeedCursor, limit: int = PAGE) -> tuple[list[Any], bool]:
        """Rows after the cursor that are final (below xmin), and whether newer ones wait."""
        model = self.kind.model
        query = (
            sa.select(model, _xmin().label("xmin"))
            .where(_after(model, after))
            .order_by(model.xid, model.id)
            .limit(limit)
        )
        async with self.db.session(tenant_claims(self.tenant_id)) as session:
            result = (await session.execute(query)).all()
        rows, pending = [], False
        for row, xmin in result:
            if int(row.xid) < int(xmin):
                rows.append(row)
            else:
                pending = True
                break
        return rows, pending

    async def replay(self, after: FeedCursor) -> AsyncIterator[Any]:
        """Every final row after the cursor, page by page, in commit order."""
        cursor = after
        while True:
            rows, _pending = await self.read(cursor)
            for row in rows:
                yield row
            if len(rows) < PAGE:
                return
            cursor = FeedCursor.of(rows[-1])

    async def _start_position(self) -> FeedCursor:
        model = self.kind.model
        query = (
            sa.select(model.xid, model.id)
            .where(model.xid < _xmin())
            .order_by(model.xid.desc(), model.id.desc())
            .limit(1)
        )
        async with self.db.session(tenant_claims(self.tenant_id)) as session:
            last = (await session.execute(query)).first()
        return FeedCursor(int(last[0]), last[1]) if last else ORIGIN

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"feed-{self.kind.name}")

    async def ready(self) -> None:
        await self._ready.wait()

    @property
    def end(self) -> int:
        return self.first + len(self.buffer)

    async def changed(self) -> None:
        """Wait until rows are added or the feed stops."""
        if self._changed is None or self._changed.done():
            self._changed = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._changed)

    def _notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)

    def _append(self, rows: list[Any]) -> None:
        self.buffer.extend(rows)
        overflow = len(self.buffer) - self.queue_size
        for _ in range(max(overflow, 0)):
            self.buffer.popleft()
            self.first += 1
        self._notify()

    async def stop(self, reason: str) -> None:
        self.stopped = reason
        self._notify()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                self.position = await self._start_position()
                break
            except Exception:
                log.exception("feed %s could not start; retrying", self.kind.name)
                await asyncio.sleep(0.5)
        self._ready.set()
        backoff = 0.0
        while True:
            timeout = backoff or self.poll_interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            self._wake.clear()
            try:
                pending = await self._poll()
            except Exception:
                log.exception("feed %s poll failed", self.kind.name)
                pending = True
            # Rows wait behind an older transaction still running: look again soon.
            backoff = min(max(backoff * 2, 0.01), 0.5) if pending else 0.0

    async def _poll(self) -> bool:
        while True:
            self.polls += 1
            rows, pending = await self.read(self.position)
            if rows:
                self.position = FeedCursor.of(rows[-1])
                self._append(rows)
            if pending or len(rows) < PAGE:
                return pending

    # ------------------------------------------------------------------ subscribing

    def attach(self, predicate: Predicate) -> Subscriber:
        subscriber = Subscriber(self, predicate)
        self.subscribers.add(subscriber)
        return subscriber

    def detach(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
