"""Onboarding use cases: companies, shops, and requests (evaluation, support, fee change...).

Each use case validates everything, checks the policy's limits and the lifecycle, then writes
the change and its journal entry in the request's transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CompanyStatus, ContractStatus, RequestStatus, RequestType, ShopStatus
from resolvers import journal
from resolvers import notifications as notes
from resolvers.contracts import request_decisions
from resolvers.documents import check_evaluation_documents
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeScheduleChange,
    apply_fee_change,
    schedule_on,
    validate_fee_change,
)
from resolvers.lifecycles import COMPANY, REQUEST, SHOP, check_transition
from resolvers.request_moves import due_at_for
from resolvers.terminals.services import live_services_at_shop, return_idle_terminals
from resolvers.usecase import Actor, Refused, check_version, load_for_update, refuse
from resolvers.validation import Validator
from tenancy import policy

#: What the journal records of a company, a shop and a request: every column but those
#: named here (resolvers/journal.py `journaled`; a new column is journaled). The IBAN is
#: journaled masked, as the policy masks it (policy.MASKS).
COMPANY_FIELDS = journal.journaled(
    m.Company,
    name="COMPANY_FIELDS",
    exclude={
        "status_reason": "the status change entry's reason",
        "created_by": "the creation entry's actor",
    },
)
SHOP_FIELDS = journal.journaled(
    m.Shop,
    name="SHOP_FIELDS",
    exclude={
        "company_id": "recorded as `companyId` by the creation entry (a shop never moves)",
        "closed_at": "the closing entry's occurred_at",
    },
)
REQUEST_FIELDS = journal.journaled(
    m.Request,
    name="REQUEST_FIELDS",
    exclude={
        "company_id": "the request's subject: its entries are read from the company's page",
        "contract_id": "the request's subject: its entries are read from the contract's page",
        "author_id": "the creation entry's actor",
        "description": "free text of any length, read on the request itself",
        "payload": "what the creation entry records of it is chosen by the request's type",
        "decided_by": "the decision entry's actor",
        "decided_at": "the decision entry's occurred_at",
        "due_at": "derived from the request type's due time (requestDueTimes)",
    },
)

#: GraphQL input names of the company fields (for the policy's input limits).
COMPANY_INPUT_NAMES = {
    "legal_name": "legalName",
    "trade_name": "tradeName",
    "legal_form": "legalForm",
    "mcc": "mcc",
    "address": "address",
    "contact_name": "contactName",
    "contact_email": "contactEmail",
    "contact_phone": "contactPhone",
    "iban": "iban",
    "bic": "bic",
}


@dataclass(frozen=True)
class AddressData:
    line1: str | None
    postal_code: str | None
    city: str | None
    line2: str | None = None
    country: str | None = "FR"


@dataclass(frozen=True)
class CompanyData:
    legal_name: str | None
    siren: str | None
    legal_form: str | None
    mcc: str | None
    address: AddressData | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    trade_name: str | None = None
    iban: str | None = None
    bic: str | None = None


@dataclass(frozen=True)
class ShopData:
    company_id: uuid.UUID
    name: str | None
    siret: str | None
    address: AddressData | None
    mcc: str | None = None


def _address(v: Validator, path: list[str], address: AddressData | None) -> dict[str, Any]:
    if address is None:
        v.add(path, C.REQUIRED, "required")
        return {}
    country = v.country([*path, "country"], address.country)
    return {
        "address_line1": v.text([*path, "line1"], address.line1),
        "address_line2": v.text([*path, "line2"], address.line2, required=False),
        "postal_code": v.postal_code([*path, "postalCode"], address.postal_code, country),
        "city": v.text([*path, "city"], address.city, max_length=120),
        "country": country,
    }


async def _flush(session: AsyncSession, locale: str, path: list[str], key: str) -> None:
    """Flush; a unique violation that raced our checks becomes a DUPLICATE user error."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise refuse(locale, path, C.DUPLICATE, key) from exc


# --------------------------------------------------------------------------- companies


