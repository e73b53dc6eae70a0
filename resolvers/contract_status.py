"""States that follow from others: a contract becomes ACTIVE with its first active service,
and a company's status follows its contracts (ACTIVE / SUSPENDED / CLOSED)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CompanyStatus, ContractStatus
from resolvers import journal
from resolvers.lifecycles import COMPANY, CONTRACT
from resolvers.usecase import Actor

COMPANY_ACTIONS = {
    "activate": "company.activated",
    "suspend": "company.suspended",
    "close": "company.closed",
}


async def mark_service_active(
    session: AsyncSession, actor: Actor | None, contract: m.Contract
) -> None:
    """A service of this contract just became ACTIVE: a SIGNED contract becomes ACTIVE."""
    if contract.status is ContractStatus.SIGNED:
        transition = CONTRACT.find("activate")
        assert contract.status in transition.sources
        contract.status = transition.target  # type: ignore[assignment]
        contract.activated_at = contract.activated_at or dt.datetime.now(dt.UTC)
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action="contract.activated",
            entity_type="Contract",
            entity_id=contract.id,
            before={"status": ContractStatus.SIGNED.value},
            after={"status": contract.status.value},
        )
        await session.flush()
    await sync_company_status(session, actor, contract.company_id)


async def sync_company_status(
    session: AsyncSession, actor: Actor | None, company_id: object
) -> None:
    """Derive the company's status from its contracts, journaling any change.

    ACTIVE if one contract is ACTIVE; else SUSPENDED if one is SUSPENDED; else CLOSED if it
    was live and every contract is TERMINATED. A company not yet live is left as it is.
    """
    company = (
        await session.execute(select(m.Company).where(m.Company.id == company_id).with_for_update())
    ).scalar_one()
    statuses = set(
        (
            await session.execute(
                select(m.Contract.status).where(m.Contract.company_id == company_id)
            )
        ).scalars()
    )
    live = company.status in (CompanyStatus.APPROVED, CompanyStatus.ACTIVE, CompanyStatus.SUSPENDED)
    if not live:
        return
    if ContractStatus.ACTIVE in statuses:
        action = "activate"
    elif ContractStatus.SUSPENDED in statuses:
        action = "suspend"
    elif (
        statuses
        and statuses <= {ContractStatus.TERMINATED}
        and company.status
        in (
            CompanyStatus.ACTIVE,
            CompanyStatus.SUSPENDED,
        )
    ):
        action = "close"
    else:
        return
    transition = COMPANY.find(action)
    if company.status not in transition.sources or company.status is transition.target:
        return
    before = company.status
    company.status = transition.target  # type: ignore[assignment]
    journal.record(
        session,
        actor,
        tenant_id=company.tenant_id,
        action=COMPANY_ACTIONS[action],
        entity_type="Company",
        entity_id=company.id,
        before={"status": before.value},
        after={"status": company.status.value},
    )
    await session.flush()
