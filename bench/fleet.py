"""F1: the console's Parc with 5,000 terminals in Chromium (issue 17).

Goal: "the fleet screen with 5,000 terminals renders and filters within 300 ms".

The fleet is paged by the server (25 rows a page, the API's filters and sort, the counts at a
glance asked from the API in one `terminalCounts` reading), so the browser never holds
5,000 rows; what is measured is what a technician waits for. One tenant, `f01`, made by the
bench's own set-up helper (`env.create_tenants`: 50 companies × 100 shops, one PAX terminal
and service each, bulk inserts as the owner), then varied as the owner: one terminal in ten
without a recent heartbeat (OFFLINE), one in seven with options PENDING, one in fifty BLOCKED.

Each try is a new browser context (empty HTTP cache) with the technician's session cookie
(bench/console.py `signed_in_context`), on Accueil first; then, timed by the page's own
`performance.now()` (an init script; "painted" = the next animation frame after the DOM
holds the rows, then the task after it):

- navigation: the click on "Parc" (the header's Plus menu) → the first page of rows and the
  offline count on the screen (the screen's chunk is fetched then: a new context each try);
- filter: the last keystroke of a TID fragment typed in "TID ou n° de série" → the rows of
  that filter only (every row's TID starts with it) on the screen. The fragment
  ("B01049") is typed a key at a time (a query per key, as the screen does), 100 matches.

Also, not timed against the goal: a cold page load straight at /parc (navigation start →
rows painted; the console's own start included, see C1).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import asyncpg

from bench import env
from bench.client import ServerProcess
from bench.common import Result, percentile
from bench.console import ARGS, chromium, signed_in_context
from bench.env import log

GOAL_MS = 300.0
TERMINALS = (50, 100)  # companies × shops per company, one terminal per shop
TYPED = "B01049"

#: Runs before the page's scripts: stamps the click on Parc, each keystroke in the filter,
#: and when the rows the bench waits for are painted (window.__fleetWant set by the bench).
WATCH = r"""
(() => {
  window.__fleet = { clicked: null, typed: null, painted: null };
  window.__fleetWant = location.pathname === "/parc" ? {} : null;
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest('a[href="/parc"]');
    if (link) window.__fleet.clicked = performance.now();
  }, true);
  document.addEventListener("input", (e) => {
    if (e.target.type === "search" && e.target.closest('form[role="search"]'))
      window.__fleet.typed = performance.now();
  }, true);
  const ready = () => {
    const want = window.__fleetWant;
    if (!want) return false;
    const rows = [...document.querySelectorAll('[data-testid="fleet"] tbody tr')];
    const tids = rows.map((r) => r.querySelector("a")).filter(Boolean).map((a) => a.textContent);
    if (!tids.length) return false;
    if (want.prefix && !tids.every((t) => t.startsWith(want.prefix))) return false;
    const offline = document.querySelector('[data-testid="count-offline"]');
    return !!offline && /\d/.test(offline.textContent);
  };
  const check = () => {
    if (window.__fleet.painted === null && ready()) {
      window.__fleetWant = null;
      const stamp = () => (window.__fleet.painted = performance.now());
      requestAnimationFrame(() => setTimeout(stamp, 0));
    }
  };
  const all = { childList: true, subtree: true, characterData: true };
  new MutationObserver(check).observe(document, all);
})();
"""


async def create_fleet(owner_url: str) -> env.BenchTenant:
    """The tenant `f01` with 5,000 terminals (the bench's own helper), varied as the owner."""
    companies, shops = TERMINALS
    (tenant,) = await env.create_tenants(
        owner_url, "f", 1, companies=companies, shops_per_company=shops
    )
    conn = await asyncpg.connect(env.plain_url(owner_url))
    try:
        await conn.execute(
            """
            UPDATE terminals SET
              last_heartbeat_at = CASE WHEN n % 10 = 0 THEN NULL ELSE now() END,
              applied_options_version = CASE WHEN n % 7 = 0 THEN NULL ELSE 1 END,
              status = CASE WHEN n % 50 = 0 THEN 'BLOCKED' ELSE status END
            FROM (SELECT id, row_number() OVER (ORDER BY tid) AS n FROM terminals
                  WHERE tenant_id = $1) AS numbered
            WHERE terminals.id = numbered.id AND terminals.tenant_id = $1
            """,
            tenant.id,
        )
        # Heartbeats every hour: the rows stay ONLINE for the whole run.
        await conn.execute(
            "UPDATE tenants SET heartbeat_interval_s = 3600 WHERE id = $1", tenant.id
        )
    finally:
        await conn.close()
    return tenant


async def _painted(page: Any) -> float:
    await page.wait_for_function("() => window.__fleet.painted !== null")
    return float(await page.evaluate("() => window.__fleet.painted"))


async def _one_try(browser: Any, base: str, email: str) -> tuple[float, float, float]:
    context = await signed_in_context(browser, base, email, env.PASSWORD)
    try:
        await context.add_init_script(WATCH)
        page = await context.new_page()
        await page.goto(base + "/")
        await page.get_by_role("button", name="Plus").click()
        await page.evaluate("() => { window.__fleetWant = {}; }")
        await page.get_by_role("link", name="Parc").click()
        painted = await _painted(page)
        navigation = painted - float(await page.evaluate("() => window.__fleet.clicked"))

        box = page.get_by_label("TID ou n° de série")
        await box.focus()
        await page.evaluate(
            "(prefix) => { window.__fleet.painted = null; window.__fleetWant = {prefix}; }", TYPED
        )
        await page.keyboard.type(TYPED, delay=60)
        painted = await _painted(page)
        typed = painted - float(await page.evaluate("() => window.__fleet.typed"))
        count = await page.get_by_test_id("fleet").locator("tbody tr").count()
        if count != 25 and count != 100:
            raise RuntimeError(f"F1: {count} rows after the filter")

        # A cold load straight at /parc (the console's start included).
        cold = await context.new_page()
        await cold.goto(base + "/parc")
        cold_ms = await _painted(cold)
        return navigation, typed, cold_ms
    finally:
        await context.close()


async def f1(server: ServerProcess, tenant: env.BenchTenant, *, tries: int = 10) -> Result:
    what = "Parc with 5,000 terminals (Chromium): click → rows painted; typing a filter → rows"
    goal = f"p95 ≤ {GOAL_MS:.0f} ms (both)"
    path = chromium()
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        async_playwright = None  # type: ignore[assignment]
    if path is None or async_playwright is None:
        return Result("F1", what, "—", "not measured", goal, None, ["Needs Chromium (see C1)."])
    base = f"http://127.0.0.1:{server.port}"
    email = tenant.users["TECHNICIAN"]
    await server.phase("F1")
    started = time.perf_counter()
    runs: list[tuple[float, float, float]] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=path, args=ARGS)
        try:
            version = browser.version
            for n in range(tries + 1):
                run = await _one_try(browser, base, email)
                if n >= 1:
                    runs.append(run)
        finally:
            await browser.close()
    nav, typed, cold = ([r[i] for r in runs] for i in range(3))

    def line(values: list[float]) -> str:
        return (
            f"p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms "
            f"(min {min(values):.0f}, max {max(values):.0f})"
        )

    p95_nav, p95_typed = percentile(nav, 0.95), percentile(typed, 0.95)
    met = p95_nav <= GOAL_MS and p95_typed <= GOAL_MS
    details = [
        f"Chromium {version} (Debian's, headless); tenant f01: {len(tenant.terminals):,} "
        f"terminals (1 in 10 OFFLINE, 1 in 7 options PENDING, 1 in 50 BLOCKED), as "
        f"{email}; a new browser context per try, 1 warm-up try, then {tries} in "
        f"{time.perf_counter() - started:.0f} s.",
        f"Click on Parc → first page (25 rows) and the counts painted: {line(nav)}.",
        f'Last key of "{TYPED}" typed in the filter (a query per key) → its rows only '
        f"painted: {line(typed)}.",
        f"Not the goal's figure: a cold load straight at /parc, navigation start → rows "
        f"painted: {line(cold)}.",
        "The server pages (25 rows) and counts (`terminalCounts`, one statement); the browser "
        "never holds the 5,000 terminals.",
    ]
    log(f"F1: navigation p95 {p95_nav:.0f} ms, filter p95 {p95_typed:.0f} ms")
    return Result(
        "F1",
        what,
        "—",
        f"click p50 {statistics.median(nav):.0f} / p95 {p95_nav:.0f} ms; filter p50 "
        f"{statistics.median(typed):.0f} / p95 {p95_typed:.0f} ms",
        goal,
        met,
        details,
    )
