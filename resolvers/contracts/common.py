"""What the contract use cases share: the journaled columns and actions, the checks of a
contract's shops and company, its number, its shops, and loading it for a change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CompanyStatus,
    ServiceKind,
    ShopStatus,
)
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Actor, load_for_update, refuse
from resolvers.validation import Validator

#: What the journal records of a contract: every column but those named here
#: (resolvers/journal.py `journaled`; a new column is journaled).
CONTRACT_FIELDS = journal.journaled(
    m.Contract,
    name="CONTRACT_FIELDS",
    exclude={
        "company_id": "recorded as `companyId` by the creation entry (it never changes)",
        "signed_at": "the signing entry's occurred_at",
        "signed_by": "the signing entry's actor",
        "signed_document_sha256": "the signed document's fingerprint, kept with the document",
        "activated_at": "the activation entry's occurred_at",
        "suspended_at": "the suspension entry's occurred_at",
        "terminated_at": "the termination entry's occurred_at",
        "created_by": "the creation entry's actor",
    },
)
#: Companies a contract may be created for or signed with: the evaluation was approved.
CONTRACTABLE_COMPANY = (CompanyStatus.APPROVED, CompanyStatus.ACTIVE)
#: At most this many shops on one contract.
MAX_SHOPS = 200
#: Fee simulation: transactions priced per call.
MAX_SIMULATED = 500

#: Journal actions (the demo data uses the same names).
CREATED = "contract.created"
DRAFT_UPDATED = "contract.draft_updated"
SIGNED = "contract.signed"
FEES_CHANGED = "contract.fee_changed"
SUSPENDED = "contract.suspended"
RESUMED = "contract.resumed"
TERMINATED = "contract.terminated"


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _user_id(actor: Actor) -> uuid.UUID | None:
    return None if actor.principal.is_platform else actor.principal.user_id


# --------------------------------------------------------------------------- validation


def _kinds(v: Validator, path: list[str], kinds: Sequence[ServiceKind]) -> list[str]:
    """At least one service kind; duplicates dropped, order kept."""
    values = list(dict.fromkeys(ServiceKind(k).value for k in kinds))
    if not values:
        v.add(path, C.REQUIRED, "service_kinds_required")
    return values


def _shop_ids(v: Validator, path: list[str], ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    values = list(dict.fromkeys(ids))
    if len(values) > MAX_SHOPS:
        v.add(path, C.TOO_MANY, "too_many", max=MAX_SHOPS)
    return values


async def _check_shops(
    session: AsyncSession,
    v: Validator,
    path: list[str],
    company_id: uuid.UUID,
    shop_ids: Sequence[uuid.UUID],
) -> None:
    """Every shop exists (in the tenant), belongs to the company and is OPEN."""
    if not shop_ids:
        return
    rows = (await session.execute(select(m.Shop).where(m.Shop.id.in_(shop_ids)))).scalars()
    shops = {shop.id: shop for shop in rows}
    for i, shop_id in enumerate(shop_ids):
        shop = shops.get(shop_id)
        shop_path = [*path, str(i)]
        if shop is None:
            v.add(shop_path, C.NOT_FOUND, "not_found", kind="Shop")
        elif shop.company_id != company_id:
            v.add(shop_path, C.INVALID, "shop_not_of_company")
        elif shop.status is not ShopStatus.OPEN:
            v.add(shop_path, C.INVALID, "shop_closed")


def _company_can_contract(actor: Actor, company: m.Company, path: list[str] | None) -> None:
    if company.status not in CONTRACTABLE_COMPANY:
        raise refuse(
            actor.locale,
            path,
            C.INVALID_TRANSITION,
            "company_state",
            expected=" / ".join(s.value for s in CONTRACTABLE_COMPANY),
            state=company.status.value,
        )


# --------------------------------------------------------------------------- storage helpers


def counter_name(year: int) -> str:
    """The tenant counter that numbers a year's contracts."""
    return f"contract_number:{year}"


def contract_number(year: int, value: int) -> str:
    """MP-YYYY-NNNNNN: the contract number the year's counter `value` gives."""
    return f"MP-{year}-{value:06d}"


async def _next_number(session: AsyncSession, actor: Actor, tenant_id: uuid.UUID) -> str:
    """MP-YYYY-NNNNNN: the tenant's gapless counter of the year (rolled back with a refusal)."""
    year = _now().year
    counter = m.TenantCounter.__table__
    statement = (
        pg_insert(counter)
        .values(tenant_id=tenant_id, name=counter_name(year), value=1)
        .on_conflict_do_update(
            index_elements=[counter.c.tenant_id, counter.c.name],
            set_={"value": counter.c.value + 1},
        )
        .returning(counter.c.value)
    )
    value = (await session.execute(statement)).scalar_one()
    if value > 999_999:
        raise refuse(actor.locale, None, C.TOO_MANY, "contract_numbers_exhausted", year=year)
    return contract_number(year, value)


async def _contract_shop_ids(session: AsyncSession, contract_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.execute(
        select(m.ContractShop.shop_id).where(m.ContractShop.contract_id == contract_id)
    )
    return list(rows.scalars())


async def _set_shops(
    session: AsyncSession, contract: m.Contract, shop_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(
        delete(m.ContractShop.__table__).where(
            m.ContractShop.__table__.c.contract_id == contract.id
        )
    )
    if shop_ids:
        await session.execute(
            insert(m.ContractShop.__table__),
            [
                {"tenant_id": contract.tenant_id, "contract_id": contract.id, "shop_id": shop_id}
                for shop_id in shop_ids
            ],
        )


def _touch(contract: m.Contract) -> None:
    """Make the contract's row change (and its version move) when only its children changed."""
    contract.updated_at = _now()


async def _load_contract(actor: Actor, session: AsyncSession, contract_id: uuid.UUID) -> Any:
    return await load_for_update(
        session, m.Contract, contract_id, locale=actor.locale, path=["input", "id"], kind="Contract"
    )
