"""Contract use cases: create, edit the draft, sign, change fees, suspend, resume, terminate;
the approval hooks of FEE_CHANGE and TERMINATION requests; and the fee simulation.

Each mutation validates everything first, then in the request's transaction locks the
contract, checks its version (CONFLICT) and its lifecycle (INVALID_TRANSITION), writes, and
journals the change with its values before and after. A refusal anywhere writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CardScheme,
    CompanyStatus,
    ContractStatus,
    FeeRegion,
    RequestType,
    ServiceKind,
    ServiceStatus,
    ShopStatus,
)
from resolvers import documents as rd
from resolvers import journal
from resolvers import notifications as notes
from resolvers.contract_status import sync_company_status
from resolvers.contracts import current_fee_schedule
from resolvers.errors import BadUserInput
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeLineData,
    FeeScheduleChange,
    FeeScheduleData,
    apply_fee_change,
    schedule_on,
    validate_fee_change,
)
from resolvers.fleet import end_services
from resolvers.lifecycles import CONTRACT, check_transition
from resolvers.messages import message
from resolvers.onboarding import HOOKS
from resolvers.pagination import SessionScope
from resolvers.request_moves import end_requests_about
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator

#: Contract columns the journal records.
CONTRACT_FIELDS = (
    "number",
    "status",
    "service_kinds",
    "currency",
    "signatory_name",
    "status_reason",
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


async def _next_number(session: AsyncSession, actor: Actor, tenant_id: uuid.UUID) -> str:
    """MP-YYYY-NNNNNN: the tenant's gapless counter of the year (rolled back with a refusal)."""
    year = _now().year
    counter = m.TenantCounter.__table__
    statement = (
        pg_insert(counter)
        .values(tenant_id=tenant_id, name=f"contract_number:{year}", value=1)
        .on_conflict_do_update(
            index_elements=[counter.c.tenant_id, counter.c.name],
            set_={"value": counter.c.value + 1},
        )
        .returning(counter.c.value)
    )
    value = (await session.execute(statement)).scalar_one()
    if value > 999_999:
        raise refuse(actor.locale, None, C.TOO_MANY, "contract_numbers_exhausted", year=year)
    return f"MP-{year}-{value:06d}"


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


async def _versions(session: AsyncSession, contract_id: uuid.UUID) -> list[m.FeeSchedule]:
    rows = await session.execute(
        select(m.FeeSchedule)
        .where(m.FeeSchedule.contract_id == contract_id)
        .order_by(m.FeeSchedule.version_number)
    )
    return list(rows.scalars())


async def _lines(session: AsyncSession, schedule_id: uuid.UUID) -> list[FeeLineData]:
    table = m.FeeLine.__table__
    rows = await session.execute(
        select(table.c.scheme, table.c.region, table.c.rate_bps, table.c.fixed_fee)
        .where(table.c.fee_schedule_id == schedule_id)
        .order_by(table.c.scheme, table.c.region)
    )
    return [
        FeeLineData(
            scheme=CardScheme(r.scheme),
            region=FeeRegion(r.region),
            rate_bps=r.rate_bps,
            fixed_fee=r.fixed_fee,
        )
        for r in rows
    ]


async def _set_lines(
    session: AsyncSession, schedule: m.FeeSchedule, lines: Sequence[FeeLineData]
) -> None:
    table = m.FeeLine.__table__
    await session.execute(delete(table).where(table.c.fee_schedule_id == schedule.id))
    if lines:
        await session.execute(
            insert(table),
            [
                {
                    "tenant_id": schedule.tenant_id,
                    "fee_schedule_id": schedule.id,
                    "scheme": line.scheme.value,
                    "region": line.region.value,
                    "rate_bps": line.rate_bps,
                    "fixed_fee": line.fixed_fee,
                }
                for line in lines
            ],
        )


def fees_json(
    version: int,
    effective_from: dt.date,
    currency: str,
    terminal_rental_monthly: int,
    softpos_fee_monthly: int,
    lines: Sequence[FeeLineData],
) -> dict[str, Any]:
    """A fee schedule version as the journal records it (the demo data's form)."""
    return {
        "version": version,
        "effectiveFrom": effective_from.isoformat(),
        "currency": currency,
        "terminalRentalMonthly": terminal_rental_monthly,
        "softposFeeMonthly": softpos_fee_monthly,
        "lines": [
            {
                "scheme": line.scheme.value,
                "region": line.region.value,
                "rateBps": line.rate_bps,
                "fixedFee": line.fixed_fee,
            }
            for line in sorted(lines, key=lambda ln: (ln.scheme.value, ln.region.value))
        ],
    }


