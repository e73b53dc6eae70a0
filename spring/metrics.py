"""Prometheus metrics, one registry per app (several apps may live in one process: tests).

What is measured, and where:
- GraphQL requests: count and latency by operation and outcome, SQL statements per request,
  login failures, ingested rows: from each request's record (spring/logs.py), when it ends.
- WebSocket connections: the request-log middleware counts accepted connections.
- Live subscriptions, events delivered, the LISTEN connection's state and reconnects: read
  from the broker when scraped (a collector: no bookkeeping on the hot path).
- Broker lag: `MeasuredBroker` observes, for every live row it fans out to a subscriber, the
  time since the row was recorded (the writing transaction's `now()`, so the lag includes
  the writer's own transaction time; an upper bound of commit-to-fan-out).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections import Counter as Tally
from collections.abc import AsyncIterator, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from sqlalchemy import event

from db.session import Database
from schema.outcome import OperationShape
from spring.logs import CURRENT, RequestRecord, count_statement
from subscriptions.broker import LiveBroker
from subscriptions.cursors import FeedCursor
from subscriptions.feeds import FeedKind, Predicate

CONTENT_TYPE = CONTENT_TYPE_LATEST
#: Distinct operation label values kept; later newcomers are counted as "other" (a client
#: choosing random operation names must not grow the registry without bound).
MAX_OPERATION_LABELS = 200
_LABEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_INGEST = re.compile(r"^\s*INSERT\s+INTO\s+(transactions|terminal_events)\b", re.I)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
STATEMENT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233)
LAG_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's metrics, in their own registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "spring_graphql_requests",
            "GraphQL HTTP requests, by operation (its name, else its root fields) and outcome "
            "(ok, user_error, error).",
            ["operation", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "spring_graphql_request_duration_seconds",
            "Time to answer a GraphQL HTTP request, by operation and outcome.",
            ["operation", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.statements = Histogram(
            "spring_sql_statements_per_request",
            "SQL statements one GraphQL HTTP request sent, by operation.",
            ["operation"],
            buckets=STATEMENT_BUCKETS,
            registry=r,
        )
        self.login_failures = Counter(
            "spring_login_failures",
            "login mutations that gave no token (wrong e-mail or password, ambiguous account).",
            registry=r,
        )
        self.ingested = Counter(
            "spring_ingested_rows",
            "Rows recorded by ingest mutations and committed, by kind "
            "(transactions, terminal_events): rate() of it is the ingest rate.",
            ["kind"],
            registry=r,
        )
        for kind in ("transactions", "terminal_events"):
            self.ingested.labels(kind)
        self.websockets = Gauge(
            "spring_websocket_connections",
            "Open WebSocket connections (accepted, not yet closed) in this process.",
            registry=r,
        )
        self.broker_lag = Histogram(
            "spring_live_broker_lag_seconds",
            "From a row's recording (its transaction's start) to its fan-out to a subscriber.",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        self._operations: set[str] = set()
        #: Operation shapes → their label, and label values → their metric children: a
        #: request's metrics cost three dictionary look-ups, not label validation each time.
        self._labels: dict[tuple[OperationShape, ...], str] = {}
        self._children: dict[tuple[str, str], tuple[Any, Any, Any]] = {}

    # ------------------------------------------------------------------ requests

    def operation_label(self, record: RequestRecord) -> str:
        shapes = tuple(run.shape for run in record.operations)
        label = self._labels.get(shapes)
        if label is None:
            label = self._operation_label(shapes)
            if len(self._labels) >= 4 * MAX_OPERATION_LABELS:
                self._labels.clear()  # many distinct documents: bounded, recomputed
            self._labels[shapes] = label
        return label

    def _operation_label(self, shapes: tuple[OperationShape, ...]) -> str:
        names = []
        for shape in shapes:
            name = shape.name
            if not name:
                roots = sorted(set(shape.fields))
                name = "+".join(roots[:4]) if roots else "unknown"
            names.append(name)
        label = ",".join(names) if names else "unknown"
        if not all(_LABEL.match(part) for part in re.split(r"[+,]", label)) or len(label) > 120:
            return "invalid"
        if label not in self._operations:
            if len(self._operations) >= MAX_OPERATION_LABELS:
                return "other"
            self._operations.add(label)
        return label

    def observe_request(self, record: RequestRecord) -> None:
        """Called by the request log when a request ends."""
        if record.path != "/graphql" or record.method != "POST":
            return
        operation = self.operation_label(record)
        children = self._children.get((operation, record.outcome))
        if children is None:
            children = (
                self.requests.labels(operation, record.outcome),
                self.latency.labels(operation, record.outcome),
                self.statements.labels(operation),
            )
            self._children[(operation, record.outcome)] = children
        requests, latency, statements = children
        requests.inc()
        latency.observe(record.duration_s)
        statements.observe(record.statements)
        if record.login_failures:
            self.login_failures.inc(record.login_failures)
        for kind, rows in record.inserted.items():
            self.ingested.labels(kind).inc(rows)

    def websocket(self, delta: int) -> None:
        self.websockets.inc(delta)

    # ------------------------------------------------------------------ wiring

    def count_statements(self, database: Database) -> None:
        """Count each SQL statement into the running request; note rows ingested."""

        def before(*_args: Any) -> None:
            count_statement()

        def after(
            _conn: Any, cursor: Any, statement: str, _params: Any, _ctx: Any, _many: bool
        ) -> None:
            record = CURRENT.get()
            if record is None:
                return
            match = _INGEST.match(statement)
            if match is not None:
                rows = getattr(cursor, "rowcount", -1)
                if rows and rows > 0:
                    record.inserted[match.group(1)] += rows

        event.listen(database.engine.sync_engine, "before_cursor_execute", before)
        event.listen(database.engine.sync_engine, "after_cursor_execute", after)

    def watch_live(self, broker: LiveBroker, view: Any = None) -> None:
        self.registry.register(LiveCollector(broker, view))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class LiveCollector(Collector):
    """Reads the broker (and the GraphQL view) when Prometheus scrapes."""

    def __init__(self, broker: LiveBroker, view: Any = None) -> None:
        self.broker = broker
        self.view = view

    def describe(self) -> list[Metric]:
        return []  # unchecked: the values are read at collect time

    def collect(self) -> Iterator[Metric]:
        broker = self.broker
        delivered = CounterMetricFamily(
            "spring_live_events_delivered",
            "Live events delivered to subscribers (after any replay), in this process.",
        )
        delivered.add_metric([], broker.delivered)
        yield delivered
        up = GaugeMetricFamily(
            "spring_live_listen_up", "1 while the LISTEN connection to PostgreSQL is open."
        )
        up.add_metric([], 1.0 if broker.healthy else 0.0)
        yield up
        reconnects = CounterMetricFamily(
            "spring_live_listen_reconnects",
            "Times the LISTEN connection was lost and re-established.",
        )
        reconnects.add_metric([], getattr(broker.listener, "reconnects", 0))
        yield reconnects
        counts: Tally[str] = Tally({"transactions": 0, "terminal_events": 0})
        for (kind, _tenant), feed in list(broker.feeds.items()):
            counts[kind] += len(feed.subscribers)
        counts["terminal_status"] = sum(len(s) for s in list(broker.statuses.values()))
        subscriptions = GaugeMetricFamily(
            "spring_live_subscriptions",
            "Active live subscriptions in this process, by feed.",
            labels=["feed"],
        )
        for kind, count in sorted(counts.items()):
            subscriptions.add_metric([kind], count)
        yield subscriptions
        if self.view is not None:
            users = GaugeMetricFamily(
                "spring_websocket_authenticated_connections",
                "WebSocket connections past connection_init (authenticated), in this process.",
            )
            users.add_metric([], sum(self.view.connections.values()))
            yield users


class MeasuredBroker(LiveBroker):
    """The live broker, observing each live row's lag when it is fanned out."""

    lag: Histogram | None = None

    async def rows(
        self,
        kind: FeedKind,
        tenant_id: uuid.UUID,
        predicate: Predicate,
        after: FeedCursor | None = None,
    ) -> AsyncIterator[Any]:
        # Rows recorded before the subscription began are a replay, not lag.
        since = dt.datetime.now(dt.UTC)
        async with contextlib.aclosing(super().rows(kind, tenant_id, predicate, after)) as rows:
            async for row in rows:
                recorded = getattr(row, "recorded_at", None)
                if self.lag is not None and isinstance(recorded, dt.datetime):
                    if recorded.tzinfo is None:
                        recorded = recorded.replace(tzinfo=dt.UTC)
                    if recorded >= since:
                        now = dt.datetime.now(dt.UTC)
                        self.lag.observe(max(0.0, (now - recorded).total_seconds()))
                yield row
