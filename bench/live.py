"""P4, P4b, P5 and P7: live supervision and ingestion, with real WebSocket subscribers."""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench import client
from bench.client import (
    Http,
    ServerProcess,
    Subscriber,
    bench_server,
    close_all,
    connect_all,
    free_port,
    login,
    start_server,
)
from bench.common import SUBSCRIPTION, Ingester, Result, Sent, ms, paced, percentile
from bench.env import PASSWORD, SECRET, BenchTenant, app_url_of, log
from bench.server import gid


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Watch:
    """A subscriber and what it asked for: the whole tenant, one company or one shop."""

    subscriber: Subscriber
    tenant: str
    kind: str
    target: uuid.UUID | None = None

    def wanted(self, index: SentIndex) -> set[str]:
        if self.kind == "company":
            return index.company.get(self.target, set())
        if self.kind == "shop":
            return index.shop.get(self.target, set())
        return index.tenant.get(self.tenant, set())

    def variables(self) -> dict[str, Any]:
        if self.kind == "company":
            return {"f": {"company": gid("Company", self.target)}}
        if self.kind == "shop":
            return {"f": {"shop": gid("Shop", self.target)}}
        return {}


class SentIndex:
    """Recorded transactions by tenant, company and shop (global IDs)."""

    def __init__(self, sent: list[Sent]) -> None:
        self.tenant: dict[str, set[str]] = {}
        self.company: dict[uuid.UUID | None, set[str]] = {}
        self.shop: dict[uuid.UUID | None, set[str]] = {}
        for s in sent:
            self.tenant.setdefault(s.tenant, set()).add(s.gid)
            self.company.setdefault(s.company_id, set()).add(s.gid)
            self.shop.setdefault(s.shop_id, set()).add(s.gid)


def expected_deliveries(watches: list[Watch], sent: list[Sent]) -> int:
    index = SentIndex(sent)
    return sum(len(w.wanted(index)) for w in watches)


@dataclass
class LiveWorld:
    server: ServerProcess
    tenants: list[BenchTenant]
    watchers: dict[str, str] = field(default_factory=dict)  # slug → HOTLINE token
    services: dict[str, str] = field(default_factory=dict)  # slug → SERVICE token

    @classmethod
    async def login(cls, server: ServerProcess, tenants: list[BenchTenant]) -> LiveWorld:
        world = cls(server, tenants)
        for t in tenants:
            world.watchers[t.slug] = await login(server.port, t.users["HOTLINE"], PASSWORD)
            world.services[t.slug] = await login(server.port, t.users["SERVICE"], PASSWORD)
        return world

    def ingester(self, tenants: list[BenchTenant] | None = None) -> Ingester:
        chosen = tenants or self.tenants
        return Ingester(
            self.server.port,
            {t.slug: self.services[t.slug] for t in chosen},
            {t.slug: t.terminals for t in chosen},
        )


def p4_layout(tenants: list[BenchTenant]) -> list[Watch]:
    """Per tenant: 10 whole-tenant, 20 per-company, 20 per-shop subscribers."""
    watches = []
    for t in tenants:
        for i in range(10):
            watches.append(Watch(Subscriber(f"{t.slug}-all-{i}"), t.slug, "tenant"))
        for i in range(20):
            company = t.companies[i % len(t.companies)]
            watches.append(Watch(Subscriber(f"{t.slug}-c-{i}"), t.slug, "company", company))
        for i in range(20):
            shop = t.shops[i % len(t.shops)]
            watches.append(Watch(Subscriber(f"{t.slug}-s-{i}"), t.slug, "shop", shop))
    return watches


async def subscribe_all(world: LiveWorld, watches: list[Watch], concurrency: int = 32) -> float:
    async def connect(subscriber: Subscriber) -> None:
        watch = by_subscriber[id(subscriber)]
        await subscriber.connect(
            world.server.port, world.watchers[watch.tenant], SUBSCRIPTION, watch.variables()
        )

    by_subscriber = {id(w.subscriber): w for w in watches}
    seconds = await connect_all([w.subscriber for w in watches], connect, concurrency=concurrency)
    await wait_subscribed(world.server, len(watches))
    return seconds


