"""Run the performance benchmarks: `python -m bench [P1 P2 ...] [--full] [--quick]`.

Starts an embedded PostgreSQL in a temporary folder, builds the data each goal needs, runs
Spring in a child process (uvicorn, uvloop, httptools: `bench.server`), drives it from this
process over loopback, prints the table and writes docs/performance.md. Everything is bounded
in count and time and stops by itself; the database is deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from bench import console, crowd, daily, env, fleet, live, notify, reads, report
from bench.client import ServerProcess, bench_server, login
from bench.common import Result
from bench.env import log
from bench.wall import w1_and_w2

GOALS = (
    "P1",
    "P2",
    "P2d",
    "P3",
    "P3t",
    "P4",
    "P4b",
    "P4c",
    "P5",
    "P5n",
    "P6",
    "P7",
    "P8",
    "P9",
    "C1",
    "F1",
    "W1",
    "W2",
)
#: Measured together, by one run of the Supervision wall in Chromium (bench/wall.py).
WALL_GOALS = frozenset({"W1", "W2"})
#: Goals measured on P6's databases (the big one: 2,000,000 transactions by default).
BIG_GOALS = frozenset({"P6", "P8", "P9"})
DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
INTRO = """# Performance

Measured by `python -m bench` (or `spring bench`): each goal against a baseline of the same run.
"""


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Spring's performance goals (issue 7; C1 and F1: the console, "
        "issues 16 and 17; W1 W2: the Supervision wall, issue 17) against same-run baselines.",
    )
    parser.add_argument(
        "goals",
        nargs="*",
        metavar="GOAL",
        help=f"Goals to measure (default: all): {' '.join(GOALS)}.",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="P6, P8, P9 with 10,000,000 transactions (default 2,000,000: about 4 times "
        "faster to build).",
    )
    parser.add_argument(
        "--big", type=int, default=None, help="P6: transactions in the big database."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Shorter runs and smaller data (a smoke test; printed only, unless --write).",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="Print the table only; leave docs/ alone."
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="Write docs/performance.md even for a subset of the goals (by default only a run "
        "of all of them replaces the table there).",
    )
    parser.add_argument("--output", type=Path, default=DOC, help="Where to write the results.")
    parser.add_argument(
        "--p4c-settings",
        type=json.loads,
        default={},
        metavar="JSON",
        help="Settings overrides for P4c's server, to compare a setting: "
        "'{\"live_gc_freeze\": false}'.",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="Run the servers under a profiler and write DIR/<server>.txt (figures are then "
        "slowed down and docs/ is left alone).",
    )
    parser.add_argument(
        "--profiler",
        choices=["sample", "yappi", "cprofile"],
        default="sample",
        help="sample (default): SIGPROF stack sampling of the server's CPU time, per phase, "
        "by layer and function, plus DIR/<server>.<phase>.collapsed for flame graphs; yappi "
        "(`pip install "
        "yappi`) or cprofile: DIR/<server>.prof and a .txt summary.",
    )
    args = parser.parse_args(argv)
    wanted = {g.upper() for g in args.goals}
    unknown = wanted - {g.upper() for g in GOALS}
    if unknown:
        parser.error(f"unknown goal(s): {', '.join(sorted(unknown))}; choose from {GOALS}")
    if "P3" in wanted:  # the free query and the trusted document, in one run
        wanted.add("P3T")
    args.selected = [g for g in GOALS if not wanted or g.upper() in wanted]
    if (len(args.selected) < len(GOALS) or args.quick) and not args.write:
        args.no_write = True
    return args


async def _demo_reader(owner_url: str, server: ServerProcess) -> reads.ReadTarget:
    conn = await asyncpg.connect(env.plain_url(owner_url))
    try:
        tenant_id = await conn.fetchval("SELECT id FROM tenants WHERE slug = 'alizes'")
        terminal_id = await conn.fetchval(
            "SELECT id FROM terminals WHERE tenant_id = $1 AND status = 'ACTIVE'"
            " AND firmware_version IS NOT NULL ORDER BY tid LIMIT 1",
            tenant_id,
        )
    finally:
        await conn.close()
    from spring.demo import DEMO_PASSWORD

    token = await login(server.port, "supervisor@alizes.demo", DEMO_PASSWORD)
    return reads.ReadTarget(server, token, tenant_id, terminal_id)


async def run(args: argparse.Namespace) -> tuple[list[Result], dict[str, str], list[str]]:
    selected = set(args.selected)
    quick = args.quick
    results: dict[str, Result] = {}
    notes: list[str] = []
    load_before = report.load_average()
    pg = env.Server()
    await asyncio.to_thread(pg.start)
    try:
        version = await pg.version()
        log(f"PostgreSQL {version} in {pg.folder}")
        main_goals = selected - BIG_GOALS
        if main_goals:
            owner = await pg.create_database("bench")
            app_url = env.app_url_of(owner)
            if selected & {"P1", "P2", "P2d", "P3", "P3t", "C1"}:
                from spring.demo import seed_demo

                summary = await seed_demo(owner)
                log(f"demo seeded: {summary.transactions:,} transactions")
            tenants = wall = idle = screen = fleet_tenant = crowd_tenants = None
            if "F1" in selected:
                fleet_tenant = await fleet.create_fleet(owner)
                log(f"F1: tenant f01 with {len(fleet_tenant.terminals):,} terminals")
            if selected & {"P4", "P5", "P5n"}:
                tenants = await env.create_tenants(owner, "b", 20)
            if "P4b" in selected:
                (wall,) = await env.create_tenants(owner, "w", 1)
            if "P7" in selected:
                (idle,) = await env.create_tenants(owner, "i", 1)
            if "P4c" in selected:
                crowd_tenants = await env.create_tenants(owner, "c", 100)
            if selected & WALL_GOALS:
                (screen,) = await env.create_tenants(owner, "v", 1)
            await env.vacuum_analyze(owner)
            if main_goals - {"P7", "P5n", "P4c"}:
                async with bench_server(app_url) as server:
                    if selected & {"P1", "P2", "P2d", "P3", "P3t"}:
                        target = await _demo_reader(owner, server)
                        if "P1" in selected:
                            log("P1: counting statements")
                            results["P1"] = await reads.p1(target)
                        if "P2" in selected:
                            log("P2: page of 100 vs the asyncpg baseline")
                            results["P2"] = await reads.p2(target, rounds=50 if quick else 200)
                        if "P2d" in selected:
                            log("P2d: the P2 page against the server as `spring demo` starts it")
                            p2 = results.get("P2")
                            p2_ratio = float(p2.figure.split("= ")[1].rstrip("×")) if p2 else None
                            demo_log = os.path.join(tempfile.gettempdir(), "spring-p2d-demo.log")
                            async with bench_server(app_url, "spring-demo", demo_log=demo_log) as d:
                                results["P2d"] = await reads.p2d(
                                    target, d, p2_ratio, rounds=50 if quick else 200
                                )
                        if "P3" in selected:
                            log("P3: node(id:) under 32 clients vs the asyncpg baseline")
                            results["P3"] = await reads.p3(target, seconds=2 if quick else 6)
                        if "P3t" in selected:
                            log("P3t: node(id:) by its trusted document's id, 32 clients")
                            results["P3t"] = await reads.p3(
                                target, seconds=2 if quick else 6, trusted=True
                            )
                    if "C1" in selected:
                        log("C1: the console's Accueil in Chromium, cold cache")
                        results["C1"] = await console.c1(server, tries=5 if quick else 15)
                    if screen is not None:
                        w1, w2 = await w1_and_w2(server, screen, quick=quick)
                        results.update({g: r for g, r in (("W1", w1), ("W2", w2)) if g in selected})
                    if fleet_tenant is not None:
                        log("F1: Parc with 5,000 terminals in Chromium")
                        results["F1"] = await fleet.f1(
                            server, fleet_tenant, tries=5 if quick else 10
                        )
                    if tenants is not None or wall is not None:
                        world = await live.LiveWorld.login(
                            server, (tenants or []) + ([wall] if wall else [])
                        )
                        world.tenants = tenants or []
                        if tenants is not None and selected & {"P4", "P5"}:
                            for r in await live.p4_and_p5(
                                world,
                                run_p4="P4" in selected,
                                run_p5="P5" in selected,
                                p4_seconds=5 if quick else 20,
                                p5_batches=10 if quick else 20,
                            ):
                                results[r.id] = r
                        if wall is not None:
                            results["P4b"] = await live.p4b(world, wall, seconds=3 if quick else 6)
            if "P5n" in selected and tenants is not None:
                log("P5n: ingest while notifications are made, against the same without them")
                results["P5n"] = await notify.p5n(
                    owner, app_url, tenants, batches=10 if quick else 20, rounds=2 if quick else 5
                )
            if crowd_tenants is not None:
                log("P4c: 10,000 subscribers on 100 tenants, in a server of its own")
                results["P4c"] = await crowd.p4c(
                    app_url, crowd_tenants, seconds=5 if quick else 20, settings=args.p4c_settings
                )
            if idle is not None:
                results["P7"] = await live.p7(owner, idle, count=500 if quick else 5000)
        if selected & BIG_GOALS:
            big = args.big or (10_000_000 if args.full else (200_000 if quick else 2_000_000))
            small = 100_000 if not quick else 20_000
            results.update(
                await _p6(pg, small, big, rounds=30 if quick else 100, selected=selected)
            )
            if not args.full and not args.big:
                notes.append(
                    f"P6 ran with {big:,} transactions in the big database (default; "
                    "`--full` for 10,000,000: about 3.5 minutes more to build on this machine)."
                )
    finally:
        await asyncio.to_thread(pg.stop)
    notes.append(
        f"Load average (1 min) at the start {load_before}, at the end {report.load_average()}: "
        "above 2 means other work (other sessions' test suites) shared the 2 cores."
    )
    ordered = [results[g] for g in GOALS if g in results]
    return ordered, report.machine(version), notes


async def _p6(
    pg: env.Server, small: int, big: int, rounds: int, selected: set[str]
) -> dict[str, Result]:
    """P6 (the small and the big database), then P8 and P9 on the big one."""
    targets = {}
    shop_id: uuid.UUID | None = None
    sizes = {"small": small, "big": big} if "P6" in selected else {"big": big}
    owners = {}
    results: dict[str, Result] = {}
    for name, total in sizes.items():
        owner = await pg.create_database(f"p6{name}")
        (tenant,) = await env.create_tenants(owner, "p", 1, companies=25, shops_per_company=4)
        log(f"P6: generating {total:,} transactions in p6{name}")
        seconds = await env.generate_transactions(owner, tenant, total)
        log(f"P6: p6{name} ready in {seconds:.0f} s")
        owners[name] = (owner, tenant)
        shop_id = tenant.shops[len(tenant.shops) // 2]
    big_owner, big_tenant = owners["big"]
    async with contextlib.AsyncExitStack() as stack:
        servers = {
            name: await stack.enter_async_context(
                # The big server may export every row (P9).
                bench_server(
                    env.app_url_of(owners[name][0]), f"p6-{name}", {"export_max_rows": big}
                )
            )
            for name in sizes
        }
        for name, server in servers.items():
            tenant = owners[name][1]
            token = await login(server.port, tenant.users["SUPERVISOR"], env.PASSWORD)
            targets[name] = reads.ReadTarget(server, token, tenant.id, tenant.terminals[0].id)
        assert shop_id is not None
        if "P6" in selected:
            results["P6"] = await reads.p6(
                targets["small"], targets["big"], shop_id, (small, big), rounds
            )
        big_target = targets["big"]
        if "P8" in selected:
            log("P8: card search over one day")
            results["P8"] = await daily.p8(
                big_target.server,
                big_target.token,
                big_owner,
                env.app_url_of(big_owner),
                big_tenant.id,
                big,
                rounds,
            )
        if "P9" in selected:
            results["P9"] = await daily.p9(
                big_target.server, big_target.token, big, min(1_000_000, big // 2)
            )
    return results


def _run_loop(coro: Any) -> Any:
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def summarize_profiles(folder: Path) -> None:
    import pstats

    for dump in sorted(folder.glob("*.prof")):
        text = dump.with_suffix(".txt")
        with text.open("w") as out:
            stats = pstats.Stats(str(dump), stream=out)
            stats.strip_dirs().sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
        print(f"profile: {dump} (summary {text})")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.profile is not None:
        from bench import client

        client.PROFILE_DIR = args.profile.resolve()
        client.PROFILE_DIR.mkdir(parents=True, exist_ok=True)
        client.PROFILER = args.profiler
        args.no_write = True
    started = time.perf_counter()
    results, info, notes = _run_loop(run(args))
    seconds = time.perf_counter() - started
    print()
    print(report.table(results))
    print()
    for r in results:
        print(f"{r.id}:")
        for line in r.details:
            print(f"  {line}")
    missed = [r.id for r in results if r.met is False]
    print(
        f"\n{len(results) - len(missed)} of {len(results)} goals met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    if args.profile is not None:
        summarize_profiles(args.profile.resolve())
    if not args.no_write:
        command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
        generated = report.markdown(results, info, command.strip(), notes, seconds)
        report.write(args.output, generated, INTRO)
        print(f"written to {args.output}")
    return 0
