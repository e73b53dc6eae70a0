"""A connection returned to the pool inside a transaction its adapter forgot is ended.

A task cancelled while SQLAlchemy's asyncpg adapter was sending BEGIN (or COMMIT) leaves
PostgreSQL in a transaction the adapter does not know about: reset-on-return rolled back
nothing, and every later user of the connection ran inside that transaction as savepoints,
holding its locks and the snapshot horizon for good (the live feeds, which deliver below
xmin, stalled; logins waited on a users row). Found in CI as flaky live tests.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from tenancy.principal import ANONYMOUS_CLAIMS
from tests.live import until


async def test_a_connection_left_in_a_forgotten_transaction_is_terminated_and_replaced(
    app_url: str, owner_engine: AsyncEngine
) -> None:
    database = Database(app_url, pool_size=1, max_overflow=0)
    try:
        async with database.engine.connect() as connection:
            adapted = (await connection.get_raw_connection()).dbapi_connection
            driver = adapted.driver_connection
            pid = await driver.fetchval("SELECT pg_backend_pid()")
            # What a cancelled BEGIN leaves: PostgreSQL in a transaction, the adapter unaware,
            # here holding an xid (what stalls the feeds) through a temporary table.
            await driver.execute("BEGIN; CREATE TEMP TABLE leaked (x int) ON COMMIT DROP")
            assert driver.is_in_transaction() and adapted._transaction is None

        # Returned to the pool: terminated at once, its transaction aborted by PostgreSQL.
        async def ended() -> bool:  # the backend exits once it reads the closed socket
            async with owner_engine.connect() as conn:
                open_xids = await conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = :p "
                        "AND backend_xid IS NOT NULL"
                    ),
                    {"p": pid},
                )
            return open_xids == 0

        await until(ended, "the forgotten transaction to end")
        async with database.session(ANONYMOUS_CLAIMS) as session:
            again = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            in_transaction = await session.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            )
        assert again != pid and in_transaction == 1
    finally:
        await database.dispose()


async def test_a_healthy_connection_is_kept(app_url: str) -> None:
    database = Database(app_url, pool_size=1, max_overflow=0)
    try:
        pids = set()
        for _ in range(3):
            async with database.session(ANONYMOUS_CLAIMS) as session:
                pids.add((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
        assert len(pids) == 1
    finally:
        await database.dispose()