def schedule_json(schedule: m.FeeSchedule, lines: Sequence[FeeLineData]) -> dict[str, Any]:
    return fees_json(
        schedule.version_number,
        schedule.effective_from,
        schedule.currency,
        schedule.terminal_rental_monthly,
        schedule.softpos_fee_monthly,
        lines,
    )


def data_json(version: int, fees: FeeScheduleData) -> dict[str, Any]:
    return fees_json(
        version,
        fees.effective_from or _today(),
        fees.currency,
        fees.terminal_rental_monthly,
        fees.softpos_fee_monthly,
        fees.lines,
    )


async def _add_schedule(
    session: AsyncSession,
    actor: Actor | None,
    contract: m.Contract,
    fees: FeeScheduleData,
    version_number: int,
    *,
    reason: str | None,
    request_id: uuid.UUID | None = None,
) -> m.FeeSchedule:
    schedule = m.FeeSchedule(
        tenant_id=contract.tenant_id,
        id=uuid.uuid4(),
        contract_id=contract.id,
        version_number=version_number,
        effective_from=fees.effective_from or _today(),
        currency=fees.currency,
        terminal_rental_monthly=fees.terminal_rental_monthly,
        softpos_fee_monthly=fees.softpos_fee_monthly,
        reason=reason,
        request_id=request_id,
        created_by=_user_id(actor) if actor else None,
    )
    session.add(schedule)
    await session.flush()
    await _set_lines(session, schedule, fees.lines)
    return schedule


def _touch(contract: m.Contract) -> None:
    """Make the contract's row change (and its version move) when only its children changed."""
    contract.updated_at = _now()


async def _load_contract(actor: Actor, session: AsyncSession, contract_id: uuid.UUID) -> Any:
    return await load_for_update(
        session, m.Contract, contract_id, locale=actor.locale, path=["input", "id"], kind="Contract"
    )


# --------------------------------------------------------------------------- create, draft, sign


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


async def sign_contract(
    actor: Actor,
    contract_id: uuid.UUID,
    signatory_name: str | None,
    expected_version: int | None,
    document_sha256: str | None = None,
) -> m.Contract:
    """DRAFT → SIGNED, once it covers a shop, provides a service and has its fees, on the
    document the signatory was shown (`document_sha256`: refused with CONFLICT when the draft
    changed since). The signed copy, with its signature page, is stored for good."""
    v = Validator(actor.locale)
    p = ["input"]
    signatory = v.text([*p, "signatoryName"], signatory_name)
    v.raise_if_any()
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        transition = check_transition(CONTRACT, contract.status, "sign", actor)
        company = await session.get(m.Company, (contract.tenant_id, contract.company_id))
        assert company is not None
        _company_can_contract(actor, company, None)
        shop_ids = await _contract_shop_ids(session, contract.id)
        if not shop_ids:
            v.add(None, C.INVALID, "sign_needs_shop")
        else:
            shops = (
                await session.execute(
                    select(m.Shop).where(m.Shop.id.in_(shop_ids)).order_by(m.Shop.name)
                )
            ).scalars()
            for shop in shops:
                if shop.status is not ShopStatus.OPEN:
                    v.add(None, C.INVALID, "sign_shop_closed", name=shop.name)
        if not contract.service_kinds:
            v.add(None, C.INVALID, "sign_needs_service")
        versions = await _versions(session, contract.id)
        if not versions or not await _lines(session, versions[-1].id):
            v.add(None, C.INVALID, "sign_needs_fees")
        if document_sha256 is None or not document_sha256.strip():
            v.add([*p, "documentSha256"], C.REQUIRED, "required")
        v.raise_if_any()
        shown, language = await rd.check_signed_document(session, actor, contract, document_sha256)
        contract.status = transition.target  # type: ignore[assignment]
        contract.signed_at = _now()
        contract.signed_by = _user_id(actor)
        contract.signatory_name = signatory
        contract.signed_document_sha256 = (document_sha256 or "").strip().lower()
        await session.flush()
        await rd.store_signed_copy(
            session, actor, contract, shown, language, contract.signed_document_sha256
        )
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action=SIGNED,
            entity_type="Contract",
            entity_id=contract.id,
            before={"status": ContractStatus.DRAFT.value},
            after={
                "status": contract.status.value,
                "number": contract.number,
                "signatoryName": signatory,
                "signedAt": contract.signed_at.isoformat(),
                "documentSha256": contract.signed_document_sha256,
            },
        )
        await notes.contract_signed(session, actor, contract)
        await session.flush()
    return contract


