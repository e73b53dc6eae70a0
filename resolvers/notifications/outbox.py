"""The e-mail outbox: claiming the mails to send, marking them sent or failed, discarding
those left unsent too long (spring/mail.py sends them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from db import models as m
from db.enums import NotificationKind as K
from db.session import Database
from resolvers.messages import DEFAULT_LOCALE

#: How long notifications (and sent mails, and told episodes) are kept.
from resolvers.notifications.overdue import tenant_ids
from tenancy.principal import tenant_claims


@dataclass(frozen=True)
class Mail:
    tenant_id: uuid.UUID
    id: uuid.UUID
    to: str
    locale: str
    kind: K
    params: dict[str, Any]
    attempts: int


def _language_column() -> Any:
    column = getattr(m.User, "language", None)
    return column if column is not None else sa.literal(DEFAULT_LOCALE)


async def claim_mails(
    db: Database, tenant_id: uuid.UUID, now: dt.datetime, lease: dt.timedelta, limit: int = 50
) -> list[Mail]:
    """Mails due in one tenant, leased for `lease` (another process skips them meanwhile; a
    process that dies while sending leaves them to be retried when the lease ends)."""
    o = m.NotificationOutbox
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        rows = (
            await session.execute(
                select(o, m.User.email, _language_column())
                .join(m.User, (m.User.tenant_id == o.tenant_id) & (m.User.id == o.recipient_id))
                .where(o.sent_at.is_(None), o.next_attempt_at <= now)
                .order_by(o.next_attempt_at)
                .limit(limit)
                .with_for_update(of=o, skip_locked=True)
            )
        ).all()
        for row, _email, _language in rows:
            row.next_attempt_at = now + lease
    return [
        Mail(
            row.tenant_id,
            row.id,
            email,
            language or DEFAULT_LOCALE,
            row.kind,
            row.params,
            row.attempts,
        )
        for row, email, language in rows
    ]


async def mail_sent(db: Database, mail: Mail, now: dt.datetime) -> None:
    async with db.session(tenant_claims(mail.tenant_id)) as session, session.begin():
        await session.execute(
            sa.update(m.NotificationOutbox)
            .where(m.NotificationOutbox.id == mail.id)
            .values(sent_at=now, attempts=mail.attempts + 1, last_error=None)
        )


async def mail_failed(db: Database, mail: Mail, retry_at: dt.datetime, error: str) -> None:
    async with db.session(tenant_claims(mail.tenant_id)) as session, session.begin():
        await session.execute(
            sa.update(m.NotificationOutbox)
            .where(m.NotificationOutbox.id == mail.id)
            .values(next_attempt_at=retry_at, attempts=mail.attempts + 1, last_error=error[:500])
        )


#: With e-mail off, how long the outbox keeps a mail before dropping it.
UNSENT_KEPT = dt.timedelta(hours=1)


async def discard_mails(db: Database, now: dt.datetime | None = None) -> int:
    """E-mail is off (no SMTP server configured): what the outbox holds is dropped after an
    hour (time for a process configured with a server to send it)."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - UNSENT_KEPT
    dropped = 0
    for tenant_id in await tenant_ids(db):
        async with db.session(tenant_claims(tenant_id)) as session, session.begin():
            result = await session.execute(
                sa.delete(m.NotificationOutbox).where(
                    m.NotificationOutbox.sent_at.is_(None),
                    m.NotificationOutbox.created_at < cutoff,
                )
            )
            dropped += result.rowcount or 0  # type: ignore[attr-defined]
    return dropped
