"""The contract's documents: the draft as it is now, the signed copy, each amendment."""

from __future__ import annotations

import copy
import hmac
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import ContractStatus, DocumentKind
from resolvers import contract_pdf
from resolvers.documents.snapshot import (
    _filename,
    contract_snapshot,
    for_reader,
    logo_bytes,
    render_view,
    stored_view_of,
)
from resolvers.documents.storage import (
    LANGUAGES,
    PDF,
    DocumentView,
    _store_blob,
    _stored_documents,
    encode_id,
    sha256_hex,
)
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Actor, refuse
from tenancy.principal import Principal


async def contract_document(
    session: AsyncSession, principal: Principal, contract: m.Contract, language: str | None
) -> DocumentView:
    """The contract's document for this reader: the draft as it is now, else the signed copy
    (a contract signed before documents existed: rendered from its data as it is)."""
    if contract.status is not ContractStatus.DRAFT:
        signed = [
            row
            for row in await _stored_documents(session, contract_id=contract.id)
            if row.kind is DocumentKind.SIGNED_CONTRACT
        ]
        if signed:
            return await stored_view_of(session, signed[-1], principal, language)
    snapshot = await contract_snapshot(session, contract)
    return render_view(
        encode_id("ContractDraft", contract.id),
        snapshot,
        principal,
        language,
        contract.updated_at,
        logo=await logo_bytes(session, contract.tenant_id, snapshot),
    )


async def contract_documents(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID, language: str | None
) -> list[DocumentView]:
    """The contract's stored documents: its signed copy, then each amendment, oldest first."""
    rows = await _stored_documents(session, contract_id=contract_id)
    return [await stored_view_of(session, row, principal, language) for row in rows]


async def check_signed_document(
    session: AsyncSession, actor: Actor, contract: m.Contract, sha: str | None
) -> tuple[dict[str, Any], str]:
    """The snapshot and language of the draft document whose hash the signatory was shown;
    refused (CONFLICT) when the draft changed since (no rendering has that hash)."""
    snapshot = await contract_snapshot(session, contract)
    logo = await logo_bytes(session, contract.tenant_id, snapshot)
    wanted = (sha or "").strip().lower()
    for language in LANGUAGES:
        shown = contract_pdf.render(for_reader(snapshot, actor.principal), language, logo)
        if hmac.compare_digest(sha256_hex(shown), wanted):
            return snapshot, language
    raise refuse(
        actor.locale,
        ["input", "documentSha256"],
        C.CONFLICT,
        "document_stale",
        number=contract.number,
    )


async def store_signed_copy(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    snapshot: dict[str, Any],
    language: str,
    shown_sha: str,
) -> m.Document:
    """The signed copy: the document signed plus a signature page, stored for good."""
    signed = copy.deepcopy(snapshot)
    signed["kind"] = DocumentKind.SIGNED_CONTRACT.value
    signed["signature"] = {
        "signatoryName": contract.signatory_name,
        "signedAt": contract.signed_at.isoformat(timespec="seconds") if contract.signed_at else "",
        "recordedBy": actor.label,
        "documentSha256": shown_sha,
    }
    return await _store_generated(session, actor, contract, signed, language, None)


async def _store_generated(
    session: AsyncSession,
    actor: Actor | None,
    contract: m.Contract,
    snapshot: dict[str, Any],
    language: str,
    fee_schedule_id: uuid.UUID | None,
) -> m.Document:
    logo = await logo_bytes(session, contract.tenant_id, snapshot)
    content = contract_pdf.render(snapshot, language, logo)
    sha = await _store_blob(session, contract.tenant_id, content)
    row = m.Document(
        tenant_id=contract.tenant_id,
        id=uuid.uuid4(),
        company_id=contract.company_id,
        contract_id=contract.id,
        kind=DocumentKind(snapshot["kind"]),
        filename=_filename(snapshot, language),
        content_type=PDF,
        size_bytes=len(content),
        sha256=sha,
        language=language,
        snapshot=snapshot,
        fee_schedule_id=fee_schedule_id,
        created_by=actor.principal.user_id if actor and not actor.principal.is_platform else None,
    )
    session.add(row)
    await session.flush()
    return row


async def store_amendment(
    session: AsyncSession,
    actor: Actor | None,
    contract: m.Contract,
    schedule: m.FeeSchedule,
    reason: str | None,
) -> m.Document | None:
    """An amendment (avenant) for a fee version added after signature."""
    if contract.status is ContractStatus.DRAFT:
        return None
    snapshot = await contract_snapshot(session, contract, schedule=schedule)
    snapshot["kind"] = DocumentKind.AMENDMENT.value
    snapshot["amendment"] = {"reason": reason}
    return await _store_generated(session, actor, contract, snapshot, "fr", schedule.id)