# --------------------------------------------------------------------------- fees


async def _apply_fee_change(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    change: FeeScheduleChange,
    reason: str | None,
    *,
    request: m.Request | None = None,
) -> m.FeeSchedule:
    """A new fee schedule version (history kept), journaled with the version it replaces.

    The new version is the one in force on its effective date, changed as `change` says:
    lines it does not name carry over, the lines it removes are named.
    """
    check_transition(CONTRACT, contract.status, "changeFees", actor)  # state unchanged
    versions = await _versions(session, contract.id)
    replaced, base = await schedule_on(session, contract.id, change.effective_from)
    v = Validator(actor.locale)
    fees = apply_fee_change(
        v,
        ["input", "fees"] if request is None else None,
        change,
        base,
        contract.currency,
    )
    v.raise_if_any()
    before = (
        schedule_json(replaced, base.lines) if replaced is not None and base is not None else None
    )
    number = max((version.version_number for version in versions), default=0) + 1
    schedule = await _add_schedule(
        session,
        actor,
        contract,
        fees,
        number,
        reason=reason,
        request_id=request.id if request is not None else None,
    )
    _touch(contract)
    await session.flush()
    # Each fee version after signature is an amendment (avenant) the merchant receives.
    await rd.store_amendment(session, actor, contract, schedule, reason)
    after = schedule_json(schedule, fees.lines)
    if request is not None:
        after["request"] = request.reference
    journal.record(
        session,
        actor,
        tenant_id=contract.tenant_id,
        action=FEES_CHANGED,
        entity_type="Contract",
        entity_id=contract.id,
        before=before,
        after=after,
        reason=reason,
    )
    await session.flush()
    return schedule


async def change_contract_fees(
    actor: Actor,
    contract_id: uuid.UUID,
    fees: FeeScheduleChange | None,
    reason: str | None,
    expected_version: int | None,
) -> m.Contract:
    """A new fee version on a SIGNED, ACTIVE or SUSPENDED contract, from its effective date."""
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=True)
    checked = None
    if fees is None:
        v.add([*p, "fees"], C.REQUIRED, "required")
    else:
        checked = validate_fee_change(v, [*p, "fees"], fees)
    v.raise_if_any()
    assert checked is not None
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        await _apply_fee_change(session, actor, contract, checked, reason)
    return contract


# --------------------------------------------------------------------------- suspend, resume, end