async def create_company(actor: Actor, data: CompanyData) -> m.Company:
    v = Validator(actor.locale)
    p = ["input"]
    values = {
        "legal_name": v.text([*p, "legalName"], data.legal_name),
        "trade_name": v.text([*p, "tradeName"], data.trade_name, required=False),
        "siren": v.siren([*p, "siren"], data.siren),
        "legal_form": v.text([*p, "legalForm"], data.legal_form, max_length=40),
        "mcc": v.mcc([*p, "mcc"], data.mcc),
        "contact_name": v.text([*p, "contactName"], data.contact_name),
        "contact_email": v.email([*p, "contactEmail"], data.contact_email),
        "contact_phone": v.phone([*p, "contactPhone"], data.contact_phone),
        "iban": v.iban([*p, "iban"], data.iban),
        "bic": v.bic([*p, "bic"], data.bic),
        **_address(v, [*p, "address"], data.address),
    }
    v.raise_if_any()
    async with actor.scope() as session:
        existing = await session.scalar(
            select(m.Company.status).where(m.Company.siren == values["siren"])
        )
        if existing is CompanyStatus.CLOSED:
            # One record per legal entity: a merchant that comes back is reopened (a new
            # evaluation of its record, history kept), not created a second time.
            raise refuse(actor.locale, [*p, "siren"], C.DUPLICATE, "siren_closed")
        if existing is not None:
            raise refuse(actor.locale, [*p, "siren"], C.DUPLICATE, "siren_taken")
        company = m.Company(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            status=CompanyStatus.PROSPECT,
            created_by=actor.principal.user_id if not actor.principal.is_platform else None,
            **values,
        )
        session.add(company)
        await _flush(session, actor.locale, [*p, "siren"], "siren_taken")
        journal.record(
            session,
            actor,
            tenant_id=company.tenant_id,
            action="company.created",
            entity_type="Company",
            entity_id=company.id,
            after=journal.snapshot(company, COMPANY_FIELDS),
        )
        await session.flush()
    return company


async def update_company(
    actor: Actor,
    company_id: uuid.UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> m.Company:
    """Change some of a company's fields; `changes` holds only the fields given."""
    v = Validator(actor.locale)
    p = ["input"]
    if not changes:
        raise refuse(actor.locale, p, C.INVALID, "nothing_to_change")
    limit = policy.input_limit(actor.principal, "updateCompany")
    if limit is not None:
        outside = [k for k in changes if COMPANY_INPUT_NAMES.get(k, k) not in limit]
        for name in outside:
            v.add([*p, COMPANY_INPUT_NAMES.get(name, name)], C.INVALID, "contact_only")
        v.raise_if_any()
    values: dict[str, Any] = {}
    for name, value in changes.items():
        path = [*p, COMPANY_INPUT_NAMES.get(name, name)]
        if name in ("legal_name", "contact_name"):
            values[name] = v.text(path, value)
        elif name == "trade_name":
            values[name] = v.text(path, value, required=False)
        elif name == "legal_form":
            values[name] = v.text(path, value, max_length=40)
        elif name == "mcc":
            values[name] = v.mcc(path, value)
        elif name == "contact_email":
            values[name] = v.email(path, value)
        elif name == "contact_phone":
            values[name] = v.phone(path, value)
        elif name == "iban":
            values[name] = v.iban(path, value)
        elif name == "bic":
            values[name] = v.bic(path, value)
        elif name == "address":
            values.update(_address(v, path, value))
    v.raise_if_any()
    async with actor.scope() as session:
        company = await load_for_update(
            session, m.Company, company_id, locale=actor.locale, path=[*p, "id"], kind="Company"
        )
        allowed_states = policy.state_limit(actor.principal, "updateCompany")
        if allowed_states is not None and company.status.value not in allowed_states:
            raise refuse(actor.locale, None, C.INVALID_TRANSITION, "seller_after_active")
        if company.status is CompanyStatus.CLOSED:
            raise refuse(
                actor.locale,
                None,
                C.INVALID_TRANSITION,
                "invalid_transition",
                action="updateCompany",
                entity="company",
                state=company.status.value,
                allowed="—",
            )
        check_version(company, expected_version, actor.locale)
        before = journal.snapshot(company, COMPANY_FIELDS)
        for name, value in values.items():
            setattr(company, name, value)
        after = journal.snapshot(company, COMPANY_FIELDS)
        changed_before, changed_after = journal.changes(before, after)
        if not changed_after:
            return company
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=company.tenant_id,
            action="company.updated",
            entity_type="Company",
            entity_id=company.id,
            before=changed_before,
            after=changed_after,
        )
        await session.flush()
    return company


