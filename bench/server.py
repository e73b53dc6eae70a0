"""The server under test, in its own process: Spring's app on uvicorn, plus the baselines.

    python -m bench.server --app-url postgresql://spring_app@/bench?host=... --port 8123

One process serves both Spring (`/graphql`, exactly as `spring.app.create_app` builds it) and
the hand-written baselines under `/__bench/` (bare Starlette endpoints, raw asyncpg, json.dumps),
so each ratio compares two things served by the same uvicorn, event loop and process. Its CPU
time and resident memory are read from /proc by the load generator, which runs in another
process. The `/__bench/` routes are added to this process's app instance only.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import gc
import json
import signal
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import uvicorn
from sqlalchemy import event
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from bench.env import SECRET
from db.session import plain_url
from spring.app import create_app
from spring.console import DIST
from spring.logs import CURRENT
from spring.settings import Environment, Settings
from transport.documents import document_id


def gid(type_name: str, value: uuid.UUID) -> str:
    """A global ID as strawberry's relay encodes it."""
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


# The P2 (and P6) baseline: the same page with one hand-written join.
PAGE_SQL = """
SELECT t.id, t.external_id, t.type, t.amount, t.currency, t.scheme, t.entry_mode, t.status,
       t.occurred_at, t.masked_pan, t.authorization_code, t.response_code,
       tm.tid, s.name AS shop_name, c.legal_name
FROM transactions t
JOIN terminals tm ON tm.tenant_id = t.tenant_id AND tm.id = t.terminal_id
JOIN shops s ON s.tenant_id = tm.tenant_id AND s.id = tm.shop_id
JOIN companies c ON c.tenant_id = s.tenant_id AND c.id = s.company_id
{where}
ORDER BY t.occurred_at DESC, t.id DESC
LIMIT $1
"""
TENANT_PAGE_SQL = PAGE_SQL.format(where="")
SHOP_PAGE_SQL = PAGE_SQL.format(where="WHERE t.shop_id = $2")

# The P3 baseline: one terminal's 8 fields.
NODE_SQL = """
SELECT id, tid, kind, model, serial_number, status, firmware_version, last_seen_at
FROM terminals WHERE id = $1
"""


