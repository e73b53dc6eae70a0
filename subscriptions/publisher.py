"""Announcing committed changes: one NOTIFY per batch, in the writing transaction.

PostgreSQL delivers a NOTIFY only when (and if) its transaction commits, so listeners never
hear of a change that was rolled back. The payload names the tenant (and at most a few ids);
readers fetch the rows themselves, under the tenant's row-level security.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from subscriptions.topics import MAX_PAYLOAD, Topic


def payload(tenant_id: uuid.UUID, **data: object) -> str:
    body = json.dumps({"t": str(tenant_id), **data}, separators=(",", ":"), default=str)
    if len(body.encode()) > MAX_PAYLOAD:
        # Too many ids to carry: name the tenant only; listeners then re-read everything new.
        body = json.dumps({"t": str(tenant_id)}, separators=(",", ":"))
    return body


async def announce(
    session: AsyncSession,
    topic: Topic,
    tenant_id: uuid.UUID,
    ids: Sequence[uuid.UUID] | None = None,
    **data: object,
) -> None:
    """NOTIFY the topic in the session's transaction (delivered at commit)."""
    extra: dict[str, object] = dict(data)
    if ids is not None:
        extra["ids"] = [str(i) for i in ids]
    await session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": topic.value, "payload": payload(tenant_id, **extra)},
    )