# --------------------------------------------------------------------------- shops


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


# --------------------------------------------------------------------------- requests

#: Contracts a fee change or a termination can be asked for.
LIVE_CONTRACT_STATES = (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.SUSPENDED)

_LETTERS = string.ascii_uppercase
_DIGITS = string.digits


def new_reference() -> str:
    """A short request reference like DJYVVV158AC: 6 letters, 3 digits, 2 letters."""
    pick = secrets.choice
    return (
        "".join(pick(_LETTERS) for _ in range(6))
        + "".join(pick(_DIGITS) for _ in range(3))
        + "".join(pick(_LETTERS) for _ in range(2))
    )


async def _free_reference(session: AsyncSession) -> str:
    for _ in range(10):
        reference = new_reference()
        taken = await session.scalar(
            select(func.count()).select_from(m.Request).where(m.Request.reference == reference)
        )
        if not taken:
            return reference
    raise RuntimeError("could not draw a free request reference")


@dataclass(frozen=True)
class RequestData:
    type: RequestType
    company_id: uuid.UUID
    subject: str | None
    description: str | None = None
    contract_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    proposed_fees: FeeScheduleChange | None = None


def _new_request(actor: Actor, reference: str, **values: Any) -> m.Request:
    return m.Request(
        tenant_id=actor.tenant_id,
        id=uuid.uuid4(),
        reference=reference,
        status=RequestStatus.OPEN,
        author_id=actor.principal.user_id,
        **values,
    )


async def request_evaluation(
    actor: Actor, company_id: uuid.UUID, comment: str | None, expected_version: int | None
) -> tuple[m.Request, m.Company]:
    """Ask for the commercial evaluation of a prospect: an EVALUATION request is opened."""
    v = Validator(actor.locale)
    comment = v.text(["input", "comment"], comment, required=False, max_length=2000, multiline=True)
    v.raise_if_any()
    async with actor.scope() as session:
        company = await load_for_update(
            session,
            m.Company,
            company_id,
            locale=actor.locale,
            path=["input", "companyId"],
            kind="Company",
        )
        check_version(company, expected_version, actor.locale)
        transition = check_transition(COMPANY, company.status, "requestEvaluation", actor)
        before = company.status
        company.status = transition.target  # type: ignore[assignment]
        request = _new_request(
            actor,
            await _free_reference(session),
            due_at=await due_at_for(session, RequestType.EVALUATION, dt.datetime.now(dt.UTC)),
            type=RequestType.EVALUATION,
            company_id=company.id,
            subject=f"Évaluation commerciale — {company.legal_name}"[:200],
            description=comment,
        )
        session.add(request)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=company.tenant_id,
            action="request.created",
            entity_type="Request",
            entity_id=request.id,
            after=journal.snapshot(request, REQUEST_FIELDS),
        )
        journal.record(
            session,
            actor,
            tenant_id=company.tenant_id,
            action="company.evaluation_requested",
            entity_type="Company",
            entity_id=company.id,
            before={"status": before.value},
            after={"status": company.status.value, "request": request.reference},
        )
        await notes.evaluation_requested(session, actor, request, company)
        await session.flush()
    return request, company


