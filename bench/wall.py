"""W1 and W2: the Supervision wall in Chromium at 20 transactions a second (issue 17).

Goals: "commit → row painted on the wall p99 ≤ 250 ms at 20 transactions/s; after 10 minutes
at 20 transactions/s the page's JavaScript heap is within 1.2× of what it was after 1 minute."

Debian's Chromium (`chromium` on PATH), driven by Playwright's Python package (the test
extra), opens `/supervision` as a HOTLINE account of a bench tenant (signed in through the API,
as C1 does) against the bench server; this process records one transaction every 50 ms
through `recordTransactions` as the tenant's SERVICE account (one item per call, open loop,
round-robin over the tenant's 8 terminals), for 10 minutes (`--quick`: 1 minute).

W1, commit → painted. An init script (run before the page's scripts; the CSP does not govern
it) watches the wall's `<tbody>` with a MutationObserver; for the rows it adds (each carries
its transaction's id in `data-id`) it asks `requestAnimationFrame` for the next frame and, from
that frame, posts a message to itself: the message runs once the frame is painted, and the
time it takes there, `performance.timeOrigin + performance.now()` (milliseconds since the
epoch), is the row's paint time. The page's records are drained every 2 s (so they do not
weigh on the heap measured). One machine, one clock: the page's time is compared with the
transaction's `recordedAt` (PostgreSQL's `now()` in the writing transaction, which commits a
few milliseconds later: an upper bound of commit → paint) and with `time.time()` when the
ingest call returned (after the commit: a lower bound; the row may be painted before the
HTTP answer is read). The goal is judged on the first.

W2, the heap. Through the DevTools protocol: `HeapProfiler.collectGarbage`, then
`Runtime.getHeapUsage` (`usedSize`) and `Memory.getDOMCounters` (nodes, listeners), after 1
minute and every minute after that (`--quick`: after 15 s and 1 minute). The goal: the last
reading within 1.2× of the 1-minute one.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any

from bench.client import Http, ServerProcess, graphql_body, graphql_headers, login
from bench.common import Result, paced, percentile
from bench.console import ARGS, chromium
from bench.env import PASSWORD, BenchTenant, log
from bench.report import load_average

GOAL_P99_MS = 250.0
GOAL_HEAP = 1.2
RATE = 20.0

#: Runs before the page's own scripts: the time each wall row is painted.
WATCH = """
(() => {
  window.__wallPainted = [];
  window.__wallArrived = [];
  // When each transaction's message reaches the page (before React sees it).
  const Native = window.WebSocket;
  const found = /"transaction":\\s*\\{\\s*"id":\\s*"([^"]+)"/;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const at = performance.timeOrigin + performance.now();
        const match = typeof event.data === 'string' && found.exec(event.data);
        if (match) window.__wallArrived.push([match[1], at]);
      });
    }
  };
  const painted = (ids) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const at = performance.timeOrigin + performance.now();
        for (const id of ids) window.__wallPainted.push([id, at]);
        channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
  };
  const watch = () => {
    const body = document.querySelector('[data-testid="wall"] tbody');
    if (!body) return false;
    new MutationObserver((records) => {
      const ids = [];
      for (const record of records)
        for (const node of record.addedNodes)
          if (node.nodeType === 1 && node.dataset.id) ids.push(node.dataset.id);
      if (ids.length) painted(ids);
    }).observe(body, { childList: true });
    return true;
  };
  const start = () => {
    if (watch()) return;
    const page = new MutationObserver(() => { if (watch()) page.disconnect(); });
    page.observe(document, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
"""

RECORD = """
mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  transactions { id recordedAt } userErrors { field code message } } }
"""

LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p})"
    " { refreshToken userErrors { message } } }"
)


@dataclass
class Recorded:
    id: str
    sent: float  # time.time() when the call was sent
    answered: float  # time.time() when its answer was read
    recorded_at: float  # the row's recordedAt (epoch seconds)


@dataclass
class Heap:
    at_s: float
    used: int
    total: int
    nodes: int
    listeners: int
    rows: int


@dataclass
class Run:
    recorded: list[Recorded] = field(default_factory=list)
    painted: dict[str, list[float]] = field(default_factory=dict)  # id → paint times (ms)
    arrived: dict[str, float] = field(default_factory=dict)  # id → message received (ms)
    loads: list[tuple[float, str]] = field(default_factory=list)  # (s from start, loadavg)
    heaps: list[Heap] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    late_starts: int = 0
    seconds: float = 0.0


async def _session(context: Any, base: str, email: str) -> None:
    """Signs the browser context in as the console does after its form (login, /auth/session)."""
    answer = await context.request.post(
        base + "/graphql", data={"query": LOGIN, "variables": {"e": email, "p": PASSWORD}}
    )
    refresh = (await answer.json())["data"]["login"]["refreshToken"]
    if not refresh:
        raise RuntimeError(f"wall: login refused for {email}")
    session = await context.request.post(
        base + "/auth/session", data={"refreshToken": refresh}, headers={"X-Spring-Console": "1"}
    )
    if session.status != 200:
        raise RuntimeError(f"wall: /auth/session answered {session.status}")


async def _subscribers(port: int) -> int:
    http = await Http(port).open()
    try:
        _, body = await http.request("GET", "/__bench/live")
    finally:
        await http.close()
    return int(json.loads(body)["subscribers"])


async def _heap(cdp: Any, page: Any, started: float) -> Heap:
    await cdp.send("HeapProfiler.collectGarbage")
    usage = await cdp.send("Runtime.getHeapUsage")
    counters = await cdp.send("Memory.getDOMCounters")
    rows = await page.evaluate(
        "() => document.querySelectorAll('[data-testid=\"wall-row\"]').length"
    )
    return Heap(
        time.monotonic() - started,
        int(usage["usedSize"]),
        int(usage["totalSize"]),
        int(counters["nodes"]),
        int(counters["jsEventListeners"]),
        int(rows),
    )


async def _measure(
    server: ServerProcess, tenant: BenchTenant, seconds: float, readings: list[float]
) -> Run:
    from playwright.async_api import async_playwright

    run = Run()
    base = f"http://127.0.0.1:{server.port}"
    service = await login(server.port, tenant.users["SERVICE"], PASSWORD)
    headers = graphql_headers(service)
    terminals = tenant.terminals
    tag = f"wall-{int(time.time())}"
    count = int(seconds * RATE)

    async def record(http: Http, n: int) -> None:
        ref = terminals[n % len(terminals)]
        item = {
            "externalId": f"{tag}-{n}",
            "tid": ref.tid,
            "type": "PURCHASE",
            "amount": 100 + n % 5000,
            "currency": "EUR",
            "scheme": "CB",
            "entryMode": "CONTACTLESS",
            "status": "DECLINED" if n % 10 == 9 else "APPROVED",
            "responseCode": "51" if n % 10 == 9 else "00",
            "authorizationCode": None if n % 10 == 9 else "A1B2C3",
            "maskedPan": "497010******1234",
            "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
        }
        body = graphql_body(RECORD, {"i": {"transactions": [item]}})
        sent = time.time()
        status, raw = await http.request("POST", "/graphql", body, headers)
        answered = time.time()
        payload = json.loads(raw) if status == 200 else {}
        result = (payload.get("data") or {}).get("recordTransactions")
        if not result or result["userErrors"] or payload.get("errors"):
            run.errors.append(f"HTTP {status}: {raw[:200]!r}")
            return
        (tx,) = result["transactions"]
        recorded_at = dt.datetime.fromisoformat(tx["recordedAt"]).timestamp()
        run.recorded.append(Recorded(tx["id"], sent, answered, recorded_at))

    async def drain(page: Any) -> None:
        painted, arrived = await page.evaluate(
            "() => [window.__wallPainted.splice(0), window.__wallArrived.splice(0)]"
        )
        for row_id, at in painted:
            run.painted.setdefault(row_id, []).append(float(at))
        for row_id, at in arrived:
            run.arrived.setdefault(row_id, float(at))

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium(), args=ARGS)
        try:
            context = await browser.new_context(
                viewport={"width": 1400, "height": 900}, locale="fr-FR"
            )
            context.set_default_timeout(60_000)
            await _session(context, base, tenant.users["HOTLINE"])
            await context.add_init_script(WATCH)
            page = await context.new_page()
            cdp = await context.new_cdp_session(page)
            before = await _subscribers(server.port)
            await page.goto(base + "/supervision")
            await page.get_by_test_id("feed-state").filter(has_text="En direct").wait_for()
            deadline = time.monotonic() + 30
            while await _subscribers(server.port) <= before:
                if time.monotonic() > deadline:
                    raise RuntimeError("wall: the page's subscription never reached the server")
                await asyncio.sleep(0.1)

            started = time.monotonic()
            load = asyncio.create_task(paced(count, 1 / RATE, record, server.port, in_flight=4))

            async def watch() -> None:
                pending = sorted(readings)
                while not load.done():
                    await asyncio.sleep(2)
                    await drain(page)
                    if not run.loads or time.monotonic() - started - run.loads[-1][0] >= 30:
                        run.loads.append((time.monotonic() - started, load_average()))
                    if pending and time.monotonic() - started >= pending[0]:
                        pending.pop(0)
                        heap = await _heap(cdp, page, started)
                        run.heaps.append(heap)
                        log(
                            f"W2: {heap.at_s:.0f} s: heap {heap.used / 2**20:.2f} MiB, "
                            f"{heap.nodes} DOM nodes, {heap.listeners} listeners, "
                            f"{heap.rows} rows; {len(run.recorded)} recorded"
                        )

            watcher = asyncio.create_task(watch())
            run.seconds, run.late_starts = await load
            await watcher
            # The last rows: up to a minute to arrive and be painted (on a loaded machine the
            # server falls behind; a row still missing then counts as missing).
            settle = time.monotonic() + 60
            while time.monotonic() < settle:
                await drain(page)
                if all(r.id in run.painted for r in run.recorded):
                    break
                await asyncio.sleep(0.2)
            # The last reading, at the end of the run (unless the loop just took it).
            if not run.heaps or time.monotonic() - started - run.heaps[-1].at_s > 5:
                run.heaps.append(await _heap(cdp, page, started))
            with contextlib.suppress(Exception):
                await cdp.detach()
        finally:
            await browser.close()
    return run


def _analyse(run: Run, seconds: float, quick: bool) -> tuple[Result, Result]:
    painted = run.painted
    missing = [r for r in run.recorded if r.id not in painted]
    twice = [i for i, times in painted.items() if len(times) > 1]
    from_recorded = [
        painted[r.id][0] - r.recorded_at * 1000 for r in run.recorded if r.id in painted
    ]
    from_answer = [painted[r.id][0] - r.answered * 1000 for r in run.recorded if r.id in painted]
    from_sent = [painted[r.id][0] - r.sent * 1000 for r in run.recorded if r.id in painted]
    call_ms = [(r.answered - r.sent) * 1000 for r in run.recorded]
    both = [r for r in run.recorded if r.id in painted and r.id in run.arrived]
    to_page = [run.arrived[r.id] - r.recorded_at * 1000 for r in both]
    in_page = [painted[r.id][0] - run.arrived[r.id] for r in both]
    start = min((r.sent for r in run.recorded), default=0.0)
    minutes: dict[int, list[float]] = {}
    for r in run.recorded:
        if r.id in painted:
            minutes.setdefault(int((r.sent - start) // 60), []).append(
                painted[r.id][0] - r.recorded_at * 1000
            )
    loads = {int(at // 60): value for at, value in run.loads}
    p50, p99 = percentile(from_recorded, 0.5), percentile(from_recorded, 0.99)
    rate = len(run.recorded) / run.seconds if run.seconds else 0.0
    w1_met = bool(from_recorded) and p99 <= GOAL_P99_MS and not missing and not twice
    w1 = Result(
        "W1",
        "Supervision wall in Chromium: commit → row painted at 20 tx/s (recordedAt → paint)",
        "—",
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms; {len(missing)} missing, {len(twice)} twice",
        f"p99 ≤ {GOAL_P99_MS:.0f} ms",
        w1_met,
        [
            f"{len(run.recorded)} transactions recorded one per call in {run.seconds:.0f} s "
            f"({rate:.1f}/s; {run.late_starts} calls started late, {len(run.errors)} errors), "
            f"{len(painted)} rows painted on the wall.",
            "From the row's recordedAt (the writing transaction's now(), before its commit): "
            f"p50 {p50:.0f} ms, p90 {percentile(from_recorded, 0.9):.0f} ms, p99 {p99:.0f} ms, "
            f"max {max(from_recorded, default=float('nan')):.0f} ms.",
            "From the ingest call's return (after the commit; negative when the row was "
            f"painted before this process read the answer): p50 {percentile(from_answer, 0.5):.0f}"
            f" ms, p99 {percentile(from_answer, 0.99):.0f} ms; from its sending: p50 "
            f"{percentile(from_sent, 0.5):.0f} ms, p99 {percentile(from_sent, 0.99):.0f} ms "
            f"(the call itself: p50 {percentile(call_ms, 0.5):.0f} ms, p99 "
            f"{percentile(call_ms, 0.99):.0f} ms).",
            f"Where it goes: recordedAt → the message reaches the page p50 "
            f"{percentile(to_page, 0.5):.0f} ms, p99 {percentile(to_page, 0.99):.0f} ms (the "
            f"server and the socket); received → painted p50 {percentile(in_page, 0.5):.0f} ms, "
            f"p99 {percentile(in_page, 0.99):.0f} ms (the page: React, layout, paint).",
            "Per minute (recordedAt → painted, p50 / p99; load average 1 min): "
            + "; ".join(
                f"{m + 1}: {percentile(v, 0.5):.0f} / {percentile(v, 0.99):.0f} ms"
                f" ({loads.get(m, '?')})"
                for m, v in sorted(minutes.items())
            )
            + ".",
            *[f"error: {e}" for e in run.errors[:3]],
        ],
    )
    heaps = run.heaps
    if len(heaps) >= 2:
        first = next((h for h in heaps if h.at_s >= (15 if quick else 60) - 3), heaps[0])
        last = heaps[-1]
        ratio = last.used / first.used
        figure = (
            f"{first.used / 2**20:.2f} MiB at {first.at_s:.0f} s → {last.used / 2**20:.2f} MiB "
            f"at {last.at_s:.0f} s = {ratio:.2f}×"
        )
        met: bool | None = ratio <= GOAL_HEAP and not quick and last.at_s >= 590
        if quick:
            met = None
    else:
        figure, met, first, last, ratio = "not measured", None, None, None, float("nan")
    w2 = Result(
        "W2",
        "Supervision wall's JS heap after 10 min at 20 tx/s vs after 1 min (forced GC)",
        "the heap after 1 minute",
        figure,
        f"≤ {GOAL_HEAP}×",
        met,
        [
            "Each reading after HeapProfiler.collectGarbage (DevTools protocol): "
            + "; ".join(
                f"{h.at_s:.0f} s {h.used / 2**20:.2f} MiB used of {h.total / 2**20:.2f} MiB, "
                f"{h.nodes} nodes, {h.listeners} listeners, {h.rows} rows"
                for h in heaps
            )
            + ".",
            *(
                ["--quick: 1 minute only (readings at 15 s and 1 min); no verdict."]
                if quick
                else []
            ),
        ],
    )
    return w1, w2


async def w1_and_w2(
    server: ServerProcess, tenant: BenchTenant, *, quick: bool
) -> tuple[Result, Result]:
    what = "Supervision wall in Chromium at 20 tx/s"
    try:
        import playwright  # noqa: F401
    except ImportError:
        playwright_missing = True
    else:
        playwright_missing = False
    if chromium() is None or playwright_missing:
        note = [
            "Needs Debian's Chromium on PATH (apt-get install -y chromium) and Playwright "
            "(pip install -e '.[test]'); Playwright's own browser download is never used."
        ]
        return (
            Result("W1", what, "—", "not measured", f"p99 ≤ {GOAL_P99_MS:.0f} ms", None, note),
            Result("W2", what, "—", "not measured", f"≤ {GOAL_HEAP}×", None, note),
        )
    seconds = 60.0 if quick else 600.0
    readings = [15.0, 60.0] if quick else [60.0 * m for m in range(1, 11)]
    await server.phase("W1")
    log(f"W1/W2: the wall in Chromium, {RATE:.0f} tx/s for {seconds:.0f} s")
    run = await _measure(server, tenant, seconds, readings)
    w1, w2 = _analyse(run, seconds, quick)
    log(f"W1: {w1.figure}; W2: {w2.figure}")
    return w1, w2
