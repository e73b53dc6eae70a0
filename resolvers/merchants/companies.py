"""Companies: creating one (a prospect) and editing it.

Each use case validates everything, checks the policy's limits and the lifecycle, then writes
the change and its journal entry in the request's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db import models as m
from db.enums import CompanyStatus
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.merchants.addresses import AddressData, _address, _flush
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from tenancy import policy

#: What the journal records of a company: every column but those named here
#: (resolvers/journal.py `journaled`; a new column is journaled). The IBAN is journaled
#: masked, as the policy masks it (policy.MASKS).
COMPANY_FIELDS = journal.journaled(
    m.Company,
    name="COMPANY_FIELDS",
    exclude={
        "status_reason": "the status change entry's reason",
        "created_by": "the creation entry's actor",
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