async def create_request(actor: Actor, data: RequestData) -> m.Request:
    """Open a SUPPORT, FEE_CHANGE or TERMINATION request (evaluations have their mutation)."""
    v = Validator(actor.locale)
    p = ["input"]
    subject = v.text([*p, "subject"], data.subject)
    description = v.text(
        [*p, "description"], data.description, required=False, max_length=5000, multiline=True
    )
    if data.type is RequestType.EVALUATION:
        v.add([*p, "type"], C.INVALID, "request_type", type=data.type.value)
    elif not policy.may_open_request(actor.principal, data.type.value):
        v.add([*p, "type"], C.INVALID, "request_type_role", type=data.type.value)
    needs_contract = data.type in (RequestType.FEE_CHANGE, RequestType.TERMINATION)
    if needs_contract and data.contract_id is None:
        v.add([*p, "contractId"], C.REQUIRED, "required")
    payload: dict[str, Any] | None = None
    if data.type is RequestType.FEE_CHANGE:
        if data.proposed_fees is None:
            v.add([*p, "proposedFees"], C.REQUIRED, "required")
        else:
            fees = validate_fee_change(v, [*p, "proposedFees"], data.proposed_fees)
            payload = {"proposedFees": fees.to_payload()}
    v.raise_if_any()
    async with actor.scope() as session:
        company = await session.get(m.Company, (actor.tenant_id, data.company_id))
        if company is None:
            raise refuse(actor.locale, [*p, "companyId"], C.NOT_FOUND, "not_found", kind="Company")
        if data.contract_id is not None:
            contract = await session.get(m.Contract, (actor.tenant_id, data.contract_id))
            if contract is None or contract.company_id != company.id:
                raise refuse(
                    actor.locale, [*p, "contractId"], C.NOT_FOUND, "not_found", kind="Contract"
                )
            if needs_contract and contract.status not in LIVE_CONTRACT_STATES:
                raise refuse(
                    actor.locale,
                    [*p, "contractId"],
                    C.INVALID_TRANSITION,
                    "contract_state",
                    expected=", ".join(s.value for s in LIVE_CONTRACT_STATES),
                    state=contract.status.value,
                )
            if data.proposed_fees is not None and payload is not None:
                # What it asks for must apply to the contract's grid (checked again on approval).
                _, base = await schedule_on(session, contract.id, fees.effective_from)
                apply_fee_change(v, [*p, "proposedFees"], fees, base, contract.currency)
                v.raise_if_any()
        if data.assignee_id is not None:
            assignee = await session.get(m.User, (actor.tenant_id, data.assignee_id))
            if assignee is None:
                raise refuse(
                    actor.locale, [*p, "assigneeId"], C.NOT_FOUND, "not_found", kind="User"
                )
        request = _new_request(
            actor,
            await _free_reference(session),
            due_at=await due_at_for(session, data.type, dt.datetime.now(dt.UTC)),
            type=data.type,
            company_id=company.id,
            contract_id=data.contract_id,
            assignee_id=data.assignee_id,
            subject=subject,
            description=description,
            payload=payload,
        )
        session.add(request)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=request.tenant_id,
            action="request.created",
            entity_type="Request",
            entity_id=request.id,
            after={**journal.snapshot(request, REQUEST_FIELDS), **(payload or {})},
        )
        await notes.request_created(session, actor, request)
        await session.flush()
    return request


async def comment_request(
    actor: Actor, request_id: uuid.UUID, body: str | None
) -> tuple[m.Request, m.RequestComment]:
    """Comment; a colleague who may hold the request (not its author) commenting an OPEN request
    takes it in review."""
    v = Validator(actor.locale)
    text = v.text(["input", "body"], body, max_length=5000, multiline=True)
    v.raise_if_any()
    async with actor.scope() as session:
        request = await load_for_update(
            session,
            m.Request,
            request_id,
            locale=actor.locale,
            path=["input", "requestId"],
            kind="Request",
        )
        comment = m.RequestComment(
            tenant_id=request.tenant_id,
            id=uuid.uuid4(),
            request_id=request.id,
            author_id=None if actor.principal.is_platform else actor.principal.user_id,
            author_label=actor.label,
            body=text,
        )
        session.add(comment)
        before = request.status
        principal = actor.principal
        # A colleague who may hold the request's type (or a platform admin) takes it in review
        # by commenting; anyone else (a seller adding a note to a colleague's evaluation) only
        # comments: the request stays where it is and with whom it is.
        reviewer = principal.is_platform or policy.may_hold_request(
            principal.role, request.type.value
        )
        if (
            request.status is RequestStatus.OPEN
            and request.author_id != principal.user_id
            and reviewer
        ):
            transition = check_transition(REQUEST, request.status, "review", actor)
            request.status = transition.target  # type: ignore[assignment]
            if request.assignee_id is None and not principal.is_platform:
                request.assignee_id = principal.user_id
        request.updated_at = dt.datetime.now(dt.UTC)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=request.tenant_id,
            action="request.commented",
            entity_type="Request",
            entity_id=request.id,
            before={"status": before.value} if before is not request.status else None,
            after={"status": request.status.value} if before is not request.status else None,
        )
        await notes.request_commented(session, actor, request, text)
        await session.flush()
    return request, comment