async def server_live(server: ServerProcess) -> dict[str, Any]:
    http = await Http(server.port).open()
    try:
        _, body = await http.request("GET", "/__bench/live")
    finally:
        await http.close()
    return json.loads(body)


async def wait_subscribed(server: ServerProcess, expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (await server_live(server))["subscribers"] >= expected:
            await asyncio.sleep(0.5)
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"subscriptions did not all start ({expected} expected)")


async def settle(server: ServerProcess, timeout: float = 90) -> None:
    """Wait until the server is idle (less than 5% of a core over half a second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        await asyncio.sleep(0.5)
        if server.cpu_seconds() - before < 0.03:
            return


def received_count(watches: list[Watch], marks: dict[int, int]) -> int:
    return sum(len(w.subscriber.received) - marks.get(id(w), 0) for w in watches)


async def drain(
    watches: list[Watch],
    marks: dict[int, int],
    expected: int,
    *,
    quiet: float = 5,
    deadline: float = 60,
) -> float:
    """Wait until `expected` messages arrived, or none for `quiet` s, or `deadline` s passed."""
    started = time.monotonic()
    last_count, last_change = -1, time.monotonic()
    while True:
        count = received_count(watches, marks)
        now = time.monotonic()
        if count >= expected:
            break
        if count != last_count:
            last_count, last_change = count, now
        elif now - last_change > quiet or now - started > deadline:
            break
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@dataclass
class Delivery:
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    errors: list[str] = field(default_factory=list)
    closed: Counter[str] = field(default_factory=Counter)
    upper: list[float] = field(default_factory=list)  # receipt - request sent
    lower: list[float] = field(default_factory=list)  # receipt - response received
    last_receipt: float = 0.0


def analyse(watches: list[Watch], marks: dict[int, int], sent: list[Sent]) -> Delivery:
    result = Delivery()
    by_gid = {s.gid: s for s in sent}
    index = SentIndex(sent)
    for w in watches:
        wanted = w.wanted(index)
        result.expected += len(wanted)
        seen: Counter[str] = Counter()
        for monotonic, _wall, raw in w.subscriber.received[marks.get(id(w), 0) :]:
            message = json.loads(raw)
            kind = message.get("type")
            if kind != "next":
                if kind not in ("ping", "pong"):
                    result.errors.append(raw[:200])
                continue
            payload = message["payload"]
            if payload.get("errors"):
                result.errors.append(raw[:200])
                continue
            tx_id = payload["data"]["transactionRecorded"]["transaction"]["id"]
            seen[tx_id] += 1
            origin = by_gid.get(tx_id)
            if origin is None or tx_id not in wanted:
                result.unexpected += 1
                continue
            if seen[tx_id] == 1:
                result.upper.append(monotonic - origin.sent)
                result.lower.append(monotonic - origin.answered)
                result.last_receipt = max(result.last_receipt, monotonic)
        result.delivered += sum(1 for tx_id in seen if tx_id in wanted)
        result.duplicated += sum(n - 1 for n in seen.values() if n > 1)
        result.lost += len(wanted - set(seen))
        if w.subscriber.closed:
            result.closed[w.subscriber.closed[:60]] += 1
    return result


def latency_line(d: Delivery) -> str:
    return (
        f"commit → receipt, upper bound (from request sent): p50 {ms(percentile(d.upper, 0.5))}, "
        f"p99 {ms(percentile(d.upper, 0.99))}, max {ms(max(d.upper, default=0))}; lower bound "
        f"(from response received): p50 {ms(percentile(d.lower, 0.5))}, p99 "
        f"{ms(percentile(d.lower, 0.99))}."
    )


def request_line(sent: list[Sent]) -> str:
    """How long the ingest requests themselves took: the gap between the two bounds."""
    spans = [answered - started for started, answered in {(s.sent, s.answered) for s in sent}]
    return (
        f"The ingest requests themselves (sent → answered, {len(spans)} requests): p50 "
        f"{ms(percentile(spans, 0.5))}, p99 {ms(percentile(spans, 0.99))}, max "
        f"{ms(max(spans, default=0))}."
    )


def delivery_line(d: Delivery) -> str:
    closed = ", ".join(f"{n}× {reason!r}" for reason, n in d.closed.items()) or "none"
    return (
        f"Deliveries: expected {d.expected:,}, delivered {d.delivered:,}, lost {d.lost:,}, "
        f"duplicated {d.duplicated:,}, unexpected {d.unexpected:,}, errors {len(d.errors)}; "
        f"connections closed by the server: {closed}."
    )


# ------------------------------------------------------------------------------ P5 (alone)


async def ingest_rate(
    world: LiveWorld,
    batches: int,
    label: str,
    size: int = 500,
    in_flight: int = 4,
    through: ServerProcess | None = None,
) -> tuple[float, int, float, float, Ingester]:
    """Transactions/s through `recordTransactions` (on `through`, else the world's server)."""
    server = through or world.server
    ingester = world.ingester()
    ingester.port = server.port
    slugs = [t.slug for t in world.tenants]

    async def action(http: Http, i: int) -> None:
        await ingester.record(http, slugs[i % len(slugs)], size)

    await server.phase(label)
    cpu0 = server.cpu_seconds()
    seconds, _ = await paced(batches, 0, action, server.port, in_flight=in_flight)
    await server.phase("idle")
    cpu = server.cpu_seconds() - cpu0
    recorded = len(ingester.sent)
    return recorded / seconds, recorded, seconds, cpu, ingester


# ------------------------------------------------------------------------------ P4 (+ P5b)


async def p4_and_p5(
    world: LiveWorld,
    *,
    run_p4: bool,
    run_p5: bool,
    p4_seconds: float,
    p5_batches: int,
) -> list[Result]:
    results: list[Result] = []
    p5_alone = None
    if run_p5:
        log("P5: warm-up, then ingest without subscribers")
        await ingest_rate(world, 2, "P5 warm-up")
        p5_alone = await ingest_rate(world, p5_batches, "P5 alone")
        log(f"P5: {p5_alone[0]:,.0f} tx/s without subscribers")
        await settle(world.server)
    watches = p4_layout(world.tenants)
    log(f"P4: connecting {len(watches)} subscribers")
    await world.server.phase("P4 connect")
    connect_seconds = await subscribe_all(world, watches)
    log(f"P4: {len(watches)} subscribed in {connect_seconds:.1f} s")
    await settle(world.server)
    try:
        if run_p4:
            results.append(await _p4(world, watches, p4_seconds))
            await settle(world.server)
        if run_p5 and p5_alone is not None:
            results.append(await _p5_with(world, watches, p5_alone, p5_batches))
    finally:
        await close_all([w.subscriber for w in watches])
        await settle(world.server)
    return results


async def _p4(world: LiveWorld, watches: list[Watch], seconds: float) -> Result:
    rate, size, interval = 200, 10, 0.05
    batches = int(seconds / interval)
    ingester = world.ingester()
    slugs = [t.slug for t in world.tenants]
    marks = {id(w): len(w.subscriber.received) for w in watches}

    async def action(http: Http, i: int) -> None:
        await ingester.record(http, slugs[i % len(slugs)], size)

    log(f"P4: recording {rate} tx/s for {seconds:.0f} s across {len(slugs)} tenants")
    await world.server.phase("P4")
    cpu0, own0 = world.server.cpu_seconds(), own_cpu()
    elapsed, late = await paced(batches, interval, action, world.server.port)
    expected = expected_deliveries(watches, ingester.sent)
    waited = await drain(watches, marks, expected)
    cpu, own = world.server.cpu_seconds() - cpu0, own_cpu() - own0
    await world.server.phase("idle")
    d = analyse(watches, marks, ingester.sent)
    p50, p99 = percentile(d.upper, 0.5), percentile(d.upper, 0.99)
    met = p50 <= 0.050 and p99 <= 0.250 and d.lost == 0 and d.duplicated == 0
    window = elapsed + waited
    details = [
        f"{len(watches)} subscribers (per tenant 10 whole-tenant, 20 per company over 4 "
        f"companies, 20 per shop over 8 shops) on {len(slugs)} tenants; "
        f"{len(ingester.sent):,} transactions in {ingester.requests} batches of {size}, one "
        f"every {interval * 1000:.0f} ms round-robin over the tenants "
        f"({len(ingester.sent) / elapsed:,.0f} tx/s achieved, {late} batches started late, "
        f"{len(ingester.errors)} ingest errors).",
        latency_line(d),
        request_line(ingester.sent),
        delivery_line(d),
        f"Server CPU: {cpu:.1f} s over {window:.1f} s ({cpu / window:.0%} of a core), "
        f"{cpu / max(d.delivered, 1) * 1e6:.0f} µs per delivery (ingestion included); load "
        f"generator CPU {own:.1f} s.",
    ]
    return Result(
        "P4",
        "1,000 subscribers / 20 tenants, 200 tx/s: commit → receipt",
        "—",
        f"p50 {ms(p50)}, p99 {ms(p99)}, lost {d.lost}, dup {d.duplicated}",
        "p50 ≤ 50 ms, p99 ≤ 250 ms, 0 lost, 0 dup",
        met,
        details,
    )


async def _p5_with(world: LiveWorld, watches: list[Watch], alone: Any, batches: int) -> Result:
    rate0, recorded0, seconds0, cpu0, _ = alone
    marks = {id(w): len(w.subscriber.received) for w in watches}
    log("P5: ingest with 1,000 subscribers connected")
    rate1, recorded1, seconds1, cpu1, ingester = await ingest_rate(
        world, batches, "P5 with subscribers"
    )
    ratio = rate1 / rate0
    expected = expected_deliveries(watches, ingester.sent)
    at_end = received_count(watches, marks)
    waited = await drain(watches, marks, expected, quiet=5, deadline=30)
    d = analyse(watches, marks, ingester.sent)
    two = await _p5_two_instances(world, watches, rate0, batches)
    ratio2 = two[0] / rate0 if two is not None else 0.0
    met = rate0 >= 20_000 and ratio2 >= 0.8
    details = [
        f"{batches} batches of 500 over the 20 P4 tenants, 4 requests in flight, after 2 "
        "warm-up batches.",
        f"Without subscribers: {recorded0:,} transactions in {seconds0:.2f} s = {rate0:,.0f} "
        f"tx/s (server CPU {cpu0:.1f} s, {cpu0 / recorded0 * 1e6:.0f} µs per transaction).",
        two[1] if two is not None else "No second instance (the server's app URL is unknown).",
        f"Information, not the goal's measurement: ingesting on the subscribers' own instance "
        f"(one process): {recorded1:,} in {seconds1:.2f} s = {rate1:,.0f} tx/s = {ratio:.2f}× "
        f"(server CPU {cpu1:.1f} s; about 17.5 deliveries per transaction); "
        f"{at_end:,} of {expected:,} deliveries done when the ingest finished, "
        f"{d.delivered:,} within {waited:.0f} s more.",
        delivery_line(d),
    ]
    return Result(
        "P5",
        "ingest, batches of 500; with 1,000 subscribers on another instance (DESIGN §8)",
        f"no subscribers: {rate0:,.0f} tx/s",
        f"{two[0] if two else 0:,.0f} tx/s = {ratio2:.2f}× (one process: {ratio:.2f}×)",
        "≥ 20,000 tx/s alone; ≥ 0.8× with subscribers",
        met,
        details,
    )


async def _p5_two_instances(
    world: LiveWorld, watches: list[Watch], rate0: float, batches: int
) -> tuple[float, str] | None:
    """The goal's measurement (DESIGN §8: ingestion on an instance of its own, the broker
    being the database's NOTIFY): the same ingest through a second instance of the app on the
    same database, the 1,000 subscribers staying connected to the first, which receives the
    transactions through LISTEN/NOTIFY; both processes share this machine's 2 cores with
    PostgreSQL."""
    if world.server.app_url is None:
        return None
    await settle(world.server)
    log("P5: ingest through a second instance, subscribers on the first")
    async with bench_server(world.server.app_url, "spring-ingest", world.server.settings) as other:
        await ingest_rate(world, 2, "P5 two-instance warm-up", through=other)
        await drain_all(world, watches)
        marks = {id(w): len(w.subscriber.received) for w in watches}
        live_cpu0 = world.server.cpu_seconds()
        rate, recorded, seconds, cpu, ingester = await ingest_rate(
            world, batches, "P5 two instances", through=other
        )
        live_cpu = world.server.cpu_seconds() - live_cpu0
        expected = expected_deliveries(watches, ingester.sent)
        at_end = received_count(watches, marks)
        waited = await drain(watches, marks, expected, quiet=5, deadline=30)
        d = analyse(watches, marks, ingester.sent)
    return rate, (
        f"The goal's measurement: the same {batches} batches through a second instance of the "
        f"app (same database) while the 1,000 subscribers stay on the first, which gets the "
        f"rows through LISTEN/NOTIFY: {recorded:,} in {seconds:.2f} s = {rate:,.0f} tx/s = "
        f"{rate / rate0:.2f}× the rate without subscribers (ingest instance CPU {cpu:.1f} s, "
        f"live instance CPU {live_cpu:.1f} s during the ingest); {at_end:,} of {expected:,} "
        f"deliveries done when the ingest finished, {d.delivered:,} within {waited:.0f} s more; "
        f"lost {d.lost}, duplicated {d.duplicated}."
    )


async def drain_all(world: LiveWorld, watches: list[Watch]) -> None:
    """Let the warm-up's deliveries arrive before the next measurement starts."""
    await settle(world.server)
    await asyncio.sleep(1.0)


# ------------------------------------------------------------------------------ P4b


async def p4b(world: LiveWorld, wall: BenchTenant, seconds: float, count: int = 1000) -> Result:
    interval = 0.05
    messages = int(seconds / interval)
    world_wall = LiveWorld(world.server, [wall], world.watchers, world.services)
    watches = [Watch(Subscriber(f"wall-{i}"), wall.slug, "tenant") for i in range(count)]
    log(f"P4b: connecting {count} whole-tenant subscribers to {wall.slug}")
    await world.server.phase("P4b connect")
    await subscribe_all(world_wall, watches)
    await settle(world.server)
    ingester = world_wall.ingester()
    marks = {id(w): 0 for w in watches}

    async def action(http: Http, i: int) -> None:
        await ingester.record(http, wall.slug, 1)

    log(f"P4b: recording 20 tx/s for {seconds:.0f} s")
    await world.server.phase("P4b spring")
    cpu0, own0 = world.server.cpu_seconds(), own_cpu()
    started = time.monotonic()
    _, late = await paced(messages, interval, action, world.server.port, in_flight=8)
    expected = len(ingester.sent) * count
    waited = await drain(watches, marks, expected, quiet=10, deadline=90)
    cpu, own = world.server.cpu_seconds() - cpu0, own_cpu() - own0
    await world.server.phase("idle")
    d = analyse(watches, marks, ingester.sent)
    busy = (d.last_receipt or time.monotonic()) - started
    template_source = next(
        (w.subscriber.received[0][2] for w in watches if w.subscriber.received), None
    )
    await close_all([w.subscriber for w in watches])
    await settle(world.server)
    spring_cpu = cpu / max(d.delivered, 1)

    base = await _broadcast_baseline(world.server, count, messages, interval, template_source)
    ratio = spring_cpu / base["cpu_per_delivery"]
    p99 = percentile(d.upper, 0.99)
    met = p99 <= 0.5 and d.lost == 0 and ratio <= 3
    details = [
        f"{count} subscribers to the whole tenant `{wall.slug}`; {len(ingester.sent)} "
        f"transactions, one every {interval * 1000:.0f} ms ({late} started late, "
        f"{len(ingester.errors)} ingest errors) = {expected:,} deliveries expected; "
        f"waited {waited:.1f} s after the last one.",
        latency_line(d),
        request_line(ingester.sent),
        delivery_line(d),
        f"Spring: server CPU {cpu:.1f} s for {d.delivered:,} deliveries = "
        f"{spring_cpu * 1e6:.0f} µs per delivery (ingestion included; {cpu / max(busy, 0.001):.0%}"
        f" of a core from the first send to the last receipt, {busy:.1f} s); load generator "
        f"CPU {own:.1f} s.",
        f"Baseline: the same server process writes one pre-serialized {base['size']}-byte "
        f"message to {base['sockets']} plain Starlette WebSockets, {messages} times "
        f"{interval * 1000:.0f} ms apart: {base['delivered']:,} deliveries, CPU "
        f"{base['cpu']:.2f} s = {base['cpu_per_delivery'] * 1e6:.1f} µs per delivery; latency "
        f"(server send → receipt) p50 {ms(base['p50'])}, p99 {ms(base['p99'])}.",
    ]
    return Result(
        "P4b",
        "1,000 whole-tenant subscribers on one tenant, 20 tx/s",
        f"broadcast: {base['cpu_per_delivery'] * 1e6:.1f} µs CPU/delivery",
        f"p99 {ms(p99)}, lost {d.lost}; {spring_cpu * 1e6:.0f} µs/delivery = {ratio:.1f}×",
        "p99 ≤ 500 ms, 0 lost; ≤ 3× CPU",
        met,
        details,
    )


async def _broadcast_baseline(
    server: ServerProcess, count: int, messages: int, interval: float, source: str | None
) -> dict[str, Any]:
    if source is not None:
        message = json.loads(source)
    else:
        message = {
            "id": "1",
            "type": "next",
            "payload": {"data": {"transactionRecorded": {"cursor": "x" * 60, "transaction": {}}}},
        }
    recorded = message["payload"]["data"]["transactionRecorded"]
    recorded["transaction"]["id"] = "SEQ"
    recorded["sent"] = "SENT"
    template = json.dumps(message).replace('"SEQ"', '"{seq}"').replace('"SENT"', "{sent}")
    subscribers = [Subscriber(f"base-{i}") for i in range(count)]
    log(f"P4b baseline: {count} plain WebSockets, {messages} broadcasts")

    async def connect(subscriber: Subscriber) -> None:
        await subscriber.connect(server.port, None, None, path="/__bench/ws")

    await connect_all(subscribers, connect, concurrency=64)
    deadline = time.monotonic() + 30
    while (await server_live(server))["baseline_sockets"] < count:
        if time.monotonic() > deadline:
            raise RuntimeError("baseline sockets did not all connect")
        await asyncio.sleep(0.2)
    await settle(server)
    await server.phase("P4b baseline")
    cpu0 = server.cpu_seconds()
    http = await Http(server.port).open()
    try:
        _, body = await http.request(
            "POST",
            f"/__bench/broadcast?count={messages}&interval={interval}",
            template.encode(),
            {"Content-Type": "text/plain"},
        )
    finally:
        await http.close()
    sent = json.loads(body)["sent"]
    marks: dict[int, int] = {}
    fake = [Watch(s, "", "tenant") for s in subscribers]
    await drain(fake, marks, sent, quiet=5, deadline=30)
    cpu = server.cpu_seconds() - cpu0
    await server.phase("idle")
    latencies = []
    for s in subscribers:
        for _mono, wall, raw in s.received:
            recorded = json.loads(raw)["payload"]["data"]["transactionRecorded"]
            latencies.append(wall - recorded["sent"])
    await close_all(subscribers)
    return {
        "size": len(template) + 10,
        "sockets": count,
        "delivered": len(latencies),
        "cpu": cpu,
        "cpu_per_delivery": cpu / max(sent, 1),
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
    }


# ------------------------------------------------------------------------------ P7


async def _memory(port: int, query: str) -> str:
    http = await Http(port).open()
    try:
        _, body = await http.request("GET", f"/__bench/memory{query}")
    finally:
        await http.close()
    return body.decode()


async def p7(owner_url: str, idle: BenchTenant, count: int, warmup: int = 100) -> Result:
    """Idle subscriptions on a separate `spring serve` process: RSS delta / count."""
    port = free_port()
    env = {
        "DATABASE_URL": owner_url,
        "SPRING_SECRET_KEY": SECRET,
        "SPRING_ENV": "development",
        "SPRING_LOG_LEVEL": "WARNING",
        "SPRING_MAX_CONNECTIONS_PER_USER": "100000",
        "SPRING_HOST": "127.0.0.1",
        "PORT": str(port),
    }
    command = [sys.executable, "-m", "spring.cli", "serve"]
    tracing = client.PROFILE_DIR is not None
    if tracing:
        # Profiling: the bench server (same app) with tracemalloc, to see what grows.
        env["PYTHONTRACEMALLOC"] = "4"
        command = [sys.executable, "-m", "bench.server", "--app-url", app_url_of(owner_url)]
        command += ["--port", str(port)]
    server = await start_server(command, port, "p7", env)
    log(f"P7: {'bench.server' if tracing else '`spring serve`'} on 127.0.0.1:{port} ({server.pid})")
    everyone: list[Subscriber] = []
    try:
        token = await login(port, idle.users["HOTLINE"], PASSWORD)
        service = await login(port, idle.users["SERVICE"], PASSWORD)

        async def connect(subscriber: Subscriber) -> None:
            await subscriber.connect(port, token, SUBSCRIPTION)

        first = [Subscriber(f"warm-{i}") for i in range(warmup)]
        everyone += first
        await connect_all(first, connect)
        await asyncio.sleep(2)
        rss_empty = server.rss_bytes()
        if tracing:
            await _memory(port, "?mark")
        log(f"P7: {warmup} warm-up subscriptions, RSS {rss_empty / 2**20:.1f} MiB")
        rest = [Subscriber(f"idle-{i}") for i in range(count)]
        everyone += rest
        seconds = await connect_all(rest, connect, concurrency=64)
        await asyncio.sleep(3)
        gc.collect()
        rss_full = server.rss_bytes()
        per = (rss_full - rss_empty) / count
        if tracing and client.PROFILE_DIR is not None:
            growth = await _memory(port, "")
            (client.PROFILE_DIR / "p7-memory.txt").write_text(growth)
        log(f"P7: {count} more in {seconds:.1f} s, RSS {rss_full / 2**20:.1f} MiB")
        # Prove they are live: one transaction must reach every one of them.
        ingester = Ingester(port, {idle.slug: service}, {idle.slug: idle.terminals})
        http = await Http(port).open()
        try:
            await ingester.record(http, idle.slug, 1)
        finally:
            await http.close()
        watches = [Watch(s, idle.slug, "tenant") for s in everyone]
        await drain(watches, {}, len(everyone), quiet=10, deadline=60)
        got = sum(1 for s in everyone if s.received)
        rss_after = server.rss_bytes()
    finally:
        await close_all(everyone)
        await asyncio.to_thread(server.stop)
    details = [
        f"A separate `python -m spring.cli serve` process (DATABASE_URL set, "
        f"SPRING_MAX_CONNECTIONS_PER_USER raised); {warmup} warm-up subscriptions first, then "
        f"{count:,} more (one WebSocket connection and one `transactionRecorded` subscription "
        f"each, one HOTLINE account, an idle tenant), connected in {seconds:.1f} s.",
        f"RSS: {rss_empty / 2**20:.1f} MiB → {rss_full / 2**20:.1f} MiB = "
        f"{(rss_full - rss_empty) / 2**20:.1f} MiB for {count:,} subscriptions.",
        f"Liveness check: one transaction then reached {got:,} of {len(everyone):,} "
        f"subscribers; RSS after that delivery {rss_after / 2**20:.1f} MiB.",
    ]
    return Result(
        "P7",
        f"resident memory per idle subscription, at {count:,}",
        "—",
        f"{per / 1024:.1f} KiB",
        "≤ 50 KiB",
        per <= 50 * 1024 and got == len(everyone),
        details,
    )
