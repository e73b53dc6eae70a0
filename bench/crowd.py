"""P4c: 10,000 live subscribers (100 tenants × 100, the P4 mix of filters) at 200 tx/s.

The subscribers live in `bench.swarm` processes of their own (bare asyncio protocols, no
`websockets` client), so that the load generator stays lean; this process logs in, records
the transactions, and analyses what the swarm received after the run (the same analysis as
P4: every transaction a subscriber's filter matches must arrive once).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.client import ROOT, Http, ServerProcess, Subscriber, bench_server
from bench.common import SUBSCRIPTION, Result, ms, paced, percentile
from bench.env import BenchTenant, log
from bench.live import (
    LiveWorld,
    Watch,
    analyse,
    delivery_line,
    latency_line,
    request_line,
    server_live,
    settle,
    wait_subscribed,
)

#: Per tenant: whole-tenant, per-company and per-shop subscribers (P4's mix, doubled).
MIX = {"tenant": 20, "company": 40, "shop": 40}


def layout(tenants: list[BenchTenant]) -> list[Watch]:
    """Per tenant: 20 whole-tenant, 40 per-company (10 per company), 40 per-shop (5 per shop)."""
    watches = []
    for t in tenants:
        for i in range(MIX["tenant"]):
            watches.append(Watch(Subscriber(f"{t.slug}-all-{i}"), t.slug, "tenant"))
        for i in range(MIX["company"]):
            company = t.companies[i % len(t.companies)]
            watches.append(Watch(Subscriber(f"{t.slug}-c-{i}"), t.slug, "company", company))
        for i in range(MIX["shop"]):
            shop = t.shops[i % len(t.shops)]
            watches.append(Watch(Subscriber(f"{t.slug}-s-{i}"), t.slug, "shop", shop))
    return watches


class Swarm:
    """`bench.swarm` child processes holding the subscribers' WebSockets."""

    def __init__(self, port: int, workers: int) -> None:
        self.port = port
        self.workers = workers
        self.processes: list[asyncio.subprocess.Process] = []
        self.shares: list[list[Watch]] = []
        self.cpu = 0.0
        self.rss_kib = 0

    async def connect(self, world: LiveWorld, watches: list[Watch]) -> tuple[int, float]:
        """Start the workers, each with its share of the subscribers; (failed, seconds)."""
        self.shares = [watches[i :: self.workers] for i in range(self.workers)]
        for share in self.shares:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.swarm",
                "--port",
                str(self.port),
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=2**20,
            )
            self.processes.append(process)
            plan = {
                "query": SUBSCRIPTION,
                "subscribers": [
                    {"token": world.watchers[w.tenant], "variables": w.variables()} for w in share
                ],
            }
            assert process.stdin is not None
            process.stdin.write(json.dumps(plan).encode() + b"\n")
            await process.stdin.drain()
        failed, seconds = 0, 0.0
        for process in self.processes:
            line = await self._line(process)
            _, _ok, bad, took = line.split()
            failed += int(bad)
            seconds = max(seconds, float(took))
        return failed, seconds

    async def _line(self, process: asyncio.subprocess.Process) -> str:
        assert process.stdout is not None
        line = (await process.stdout.readline()).decode().strip()
        if not line:
            raise RuntimeError(f"swarm worker {process.pid} ended ({await process.wait()})")
        return line

    async def collect(self) -> None:
        """Fill each watch's subscriber with what its socket received, and how it ended."""
        with tempfile.TemporaryDirectory(prefix="spring-swarm-") as folder:
            for n, process in enumerate(self.processes):
                path = Path(folder) / f"{n}.json"
                assert process.stdin is not None
                process.stdin.write(f"report {path}\n".encode())
                await process.stdin.drain()
                if await self._line(process) != "reported":
                    raise RuntimeError("swarm worker did not report")
                data = json.loads(path.read_text())
                self.cpu += data["cpu"]
                self.rss_kib += data["rss_kib"]
                for watch, got in zip(self.shares[n], data["subscribers"], strict=True):
                    watch.subscriber.received = [(t, 0.0, raw) for t, raw in got["received"]]
                    if got["closed"]:
                        watch.subscriber.closed = got["closed"]

    async def close(self) -> None:
        for process in self.processes:
            if process.returncode is None and process.stdin is not None:
                process.stdin.write(b"close\n")
                process.stdin.close()
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _gc(server: ServerProcess, reset: bool = False) -> dict[str, Any]:
    http = await Http(server.port).open()
    try:
        _, body = await http.request("GET", "/__bench/gc" + ("?reset" if reset else ""))
    finally:
        await http.close()
    return json.loads(body)


