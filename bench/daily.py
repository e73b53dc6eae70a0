"""P8 and P9, on P6's big database: the hotline's card search and a CSV export of 1,000,000 rows.

P8: `search(card: {lastFour, occurredFrom, occurredTo})` over one day, median latency over
HTTP (goal under 50 ms), with the plan PostgreSQL chose as the application role.
P9: `GET /exports/transactions.csv` of about 1,000,000 rows read to the end by the client:
rows/s (goal at least 100,000), and the server's resident memory sampled every 20 ms during
that export and during one of a tenth of the rows: flat memory means the peak growth does not
grow with the rows (goal: at most 32 MiB above the idle server, for both sizes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import time
import uuid
from typing import Any

import asyncpg
import httpx

from bench.client import Http, ServerProcess
from bench.common import Result, graphql_call, ms, percentile, timed_request
from bench.env import log, plain_url

CARD_QUERY = """
query($c: CardSearch!) {
  search(card: $c, first: 20) {
    score node { ... on Transaction { id externalId amount occurredAt maskedPan } }
  }
}
"""

#: P9's flat-memory goal: peak RSS growth during an export, for both sizes.
MAX_GROWTH = 32 * 1024 * 1024


async def _a_card_of_yesterday(owner_url: str, tenant_id: uuid.UUID) -> tuple[str, dt.datetime]:
    """A last four that occurs in the day before the last 24 hours, and that day's start."""
    day = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        last_four = await conn.fetchval(
            "SELECT pan_last4 FROM transactions WHERE tenant_id = $1 AND occurred_at >= $2"
            " AND occurred_at < $3 AND pan_last4 IS NOT NULL ORDER BY occurred_at LIMIT 1",
            tenant_id,
            day,
            day + dt.timedelta(days=1),
        )
    finally:
        await conn.close()
    return str(last_four or "1234"), day


async def _plan(app_url: str, tenant_id: uuid.UUID, last_four: str, day: dt.datetime) -> str:
    """The plan of the card search's statement, as the application role under RLS."""
    conn = await asyncpg.connect(plain_url(app_url))
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            rows = await conn.fetch(
                "EXPLAIN SELECT id FROM transactions WHERE pan_last4 = $1 AND occurred_at >= $2"
                " AND occurred_at < $3 ORDER BY occurred_at DESC, id DESC LIMIT 20",
                last_four,
                day,
                day + dt.timedelta(days=1),
            )
    finally:
        await conn.close()
    return " / ".join(r[0].strip() for r in rows if "Scan" in r[0])


async def p8(
    server: ServerProcess,
    token: str,
    owner_url: str,
    app_url: str,
    tenant_id: uuid.UUID,
    total: int,
    rounds: int,
) -> Result:
    last_four, day = await _a_card_of_yesterday(owner_url, tenant_id)
    card = {
        "lastFour": last_four,
        "occurredFrom": day.isoformat(),
        "occurredTo": (day + dt.timedelta(days=1)).isoformat(),
    }
    body, headers = graphql_call(CARD_QUERY, {"c": card}, token)
    http = await Http(server.port).open()
    times: list[float] = []
    found = 0
    try:
        await server.phase("P8 spring")
        for i in range(20 + rounds):
            elapsed, status, payload = await timed_request(http, "POST", "/graphql", body, headers)
            data = json.loads(payload)
            if status != 200 or data.get("errors"):
                raise RuntimeError(f"P8: {str(data)[:300]}")
            found = len(data["data"]["search"])
            if i >= 20:
                times.append(elapsed)
    finally:
        await http.close()
    plan = await _plan(app_url, tenant_id, last_four, day)
    median = statistics.median(times)
    details = [
        f'`search(card: {{lastFour: "{last_four}", occurredFrom, occurredTo}})` over one day '
        f"({day:%Y-%m-%d}) of {total:,} transactions (about {total // 365:,} that day; last "
        f"fours spread over 10,000 values): {found} found; {rounds} requests after 20 "
        "warm-up requests, one keep-alive connection, supervisor.",
        f"Median {ms(median)}, p90 {ms(percentile(times, 0.9))}, p99 "
        f"{ms(percentile(times, 0.99))}.",
        f"Plan as the application role under row-level security: {plan or 'n/a'}.",
    ]
    return Result(
        "P8",
        f"card search (last four) over one day, {total:,} transactions",
        "—",
        f"{ms(median)} median",
        "< 50 ms",
        median < 0.050,
        details,
    )


