"""Conditions over time, told by the notifier (spring/notifier.py): terminals long
OFFLINE or with options long PENDING, each episode once whatever the number of processes;
and the pruning of notifications older than `RETENTION`.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import NotificationKind as K
from db.session import Database
from resolvers import localtime

#: How long notifications (and sent mails, and told episodes) are kept.
from resolvers.notifications.catalogue import RETENTION
from resolvers.notifications.making import notify
from tenancy.principal import platform_claims, tenant_claims

_OFFLINE = text(
    """
    SELECT t.id, t.tid, t.last_heartbeat_at, tn.time_zone,
           greatest(tn.notify_offline_after_minutes * 60, 2 * tn.heartbeat_interval_s) AS after_s
      FROM terminals t JOIN tenants tn ON tn.id = t.tenant_id
     WHERE t.status IN ('ACTIVE', 'BLOCKED')
       AND t.last_heartbeat_at IS NOT NULL
       AND t.last_heartbeat_at + make_interval(secs => greatest(
             tn.notify_offline_after_minutes * 60, 2 * tn.heartbeat_interval_s))
           BETWEEN CAST(:now AS timestamptz) - interval '1 day' AND CAST(:now AS timestamptz)
    """
)

_PENDING = text(
    """
    SELECT t.id, t.tid, o.version_number, o.created_at, tn.notify_options_pending_after_minutes
      FROM terminals t
      JOIN tenants tn ON tn.id = t.tenant_id
      JOIN LATERAL (
            SELECT version_number, created_at FROM terminal_options o
             WHERE o.tenant_id = t.tenant_id AND o.terminal_id = t.id
             ORDER BY version_number DESC LIMIT 1) o ON true
     WHERE t.status IN ('ACTIVE', 'BLOCKED', 'ASSIGNED')
       AND (t.applied_options_version IS NULL OR t.applied_options_version < o.version_number)
       AND o.created_at + make_interval(mins => tn.notify_options_pending_after_minutes)
           BETWEEN CAST(:now AS timestamptz) - interval '1 day' AND CAST(:now AS timestamptz)
    """
)

_EPISODE = text(
    "INSERT INTO notification_episodes (tenant_id, key) VALUES (CAST(:t AS uuid), :key)"
    " ON CONFLICT DO NOTHING RETURNING key"
)


async def _first_time(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> bool:
    told = await session.scalar(_EPISODE, {"t": str(tenant_id), "key": key})
    return told is not None


async def _overdue_in_tenant(db: Database, tenant_id: uuid.UUID, now: dt.datetime) -> int:
    told = 0
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        for row in (await session.execute(_OFFLINE, {"now": now})).all():
            key = f"offline:{row.id}:{row.last_heartbeat_at.isoformat()}"
            if await _first_time(session, tenant_id, key):
                await notify(
                    session,
                    tenant_id=tenant_id,
                    kind=K.TERMINAL_OFFLINE,
                    subject_id=row.id,
                    by_role=True,
                    params={
                        "tid": row.tid,
                        "minutes": int(row.after_s) // 60,
                        # The tenant's wall-clock time, e.g. "2026-12-05 18:30 AST".
                        "since": localtime.local_text(row.last_heartbeat_at, row.time_zone),
                    },
                )
                told += 1
        for row in (await session.execute(_PENDING, {"now": now})).all():
            key = f"options:{row.id}:{row.version_number}"
            if await _first_time(session, tenant_id, key):
                await notify(
                    session,
                    tenant_id=tenant_id,
                    kind=K.OPTIONS_PENDING,
                    subject_id=row.id,
                    by_role=True,
                    params={
                        "tid": row.tid,
                        "version": row.version_number,
                        "minutes": row.notify_options_pending_after_minutes,
                    },
                )
                told += 1
    return told


async def tenant_ids(db: Database) -> list[uuid.UUID]:
    async with db.session(platform_claims()) as session:
        ids = list((await session.scalars(select(m.Tenant.id))).all())
        await session.rollback()
    return ids


async def tell_overdue_terminals(db: Database, now: dt.datetime | None = None) -> int:
    """Tell technicians of terminals OFFLINE, or with options PENDING, for longer than their
    tenant's settings; each episode once (a new heartbeat, a new options version starts a
    new one), whatever the number of processes checking. Returns the episodes told."""
    now = now or dt.datetime.now(dt.UTC)
    told = 0
    for tenant_id in await tenant_ids(db):
        told += await _overdue_in_tenant(db, tenant_id, now)
    return told


async def prune(db: Database, now: dt.datetime | None = None) -> int:
    """Delete notifications, sent (or given up) mails and told episodes older than 90 days."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - RETENTION
    deleted = 0
    for tenant_id in await tenant_ids(db):
        async with db.session(tenant_claims(tenant_id)) as session, session.begin():
            for model in (m.Notification, m.NotificationOutbox, m.NotificationEpisode):
                result = await session.execute(sa.delete(model).where(model.created_at < cutoff))
                deleted += result.rowcount or 0  # type: ignore[attr-defined]
    return deleted