class Baselines:
    def __init__(self, app_url: str, pool_size: int) -> None:
        self.dsn = plain_url(app_url)
        self.pool_size = pool_size
        self.pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self.sockets: set[WebSocket] = set()

    async def get_pool(self) -> asyncpg.Pool:
        if self.pool is None:
            async with self._lock:
                if self.pool is None:
                    self.pool = await asyncpg.create_pool(
                        self.dsn, min_size=2, max_size=self.pool_size
                    )
        return self.pool

    async def page(self, request: Request) -> Response:
        tenant = request.query_params["tenant"]
        first = int(request.query_params.get("first", "100"))
        shop = request.query_params.get("shop")
        pool = await self.get_pool()
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", tenant)
            if shop:
                rows = await conn.fetch(SHOP_PAGE_SQL, first, uuid.UUID(shop))
            else:
                rows = await conn.fetch(TENANT_PAGE_SQL, first)
        edges = [
            {
                "node": {
                    "id": gid("Transaction", r["id"]),
                    "externalId": r["external_id"],
                    "type": r["type"],
                    "amount": r["amount"],
                    "currency": r["currency"],
                    "scheme": r["scheme"],
                    "entryMode": r["entry_mode"],
                    "status": r["status"],
                    "occurredAt": _iso(r["occurred_at"]),
                    "maskedPan": r["masked_pan"],
                    "authorizationCode": r["authorization_code"],
                    "responseCode": r["response_code"],
                    "terminal": {
                        "tid": r["tid"],
                        "shop": {"name": r["shop_name"], "company": {"legalName": r["legal_name"]}},
                    },
                }
            }
            for r in rows
        ]
        body = json.dumps({"data": {"transactions": {"edges": edges}}})
        return Response(body, media_type="application/json")

    async def node(self, request: Request) -> Response:
        tenant = request.query_params["tenant"]
        terminal_id = uuid.UUID(request.query_params["id"])
        pool = await self.get_pool()
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", tenant)
            r = await conn.fetchrow(NODE_SQL, terminal_id)
        node = None
        if r is not None:
            node = {
                "id": gid("Terminal", r["id"]),
                "tid": r["tid"],
                "kind": r["kind"],
                "model": r["model"],
                "serialNumber": r["serial_number"],
                "status": r["status"],
                "firmwareVersion": r["firmware_version"],
                "lastSeenAt": _iso(r["last_seen_at"]),
            }
        return Response(json.dumps({"data": {"node": node}}), media_type="application/json")

    # ------------------------------------------------------------------ P4b baseline

    async def socket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.sockets.add(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            self.sockets.discard(websocket)

    async def broadcast(self, request: Request) -> JSONResponse:
        """Send `count` messages, `interval` seconds apart, each serialized once and written
        to every connected socket. The body is the message template ({seq} and {sent})."""
        template = (await request.body()).decode()
        count = int(request.query_params["count"])
        interval = float(request.query_params["interval"])
        sent = 0
        start = time.perf_counter()
        for i in range(count):
            due = start + i * interval
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            message = template.replace("{seq}", str(i)).replace("{sent}", repr(time.time()))
            for websocket in list(self.sockets):
                try:
                    await websocket.send_text(message)
                    sent += 1
                except Exception:  # noqa: S112 - a closed socket is skipped
                    continue
        return JSONResponse({"sent": sent, "sockets": len(self.sockets)})


def bench_manifest() -> Path:
    """The console's trusted documents and P3t's `node(id:)` query (bench/reads.py), in a
    manifest of the bench server's own (a temporary file)."""
    from bench.common import NODE_QUERY  # bench.common imports this module

    path = DIST / "trusted-documents.json"
    documents = json.loads(path.read_text()) if path.is_file() else {}
    documents[document_id(NODE_QUERY)] = NODE_QUERY
    out = Path(tempfile.mkdtemp(prefix="spring-bench-")) / "trusted-documents.json"
    out.write_text(json.dumps(documents))
    return out


def build(app_url: str, overrides: dict[str, Any], demo_log: str | None = None) -> Any:
    values: dict[str, Any] = {
        "env": Environment.DEVELOPMENT,
        "secret_key": SECRET,
        "log_level": "WARNING",
        "graphiql": False,
        # The supervision wall and the memory test open many connections with one account.
        "max_connections_per_user": 100_000,
        **overrides,
    }
    if demo_log is not None:
        # As `spring demo` starts it (P2d): the demo environment's settings and defaults
        # (request log at INFO, GraphiQL on), its logging configured as spring/cli.py does;
        # the lines go to a file where `spring demo` writes to a terminal.
        values = {"env": Environment.DEMO, "secret_key": SECRET, **overrides}
    if "trusted_documents_file" not in values:
        values["trusted_documents_file"] = str(bench_manifest())
    settings = Settings(**values)
    if demo_log is not None:
        from spring.logs import configure_logging

        configure_logging(
            settings.log_level,
            settings.log_renderer,
            stream=open(demo_log, "a", encoding="utf-8"),
        )
    app = create_app(settings, app_url)
    database = app.state.database
    recent: collections.deque[str] = collections.deque(maxlen=200)
    #: The statements each HTTP request sent, by its request id (the newest 1,000 requests):
    #: P1 counts its request's own, not what background work sent meanwhile.
    by_request: collections.OrderedDict[str, list[str]] = collections.OrderedDict()

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = " ".join(statement.split())[:160]
        recent.append(text)
        record = CURRENT.get()
        if record is not None:
            by_request.setdefault(record.request_id, []).append(text)
            if len(by_request) > 1000:
                by_request.popitem(last=False)

    event.listen(database.engine.sync_engine, "before_cursor_execute", remember)
    baselines = Baselines(app_url, settings.db_pool_size + settings.db_max_overflow)

    async def statements(request: Request) -> JSONResponse:
        if request.method == "POST":
            recent.clear()
        answer: dict[str, Any] = {"count": database.statements, "recent": list(recent)}
        if "request" in request.query_params:
            answer["request"] = by_request.get(request.query_params["request"], [])
        return JSONResponse(answer)

    snapshots: list[Any] = []

    async def memory(request: Request) -> Response:
        """With PYTHONTRACEMALLOC set: `?mark` keeps a snapshot; otherwise the growth since
        the mark, by line and by file (text)."""
        import tracemalloc

        if not tracemalloc.is_tracing():
            return Response("tracemalloc is off (set PYTHONTRACEMALLOC)\n", status_code=409)
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)]
        )
        if "mark" in request.query_params or not snapshots:
            snapshots[:] = [snapshot]
            return Response("marked\n")
        lines = []
        for key in ("traceback", "filename"):
            stats = snapshot.compare_to(snapshots[0], key)
            total = sum(s.size_diff for s in stats)
            lines.append(f"growth by {key}: {total / 2**20:.1f} MiB in total")
            for stat in stats[:40]:
                where = " <- ".join(
                    f"{Path(f.filename).parent.name}/{Path(f.filename).name}:{f.lineno}"
                    for f in stat.traceback[:4]
                )
                lines.append(f"  {stat.size_diff / 1024:10.1f} KiB {stat.count_diff:+8d}  {where}")
            lines.append("")
        return Response("\n".join(lines) + "\n")

    collections_seen = {
        str(g): {"count": 0, "total": 0.0, "cpu": 0.0, "max": 0.0} for g in range(3)
    }
    collecting: list[float] = []

    def timed_collection(stage: str, info: dict[str, Any]) -> None:
        if stage == "start":
            collecting[:] = [time.perf_counter(), time.process_time()]
        elif collecting:
            took = time.perf_counter() - collecting[0]
            seen = collections_seen[str(info["generation"])]
            seen["count"] += 1
            seen["total"] += took
            seen["cpu"] += time.process_time() - collecting[1]
            seen["max"] = max(seen["max"], took)

    gc.callbacks.append(timed_collection)

    async def collector(request: Request) -> JSONResponse:
        """The garbage collections so far: count, total (wall and CPU) and longest pause per
        generation (`?reset`: the longest from now on)."""
        if "reset" in request.query_params:
            for seen in collections_seen.values():
                seen["max"] = 0.0
        return JSONResponse(
            {
                **collections_seen,
                "frozen": gc.get_freeze_count(),
                "setting": getattr(settings, "live_gc_freeze", None),
                "freezes": getattr(getattr(app.state, "sockets", None), "freezes", None),
            }
        )

    async def phase(request: Request) -> JSONResponse:
        from bench import sampler

        sampler.set_label(request.query_params["label"])
        return JSONResponse({"ok": True})

    async def live(request: Request) -> JSONResponse:
        broker = app.state.live
        cohorts = getattr(app.state, "cohorts", None)
        members = sum(len(c.members) for c in cohorts.cohorts.values()) if cohorts else 0
        # A cohort is one feed subscriber however many members it has: count the members.
        feed_subscribers = sum(len(f.subscribers) for f in broker.feeds.values())
        in_cohorts = len(cohorts.cohorts) if cohorts else 0
        return JSONResponse(
            {
                "delivered": broker.delivered,
                "feeds": len(broker.feeds),
                "subscribers": feed_subscribers - in_cohorts + members,
                "cohorts": in_cohorts,
                "baseline_sockets": len(baselines.sockets),
            }
        )

    app.router.routes[0:0] = [
        Route("/__bench/statements", statements, methods=["GET", "POST"]),
        Route("/__bench/live", live),
        Route("/__bench/gc", collector),
        Route("/__bench/phase", phase, methods=["POST"]),
        Route("/__bench/memory", memory),
        Route("/__bench/page", baselines.page),
        Route("/__bench/node", baselines.node),
        Route("/__bench/broadcast", baselines.broadcast, methods=["POST"]),
        WebSocketRoute("/__bench/ws", baselines.socket),
    ]
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--settings", default="{}", help="Settings overrides (JSON).")
    parser.add_argument("--profile", default=None, help="Write a profile here at exit.")
    parser.add_argument("--profiler", default="sample", choices=["sample", "yappi", "cprofile"])
    parser.add_argument(
        "--as-demo",
        default=None,
        metavar="LOG",
        help="Start as `spring demo` does, logging to LOG.",
    )
    args = parser.parse_args()
    app = build(args.app_url, json.loads(args.settings), args.as_demo)
    profiler = _start_profiler(args.profiler) if args.profile else None
    try:
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=args.port,
            log_level="warning" if args.as_demo is None else "info",
            log_config=uvicorn.config.LOGGING_CONFIG if args.as_demo is None else None,
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
    finally:
        if profiler is not None:
            profiler(args.profile)


def _start_profiler(kind: str) -> Any:
    """Start a profiler; return `save(path)`. `sample`: bench.sampler (stack sampling of the
    event-loop thread); `yappi`: yappi on CPU time (`pip install yappi`); `cprofile`."""
    # uvicorn re-raises SIGTERM after its graceful shutdown: make that a normal exit.
    signal.signal(signal.SIGTERM, _exit)
    if kind == "sample":
        from bench import sampler

        running = sampler.start()

        def save_samples(path: str) -> None:
            running.stop()
            running.report(path)

        return save_samples
    if kind == "cprofile":
        import cProfile

        profile = cProfile.Profile()
        profile.enable()

        def save_cprofile(path: str) -> None:
            profile.disable()
            profile.dump_stats(path)

        return save_cprofile
    import yappi

    yappi.set_clock_type("cpu")
    yappi.start()

    def save_yappi(path: str) -> None:
        yappi.stop()
        yappi.get_func_stats().save(path, type="pstat")

    return save_yappi


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
