"""C1: the console's first screen in Chromium (issue 16).

Goal: "Accueil usable within 1 s of navigation on loopback with the demo data, cold cache,
measured in Chromium; the JavaScript that the first screen needs stays under 250 KB
compressed (GraphiQL and other screens load on demand)."

Debian's Chromium (`chromium` on PATH), driven by Playwright's Python package (the test
extra), against the bench server (the app exactly as `create_app` builds it) on the demo
database, as `seller@alizes.demo`. Each try is a new browser context: an empty HTTP cache
(cold), no service worker, only the session cookie, which the context gets through the
API before the clock starts (`login`, then `POST /auth/session`, as the console itself does
after its sign-in form). Then `page.goto("/")`, and the clock stops when Accueil is usable:
the search box (the combobox) and MY REQUESTS (its table, rows loaded) are both on the page.
The time is the page's own `performance.now()` at that moment, read by a MutationObserver
installed before the page's scripts (an init script, which the Content-Security-Policy does
not govern), so it counts from the navigation's start: the HTML, the scripts, the session's
`/auth/refresh`, `me`, `MyRequests` and the rendering.

The first screen's JavaScript is every script the page fetched until Accueil was usable
(Resource Timing: `encodedBodySize`, the bytes on the wire, gzip when the server compresses,
and `decodedBodySize`); the same files are also compressed here with gzip -9, so the figure
does not depend on the server's compression. The chunks of other screens and GraphiQL must
not be among them.
"""

from __future__ import annotations

import gzip
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.client import ServerProcess
from bench.common import Result, percentile
from bench.env import log

DIST = Path(__file__).resolve().parent.parent / "spring" / "console_dist"
GOAL_MS = 1000.0
GOAL_KB = 250.0
#: The demo account whose Accueil is measured (the README's screenshot is of it too).
EMAIL = "seller@alizes.demo"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Runs before the page's own scripts: records when Accueil becomes usable.
WATCH = r"""
(() => {
  const usable = () =>
    document.querySelector('[role="combobox"]') &&
    document.querySelector('[data-testid="my-requests"]');
  const check = () => {
    if (window.__springUsable === undefined && usable()) {
      window.__springUsable = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  // Each API call by name (the GraphQL operation, or the /auth route), sent and answered.
  const calls = (window.__springCalls = []);
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : input.url;
    let name = new URL(url, location.href).pathname;
    try {
      const body = JSON.parse(init && init.body);
      const match = /(query|mutation)\s+(\w+)/.exec(body.query);
      if (match) name = match[2];
    } catch (e) {}
    const call = { name, sent: performance.now(), answered: null };
    calls.push(call);
    const answer = fetch.apply(this, arguments);
    // Answered: the response's head (these answers are a few KB: the body follows at once;
    // urql aborts the request once it has read it, so a clone's body cannot be awaited).
    answer.then(() => (call.answered = performance.now()), () => {});
    return answer;
  };
})();
"""

LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p})"
    " { refreshToken userErrors { message } } }"
)


@dataclass
class Try:
    usable_ms: float
    scripts: list[dict[str, Any]]
    #: Milestones (ms from the navigation's start): the HTML, the scripts, each API call.
    milestones: dict[str, float]


def chromium() -> str | None:
    return shutil.which("chromium")


