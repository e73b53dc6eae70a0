"""Sign a DRAFT contract: it needs a shop, a service kind and fees; the signed document
is kept (resolvers/documents/contract.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from db import models as m
from db.enums import (
    ContractStatus,
    ShopStatus,
)
from resolvers import documents as rd
from resolvers import journal
from resolvers import notifications as notes
from resolvers.contracts.common import (
    SIGNED,
    _company_can_contract,
    _contract_shop_ids,
    _load_contract,
    _now,
    _user_id,
)
from resolvers.contracts.schedules import _lines, _versions
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import CONTRACT, check_transition
from resolvers.usecase import Actor, check_version
from resolvers.validation import Validator


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
        contract.status = transition.target
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
