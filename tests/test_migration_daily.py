"""Migration 0009: settlement times stored as "HH:MM, UTC" become the tenant's local time,
last fours are read from the masked PAN, and the way back restores both."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from db.migrate import alembic_config
from db.session import async_url, plain_url
from tests.conftest import PgServer


async def _to(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_async_engine(async_url(url))

    def run(connection: object) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def test_settlement_times_become_local_and_come_back(pg: PgServer) -> None:
    url = await pg.create_database("spring_mig9")
    await _to(url, "0008_notifications")
    tenant, terminal = uuid.uuid4(), uuid.uuid4()
    conn = await asyncpg.connect(plain_url(url))
    try:
        await conn.execute("SET session_replication_role = replica")  # rows alone, no parents
        await conn.execute(
            "INSERT INTO tenants (id, slug, name, status, heartbeat_interval_s, default_currency,"
            " version) VALUES ($1, 'mig-nine', 'Migration', 'ACTIVE', 60, 'EUR', 1)",
            tenant,
        )
        await conn.execute(
            "INSERT INTO terminal_options (tenant_id, terminal_id, version_number, contactless,"
            " tipping, cashback, pre_authorization, manual_entry, receipt_mode, language,"
            " settlement_time) VALUES ($1, $2, 1, true, false, false, false, false, 'PRINT',"
            " 'fr', '21:30')",
            tenant,
            terminal,
        )
        await conn.execute(
            "INSERT INTO transactions (tenant_id, id, external_id, terminal_id, shop_id,"
            " company_id, type, amount, currency, scheme, masked_pan, entry_mode, status,"
            " response_code, occurred_at) VALUES ($1, $2, 'm9', $2, $2, $2, 'PURCHASE', 100,"
            " 'EUR', 'CB', '497010******4321', 'CHIP', 'APPROVED', '00', now())",
            tenant,
            uuid.uuid4(),
        )
    finally:
        await conn.close()

    await _to(url, "head")
    conn = await asyncpg.connect(plain_url(url))
    try:
        zone = await conn.fetchval("SELECT time_zone FROM tenants WHERE id = $1", tenant)
        local = await conn.fetchval("SELECT settlement_time FROM terminal_options")
        last4 = await conn.fetchval("SELECT pan_last4 FROM transactions")
    finally:
        await conn.close()
    assert zone == "Europe/Paris"
    # 21:30 UTC is 22:30 or 23:30 in Paris, depending on the day the migration runs.
    assert local in (dt.time(22, 30), dt.time(23, 30))
    assert last4 == "4321"

    await _to(url, "0008_notifications", down=True)
    conn = await asyncpg.connect(plain_url(url))
    try:
        back = await conn.fetchval("SELECT settlement_time FROM terminal_options")
    finally:
        await conn.close()
    assert back == dt.time(21, 30)