async def signed_in_context(browser: Any, base: str, email: str, password: str) -> Any:
    """A new browser context (empty HTTP cache) holding only the session cookie of `email`,
    obtained through the API as the console's sign-in form does (`login`, then
    `POST /auth/session`)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(30_000)
    answer = await context.request.post(
        base + "/graphql", data={"query": LOGIN, "variables": {"e": email, "p": password}}
    )
    body = await answer.json()
    refresh = body["data"]["login"]["refreshToken"]
    if not refresh:
        await context.close()
        raise RuntimeError(f"login of {email} refused: {body}")
    session = await context.request.post(
        base + "/auth/session", data={"refreshToken": refresh}, headers={"X-Spring-Console": "1"}
    )
    if session.status != 200:
        await context.close()
        raise RuntimeError(f"/auth/session answered {session.status}")
    return context


async def _one_try(browser: Any, base: str, password: str) -> Try:
    context = await signed_in_context(browser, base, EMAIL, password)
    try:
        await context.add_init_script(WATCH)
        page = await context.new_page()
        await page.goto(base + "/")
        await page.wait_for_function("() => window.__springUsable !== undefined")
        usable = float(await page.evaluate("() => window.__springUsable"))
        scripts = await page.evaluate(
            """(until) => performance.getEntriesByType('resource')
                .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
                .filter((e) => e.startTime <= until)
                .map((e) => ({name: new URL(e.name).pathname, encoded: e.encodedBodySize,
                              decoded: e.decodedBodySize, transfer: e.transferSize}))""",
            usable,
        )
        timeline = await page.evaluate(
            """(until) => {
                const [nav] = performance.getEntriesByType('navigation');
                const out = [['HTML received', nav.responseEnd]];
                let scripts = 0;
                for (const e of performance.getEntriesByType('resource')) {
                    const path = new URL(e.name).pathname;
                    if (e.startTime <= until && path.endsWith('.js'))
                        scripts = Math.max(scripts, e.responseEnd);
                }
                out.push(['scripts received', scripts]);
                const seen = {};
                for (const call of window.__springCalls) {
                    if (call.sent > until) continue;
                    seen[call.name] = (seen[call.name] || 0) + 1;
                    const name = call.name + (seen[call.name] > 1 ? ` #${seen[call.name]}` : '');
                    out.push([`${name} sent`, call.sent]);
                    if (call.answered !== null && call.answered <= until)
                        out.push([`${name} answered`, call.answered]);
                }
                return out;
            }""",
            usable,
        )
        return Try(usable, scripts, {name: float(at) for name, at in timeline})
    finally:
        await context.close()


def _gzip_size(path: str) -> int | None:
    file = DIST / path.lstrip("/")
    if not file.is_file():
        return None
    return len(gzip.compress(file.read_bytes(), compresslevel=9, mtime=0))


async def c1(server: ServerProcess, *, tries: int = 15, warmup: int = 2) -> Result:
    what = "Accueil usable after navigation (cold cache, Chromium); first screen's JS"
    goal = f"median ≤ {GOAL_MS:.0f} ms; JS ≤ {GOAL_KB:.0f} KB gzip"
    path = chromium()
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        async_playwright = None  # type: ignore[assignment]
    if path is None or async_playwright is None:
        return Result(
            "C1",
            what,
            "—",
            "not measured",
            goal,
            None,
            [
                "Needs Debian's Chromium on PATH (apt-get install -y chromium) and Playwright "
                "(pip install -e '.[test]'); Playwright's own browser download is never used."
            ],
        )
    from spring.demo import DEMO_PASSWORD

    base = f"http://127.0.0.1:{server.port}"
    await server.phase("C1")
    started = time.perf_counter()
    results: list[Try] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=path, args=ARGS)
        try:
            version = browser.version
            for n in range(warmup + tries):
                result = await _one_try(browser, base, DEMO_PASSWORD)
                if n >= warmup:
                    results.append(result)
        finally:
            await browser.close()
    times = [r.usable_ms for r in results]
    median, p90 = statistics.median(times), percentile(times, 0.9)
    scripts = {s["name"]: s for s in results[-1].scripts}
    wire = sum(int(s["encoded"]) for s in scripts.values())
    raw = sum(int(s["decoded"]) for s in scripts.values())
    gz = [_gzip_size(name) for name in scripts]
    gz_total = sum(g for g in gz if g is not None)
    on_demand = [
        name
        for name in scripts
        if any(part in name for part in ("graphiql", "monaco", "Account-", "Fees-", "Companies-"))
    ]
    kb = gz_total / 1000
    met = median <= GOAL_MS and kb <= GOAL_KB and not on_demand
    details = [
        f"Chromium {version} (Debian's, headless), a new browser context per try (empty HTTP "
        f"cache), signed in as {EMAIL} through the API before the clock starts; {warmup} "
        f"warm-up tries not counted, then {tries} tries in {time.perf_counter() - started:.0f} s.",
        f"Navigation start → Accueil usable (the search box and MY REQUESTS on the page): "
        f"median {median:.0f} ms, p90 {p90:.0f} ms, min {min(times):.0f} ms, "
        f"max {max(times):.0f} ms.",
        f"Scripts fetched until then: {len(scripts)}, {raw / 1000:.1f} KB as run, "
        f"{wire / 1000:.1f} KB on the wire (the server's gzip), {kb:.1f} KB with gzip -9:",
        *[
            f"    {name}: {int(s['decoded']) / 1000:.1f} KB, on the wire "
            f"{int(s['encoded']) / 1000:.1f} KB, gzip -9 "
            f"{(g or 0) / 1000:.1f} KB"
            for (name, s), g in zip(scripts.items(), gz, strict=True)
        ],
        "Where the time goes (medians, ms from the navigation's start; each API call by its "
        "GraphQL operation or route, sent and answered): "
        + "; ".join(
            f"{name} {statistics.median(r.milestones.get(name, float('nan')) for r in results):.0f}"
            for name in sorted(results[-1].milestones, key=lambda n: results[-1].milestones[n])
        )
        + f"; usable {median:.0f}.",
        "Screens and GraphiQL loaded before Accueil was usable: "
        + (", ".join(on_demand) if on_demand else "none (they load on demand)."),
    ]
    log(f"C1: median {median:.0f} ms, p90 {p90:.0f} ms; first-screen JS {kb:.1f} KB gzip")
    return Result(
        "C1",
        what,
        "—",
        f"median {median:.0f} ms, p90 {p90:.0f} ms; JS {kb:.1f} KB gzip",
        goal,
        met,
        details,
    )
