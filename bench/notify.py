"""P5n: the cost of making notifications, measured on the ingest path.

`recordTransactions` itself makes no notification (none of the kinds is about a payment);
what can slow it down is the notification work running beside it on the same cores and
database: use cases that notify in their own transaction (here the hotline blocking and
unblocking services: SERVICE_BLOCKED / SERVICE_UNBLOCKED for every hotline and technician of
the tenant, each pushed to their bell over the broker), and the notifier's rounds telling the
technicians of terminals gone offline (TERMINAL_OFFLINE episodes).

One server (its notifier every 2 s instead of 30 s, so that its rounds fall inside every
run), the 20 P5 tenants, the P5 ingest (batches of 500, 4 in flight); three runs, repeated in
rotation so that drift on a shared machine hits them alike:

- **alone**: the ingest only (the notifier sweeps and finds nothing to tell);
- **notifying**: the ingest while the hotlines block and unblock services (`RATE` mutations
  a second over the tenants) and terminals go offline (`OFFLINE_RATE` a second: the owner
  sets their last heartbeat two hours back, a new episode each time), every hotline and
  technician with a bell subscription (`notificationReceived`) open;
- **switched off**: the same traffic, every hotline and technician having switched those
  kinds off (`updateNotificationPreferences`): the use cases and the notifier do all their
  other work, and make no notification.

notifying / switched off is the cost of making the notifications (the goal: ≥ 0.9, "P5 must
not fall by more than 10 %"); notifying / alone adds the cost of the mutations themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
import uuid
from typing import Any

import asyncpg

from bench.client import Http, ServerProcess, Subscriber, bench_server, close_all, login
from bench.common import Result
from bench.env import PASSWORD, BenchTenant, log
from bench.live import LiveWorld, ingest_rate, settle
from bench.server import gid
from db.session import plain_url

#: Block or unblock mutations a second, over every tenant's services, while notifying.
RATE = 10.0
#: Block or unblock requests at once (open loop: a slow answer does not slow the pace).
BLOCKS_IN_FLIGHT = 4
#: Terminals gone offline a second (each a new TERMINAL_OFFLINE episode for the notifier).
OFFLINE_RATE = 10.0
#: The notifier's period during P5n (30 s by default): short enough that its rounds fall
#: inside every ingest run, not so short that the sweeping itself (one transaction per tenant
#: and round) becomes the load measured.
NOTIFIER_INTERVAL_S = 2.0
KINDS = ("SERVICE_BLOCKED", "SERVICE_UNBLOCKED", "TERMINAL_OFFLINE")

BELL = "subscription { notificationReceived { cursor notification { id kind } } }"
BLOCK = "mutation($i: BlockServiceInput!) { blockService(input: $i) { userErrors { code } } }"
UNBLOCK = "mutation($i: UnblockServiceInput!) { unblockService(input: $i) { userErrors { code } } }"
PREFERENCES = (
    "mutation($i: UpdateNotificationPreferencesInput!) {"
    " updateNotificationPreferences(input: $i) { userErrors { code } } }"
)


class Producer:
    """The notifying traffic: hotlines blocking and unblocking services, terminals going
    offline. Runs from `start()` to `stop()`; counts what it did."""

    def __init__(
        self, world: LiveWorld, owner_url: str, tenants: list[BenchTenant], hotlines: dict[str, str]
    ) -> None:
        self.world = world
        self.owner_url = owner_url
        self.tenants = tenants
        self.hotlines = hotlines
        self.blocked: set[uuid.UUID] = set()
        self.mutations = 0
        self.errors: list[str] = []
        self.offline = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._step = 0
        self._beat = 0

    def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(self._blocks(), name="p5n-blocks"),
            asyncio.create_task(self._offline(), name="p5n-offline"),
        ]

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            await task

    async def _paced(self, rate: float, step: Any, in_flight: int = 1) -> None:
        """`step()` `rate` times a second (open loop), at most `in_flight` at once."""
        started = time.monotonic()
        n = 0
        slots = asyncio.Semaphore(in_flight)
        running: set[asyncio.Task[None]] = set()

        async def one() -> None:
            try:
                await step()
            finally:
                slots.release()

        while not self._stop.is_set():
            await slots.acquire()
            task = asyncio.create_task(one())
            running.add(task)
            task.add_done_callback(running.discard)
            n += 1
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)
        if running:
            await asyncio.gather(*running)

    async def _blocks(self) -> None:
        connections: asyncio.Queue[Http] = asyncio.Queue()
        for _ in range(BLOCKS_IN_FLIGHT):
            connections.put_nowait(await Http(self.world.server.port).open())
        try:

            async def step() -> None:
                # Successive steps take different services (round robin over the tenants,
                # then their services), so steps in flight never race on one service.
                i = self._step
                self._step += 1
                tenant = self.tenants[i % len(self.tenants)]
                service = tenant.services[(i // len(self.tenants)) % len(tenant.services)]
                if service in self.blocked:
                    query, values = UNBLOCK, {"id": gid("Service", service)}
                else:
                    query, values = BLOCK, {"id": gid("Service", service), "reason": "P5n"}
                http = await connections.get()
                try:
                    body = await http.graphql(query, {"i": values}, self.hotlines[tenant.slug])
                finally:
                    connections.put_nowait(http)
                payload = next(iter((body.get("data") or {}).values()), None)
                if not payload or payload["userErrors"]:
                    self.errors.append(str(body)[:200])
                    return
                self.blocked ^= {service}
                self.mutations += 1

            await self._paced(RATE, step, in_flight=BLOCKS_IN_FLIGHT)
        finally:
            while not connections.empty():
                await connections.get_nowait().close()

    async def _offline(self) -> None:
        conn = await asyncpg.connect(plain_url(self.owner_url))
        terminals = [ref.id for t in self.tenants for ref in t.terminals]
        try:

            async def step() -> None:
                self._beat += 1
                await conn.execute(
                    "UPDATE terminals SET last_heartbeat_at = now() - interval '2 hours'"
                    " - make_interval(secs => $2) WHERE id = $1",
                    terminals[self._beat % len(terminals)],
                    float(self._beat),
                )
                self.offline += 1

            await self._paced(OFFLINE_RATE, step)
        finally:
            await conn.close()

    async def unblock_all(self) -> None:
        """Leave every service ACTIVE (the next run starts from the same state)."""
        http = await Http(self.world.server.port).open()
        try:
            by_service = {s: t for t in self.tenants for s in t.services}
            for service in list(self.blocked):
                body = await http.graphql(
                    UNBLOCK,
                    {"i": {"id": gid("Service", service)}},
                    self.hotlines[by_service[service].slug],
                )
                if body.get("data", {}).get("unblockService", {}).get("userErrors") == []:
                    self.blocked.discard(service)
        finally:
            await http.close()


async def _set_preferences(server: ServerProcess, tokens: list[str], on: bool) -> None:
    http = await Http(server.port).open()
    try:
        values = {"preferences": [{"kind": k, "inApp": on, "email": False} for k in KINDS]}
        for token in tokens:
            body = await http.graphql(PREFERENCES, {"i": values}, token)
            assert body["data"]["updateNotificationPreferences"]["userErrors"] == [], body
    finally:
        await http.close()


async def _notifications_made(owner_url: str, since: float) -> dict[str, int]:
    """Notifications made since `since`, by kind."""
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        rows = await conn.fetch(
            "SELECT kind, count(*) FROM notifications WHERE created_at >= to_timestamp($1)"
            " GROUP BY kind ORDER BY kind",
            since,
        )
        return {r[0]: int(r[1]) for r in rows}
    finally:
        await conn.close()


def _kinds(runs: list[dict[str, int]]) -> str:
    return "; ".join(", ".join(f"{n} {kind}" for kind, n in run.items()) or "none" for run in runs)


async def p5n(
    owner_url: str, app_url: str, tenants: list[BenchTenant], batches: int, rounds: int = 3
) -> Result:
    settings = {"notifier_interval_s": NOTIFIER_INTERVAL_S}
    async with bench_server(app_url, "spring-p5n", settings) as server:
        world = await LiveWorld.login(server, tenants)
        technicians = {
            t.slug: await login(server.port, t.users["TECHNICIAN"], PASSWORD) for t in tenants
        }
        people = list(world.watchers.values()) + list(technicians.values())
        bells = [Subscriber(f"bell-{i}") for i in range(len(people))]
        for bell, token in zip(bells, people, strict=True):
            await bell.connect(server.port, token, BELL)
        producer = Producer(world, owner_url, tenants, world.watchers)
        runs: dict[str, list[float]] = {"alone": [], "notifying": [], "off": []}
        made: dict[str, list[dict[str, int]]] = {"notifying": [], "off": []}
        mutations: dict[str, list[int]] = {"notifying": [], "off": []}
        try:
            log("P5n: warm-up")
            await ingest_rate(world, 2, "P5n warm-up")
            for r in range(rounds):
                for mode in ("alone", "notifying", "off"):
                    if mode != "alone":
                        await _set_preferences(server, people, on=mode == "notifying")
                    await settle(server, timeout=15)
                    since = time.time()
                    before = producer.mutations
                    if mode != "alone":
                        producer.start()
                        await asyncio.sleep(1.0)  # the traffic is under way when ingest starts
                    rate, *_ = await ingest_rate(world, batches, f"P5n {mode} {r + 1}")
                    if mode != "alone":
                        await producer.stop()
                        # The notifier's next round tells what went offline last.
                        await asyncio.sleep(2 * NOTIFIER_INTERVAL_S)
                        made[mode].append(await _notifications_made(owner_url, since))
                        mutations[mode].append(producer.mutations - before)
                        await producer.unblock_all()
                    runs[mode].append(rate)
                    log(f"P5n round {r + 1}: {mode} {rate:,.0f} tx/s")
            delivered = sum(len(b.received) for b in bells)
        finally:
            await close_all(bells)
    alone, notifying, off = (statistics.median(runs[k]) for k in ("alone", "notifying", "off"))
    cost, overall = notifying / off, notifying / alone
    figures = ", ".join(
        f"{k} [{', '.join(f'{v:,.0f}' for v in runs[k])}]" for k in ("alone", "notifying", "off")
    )
    details = [
        f"{batches} batches of 500 over the 20 P5 tenants, 4 requests in flight, after 2 "
        f"warm-up batches; {rounds} rounds of the three runs in rotation, medians kept "
        f"(tx/s per run: {figures}).",
        f"Notifying traffic: {RATE:.0f} blockService a second (open loop, "
        f"{BLOCKS_IN_FLIGHT} in flight; a service met again is unblocked, and every one is "
        f"unblocked after the run) by the tenants' "
        f"hotlines (each made SERVICE_BLOCKED/UNBLOCKED for the tenant's hotline and "
        f"technician), {OFFLINE_RATE:.0f} terminals a second gone offline (TERMINAL_OFFLINE "
        f"told by the notifier, every {NOTIFIER_INTERVAL_S} s); {len(bells)} bell "
        f"subscriptions open. Notifications made per notifying run: "
        f"{_kinds(made['notifying'])}; with the kinds switched off: "
        f"{_kinds(made['off'])}; mutations per run: "
        f"{mutations['notifying']} and {mutations['off']}; {len(producer.errors)} errors; "
        f"{delivered:,} bell deliveries in all.",
        f"Ingest alone {alone:,.0f} tx/s; notifying {notifying:,.0f} tx/s; the same traffic "
        f"with the notifications switched off {off:,.0f} tx/s. Making the notifications: "
        f"{cost:.2f}× (notifying / switched off); with the mutations' own cost: {overall:.2f}× "
        "(notifying / alone).",
    ]
    if producer.errors:
        details.append(f"First error: {producer.errors[0]}")
    return Result(
        "P5n",
        "ingest, batches of 500, while notifications are made",
        f"same traffic, notifications off: {off:,.0f} tx/s",
        f"{notifying:,.0f} tx/s = {cost:.2f}× ({overall:.2f}× of ingest alone)",
        "≥ 0.9×",
        cost >= 0.9,
        details,
    )