async def _export(
    server: ServerProcess, token: str, f: dict[str, Any]
) -> tuple[int, int, float, int, float, float]:
    """Rows, bytes, seconds, the server's peak RSS growth (bytes) and CPU seconds, and this
    process's (the client's) CPU seconds."""
    idle = server.rss_bytes()
    cpu = server.cpu_seconds()
    client_cpu = time.process_time()
    peak = idle
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, server.rss_bytes())
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    rows = size = 0
    started = time.perf_counter()
    try:
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}", timeout=600) as http,
            http.stream(
                "GET",
                "/exports/transactions.csv",
                params={"filter": json.dumps(f)},
                headers={"Authorization": f"Bearer {token}"},
            ) as response,
        ):
            if response.status_code != 200:
                await response.aread()
                raise RuntimeError(f"P9: {response.status_code} {response.text[:300]}")
            async for chunk in response.aiter_raw():
                size += len(chunk)
                rows += chunk.count(b"\n")
    finally:
        seconds = time.perf_counter() - started
        done.set()
        await sampler
    client = time.process_time() - client_cpu
    return rows - 1, size, seconds, peak - idle, server.cpu_seconds() - cpu, client


async def p9(server: ServerProcess, token: str, total: int, rows_wanted: int) -> Result:
    """Export about `rows_wanted` rows (a time range of the year the transactions cover)."""
    now = dt.datetime.now(dt.UTC)

    def since(rows: int) -> dict[str, Any]:
        days = 365 * min(rows, total) / max(total, 1)
        return {"occurredFrom": (now - dt.timedelta(days=days)).isoformat()}

    await server.phase("P9 spring")
    log(f"P9: exporting about {rows_wanted // 10:,} then {rows_wanted:,} rows")
    small_rows, _, small_s, small_growth, _, _ = await _export(
        server, token, since(rows_wanted // 10)
    )
    rows, size, seconds, growth, cpu, client = await _export(server, token, since(rows_wanted))
    rate = rows / seconds
    mib = 1024 * 1024
    details = [
        f"`GET /exports/transactions.csv?filter={{occurredFrom}}` read to the end over HTTP "
        f"(chunked) by an httpx client: {rows:,} rows, {size / mib:.0f} MiB in {seconds:.1f} s "
        f"= {rate:,.0f} rows/s; {small_rows:,} rows in {small_s:.1f} s = "
        f"{small_rows / small_s:,.0f} rows/s. The server process used {cpu:.1f} s of CPU for "
        f"the big one ({rows / max(cpu, 1e-9):,.0f} rows per CPU second), the client "
        f"{client:.1f} s; PostgreSQL, the client and the server share the same 2 cores.",
        f"Server resident memory, peak above the idle server (sampled every 20 ms): "
        f"{growth / mib:.1f} MiB for {rows:,} rows, {small_growth / mib:.1f} MiB for "
        f"{small_rows:,} rows.",
    ]
    return Result(
        "P9",
        f"CSV export of {rows:,} transactions",
        f"{small_rows:,} rows: {small_growth / mib:.1f} MiB",
        f"{rate:,.0f} rows/s, +{growth / mib:.1f} MiB",
        "≥ 100,000 rows/s, ≤ 32 MiB",
        rate >= 100_000 and growth <= MAX_GROWTH and small_growth <= MAX_GROWTH,
        details,
    )
