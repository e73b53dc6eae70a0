"""Writing the demo into a database: `seed_demo` (one transaction) and `demo_present`."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.session import Database
from spring.demo.description import (
    CHUNK,
    DEMO_PASSWORD,
    DEMO_SEED,
    DEMO_TENANTS,
    PLATFORM_ADMIN_EMAIL,
    UTC,
    Row,
)
from spring.demo.tenants import build_demo
from spring.demo.world import _TENANT_TABLES
from tenancy.passwords import hash_password
from tenancy.principal import platform_claims, tenant_claims


class DemoAlreadySeeded(RuntimeError):
    """The demo tenants already exist in this database: seeding again is refused."""


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per table, and how long it took."""

    tenants: int
    platform_users: int
    users: int
    companies: int
    shops: int
    tenant_counters: int
    request_due_times: int
    requests: int
    request_comments: int
    contracts: int
    contract_shops: int
    fee_schedules: int
    fee_lines: int
    terminals: int
    terminal_options: int
    services: int
    transactions: int
    terminal_events: int
    terminal_commands: int
    audit_events: int
    document_settings: int = 0
    document_blobs: int = 0
    documents: int = 0
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "seconds"}


# =========================================================================== database


def _utc_minute() -> dt.datetime:
    """The current UTC time, truncated to the minute."""
    return dt.datetime.now(UTC).replace(second=0, microsecond=0)


async def _demo_tenants(session: AsyncSession) -> list[str]:
    result = await session.execute(
        sa.select(m.Tenant.slug).where(m.Tenant.slug.in_(DEMO_TENANTS)).order_by(m.Tenant.slug)
    )
    return list(result.scalars())


async def demo_present(owner_url: str) -> bool:
    """True when the database already holds a demo tenant."""
    db = Database(owner_url, pool_size=1, max_overflow=0)
    try:
        async with db.session(platform_claims()) as session, session.begin():
            return bool(await _demo_tenants(session))
    finally:
        await db.dispose()


async def _set_claims(session: AsyncSession, claims: Mapping[str, str]) -> None:
    """Switch the transaction's claims (transaction-local settings) mid-transaction."""
    names = list(claims)
    sql = "SELECT " + ", ".join(f"set_config(:n{i}, :v{i}, true)" for i in range(len(names)))
    params: dict[str, str] = {}
    for i, name in enumerate(names):
        params[f"n{i}"] = name
        params[f"v{i}"] = claims[name]
    await session.execute(sa.text(sql), params)


def _table(model: type[m.Base]) -> sa.Table:
    """The model's table (declarative models map one `Table` each)."""
    table = model.__table__
    assert isinstance(table, sa.Table)
    return table


async def _insert(session: AsyncSession, table: sa.Table, rows: list[Row]) -> None:
    """Bulk insert through SQLAlchemy Core (asyncpg executemany), in chunks."""
    for i in range(0, len(rows), CHUNK):
        await session.execute(sa.insert(table), rows[i : i + CHUNK])


async def _insert_columnar(session: AsyncSession, table: sa.Table, rows: list[Row]) -> None:
    """Bulk insert of a large table with no JSON column: one INSERT ... SELECT FROM unnest()
    per chunk, each column sent as one array. About twice as fast as executemany here."""
    dialect = session.get_bind().dialect
    # Columns the database fills itself (the recording transaction's xid) are left out.
    columns = [c for c in table.columns if c.name in rows[0]] if rows else []
    arrays = ", ".join(
        f"CAST(:c{i} AS {column.type.compile(dialect=dialect)}[])"
        for i, column in enumerate(columns)
    )
    names = ", ".join(column.name for column in columns)
    # Names and types come from the model's metadata, never from input.
    sql = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    statement = sa.text(sql)
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        params = {f"c{j}": [r[column.name] for r in chunk] for j, column in enumerate(columns)}
        await session.execute(statement, params)


async def seed_demo(
    owner_url: str,
    *,
    now: dt.datetime | None = None,
    seed: int = DEMO_SEED,
    password: str = DEMO_PASSWORD,
) -> DemoSummary:
    """Write the demo tenants into a migrated database, in one transaction.

    Raises DemoAlreadySeeded when a demo tenant exists already (so running it twice is safe).
    `now` (default: the current UTC minute) is where the 30 days of history end.
    """
    started = time.perf_counter()
    if now is None:
        now = _utc_minute()
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    password_hash = hash_password(password)  # once: Argon2 is slow on purpose
    db = Database(owner_url, pool_size=1, max_overflow=0, statement_timeout_ms=300_000)
    try:
        async with db.session(platform_claims()) as session, session.begin():
            await session.execute(sa.text("SELECT pg_advisory_xact_lock(2026112802)"))
            existing = await _demo_tenants(session)
            if existing:
                raise DemoAlreadySeeded(
                    f"demo tenant(s) {', '.join(existing)} already exist: not seeding again"
                )
            admin_id = await session.scalar(
                sa.select(m.PlatformUser.id).where(
                    sa.func.lower(m.PlatformUser.email) == PLATFORM_ADMIN_EMAIL
                )
            )
            data = build_demo(
                now=now, seed=seed, password_hash=password_hash, platform_admin_id=admin_id
            )
            await _insert(session, _table(m.Tenant), data.tenants)
            if admin_id is None:
                await _insert(session, _table(m.PlatformUser), data.platform_users)
            for tenant_id, tables in data.tenant_rows.items():
                await _set_claims(session, tenant_claims(tenant_id))
                for model in _TENANT_TABLES:
                    table = _table(model)
                    insert = _insert_columnar if model is m.Transaction else _insert
                    await insert(session, table, tables[table.name])
    finally:
        await db.dispose()
    counts: dict[str, int] = {
        "tenants": len(data.tenants),
        "platform_users": 0 if admin_id else len(data.platform_users),
    }
    for tables in data.tenant_rows.values():
        for name, rows in tables.items():
            counts[name] = counts.get(name, 0) + len(rows)
    return DemoSummary(**counts, seconds=round(time.perf_counter() - started, 3))
