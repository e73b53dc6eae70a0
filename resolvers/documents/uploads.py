"""A merchant's uploaded documents (Kbis, identity, bank details) and the kinds an evaluation
needs."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import UPLOADABLE_KINDS, DocumentKind
from db.identifiers import contains_pan
from resolvers import journal
from resolvers.documents.storage import (
    DEFAULT_MAX_UPLOAD_BYTES,
    DOCUMENT_ADDED,
    EVALUATION_KINDS_SET,
    EXECUTABLE_MAGIC,
    PDF,
    _store_blob,
    _stored_documents,
    sniff,
)
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Actor, refuse
from resolvers.validation import Validator


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the API received it."""

    filename: str | None
    content_type: str | None
    content: bytes


def _clean_filename(name: str | None) -> str:
    base = re.split(r"[\\/]", name or "")[-1].strip()
    return base or "document"


def _pdf_text(content: bytes) -> str | None:
    """The text layer of a PDF (None: not readable as a PDF)."""
    import pypdf  # imported here: only uploads need it

    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception:
        return None


def check_upload(v: Validator, path: list[str], upload: Upload, max_bytes: int) -> str | None:
    """The upload's content type from its bytes; refusals added to `v`."""
    size = len(upload.content)
    if size == 0:
        v.add(path, C.REQUIRED, "document_empty")
        return None
    if size > max_bytes:
        v.add(path, C.OUT_OF_RANGE, "document_too_large", max=max_bytes // (1024 * 1024) or 1)
        return None
    sniffed = sniff(upload.content)
    if sniffed is None:
        key = (
            "document_executable"
            if upload.content.startswith(EXECUTABLE_MAGIC)
            else "document_type_unknown"
        )
        v.add(path, C.INVALID, key)
        return None
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", sniffed):
        v.add(path, C.INVALID, "document_type_mismatch", declared=declared, actual=sniffed)
        return None
    if sniffed == PDF:
        text = _pdf_text(upload.content)
        if text is None:
            v.add(path, C.INVALID, "document_unreadable")
            return None
        if contains_pan(text):
            v.add(path, C.CARD_DATA_REFUSED, "card_data")
            return None
    return sniffed


async def upload_company_document(
    actor: Actor,
    company_id: uuid.UUID,
    kind: DocumentKind,
    upload: Upload,
    max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> m.Document:
    """Store a merchant's document (content-addressed) and list it on the company."""
    v = Validator(actor.locale)
    p = ["input"]
    if kind not in UPLOADABLE_KINDS:
        v.add([*p, "kind"], C.INVALID, "document_kind_not_uploadable", kind=kind.value)
    filename = v.text([*p, "file"], _clean_filename(upload.filename), max_length=200)
    content_type = check_upload(v, [*p, "file"], upload, max_bytes)
    v.raise_if_any()
    assert content_type is not None and filename is not None
    async with actor.scope() as session:
        company = await session.get(m.Company, (actor.tenant_id, company_id))
        if company is None:
            raise refuse(actor.locale, [*p, "companyId"], C.NOT_FOUND, "not_found", kind="Company")
        sha = await _store_blob(session, company.tenant_id, upload.content)
        row = m.Document(
            tenant_id=company.tenant_id,
            id=uuid.uuid4(),
            company_id=company.id,
            kind=kind,
            filename=filename,
            content_type=content_type,
            size_bytes=len(upload.content),
            sha256=sha,
            created_by=None if actor.principal.is_platform else actor.principal.user_id,
        )
        session.add(row)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=company.tenant_id,
            action=DOCUMENT_ADDED,
            entity_type="Company",
            entity_id=company.id,
            after={
                "kind": kind.value,
                "filename": filename,
                "contentType": content_type,
                "sizeBytes": len(upload.content),
                "sha256": sha,
            },
        )
        await session.flush()
    return row


async def company_documents(session: AsyncSession, company_id: uuid.UUID) -> list[m.Document]:
    """Every document of the company (uploaded and generated), oldest first."""
    return await _stored_documents(session, company_id=company_id)


async def evaluation_kinds(session: AsyncSession) -> list[DocumentKind]:
    """The kinds the tenant's evaluations need, in the order of UPLOADABLE_KINDS."""
    stored = (
        await session.execute(select(m.DocumentSettings.evaluation_document_kinds))
    ).scalar_one_or_none()
    kinds = {DocumentKind(k) for k in stored or ()}
    return [k for k in UPLOADABLE_KINDS if k in kinds]


async def missing_kinds(session: AsyncSession, company_id: uuid.UUID) -> list[DocumentKind]:
    """The kinds the tenant's evaluations need that the company has no document of."""
    needed = await evaluation_kinds(session)
    if not needed:
        return []
    have = set(
        (
            await session.execute(
                select(m.Document.kind).where(m.Document.company_id == company_id).distinct()
            )
        ).scalars()
    )
    return [k for k in needed if k not in have]


async def check_evaluation_documents(
    session: AsyncSession, actor: Actor, company_id: uuid.UUID
) -> None:
    """Approving an evaluation needs the documents the tenant requires."""
    missing = await missing_kinds(session, company_id)
    if missing:
        raise refuse(
            actor.locale,
            ["input", "requestId"],
            C.INVALID,
            "documents_missing",
            kinds=", ".join(k.value for k in missing),
        )


async def set_evaluation_document_kinds(
    actor: Actor, kinds: Sequence[DocumentKind]
) -> list[DocumentKind]:
    v = Validator(actor.locale)
    wanted = list(dict.fromkeys(kinds))
    for i, kind in enumerate(wanted):
        if kind not in UPLOADABLE_KINDS:
            v.add(["input", "kinds", str(i)], C.INVALID, "document_kind_not_uploadable", kind=kind)
    v.raise_if_any()
    async with actor.scope() as session:
        before = await evaluation_kinds(session)
        table = m.DocumentSettings.__table__
        values = [k.value for k in UPLOADABLE_KINDS if k in wanted]
        await session.execute(
            pg_insert(table)
            .values(tenant_id=actor.tenant_id, evaluation_document_kinds=values)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id],
                set_={"evaluation_document_kinds": values, "updated_at": func.now()},
            )
        )
        journal.record(
            session,
            actor,
            tenant_id=actor.tenant_id,
            action=EVALUATION_KINDS_SET,
            entity_type="Tenant",
            entity_id=actor.tenant_id,
            before={"evaluationDocumentKinds": [k.value for k in before]},
            after={"evaluationDocumentKinds": values},
        )
        await session.flush()
        return await evaluation_kinds(session)
