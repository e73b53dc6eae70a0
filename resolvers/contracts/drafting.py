"""Create a contract (DRAFT) and edit its draft: shops, services, currency, fees.

Each mutation validates everything first, then in the request's transaction locks the
contract, checks its version (CONFLICT) and its lifecycle (INVALID_TRANSITION), writes, and
journals the change with its values before and after. A refusal anywhere writes nothing.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from db import models as m
from db.enums import (
    ContractStatus,
    ServiceKind,
)
from resolvers import journal
from resolvers.contracts.common import (
    CONTRACT_FIELDS,
    CREATED,
    DRAFT_UPDATED,
    _check_shops,
    _company_can_contract,
    _contract_shop_ids,
    _kinds,
    _load_contract,
    _next_number,
    _set_shops,
    _shop_ids,
    _today,
    _touch,
    _user_id,
)
from resolvers.contracts.schedules import _add_schedule, _set_lines, data_json, schedule_json
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeScheduleChange,
    apply_fee_change,
    schedule_on,
    validate_fee_change,
)
from resolvers.lifecycles import CONTRACT, check_transition
from resolvers.usecase import Actor, check_version, refuse
from resolvers.validation import Validator

# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class CreateContractData:
    company_id: uuid.UUID
    shop_ids: tuple[uuid.UUID, ...] = ()
    service_kinds: tuple[ServiceKind, ...] = ()
    currency: str | None = "EUR"
    fees: FeeScheduleChange | None = None


@dataclass(frozen=True)
class DraftChanges:
    """What updateContractDraft changes; None: left as it is."""

    shop_ids: tuple[uuid.UUID, ...] | None = None
    service_kinds: tuple[ServiceKind, ...] | None = None
    fees: FeeScheduleChange | None = None
    signatory_name: str | None = None

    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in dataclasses.fields(self))


# --------------------------------------------------------------------------- create, edit the draft


async def create_contract(actor: Actor, data: CreateContractData) -> m.Contract:
    """A DRAFT contract for an approved company, numbered MP-YYYY-NNNNNN."""
    v = Validator(actor.locale)
    p = ["input"]
    currency = v.currency([*p, "currency"], data.currency)
    kinds = _kinds(v, [*p, "serviceKinds"], data.service_kinds)
    shop_ids = _shop_ids(v, [*p, "shopIds"], data.shop_ids)
    fees = None
    if data.fees is not None:
        change = validate_fee_change(v, [*p, "fees"], data.fees)
        if not v:
            fees = apply_fee_change(v, [*p, "fees"], change, None, currency)
    v.raise_if_any()
    async with actor.scope() as session:
        company = await session.get(m.Company, (actor.tenant_id, data.company_id))
        if company is None:
            raise refuse(actor.locale, [*p, "companyId"], C.NOT_FOUND, "not_found", kind="Company")
        _company_can_contract(actor, company, [*p, "companyId"])
        await _check_shops(session, v, [*p, "shopIds"], company.id, shop_ids)
        v.raise_if_any()
        contract = m.Contract(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            number=await _next_number(session, actor, actor.tenant_id),
            company_id=company.id,
            status=ContractStatus.DRAFT,
            service_kinds=kinds,
            currency=currency,
            created_by=_user_id(actor),
        )
        session.add(contract)
        await session.flush()
        await _set_shops(session, contract, shop_ids)
        fees_after = None
        if fees is not None:
            schedule = await _add_schedule(
                session, actor, contract, fees, 1, reason="Conditions initiales"
            )
            fees_after = schedule_json(schedule, fees.lines)
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action=CREATED,
            entity_type="Contract",
            entity_id=contract.id,
            after={
                **journal.snapshot(contract, CONTRACT_FIELDS),
                "companyId": str(company.id),
                "shopIds": sorted(str(s) for s in shop_ids),
                "fees": fees_after,
            },
        )
        await session.flush()
    return contract


async def update_contract_draft(
    actor: Actor, contract_id: uuid.UUID, changes: DraftChanges, expected_version: int | None
) -> m.Contract:
    """Edit a DRAFT: shops covered, service kinds, fee schedule (version 1, in place), signatory."""
    v = Validator(actor.locale)
    p = ["input"]
    if changes.empty():
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    kinds = (
        _kinds(v, [*p, "serviceKinds"], changes.service_kinds)
        if changes.service_kinds is not None
        else None
    )
    shop_ids = (
        _shop_ids(v, [*p, "shopIds"], changes.shop_ids) if changes.shop_ids is not None else None
    )
    signatory = (
        v.text([*p, "signatoryName"], changes.signatory_name)
        if changes.signatory_name is not None
        else None
    )
    change = (
        validate_fee_change(v, [*p, "fees"], changes.fees) if changes.fees is not None else None
    )
    v.raise_if_any()
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        check_transition(CONTRACT, contract.status, "editDraft", actor)
        draft_schedule, base = await schedule_on(session, contract.id, None)
        # Lines the input does not name stay as they are; removing one is explicit.
        fees = (
            apply_fee_change(v, [*p, "fees"], change, base, contract.currency)
            if change is not None
            else None
        )
        if shop_ids is not None:
            await _check_shops(session, v, [*p, "shopIds"], contract.company_id, shop_ids)
        v.raise_if_any()

        old_shops = await _contract_shop_ids(session, contract.id)
        old_fees = (
            schedule_json(draft_schedule, base.lines)
            if draft_schedule is not None and base is not None
            else None
        )
        new_shops = shop_ids if shop_ids is not None else old_shops
        before = {
            **journal.snapshot(contract, CONTRACT_FIELDS),
            "shopIds": sorted(str(s) for s in old_shops),
            "fees": old_fees,
        }
        after = {
            **before,
            "serviceKinds": kinds if kinds is not None else before["serviceKinds"],
            "signatoryName": signatory if signatory is not None else before["signatoryName"],
            "shopIds": sorted(str(s) for s in new_shops),
            "fees": data_json(1, fees) if fees is not None else old_fees,
        }
        changed_before, changed_after = journal.changes(before, after)
        if not changed_after:
            return contract

        # One UPDATE of the contract (one version step), then its children.
        if kinds is not None:
            contract.service_kinds = kinds
        if signatory is not None:
            contract.signatory_name = signatory
        _touch(contract)
        await session.flush()
        if "shopIds" in changed_after:
            await _set_shops(session, contract, new_shops)
        if fees is not None and "fees" in changed_after:
            if draft_schedule is None:
                await _add_schedule(
                    session, actor, contract, fees, 1, reason="Conditions initiales"
                )
            else:
                draft_schedule.effective_from = fees.effective_from or _today()
                draft_schedule.currency = fees.currency
                draft_schedule.terminal_rental_monthly = fees.terminal_rental_monthly
                draft_schedule.softpos_fee_monthly = fees.softpos_fee_monthly
                draft_schedule.created_by = _user_id(actor)
                await _set_lines(session, draft_schedule, fees.lines)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action=DRAFT_UPDATED,
            entity_type="Contract",
            entity_id=contract.id,
            before=changed_before,
            after=changed_after,
        )
        await session.flush()
    return contract
