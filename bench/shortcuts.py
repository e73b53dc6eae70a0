"""Is each SQLAlchemy shortcut of db/shortcuts.py worth it? `python -m bench.shortcuts`.

Each shortcut is timed against SQLAlchemy's own path doing the same work, in one process, on
an embedded PostgreSQL (one tenant, 100 shops with a terminal each, 20,000 transactions),
as the application role with a tenant's claims, exactly as a request runs them:

- claims: a transaction that sets the claims (`first_row` on the DBAPI cursor, against
  `exec_driver_sql(...).first()`) and runs `SELECT 1`;
- terminal: `node(id:)`'s load of one terminal (`TerminalOnlyByIdLoader`: `Plan` on the
  cursor + `detached`), against Core's `execute` + `detached`, and against the ORM loader;
- page: a page of 100 transactions (`raw_rows` + `Record`), against the ORM page;
- enums: decoding the page's 100 raw rows (`ColumnReaders`' tables), against calling
  SQLAlchemy's processor on each enum value.

The figure is this process's CPU time per call (the database server's is not in it), the
median over rounds in which the variants alternate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import select, text

from bench import env
from db import models as m
from db import session as db_session
from db.session import Database
from db.shortcuts import DIALECT, ColumnReaders, detached, raw_rows
from resolvers import loaders
from resolvers import transactions as rtx
from resolvers.pagination import PageArgs, paginate
from tenancy.principal import claims_for
from tenancy.roles import Role

Call = Callable[[], Awaitable[Any]]


async def _timed(call: Call, calls: int) -> float:
    """This process's CPU seconds per call: what a shortcut saves is the client's work, and
    CPU time, unlike the wall clock, hardly moves with the machine's other load (the
    database server's own time is not in it)."""
    started = time.process_time()
    for _ in range(calls):
        await call()
    return (time.process_time() - started) / calls


async def compare(variants: dict[str, Call], rounds: int, calls: int) -> dict[str, float]:
    """Median seconds per call of each variant, the variants alternating in each round."""
    for call in variants.values():  # warm-up: caches, compiled statements, pool
        for _ in range(20):
            await call()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(await _timed(call, calls))
    return {name: statistics.median(values) for name, values in samples.items()}


def _exec_driver_sql_first(connection: Any, statement: str, params: tuple[Any, ...]) -> Any:
    return connection.exec_driver_sql(statement, params).first()


SECTIONS = ("claims", "terminal", "page", "enums")


async def run(
    rounds: int, calls: int, transactions: int, only: tuple[str, ...] = SECTIONS
) -> list[tuple[str, dict[str, float]]]:
    pg = env.Server().start()
    try:
        owner = await pg.create_database("shortcuts")
        (tenant,) = await env.create_tenants(owner, "s", 1, companies=25, shops_per_company=4)
        env.log(f"generating {transactions:,} transactions")
        await env.generate_transactions(owner, tenant, transactions)
        db = Database(env.app_url_of(owner), pool_size=2)
        try:
            return await _measure(db, tenant, rounds, calls, only)
        finally:
            await db.dispose()
    finally:
        pg.stop()


async def _measure(
    db: Database, tenant: env.BenchTenant, rounds: int, calls: int, only: tuple[str, ...]
) -> list[tuple[str, dict[str, float]]]:
    claims = claims_for(uuid.uuid4(), Role.SUPERVISOR, tenant.id)
    terminal_id = tenant.terminals[0].id

    @contextlib.asynccontextmanager
    async def scope() -> AsyncIterator[Any]:
        async with db.session(claims) as session:
            yield session

    # claims: the transaction's first statement ---------------------------------------------
    async def transaction() -> None:
        async with scope() as session:
            await session.execute(text("SELECT 1"))

    async def transaction_plain() -> None:
        shortcut = db_session.first_row
        db_session.first_row = _exec_driver_sql_first  # type: ignore[assignment]
        try:
            await transaction()
        finally:
            db_session.first_row = shortcut

    # terminal: node(id:)'s loader ----------------------------------------------------------
    terminal_only = loaders.TerminalOnlyByIdLoader(scope)
    terminal_orm = loaders._by_id(m.Terminal)(scope)

    async def core_detached() -> Any:
        async with scope() as session:
            result = await session.execute(loaders._TERMINAL_ROWS, {"ids": [terminal_id]})
            return [detached(m.Terminal, row) for row in result.mappings()]

    # page: the supervision list ------------------------------------------------------------
    args = PageArgs(first=100)

    async def records_page() -> Any:
        return await rtx.list_transactions(
            scope, rtx.TransactionFilter(), ("OCCURRED_AT", True), args
        )

    async def orm_page() -> Any:
        return await paginate(scope, select(m.Transaction), rtx.NEWEST_FIRST, args)

    # enums: decoding raw rows --------------------------------------------------------------
    async with scope() as session:
        connection = await session.connection()
        result = await connection.execute(
            select(m.Transaction.__table__).order_by(m.Transaction.id).limit(100)
        )
        keys = tuple(result.keys())
        raw = raw_rows(result)
    readers = ColumnReaders(m.Transaction.__table__.columns)
    processors = [
        column.type.dialect_impl(DIALECT).result_processor(DIALECT, None)
        for column in m.Transaction.__table__.columns
    ]

    async def tables() -> Any:
        return readers.rows(keys, raw)

    async def per_value() -> Any:
        return [
            {k: (p(v) if p else v) for k, p, v in zip(keys, processors, row, strict=True)}
            for row in raw
        ]

    assert await tables() == await per_value()

    sections: dict[str, tuple[str, dict[str, Call]]] = {
        "claims": (
            "claims: a transaction (claims + SELECT 1)",
            {"first_row": transaction, "exec_driver_sql": transaction_plain},
        ),
        "terminal": (
            "terminal: node(id:)'s load of one terminal",
            {
                "Plan + detached": lambda: terminal_only._load([terminal_id]),
                "Core execute + detached": core_detached,
                "ORM": lambda: terminal_orm._load([terminal_id]),
            },
        ),
        "page": ("page: 100 transactions", {"raw_rows + Record": records_page, "ORM": orm_page}),
        "enums": (
            "enums: decoding 100 raw rows",
            {"ColumnReaders tables": tables, "processor per value": per_value},
        ),
    }
    results = []
    for name in only:
        what, variants = sections[name]
        env.log(name)
        results.append((what, await compare(variants, rounds, calls)))
    return results


def table(results: list[tuple[str, dict[str, float]]]) -> str:
    lines = ["| what | variant | CPU per call | against the shortcut |", "|---|---|---|---|"]
    for what, figures in results:
        first = next(iter(figures.values()))
        for i, (variant, seconds) in enumerate(figures.items()):
            ratio = "—" if i == 0 else f"{seconds / first:.2f}×"
            lines.append(f"| {what} | {variant} | {seconds * 1e6:,.0f} µs | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("only", nargs="*", help=f"of {', '.join(SECTIONS)} (default: all)")
    args = parser.parse_args(argv)
    only = tuple(args.only) or SECTIONS
    if set(only) - set(SECTIONS):
        parser.error(f"unknown sections {sorted(set(only) - set(SECTIONS))}")
    results = asyncio.run(run(args.rounds, args.calls, args.transactions, only))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
