"""Ended sessions are kept 30 days after they end (logout, revoked, expired), then deleted by
the periodic task (spring/unblocker.py, resolvers/auth.py: prune_sessions); live ones and
recently ended ones stay, in every tenant and on the platform."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.session import Database
from resolvers.auth import prune_sessions
from spring.unblocker import Unblocker
from tests.factories import make_tenant_graph


async def _user(engine: AsyncEngine, tenant_id: uuid.UUID) -> uuid.UUID:
    user_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.User.__table__).values(
                tenant_id=tenant_id,
                id=user_id,
                email=f"s-{user_id.hex[:8]}@prune.test",
                full_name="Sessions",
                role="SELLER",
                password_hash="x",
            )
        )
    return user_id


async def _remaining(engine: AsyncEngine, table: str, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(f"SELECT id FROM {table} WHERE id = ANY(:ids)"),
            {"ids": ids},
        )
        return {r[0] for r in rows}


async def test_sessions_ended_30_days_ago_are_pruned_by_the_periodic_task(
    app_db: Database, owner_engine: AsyncEngine
) -> None:
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    kept: list[uuid.UUID] = []
    pruned: list[uuid.UUID] = []
    rows = []
    for _ in range(2):  # two tenants: each is pruned under its own row-level security
        graph = await make_tenant_graph(owner_engine)
        user_id = await _user(owner_engine, graph.tenant_id)
        for created, expires, revoked, keep in (
            (now - 2 * day, now + 5 * day, None, True),  # live
            (now - 40 * day, now + 5 * day, now - 29 * day, True),  # logged out 29 days ago
            (now - 60 * day, now - 29 * day, None, True),  # expired 29 days ago
            (now - 60 * day, now + 5 * day, now - 31 * day, False),  # revoked 31 days ago
            (now - 60 * day, now - 31 * day, None, False),  # expired 31 days ago
            # Revoked after it had expired: it ended when it expired (31 days ago).
            (now - 60 * day, now - 31 * day, now - 10 * day, False),
        ):
            session_id = uuid.uuid4()
            (kept if keep else pruned).append(session_id)
            rows.append(
                {
                    "tenant_id": graph.tenant_id,
                    "id": session_id,
                    "user_id": user_id,
                    "created_at": created,
                    "last_used_at": created,
                    "expires_at": expires,
                    "revoked_at": revoked,
                    "revoked_reason": "logout" if revoked else None,
                }
            )
    admin_id = uuid.uuid4()
    platform_kept, platform_pruned = uuid.uuid4(), uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(insert(m.UserSession.__table__), rows)
        await conn.execute(
            insert(m.PlatformUser.__table__).values(
                id=admin_id,
                email=f"a-{admin_id.hex[:8]}@prune.test",
                full_name="A",
                password_hash="x",
            )
        )
        await conn.execute(
            insert(m.PlatformSession.__table__),
            [
                {
                    "id": platform_kept,
                    "user_id": admin_id,
                    "expires_at": now - 29 * day,
                    "revoked_at": None,
                    "revoked_reason": None,
                },
                {
                    "id": platform_pruned,
                    "user_id": admin_id,
                    "expires_at": now + day,
                    "revoked_at": now - 45 * day,
                    "revoked_reason": "revoked",
                },
            ],
        )

    async def no_blocks(_db: Database) -> int:
        return 0

    await Unblocker(app_db, sweep=no_blocks).run_once()
    assert await _remaining(owner_engine, "user_sessions", kept + pruned) == set(kept)
    assert await _remaining(
        owner_engine, "platform_sessions", [platform_kept, platform_pruned]
    ) == {platform_kept}
    # Idempotent: a second round keeps what the first kept.
    await prune_sessions(app_db)
    assert await _remaining(owner_engine, "user_sessions", kept) == set(kept)
