"""P1, P2, P3 and P6: the read API against hand-written asyncpg baselines."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bench.client import Http, ServerProcess
from bench.common import (
    NODE_QUERY,
    PAGE_QUERY,
    Result,
    graphql_call,
    ms,
    percentile,
    timed_request,
)
from bench.env import log
from bench.server import gid
from transport.documents import document_id


@dataclass
class ReadTarget:
    """Who reads what: a server, a token, the tenant and a terminal of that tenant."""

    server: ServerProcess
    token: str
    tenant_id: uuid.UUID
    terminal_id: uuid.UUID


async def server_phase(target: ReadTarget, label: str) -> None:
    await target.server.phase(label)


# ------------------------------------------------------------------------------ P1


async def p1(target: ReadTarget) -> Result:
    await target.server.phase("P1")
    http = await Http(target.server.port).open()
    counts: dict[int, list[int]] = {}
    listing: dict[int, list[str]] = {}
    try:
        for i, n in enumerate((10, 100, 10, 100, 10, 100)):
            body, headers = graphql_call(PAGE_QUERY, {"n": n}, target.token)
            # Its own id: the bench server counts the statements sent under it (the request's
            # context), not what background work (the notifier's checks) sent meanwhile.
            request = f"bench-p1-{n}-{i}-{uuid.uuid4().hex[:8]}"
            _, status, payload = await timed_request(
                http, "POST", "/graphql", body, {**headers, "X-Request-Id": request}
            )
            _, raw = await http.request("GET", f"/__bench/statements?request={request}")
            sent = json.loads(raw)["request"]
            if not sent:
                raise RuntimeError(f"P1: the bench server counted no statement for {request}")
            data = json.loads(payload)
            edges = data["data"]["transactions"]["edges"]
            if status != 200 or data.get("errors") or len(edges) != n:
                raise RuntimeError(f"P1 query failed: {str(data)[:300]}")
            counts.setdefault(n, []).append(len(sent))
            listing[n] = sent
    finally:
        await http.close()
    c10, c100 = max(counts[10]), max(counts[100])
    met = c10 == c100 and c100 <= 5
    details = [
        f"Statements per request (3 tries each, the most kept): N=10 {counts[10]}, "
        f"N=100 {counts[100]}.",
        "Counted by the application's own hook (SQLAlchemy's `before_cursor_execute`) for the "
        "statements sent under the request's own context (its `X-Request-Id`), so a background "
        "statement (the notifier's or the unblocker's periodic checks) is never counted: every "
        "statement the request sent through the pool, the tenant's `set_config` and the "
        "authentication look-up included (the account's row rides in the `set_config` "
        "statement); BEGIN and COMMIT are round trips outside that counter (the pool's "
        "pre-ping is off by default: SPRING_DB_POOL_PRE_PING).",
        "Statements of one N=100 request:",
        *[f"    {s}" for s in listing[100]],
    ]
    return Result(
        "P1",
        "SQL statements for `transactions(first: N)` with terminal { shop { company } }",
        "—",
        f"N=10: {c10}, N=100: {c100}",
        "identical, ≤ 5",
        met,
        details,
    )


# ------------------------------------------------------------------------------ P2


async def _alternate(
    server: ServerProcess,
    calls: list[tuple[str, str, bytes, dict[str, str]]],
    rounds: int,
    warmup: int = 20,
    phases: list[str] | None = None,
) -> tuple[list[list[float]], list[bytes], list[float]]:
    """Run the calls in turn `rounds` times on one keep-alive connection each; return the
    latencies of each call, its last response body and the server CPU seconds per call."""
    connections = [await Http(server.port).open() for _ in calls]
    times: list[list[float]] = [[] for _ in calls]
    cpu: list[float] = [0.0 for _ in calls]
    last: list[bytes] = [b"" for _ in calls]
    try:
        for i in range(warmup + rounds):
            for k, (method, path, body, headers) in enumerate(calls):
                if phases:
                    await server.phase(phases[k])
                before = server.cpu_seconds()
                elapsed, status, payload = await timed_request(
                    connections[k], method, path, body, headers
                )
                if status != 200:
                    raise RuntimeError(f"{path}: HTTP {status} {payload[:200]!r}")
                if i >= warmup:
                    times[k].append(elapsed)
                    cpu[k] += server.cpu_seconds() - before
                last[k] = payload
    finally:
        for http in connections:
            await http.close()
    return times, last, [c / max(rounds, 1) for c in cpu]


def _same_data(a: bytes, b: bytes) -> bool:
    return json.loads(a).get("data") == json.loads(b).get("data")


async def p2(target: ReadTarget, rounds: int) -> Result:
    body, headers = graphql_call(PAGE_QUERY, {"n": 100}, target.token)
    baseline_path = f"/__bench/page?tenant={target.tenant_id}&first=100"
    (spring, baseline), (spring_body, baseline_body), (s_cpu, b_cpu) = await _alternate(
        target.server,
        [("POST", "/graphql", body, headers), ("GET", baseline_path, b"", {})],
        rounds,
        phases=["P2 spring", "P2 baseline"],
    )
    await target.server.phase("idle")
    s_med, b_med = statistics.median(spring), statistics.median(baseline)
    ratio = s_med / b_med
    details = [
        f"{rounds} requests each, alternating Spring and baseline on one keep-alive connection "
        "each, after 20 warm-up requests each; latency = request sent → whole body received.",
        f"Spring: median {ms(s_med)}, p90 {ms(percentile(spring, 0.9))}; baseline: median "
        f"{ms(b_med)}, p90 {ms(percentile(baseline, 0.9))}.",
        f"Server process CPU per request: Spring {ms(s_cpu)}, baseline {ms(b_cpu)} "
        f"({s_cpu / max(b_cpu, 1e-9):.1f}×).",
        f"Response sizes: Spring {len(spring_body):,} bytes, baseline {len(baseline_body):,} "
        f"bytes; same `data`: {'yes' if _same_data(spring_body, baseline_body) else 'NO'}.",
    ]
    return Result(
        "P2",
        "`transactions(first: 100)`, 15 fields, HTTP median latency",
        f"asyncpg join + json.dumps: {ms(b_med)}",
        f"{ms(s_med)} = {ratio:.2f}×",
        "≤ 2.0× (issue 20; was ≤ 3×)",
        ratio <= 2.0,
        details,
    )


async def p2d(
    target: ReadTarget, demo: ServerProcess, p2_ratio: float | None, rounds: int
) -> Result:
    """P2 against a server started as `spring demo` starts it (demo settings and logging),
    its baseline the bench server's bare page (another process, as a user would compare)."""
    body, headers = graphql_call(PAGE_QUERY, {"n": 100}, target.token)
    baseline_path = f"/__bench/page?tenant={target.tenant_id}&first=100"
    calls = [
        (demo, "POST", "/graphql", body, headers),
        (target.server, "GET", baseline_path, b"", {}),
    ]
    connections = [await Http(server.port).open() for server, *_ in calls]
    times: list[list[float]] = [[], []]
    cpu = 0.0
    try:
        for i in range(20 + rounds):
            for k, (server, method, path, sent, sent_headers) in enumerate(calls):
                before = server.cpu_seconds()
                elapsed, status, payload = await timed_request(
                    connections[k], method, path, sent, sent_headers
                )
                if status != 200:
                    raise RuntimeError(f"P2d {path}: HTTP {status} {payload[:200]!r}")
                if i >= 20:
                    times[k].append(elapsed)
                    if k == 0:
                        cpu += server.cpu_seconds() - before
    finally:
        for http in connections:
            await http.close()
    d_med, b_med = statistics.median(times[0]), statistics.median(times[1])
    ratio = d_med / b_med
    against = ratio / p2_ratio if p2_ratio else None
    details = [
        "The server started as `spring demo` starts it: SPRING_ENV=demo and its defaults "
        "(the request log at INFO, GraphiQL on), logging configured by spring.logs as "
        "spring/cli.py does, its lines written to a file; the baseline is the bench server's "
        f"bare page, in another process. {rounds} requests each, alternating, after 20 "
        "warm-up requests each.",
        f"Demo server: median {ms(d_med)}, p90 {ms(percentile(times[0], 0.9))}, server CPU "
        f"{ms(cpu / max(rounds, 1))} per request; baseline: median {ms(b_med)}.",
        f"P2d {ratio:.2f}× against P2 {p2_ratio:.2f}×: {against:.2f}× of P2."
        if p2_ratio and against
        else f"P2d {ratio:.2f}× (P2 not run: no comparison).",
    ]
    return Result(
        "P2d",
        "P2's page against the server as `spring demo` starts it",
        f"P2's figure, same run: {p2_ratio:.2f}×" if p2_ratio else "P2 (not run)",
        f"{ms(d_med)} = {ratio:.2f}×" + (f" = {against:.2f}× P2" if against else ""),
        "≤ 1.2× P2",
        against is not None and against <= 1.2,
        details,
    )