def _gc_line(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    for generation in ("0", "1", "2"):
        count = after[generation]["count"] - before[generation]["count"]
        total = after[generation]["total"] - before[generation]["total"]
        cpu = after[generation]["cpu"] - before[generation]["cpu"]
        parts.append(
            f"gen {generation}: {count} collections, {total * 1000:.0f} ms in total "
            f"({cpu * 1000:.0f} ms of CPU)"
            + (f", longest {after[generation]['max'] * 1000:.0f} ms" if generation == "2" else "")
        )
    return (
        f"The server's garbage collections during the run: {'; '.join(parts)}; objects frozen "
        f"(out of the collector's sight): {after['frozen']:,}; GC setting "
        f"`live_gc_freeze` = {after['setting']} ({after.get('freezes')} freezes after bursts)."
    )


async def p4c(
    app_url: str,
    tenants: list[BenchTenant],
    *,
    seconds: float,
    workers: int = 2,
    settings: dict[str, Any] | None = None,
) -> Result:
    rate, size, interval = 200, 10, 0.05
    batches = int(seconds / interval)
    load = [report.load_average()]
    async with bench_server(app_url, "p4c", settings) as server:
        world = await LiveWorld.login(server, tenants)
        watches = layout(tenants)
        await settle(server)
        rss_empty = server.rss_bytes()
        swarm = Swarm(server.port, workers)
        try:
            log(f"P4c: connecting {len(watches):,} subscribers from {workers} swarm processes")
            await server.phase("P4c connect")
            failed, connect_seconds = await swarm.connect(world, watches)
            await wait_subscribed(server, len(watches) - failed, timeout=600)
            await settle(server, timeout=180)
            rss_connected = server.rss_bytes()
            log(
                f"P4c: {len(watches) - failed:,} subscribed in {connect_seconds:.1f} s "
                f"({failed} failed), RSS {rss_empty / 2**20:.0f} → "
                f"{rss_connected / 2**20:.0f} MiB"
            )
            ingester = world.ingester()
            slugs = [t.slug for t in tenants]

            async def action(http: Http, i: int) -> None:
                await ingester.record(http, slugs[i % len(slugs)], size)

            log(f"P4c: recording {rate} tx/s for {seconds:.0f} s across {len(slugs)} tenants")
            load.append(report.load_average())
            gc0 = await _gc(server, reset=True)
            await server.phase("P4c")
            cpu0 = server.cpu_seconds()
            started = time.monotonic()
            elapsed, late = await paced(batches, interval, action, server.port)
            await settle(server, timeout=120)
            window = time.monotonic() - started
            cpu = server.cpu_seconds() - cpu0
            await server.phase("idle")
            gc1 = await _gc(server)
            live = await server_live(server)
            rss_after = server.rss_bytes()
            load.append(report.load_average())
            await swarm.collect()
        finally:
            await swarm.close()
    d = analyse(watches, {}, ingester.sent)
    p50, p99 = percentile(d.upper, 0.5), percentile(d.upper, 0.99)
    count = len(watches)
    per_connected = (rss_connected - rss_empty) / count
    per_after = (rss_after - rss_empty) / count
    per = max(per_connected, per_after)
    met = p99 <= 0.5 and d.lost == 0 and d.duplicated == 0 and failed == 0 and per <= 50 * 1024
    details = [
        f"{count:,} subscribers on {len(tenants)} tenants (per tenant {MIX['tenant']} "
        f"whole-tenant, {MIX['company']} per company over 4 companies, {MIX['shop']} per shop "
        f"over 8 shops; one WebSocket and one `transactionRecorded` subscription each, the "
        f"tenant's HOTLINE account) held by {workers} `bench.swarm` processes (bare asyncio "
        f"protocols), connected in {connect_seconds:.1f} s, {failed} failed; "
        f"{len(ingester.sent):,} transactions in {ingester.requests} batches of {size}, one every "
        f"{interval * 1000:.0f} ms round-robin over the tenants "
        f"({len(ingester.sent) / elapsed:,.0f} tx/s achieved, {late} batches started late, "
        f"{len(ingester.errors)} ingest errors).",
        latency_line(d),
        request_line(ingester.sent),
        delivery_line(d),
        f"Server RSS: {rss_empty / 2**20:.0f} MiB before connecting, "
        f"{rss_connected / 2**20:.0f} MiB with the subscribers connected "
        f"({per_connected / 1024:.1f} KiB per subscriber), {rss_after / 2**20:.0f} MiB after the "
        f"run ({per_after / 1024:.1f} KiB per subscriber); {live['cohorts']:,} cohorts.",
        f"Server CPU: {cpu:.1f} s over {window:.1f} s ({cpu / window:.0%} of a core), "
        f"{cpu / max(d.delivered, 1) * 1e6:.0f} µs per delivery (ingestion included); swarm CPU "
        f"{swarm.cpu:.1f} s in all (connections included), swarm peak RSS "
        f"{swarm.rss_kib / 1024:.0f} MiB in all.",
        _gc_line(gc0, gc1),
        f"Load average (1 min): {load[0]} before the server started, {load[1]} when the "
        f"ingest started, {load[2]} at its end.",
    ]
    return Result(
        "P4c",
        "10,000 subscribers / 100 tenants, 200 tx/s: commit → receipt, memory",
        "—",
        f"p50 {ms(p50)}, p99 {ms(p99)}, lost {d.lost}, dup {d.duplicated}, "
        f"{per / 1024:.1f} KiB/subscriber (load {load[1]}–{load[2]})",
        "p99 ≤ 500 ms, 0 lost, 0 dup, ≤ 50 KiB/subscriber",
        met,
        details,
    )