async def suspend_contract(
    actor: Actor, contract_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=True)
    v.raise_if_any()

    def suspend(contract: m.Contract, target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {"status": contract.status.value}
        contract.status = target
        contract.suspended_at = _now()
        contract.status_reason = reason
        return before, {"status": contract.status.value}

    return await _change_status(
        actor, contract_id, expected_version, "suspend", SUSPENDED, reason, suspend
    )


async def resume_contract(
    actor: Actor, contract_id: uuid.UUID, comment: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    comment = v.reason(["input", "comment"], comment, required=False)
    v.raise_if_any()

    def resume(contract: m.Contract, target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {
            "status": contract.status.value,
            "statusReason": contract.status_reason,
            "suspendedAt": contract.suspended_at.isoformat() if contract.suspended_at else None,
        }
        contract.status = target
        contract.suspended_at = None
        contract.status_reason = None
        return before, {"status": contract.status.value, "statusReason": None, "suspendedAt": None}

    return await _change_status(
        actor, contract_id, expected_version, "resume", RESUMED, comment, resume
    )


async def _change_status(
    actor: Actor,
    contract_id: uuid.UUID,
    expected_version: int | None,
    action: str,
    journal_action: str,
    reason: str | None,
    change: Callable[[m.Contract, Any], tuple[dict[str, Any], dict[str, Any]]],
) -> m.Contract:
    """Load, check the version and the transition, `change` the contract (it returns the
    journal's before and after), journal it, and let the company's status follow."""
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        transition = check_transition(CONTRACT, contract.status, action, actor)
        before, after = change(contract, transition.target)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action=journal_action,
            entity_type="Contract",
            entity_id=contract.id,
            before=before,
            after=after,
            reason=reason,
        )
        await session.flush()
        await sync_company_status(session, actor, contract.company_id)
    return contract


async def _terminate(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    reason: str | None,
    request: m.Request | None = None,
) -> None:
    """TERMINATED; its live services deactivated, their terminals RETURNED; company follows."""
    transition = check_transition(CONTRACT, contract.status, "terminate", actor)
    now = _now()
    before = contract.status
    contract.status = transition.target  # type: ignore[assignment]
    contract.terminated_at = now
    contract.status_reason = reason
    await session.flush()
    after: dict[str, Any] = {"status": contract.status.value}
    if request is not None:
        after["request"] = request.reference
    journal.record(
        session,
        actor,
        tenant_id=contract.tenant_id,
        action=TERMINATED,
        entity_type="Contract",
        entity_id=contract.id,
        before={"status": before.value},
        after=after,
        reason=reason,
    )
    services = list(
        (
            await session.execute(
                select(m.Service)
                .where(
                    m.Service.contract_id == contract.id,
                    m.Service.status != ServiceStatus.DEACTIVATED,
                )
                .order_by(m.Service.created_at, m.Service.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalars()
    )
    # Its services end as a deactivation ends them: one use case, one behaviour.
    await end_services(session, actor, services, reason)
    await sync_company_status(session, actor, contract.company_id)
    # The undecided requests about the contract (or its company, closed with it) end too.
    await end_requests_about(session, actor, contract, reason, keep=request)


async def terminate_contract(
    actor: Actor, contract_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=True)
    v.raise_if_any()
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        await _terminate(session, actor, contract, reason)
    return contract


# --------------------------------------------------------------------------- request hooks


async def _request_contract(actor: Actor, session: AsyncSession, request: m.Request) -> Any:
    if request.contract_id is None:
        raise refuse(actor.locale, ["input", "requestId"], C.INVALID, "request_without_contract")
    return await load_for_update(
        session,
        m.Contract,
        request.contract_id,
        locale=actor.locale,
        path=["input", "requestId"],
        kind="Contract",
    )


def _request_reason(request: m.Request) -> str:
    return request.decision_comment or request.subject


async def _approve_fee_change(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    """Approving a FEE_CHANGE request applies its proposed fees as a new version."""
    proposed = (request.payload or {}).get("proposedFees")
    if not proposed:
        raise refuse(actor.locale, ["input", "requestId"], C.INVALID, "request_without_fees")
    data = FeeScheduleChange.from_payload(proposed)
    # Fees are never retroactive: a date that passed while the request waited becomes today.
    if data.effective_from is not None and data.effective_from < _today():
        data = dataclasses.replace(data, effective_from=_today())
    v = Validator(actor.locale)
    fees = validate_fee_change(v, ["proposedFees"], data)
    v.raise_if_any()
    contract = await _request_contract(actor, session, request)
    await _apply_fee_change(
        session, actor, contract, fees, _request_reason(request), request=request
    )


async def _approve_termination(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    """Approving a TERMINATION request terminates its contract."""
    contract = await _request_contract(actor, session, request)
    await _terminate(session, actor, contract, _request_reason(request), request)


HOOKS.on_approve[RequestType.FEE_CHANGE] = _approve_fee_change
HOOKS.on_approve[RequestType.TERMINATION] = _approve_termination


# --------------------------------------------------------------------------- fee simulation


@dataclass(frozen=True)
class SampleTransaction:
    scheme: CardScheme
    region: FeeRegion
    amount: int


@dataclass(frozen=True)
class PricedTransaction:
    scheme: CardScheme
    region: FeeRegion
    amount: int
    rate_bps: int | None
    fixed_fee: int | None
    fee: int | None

    @property
    def missing(self) -> bool:
        return self.fee is None


@dataclass(frozen=True)
class FeeSimulationResult:
    currency: str
    lines: list[PricedTransaction]
    count: int
    amount: int
    priced_amount: int
    fees: int
    missing_count: int
    terminal_rental_monthly: int
    softpos_fee_monthly: int
    version_number: int | None = None
    effective_from: dt.date | None = None

    @property
    def effective_rate_bps(self) -> float | None:
        """Fees over the amount of the priced transactions, in basis points."""
        if self.priced_amount == 0:
            return None
        return self.fees * 10_000 / self.priced_amount


def transaction_fee(amount: int, rate_bps: int, fixed_fee: int) -> int:
    """round-half-up(amount × rate / 10 000) + fixed fee, in integers (minor units)."""
    quotient, remainder = divmod(amount * rate_bps, 10_000)
    return quotient + (1 if 2 * remainder >= 10_000 else 0) + fixed_fee


def price(
    schedule_lines: Sequence[FeeLineData], transactions: Sequence[SampleTransaction]
) -> tuple[list[PricedTransaction], int, int, int]:
    """Each transaction's fee; a (scheme, region) with no line is reported missing, not zero."""
    table = {(line.scheme, line.region): line for line in schedule_lines}
    priced: list[PricedTransaction] = []
    fees = priced_amount = missing = 0
    for tx in transactions:
        line = table.get((tx.scheme, tx.region))
        if line is None:
            missing += 1
            priced.append(PricedTransaction(tx.scheme, tx.region, tx.amount, None, None, None))
            continue
        fee = transaction_fee(tx.amount, line.rate_bps, line.fixed_fee)
        fees += fee
        priced_amount += tx.amount
        priced.append(
            PricedTransaction(tx.scheme, tx.region, tx.amount, line.rate_bps, line.fixed_fee, fee)
        )
    return priced, fees, priced_amount, missing


def _bad_input(v: Validator, locale: str) -> BadUserInput:
    problems = [
        {"field": list(e.field) if e.field else None, "code": e.code.value, "message": e.message}
        for e in v.errors
    ]
    text = " ".join(
        f"{'.'.join(p['field'])}: {p['message']}" if p["field"] else p["message"] for p in problems
    )
    return BadUserInput(text or message("simulation_source", locale), problems=problems)


async def simulate_fees(
    scope: SessionScope,
    locale: str,
    *,
    contract_id: uuid.UUID | None,
    fees: FeeScheduleChange | None,
    transactions: Sequence[SampleTransaction],
    at: dt.date | None = None,
) -> FeeSimulationResult:
    """Price sample transactions under a contract's fees (in force at `at`, default today) or
    a draft schedule. Computes, writes nothing."""
    v = Validator(locale)
    p = ["input"]
    if (contract_id is None) == (fees is None):
        v.add(p, C.INVALID, "simulation_source")
    if not 1 <= len(transactions) <= MAX_SIMULATED:
        v.add([*p, "transactions"], C.OUT_OF_RANGE, "simulation_size", max=MAX_SIMULATED)
    for i, tx in enumerate(transactions[:MAX_SIMULATED]):
        v.amount([*p, "transactions", str(i), "amount"], tx.amount)
    draft = None
    if fees is not None:
        change = validate_fee_change(
            v, [*p, "fees"], dataclasses.replace(fees, effective_from=None)
        )
        if not v:
            draft = apply_fee_change(v, [*p, "fees"], change, None, None)
    if v:
        raise _bad_input(v, locale)
    if draft is not None:
        lines, total_fees, priced_amount, missing = price(draft.lines, transactions)
        return FeeSimulationResult(
            currency=draft.currency,
            lines=lines,
            count=len(lines),
            amount=sum(tx.amount for tx in transactions),
            priced_amount=priced_amount,
            fees=total_fees,
            missing_count=missing,
            terminal_rental_monthly=draft.terminal_rental_monthly,
            softpos_fee_monthly=draft.softpos_fee_monthly,
        )
    assert contract_id is not None
    async with scope() as session:
        contract = (
            await session.execute(select(m.Contract).where(m.Contract.id == contract_id))
        ).scalar_one_or_none()
        if contract is None:
            raise BadUserInput(
                message("not_found", locale, kind="Contract"), argument="input.contractId"
            )
        schedule = current_fee_schedule(await _versions(session, contract.id), at)
        if schedule is None:
            raise BadUserInput(
                message("simulation_no_fees", locale, number=contract.number),
                argument="input.contractId",
            )
        schedule_lines = await _lines(session, schedule.id)
    lines, total_fees, priced_amount, missing = price(schedule_lines, transactions)
    return FeeSimulationResult(
        currency=schedule.currency,
        lines=lines,
        count=len(lines),
        amount=sum(tx.amount for tx in transactions),
        priced_amount=priced_amount,
        fees=total_fees,
        missing_count=missing,
        terminal_rental_monthly=schedule.terminal_rental_monthly,
        softpos_fee_monthly=schedule.softpos_fee_monthly,
        version_number=schedule.version_number,
        effective_from=schedule.effective_from,
    )


__all__ = [
    "CreateContractData",
    "DraftChanges",
    "FeeSimulationResult",
    "PricedTransaction",
    "SampleTransaction",
    "change_contract_fees",
    "create_contract",
    "resume_contract",
    "sign_contract",
    "simulate_fees",
    "suspend_contract",
    "terminate_contract",
    "transaction_fee",
    "update_contract_draft",
]
