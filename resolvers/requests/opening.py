"""Opening a request: a company's evaluation, a support question, a fee change, a termination.

A request gets a short reference and its type's due time; its opening is journaled with it."""

from __future__ import annotations

import datetime as dt
import secrets
import string
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import ContractStatus, RequestStatus, RequestType
from resolvers import journal
from resolvers import notifications as notes
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeScheduleChange,
    apply_fee_change,
    schedule_on,
    validate_fee_change,
)
from resolvers.lifecycles import COMPANY, check_transition
from resolvers.requests.moves import due_at_for
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from tenancy import policy

#: What the journal records of a request: every column but those named here
#: (resolvers/journal.py `journaled`; a new column is journaled).
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
