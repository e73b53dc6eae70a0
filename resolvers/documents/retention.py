"""Retention: identity documents purged after their period (`spring purge-documents`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CompanyStatus, DocumentKind
from resolvers.documents.storage import _now


@dataclass(frozen=True)
class Purged:
    tenant_slug: str
    company_name: str
    siren: str
    filename: str
    sha256: str
    closed_at: dt.datetime


async def purge_identity_documents(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    tenant_slug: str,
    retention_days: int,
    *,
    now: dt.datetime | None = None,
) -> list[Purged]:
    """Delete the identity documents of the tenant's companies CLOSED for longer than the
    retention (their closing time: the journal's last status change to CLOSED, else their
    last update). Run as the owner (`spring purge-documents`); returns what it deleted."""
    cutoff = (now or _now()) - dt.timedelta(days=retention_days)
    closed_at = (
        select(func.max(m.AuditEvent.occurred_at))
        .where(
            m.AuditEvent.entity_id == m.Company.id,
            m.AuditEvent.after["status"].astext == CompanyStatus.CLOSED.value,
        )
        .correlate(m.Company)
        .scalar_subquery()
    )
    when = func.coalesce(closed_at, m.Company.updated_at)
    rows = (
        await session.execute(
            select(m.Document, m.Company.legal_name, m.Company.siren, when)
            .join(
                m.Company,
                (m.Company.id == m.Document.company_id)
                & (m.Company.tenant_id == m.Document.tenant_id),
            )
            .where(
                m.Document.kind == DocumentKind.IDENTITY,
                m.Company.status == CompanyStatus.CLOSED,
                when < cutoff,
            )
            .order_by(m.Document.created_at)
        )
    ).all()
    purged = []
    for document, name, siren, closed in rows:
        purged.append(Purged(tenant_slug, name, siren, document.filename, document.sha256, closed))
        await session.execute(
            delete(m.Document.__table__).where(
                m.Document.__table__.c.tenant_id == document.tenant_id,
                m.Document.__table__.c.id == document.id,
            )
        )
    for sha in {p.sha256 for p in purged}:
        still_named = (
            await session.execute(
                select(func.count())
                .select_from(m.Document)
                .where(
                    (m.Document.sha256 == sha)
                    # a contract document draws the logo its snapshot names
                    | (m.Document.snapshot["logo"]["sha256"].astext == sha)
                )
            )
        ).scalar_one() + (
            await session.execute(
                select(func.count())
                .select_from(m.DocumentSettings)
                .where(m.DocumentSettings.logo_sha256 == sha)
            )
        ).scalar_one()
        if not still_named:
            await session.execute(
                delete(m.DocumentBlob.__table__).where(
                    m.DocumentBlob.__table__.c.tenant_id == tenant_id,
                    m.DocumentBlob.__table__.c.sha256 == sha,
                )
            )
    return purged


async def purge_documents(owner_url: str, retention_days: int) -> list[Purged]:
    """`spring purge-documents`: every tenant's identity documents past retention, deleted
    as the owner (the application role cannot delete documents), one transaction per tenant."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncSession as Session
    from sqlalchemy.ext.asyncio import create_async_engine

    from db.session import async_url

    engine = create_async_engine(async_url(owner_url))
    purged: list[Purged] = []
    try:
        async with engine.connect() as conn:
            tenants = (await conn.execute(select(m.Tenant.id, m.Tenant.slug))).all()
        for tenant_id, slug in tenants:
            async with Session(engine) as session, session.begin():
                await session.execute(
                    text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
                )
                purged += await purge_identity_documents(session, tenant_id, slug, retention_days)
    finally:
        await engine.dispose()
    return purged