# ------------------------------------------------------------------------------ P3


async def _load(
    port: int, path: str, body: bytes, headers: dict[str, str], clients: int, seconds: float
) -> tuple[int, list[float], int]:
    """`clients` closed-loop clients for `seconds`: (completed, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    method = "POST" if body else "GET"

    async def client() -> None:
        nonlocal errors
        http = await Http(port).open()
        try:
            while time.perf_counter() < deadline:
                elapsed, status, payload = await timed_request(http, method, path, body, headers)
                if status != 200 or b'"errors"' in payload:
                    errors += 1
                latencies.append(elapsed)
        finally:
            await http.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return round(len(latencies) / elapsed), latencies, errors


async def p3(
    target: ReadTarget, seconds: float, clients: int = 32, *, trusted: bool = False
) -> Result:
    """P3, the document sent as text; P3t (`trusted`), by its trusted document's id (the
    bench server's manifest holds it: bench/server.py)."""
    variables = {"id": gid("Terminal", target.terminal_id)}
    body, headers = graphql_call(NODE_QUERY, variables, target.token)
    if trusted:
        body = json.dumps({"documentId": document_id(NODE_QUERY), "variables": variables}).encode()
    goal = "P3t" if trusted else "P3"
    port = target.server.port
    baseline_path = f"/__bench/node?tenant={target.tenant_id}&id={target.terminal_id}"
    # Same answer?
    http = await Http(port).open()
    try:
        _, _, spring_body = await timed_request(http, "POST", "/graphql", body, headers)
        _, _, baseline_body = await timed_request(http, "GET", baseline_path, b"", {})
    finally:
        await http.close()
    same = _same_data(spring_body, baseline_body)
    await server_phase(target, f"{goal} warm-up")
    await _load(port, "/graphql", body, headers, clients, 1.5)  # warm-up
    await _load(port, baseline_path, b"", {}, clients, 1.5)
    spring_rates, baseline_rates = [], []
    spring_lat: list[float] = []
    baseline_lat: list[float] = []
    spring_cpu = baseline_cpu = 0.0
    errors = 0
    server = target.server
    for _ in range(2):
        await server.phase(f"{goal} spring")
        cpu = server.cpu_seconds()
        rate, lat, err = await _load(port, "/graphql", body, headers, clients, seconds)
        spring_cpu += server.cpu_seconds() - cpu
        spring_rates.append(rate)
        spring_lat += lat
        errors += err
        await server.phase(f"{goal} baseline")
        cpu = server.cpu_seconds()
        rate, lat, err = await _load(port, baseline_path, b"", {}, clients, seconds)
        baseline_cpu += server.cpu_seconds() - cpu
        baseline_rates.append(rate)
        baseline_lat += lat
        errors += err
    await server.phase("idle")
    s_rate, b_rate = statistics.mean(spring_rates), statistics.mean(baseline_rates)
    ratio = s_rate / b_rate
    p95 = percentile(spring_lat, 0.95)
    details = [
        f"{clients} closed-loop clients (one keep-alive connection each), 2 rounds of "
        f"{seconds:.0f} s per side, alternating, after a 1.5 s warm-up each.",
        f"Spring: {spring_rates} req/s, p50 {ms(percentile(spring_lat, 0.5))}, p95 {ms(p95)}, "
        f"p99 {ms(percentile(spring_lat, 0.99))}.",
        f"Baseline: {baseline_rates} req/s, p50 {ms(percentile(baseline_lat, 0.5))}, p95 "
        f"{ms(percentile(baseline_lat, 0.95))}.",
        f"Server process CPU per request: Spring {spring_cpu / len(spring_lat) * 1000:.2f} ms "
        f"({spring_cpu / (2 * seconds):.0%} of a core), baseline "
        f"{baseline_cpu / len(baseline_lat) * 1000:.2f} ms "
        f"({baseline_cpu / (2 * seconds):.0%} of a core).",
        f"Errors: {errors}; same `data`: {'yes' if same else 'NO'}. Spring authenticates each "
        "request (token + account look-up); the baseline only sets the tenant.",
    ]
    if trusted:
        return Result(
            "P3t",
            "`node(id:)` on a terminal as P3, by its trusted document's id: req/s",
            f"Starlette + asyncpg: {b_rate:,.0f} req/s",
            f"{s_rate:,.0f} req/s = {ratio:.2f}×, p95 {ms(p95)}",
            "≥ 0.5×, p95 < 25 ms",
            ratio >= 0.5 and p95 < 0.025,
            details,
        )
    return Result(
        "P3",
        "`node(id:)` on a terminal, 8 fields, 32 clients: req/s",
        f"Starlette + asyncpg: {b_rate:,.0f} req/s",
        f"{s_rate:,.0f} req/s = {ratio:.2f}×, p95 {ms(p95)}",
        "≥ 0.3×, p95 < 50 ms",
        ratio >= 0.3 and p95 < 0.050,
        details,
    )


