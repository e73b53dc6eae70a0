"""The live broker: LISTEN/NOTIFY across processes, fan-out within the process.

`LiveBroker` is what the subscriptions use (`rows`, `statuses`, `is_revoked`); PostgreSQL's
NOTIFY carries the signal between processes and the database carries the rows, so any number
of `spring serve` processes on one database share live traffic. A message bus (NATS) can
replace NOTIFY behind the same methods: only `PgListener` and `publisher.announce` know about
it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from db import models as m
from db.session import Database
from subscriptions.cursors import FeedCursor
from subscriptions.feeds import FeedKind, Predicate, RowFeed, Subscriber, SubscriberClosed
from subscriptions.listener import PgListener
from subscriptions.topics import Topic

log = logging.getLogger("spring.subscriptions.broker")

TRANSACTIONS = FeedKind("transactions", m.Transaction, Topic.TRANSACTIONS.value)
TERMINAL_EVENTS = FeedKind("terminal_events", m.TerminalEvent, Topic.TERMINAL_EVENTS.value)
#: The people's notifications (the bell): a per-tenant feed, each subscriber reads its own.
NOTIFICATIONS = FeedKind("notifications", m.Notification, Topic.NOTIFICATIONS.value)
KINDS = {kind.topic: kind for kind in (TRANSACTIONS, TERMINAL_EVENTS, NOTIFICATIONS)}


@dataclass(eq=False)
class StatusSubscriber:
    """Receives the ids of terminals whose connectivity or options status changed."""

    tenant_id: uuid.UUID
    maxsize: int = 1000
    #: One slot more than maxsize, kept for the closing marker (None).
    queue: asyncio.Queue[list[uuid.UUID] | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=1001)
    )
    closed: str | None = None

    def offer(self, ids: list[uuid.UUID]) -> None:
        if self.closed:
            return
        if self.queue.qsize() >= self.maxsize:
            self.close("subscriber too slow")
            return
        self.queue.put_nowait(ids)

    def close(self, reason: str) -> None:
        if self.closed is None:
            self.closed = reason
            self.queue.put_nowait(None)


class LiveBroker:
    def __init__(
        self,
        db: Database,
        listen_dsn: str,
        *,
        queue_size: int = 1000,
        poll_interval: float = 1.0,
        offline_check_interval: float = 5.0,
    ) -> None:
        self.db = db
        self.queue_size = queue_size
        self.poll_interval = poll_interval
        self.offline_check_interval = offline_check_interval
        self.feeds: dict[tuple[str, uuid.UUID], RowFeed] = {}
        self.statuses: dict[uuid.UUID, set[StatusSubscriber]] = {}
        #: user id → when its sessions were revoked (deactivation, password or role change).
        self.revoked: dict[uuid.UUID, dt.datetime] = {}
        #: After a LISTEN outage, revocations may have been missed: re-check accounts
        #: authenticated before this time against the database.
        self.recheck_before: dt.datetime | None = None
        self.listener = PgListener(
            listen_dsn, [t.value for t in Topic], self._on_notify, self._on_reconnect
        )
        self._lock = asyncio.Lock()
        self._offline_task: asyncio.Task[None] | None = None
        self._status_sources: list[Callable[[uuid.UUID, dt.datetime, dt.datetime], Any]] = []
        #: Called with the tenant when notifications were committed (the mailer wakes up).
        self.notification_hooks: list[Callable[[uuid.UUID], None]] = []
        self.delivered = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await self.listener.start()

    async def stop(self) -> None:
        if self._offline_task is not None:
            self._offline_task.cancel()
        for feed in list(self.feeds.values()):
            await feed.stop("server shutting down: reconnect and resume with `after`")
        for subscribers in self.statuses.values():
            for subscriber in subscribers:
                subscriber.close("server shutting down")
        await self.listener.stop()

    @property
    def healthy(self) -> bool:
        return self.listener.alive

    # ------------------------------------------------------------------ notifications

    def _on_notify(self, channel: str, payload: str) -> None:
        data = json.loads(payload)
        tenant_id = uuid.UUID(data["t"])
        kind = KINDS.get(channel)
        if kind is not None:
            feed = self.feeds.get((kind.name, tenant_id))
            if feed is not None:
                feed.wake()
            if kind is NOTIFICATIONS:
                for hook in self.notification_hooks:
                    hook(tenant_id)
        elif channel == Topic.TERMINAL_STATUS.value:
            ids = [uuid.UUID(i) for i in data.get("ids", [])]
            self.publish_status(tenant_id, ids)
        elif channel == Topic.ACCOUNTS.value:
            self.revoked[uuid.UUID(data["u"])] = dt.datetime.now(dt.UTC)

    async def _on_reconnect(self) -> None:
        self.recheck_before = dt.datetime.now(dt.UTC)
        for feed in self.feeds.values():
            feed.wake()

    def is_revoked(self, user_id: uuid.UUID, authenticated_at: dt.datetime) -> bool:
        """Was this account revoked after the subscriber authenticated?"""
        revoked_at = self.revoked.get(user_id)
        return revoked_at is not None and revoked_at >= authenticated_at

    # ------------------------------------------------------------------ row feeds

    async def _feed(self, kind: FeedKind, tenant_id: uuid.UUID) -> RowFeed:
        async with self._lock:
            feed = self.feeds.get((kind.name, tenant_id))
            if feed is None:
                feed = RowFeed(
                    kind,
                    tenant_id,
                    self.db,
                    queue_size=self.queue_size,
                    poll_interval=self.poll_interval,
                )
                feed.start()
                self.feeds[(kind.name, tenant_id)] = feed
        await feed.ready()
        return feed

    async def rows(
        self,
        kind: FeedKind,
        tenant_id: uuid.UUID,
        predicate: Predicate,
        after: FeedCursor | None = None,
    ) -> AsyncIterator[Any]:
        """Rows of the tenant matching the predicate: first those after `after`, then live.

        The subscriber is attached before the replay starts, so nothing committed meanwhile
        is missed; rows the replay already gave are skipped when the live queue reaches them.
        Raises SubscriberClosed when the feed drops the subscriber.
        """
        feed = await self._feed(kind, tenant_id)
        subscriber: Subscriber = feed.attach(predicate)
        # Where to resume if closed before anything was delivered.
        subscriber.delivered = after or feed.position
        try:
            last = after
            if after is not None:
                async for row in feed.replay(after):
                    if predicate(row):
                        subscriber.delivered = FeedCursor.of(row)
                        yield row
                    last = FeedCursor.of(row)
            while True:
                row = await subscriber.next()
                cursor = FeedCursor.of(row)
                if last is not None and cursor <= last:
                    continue
                subscriber.delivered = cursor
                self.delivered += 1
                yield row
        finally:
            feed.detach(subscriber)
            if not feed.subscribers:
                async with self._lock:
                    if not feed.subscribers and self.feeds.get((kind.name, tenant_id)) is feed:
                        del self.feeds[(kind.name, tenant_id)]
                        await feed.stop("feed idle")

    # ------------------------------------------------------------------ terminal status

    def subscribe_status(self, tenant_id: uuid.UUID) -> StatusSubscriber:
        subscriber = StatusSubscriber(tenant_id)
        self.statuses.setdefault(tenant_id, set()).add(subscriber)
        if self._offline_task is None:
            self._offline_task = asyncio.create_task(self._watch_offline(), name="offline")
        return subscriber

    def unsubscribe_status(self, subscriber: StatusSubscriber) -> None:
        subscribers = self.statuses.get(subscriber.tenant_id)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del self.statuses[subscriber.tenant_id]

    def publish_status(self, tenant_id: uuid.UUID, terminal_ids: list[uuid.UUID]) -> None:
        """Tell this process's status subscribers of the tenant (ids: the terminals)."""
        for subscriber in list(self.statuses.get(tenant_id, ())):
            subscriber.offer(terminal_ids)

    def add_offline_source(
        self, source: Callable[[uuid.UUID, dt.datetime, dt.datetime], Any]
    ) -> None:
        """`source(tenant, since, until)` → ids of terminals that went OFFLINE in between."""
        self._status_sources.append(source)

    async def _watch_offline(self) -> None:
        """Detect terminals going OFFLINE when heartbeats stop (no event announces it)."""
        last = dt.datetime.now(dt.UTC)
        while True:
            await asyncio.sleep(self.offline_check_interval)
            now = dt.datetime.now(dt.UTC)
            for tenant_id in list(self.statuses):
                for source in self._status_sources:
                    try:
                        ids = await source(tenant_id, last, now)
                    except Exception:
                        log.exception("offline detection failed for tenant %s", tenant_id)
                        continue
                    if ids:
                        self.publish_status(tenant_id, ids)
            last = now


__all__ = [
    "KINDS",
    "NOTIFICATIONS",
    "TERMINAL_EVENTS",
    "TRANSACTIONS",
    "LiveBroker",
    "StatusSubscriber",
    "SubscriberClosed",
]
