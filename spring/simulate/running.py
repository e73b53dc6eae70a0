"""Running the simulator: the live display of `spring simulate`, and the background simulation
`spring demo` starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from typing import Any

from spring.demo.description import DEMO_PASSWORD
from spring.simulate.config import DEMO_TRAFFIC, PASSWORD_ENV, SimulationError, log
from spring.simulate.fleet import database_fleet
from spring.simulate.simulator import SimulationConfig, Simulator, Stats

# =========================================================================== display


def render(sim: Simulator) -> Any:
    """The live progress panel."""
    from rich.panel import Panel
    from rich.table import Table

    s, cfg = sim.stats, sim.config
    elapsed = time.monotonic() - s.started
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    until = f" of {cfg.duration:.0f}s" if cfg.duration is not None else " (Ctrl-C to stop)"
    grid.add_row("elapsed", f"{elapsed:.0f}s{until}")
    silent = ""
    if sim.silent is not None:
        left = max(0.0, sim.silent_until - time.monotonic())
        silent = f"  [yellow]{sim.silent.tid} silent, back in {left:.0f}s[/yellow]"
    blocked = sum(1 for t in sim.fleet if t.blocked)
    grid.add_row(
        "terminals",
        f"{len(sim.fleet)} ({sum(1 for t in sim.fleet if t.softpos)} SoftPOS, "
        f"{blocked} blocked){silent}",
    )
    grid.add_row(
        "transactions",
        f"{s.sent} sent, {s.created} new  ·  {s.rate():.1f}/s (target {cfg.rate:g}/s)",
    )
    grid.add_row(
        "outcome",
        f"[green]{s.approved} approved[/green]  [red]{s.declined} declined[/red] "
        f"({s.blocked} blocked merchant)  [magenta]{s.failed} issuer errors[/magenta]  "
        f"{s.refunds} refunds",
    )
    grid.add_row(
        "events",
        f"{s.heartbeats} heartbeats, {s.acknowledgements} options acknowledgements, "
        f"{s.other_events} errors and reboots",
    )
    api = f"{s.api_errors} errors, {s.retries} retries, {s.logins} logins"
    if s.last_error:
        api += f"  [dim]last: {s.last_error[:100]}[/dim]"
    grid.add_row("API", api)
    tenant = sim.tenant_name or sim.tenant or "?"
    return Panel(grid, title=f"spring simulate · {tenant} · {cfg.url}", expand=False)


async def run_with_display(sim: Simulator, console: Any) -> Stats:
    """Run with a Rich live panel (refreshed four times a second)."""
    from rich.live import Live

    live: Live | None = None
    status = console.status(f"Logging in to {sim.config.url} and finding the terminals...")
    status.start()

    def ready(s: Simulator) -> None:
        nonlocal live
        status.stop()
        live = Live(get_renderable=lambda: render(s), console=console, refresh_per_second=4)
        live.start()

    try:
        return await sim.run(on_ready=ready)
    finally:
        status.stop()
        if live is not None:
            live.stop()
            if not console.is_terminal:
                console.print()  # the last frame ends without a line break there


# =========================================================================== spring demo


def connect_host(host: str) -> str:
    """Where to reach a server bound to `host` from this machine."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - we connect, we do not bind
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


class BackgroundSimulation:
    """`spring demo`'s traffic: one thread with its own event loop, a simulator per demo
    tenant, started once the server answers /readyz, stopped with the server."""

    def __init__(
        self,
        base_url: str,
        owner_url: str,
        *,
        traffic: Sequence[tuple[str, float]] = DEMO_TRAFFIC,
        password: str | None = None,
        report_every: float = 300.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.owner_url = owner_url
        self.traffic = traffic
        self.password = password or os.environ.get(PASSWORD_ENV) or DEMO_PASSWORD
        self.report_every = report_every
        self.simulators: list[Simulator] = []
        self._thread = threading.Thread(target=self._main, name="spring-simulate", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stopping = threading.Event()

    def start(self) -> BackgroundSimulation:
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout)

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except Exception:
            log.exception("the demo traffic simulator stopped")

    async def _wait_ready(self) -> bool:
        import httpx

        assert self._stop is not None
        async with httpx.AsyncClient(timeout=5) as http:
            while not self._stop.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{self.base_url}/readyz")).status_code == 200:
                        return True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=0.5)
        return False

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self._stopping.is_set():
            return
        try:
            import httpx  # noqa: F401
        except ImportError:
            log.warning("live traffic simulation needs httpx (pip install httpx): skipped")
            return
        # One line per request from the HTTP client would drown the server's own log.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if not await self._wait_ready():
            return
        closers = []
        for slug, rate in self.traffic:
            source, close = database_fleet(self.owner_url, slug)
            closers.append(close)
            config = SimulationConfig(
                url=f"{self.base_url}/graphql",
                email=f"service@{slug}.demo",
                password=self.password,
                rate=rate,
                fleet_source=source,
            )
            self.simulators.append(Simulator(config, self._stop))
        reporter = asyncio.create_task(self._report())
        try:
            results = await asyncio.gather(
                *(self._one(sim) for sim in self.simulators), return_exceptions=True
            )
            for sim, result in zip(self.simulators, results, strict=True):
                if isinstance(result, BaseException) and not isinstance(
                    result, asyncio.CancelledError
                ):
                    log.warning("simulator for %s failed: %r", sim.config.email, result)
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
            for close in closers:
                with contextlib.suppress(Exception):
                    await close()

    async def _one(self, sim: Simulator) -> None:
        def ready(s: Simulator) -> None:
            log.info(
                "simulating live traffic for %s: %d terminals, %g transactions/s "
                "(spring demo --no-simulate turns it off)",
                s.tenant,
                len(s.fleet),
                s.config.rate,
            )

        try:
            await sim.run(on_ready=ready)
        except SimulationError as exc:
            log.warning("no live traffic for %s: %s", sim.config.email, exc)

    async def _report(self) -> None:
        while True:
            await asyncio.sleep(self.report_every)
            for sim in self.simulators:
                if sim.fleet:
                    log.info("simulated traffic for %s: %s", sim.tenant, sim.stats.summary())
