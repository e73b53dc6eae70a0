"""Shops: added to a company, edited, closed.

Each use case validates everything, checks the policy's limits and the lifecycle, then writes
the change and its journal entry in the request's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from db import models as m
from db.enums import CompanyStatus, ShopStatus
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import SHOP, check_transition
from resolvers.merchants.addresses import AddressData, _address, _flush
from resolvers.terminals.services import live_services_at_shop, return_idle_terminals
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from tenancy import policy

#: What the journal records of a shop: every column but those named here
#: (resolvers/journal.py `journaled`; a new column is journaled).
SHOP_FIELDS = journal.journaled(
    m.Shop,
    name="SHOP_FIELDS",
    exclude={
        "company_id": "recorded as `companyId` by the creation entry (a shop never moves)",
        "closed_at": "the closing entry's occurred_at",
    },
)


@dataclass(frozen=True)
class ShopData:
    company_id: uuid.UUID
    name: str | None
    siret: str | None
    address: AddressData | None
    mcc: str | None = None


async def create_shop(actor: Actor, data: ShopData) -> m.Shop:
    v = Validator(actor.locale)
    p = ["input"]
    name = v.text([*p, "name"], data.name)
    address = _address(v, [*p, "address"], data.address)
    given = data.mcc is not None and data.mcc.strip() != ""  # else the company's
    mcc = v.mcc([*p, "mcc"], data.mcc) if given else None
    async with actor.scope() as session:
        company = await session.get(m.Company, (actor.tenant_id, data.company_id))
        if company is None:
            v.add([*p, "companyId"], C.NOT_FOUND, "not_found", kind="Company")
            v.raise_if_any()
        assert company is not None
        siret = v.siret([*p, "siret"], data.siret, company.siren)
        v.raise_if_any()
        allowed_states = policy.state_limit(actor.principal, "createShop")
        if allowed_states is not None and company.status.value not in allowed_states:
            raise refuse(actor.locale, None, C.INVALID_TRANSITION, "seller_after_active")
        if company.status is CompanyStatus.CLOSED:
            raise refuse(
                actor.locale,
                [*p, "companyId"],
                C.INVALID_TRANSITION,
                "company_state",
                expected="open",
                state=company.status.value,
            )
        taken = await session.scalar(
            select(func.count()).select_from(m.Shop).where(m.Shop.siret == siret)
        )
        if taken:
            raise refuse(actor.locale, [*p, "siret"], C.DUPLICATE, "siret_taken")
        shop = m.Shop(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            company_id=company.id,
            name=name,
            siret=siret,
            mcc=mcc or company.mcc,
            status=ShopStatus.OPEN,
            **address,
        )
        session.add(shop)
        await _flush(session, actor.locale, [*p, "siret"], "siret_taken")
        journal.record(
            session,
            actor,
            tenant_id=shop.tenant_id,
            action="shop.created",
            entity_type="Shop",
            entity_id=shop.id,
            after={**journal.snapshot(shop, SHOP_FIELDS), "companyId": str(company.id)},
        )
        await session.flush()
    return shop


async def update_shop(
    actor: Actor,
    shop_id: uuid.UUID,
    changes: dict[str, Any],
    expected_version: int | None,
    reason: str | None = None,
) -> m.Shop:
    """Rename, move, change MCC, or close a shop (`status: CLOSED` with a reason)."""
    v = Validator(actor.locale)
    p = ["input"]
    if not changes:
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    values: dict[str, Any] = {}
    closing = changes.get("status") == ShopStatus.CLOSED
    for name, value in changes.items():
        if name == "name":
            values[name] = v.text([*p, "name"], value)
        elif name == "mcc":
            values[name] = v.mcc([*p, "mcc"], value)
        elif name == "address":
            values.update(_address(v, [*p, "address"], value))
    reason = v.reason([*p, "reason"], reason, required=closing)
    v.raise_if_any()
    async with actor.scope() as session:
        shop = await load_for_update(
            session, m.Shop, shop_id, locale=actor.locale, path=[*p, "id"], kind="Shop"
        )
        company = await session.get(m.Company, (shop.tenant_id, shop.company_id))
        allowed_states = policy.state_limit(actor.principal, "updateShop")
        if (
            allowed_states is not None
            and company is not None
            and company.status.value not in allowed_states
        ):
            raise refuse(actor.locale, None, C.INVALID_TRANSITION, "seller_after_active")
        if shop.status is ShopStatus.CLOSED:
            check_transition(SHOP, shop.status, "close", actor)
        if closing:
            check_transition(SHOP, shop.status, "close", actor)
            live = await live_services_at_shop(session, shop.id)
            if live:
                raise refuse(
                    actor.locale,
                    [*p, "status"],
                    C.INVALID_TRANSITION,
                    "shop_still_in_use",
                    count=live,
                )
        check_version(shop, expected_version, actor.locale)
        before = journal.snapshot(shop, SHOP_FIELDS)
        for name, value in values.items():
            setattr(shop, name, value)
        if closing:
            shop.status = ShopStatus.CLOSED
            shop.closed_at = dt.datetime.now(dt.UTC)
            await return_idle_terminals(session, actor, shop.id, reason)
        after = journal.snapshot(shop, SHOP_FIELDS)
        changed_before, changed_after = journal.changes(before, after)
        if not changed_after:
            return shop
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=shop.tenant_id,
            action="shop.closed" if closing else "shop.updated",
            entity_type="Shop",
            entity_id=shop.id,
            before=changed_before,
            after=changed_after,
            reason=reason,
        )
        await session.flush()
    return shop