# ------------------------------------------------------------------------------ P6


async def p6(
    small: ReadTarget,
    big: ReadTarget,
    shop_id: uuid.UUID,
    sizes: tuple[int, int],
    rounds: int,
    first: int = 50,
) -> Result:
    variables: dict[str, Any] = {"n": first, "f": {"shop": gid("Shop", shop_id)}}
    small_body, small_headers = graphql_call(PAGE_QUERY, variables, small.token)
    big_body, big_headers = graphql_call(PAGE_QUERY, variables, big.token)
    log("P6: alternating the small and the big database")
    connections = {
        "small": await Http(small.server.port).open(),
        "big": await Http(big.server.port).open(),
        "small_sql": await Http(small.server.port).open(),
        "big_sql": await Http(big.server.port).open(),
    }
    calls = {
        "small": ("POST", "/graphql", small_body, small_headers),
        "big": ("POST", "/graphql", big_body, big_headers),
        "small_sql": (
            "GET",
            f"/__bench/page?tenant={small.tenant_id}&first={first}&shop={shop_id}",
            b"",
            {},
        ),
        "big_sql": (
            "GET",
            f"/__bench/page?tenant={big.tenant_id}&first={first}&shop={shop_id}",
            b"",
            {},
        ),
    }
    times: dict[str, list[float]] = {k: [] for k in calls}
    bodies: dict[str, bytes] = {}
    servers = {"small": small.server, "big": big.server}
    try:
        for i in range(20 + rounds):
            for key, (method, path, body, headers) in calls.items():
                size, _, sql = key.partition("_")
                await servers[size].phase(f"P6 {'baseline' if sql else 'spring'}")
                elapsed, status, payload = await timed_request(
                    connections[key], method, path, body, headers
                )
                data = json.loads(payload)
                if status != 200 or data.get("errors"):
                    raise RuntimeError(f"P6 {key}: {str(data)[:300]}")
                if i >= 20:
                    times[key].append(elapsed)
                bodies[key] = payload
    finally:
        for http in connections.values():
            await http.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["big"] / med["small"]
    edges = len(json.loads(bodies["big"])["data"]["transactions"]["edges"])
    details = [
        f"One tenant, 100 shops; the shop read holds {sizes[0] // 100:,} of {sizes[0]:,} "
        f"transactions (small database) and {sizes[1] // 100:,} of {sizes[1]:,} (big one); "
        f"`transactions(first: {first}, filter: {{shop}})` with the P2 fields ({edges} edges), "
        f"{rounds} requests each, alternating, after 20 warm-up requests each.",
        f"Spring: small {ms(med['small'])}, big {ms(med['big'])} (medians); p90 small "
        f"{ms(percentile(times['small'], 0.9))}, big {ms(percentile(times['big'], 0.9))}.",
        f"The same page by hand (asyncpg join, json.dumps): small {ms(med['small_sql'])}, big "
        f"{ms(med['big_sql'])} = {med['big_sql'] / med['small_sql']:.2f}×.",
    ]
    return Result(
        "P6",
        f"first page of one shop's transactions, {sizes[1]:,} vs {sizes[0]:,} rows",
        f"{sizes[0]:,} rows: {ms(med['small'])}",
        f"{ms(med['big'])} = {ratio:.2f}×",
        "≤ 1.3×",
        ratio <= 1.3,
        details,
    )