#: Journal action of each request decision.
REQUEST_ACTIONS = {
    "approve": "request.approved",
    "resolve": "request.resolved",
    "reject": "request.rejected",
}


async def _approve_evaluation(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    company = await load_for_update(
        session, m.Company, request.company_id, locale=actor.locale, path=["input"], kind="Company"
    )
    transition = check_transition(COMPANY, company.status, "approve", actor)
    # The documents the tenant requires for an evaluation must be there.
    await check_evaluation_documents(session, actor, company.id)
    before = company.status
    company.status = transition.target  # type: ignore[assignment]
    company.status_reason = None
    journal.record(
        session,
        actor,
        tenant_id=company.tenant_id,
        action="company.approved",
        entity_type="Company",
        entity_id=company.id,
        before={"status": before.value},
        after={"status": company.status.value, "request": request.reference},
    )


#: What approving a request does besides closing it, by type: every approval in one table
#: (a SUPPORT request is resolved, with nothing else to do).
ApproveHook = Callable[[Actor, AsyncSession, m.Request], Awaitable[None]]
APPROVALS: dict[RequestType, ApproveHook] = {
    RequestType.EVALUATION: _approve_evaluation,
    RequestType.FEE_CHANGE: request_decisions.approve_fee_change,
    RequestType.TERMINATION: request_decisions.approve_termination,
}


async def decide_request(
    actor: Actor,
    request_id: uuid.UUID,
    *,
    approve: bool,
    comment: str | None,
    expected_version: int | None,
) -> m.Request:
    """Approve or reject a request (a reason is required to reject)."""
    v = Validator(actor.locale)
    comment = v.reason(["input", "comment"], comment, required=not approve)
    v.raise_if_any()
    async with actor.scope() as session:
        request = await load_for_update(
            session,
            m.Request,
            request_id,
            locale=actor.locale,
            path=["input", "requestId"],
            kind="Request",
        )
        check_version(request, expected_version, actor.locale)
        if approve:
            action = "resolve" if request.type is RequestType.SUPPORT else "approve"
        else:
            action = "reject"
        transition = check_transition(REQUEST, request.status, action, actor)
        before = request.status
        # Hooks (fee change, termination) read the decision's comment as their reason.
        request.decision_comment = comment
        if approve:
            hook = APPROVALS.get(request.type)
            if hook is not None:
                await hook(actor, session, request)
        elif request.type is RequestType.EVALUATION:
            company = await load_for_update(
                session,
                m.Company,
                request.company_id,
                locale=actor.locale,
                path=["input"],
                kind="Company",
            )
            company_transition = check_transition(COMPANY, company.status, "reject", actor)
            company.status = company_transition.target  # type: ignore[assignment]
            company.status_reason = comment
            journal.record(
                session,
                actor,
                tenant_id=company.tenant_id,
                action="company.rejected",
                entity_type="Company",
                entity_id=company.id,
                before={"status": CompanyStatus.EVALUATION.value},
                after={"status": company.status.value, "request": request.reference},
                reason=comment,
            )
        request.status = transition.target  # type: ignore[assignment]
        request.decided_by = None if actor.principal.is_platform else actor.principal.user_id
        request.decided_at = dt.datetime.now(dt.UTC)
        request.decision_comment = comment
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=request.tenant_id,
            action=REQUEST_ACTIONS[action],
            entity_type="Request",
            entity_id=request.id,
            before={"status": before.value},
            after={"status": request.status.value},
            reason=comment,
        )
        await notes.request_decided(session, actor, request)
        await session.flush()
    return request


__all__ = [
    "APPROVALS",
    "AddressData",
    "CompanyData",
    "Refused",
    "RequestData",
    "ShopData",
    "comment_request",
    "create_company",
    "create_request",
    "create_shop",
    "decide_request",
    "request_evaluation",
    "update_company",
    "update_shop",
]
