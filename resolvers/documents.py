"""Documents: the contract as a PDF (draft, signed copy, amendments), the merchant's uploaded
documents (Kbis, identity, bank details), their storage, download links, and retention.

- Storage: `document_blobs` holds bytes by (tenant_id, sha256), `documents` the rows that name
  them (who added them, when); both under row-level security and append-only for the
  application role. Only `purge_identity_documents` (run by `spring purge-documents` as the
  owner) deletes.
- A contract document is rendered from a snapshot of the contract's data (resolvers/
  contract_pdf.py), deterministically: the same data give the same sha256. A DRAFT's document
  is rendered from the draft as it is now, so it follows every change; signing stores the
  snapshot signed (with a signature page) and it never changes after; each later fee version
  stores an amendment. The IBAN in a rendering is as the reader's role may read it.
- Download links: `/documents/{id}?lang=..&sha=..&exp=..&sig=..`, an HMAC of the document,
  its hash, the expiry and the user it was made for; the route also checks the policy again.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import UPLOADABLE_KINDS, CompanyStatus, ContractStatus, DocumentKind
from db.identifiers import contains_pan
from resolvers import contract_pdf, journal
from resolvers.contracts import current_fee_schedule
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Actor, refuse
from resolvers.validation import Validator
from tenancy import policy
from tenancy.masking import mask_iban
from tenancy.policy import Access
from tenancy.principal import Principal

#: Largest upload by default (SPRING_MAX_UPLOAD_BYTES).
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: How long a download link works.
LINK_LIFETIME = dt.timedelta(minutes=5)
#: Identity documents of companies CLOSED longer than this many days are purged
#: (SPRING_IDENTITY_RETENTION_DAYS).
DEFAULT_IDENTITY_RETENTION_DAYS = 1825
LANGUAGES = ("fr", "en")
PDF = "application/pdf"

#: Magic bytes → content type: a file is what its bytes say, never what its name says.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
#: Bytes that start programs and archives, refused by name in the error.
EXECUTABLE_MAGIC: tuple[bytes, ...] = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!", b"PK\x03\x04")

#: Journal action of an upload.
DOCUMENT_ADDED = "company.document_added"
EVALUATION_KINDS_SET = "tenant.evaluation_document_kinds_set"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sniff(content: bytes) -> str | None:
    """The content type the bytes show (PDF, PNG, JPEG), or None."""
    for magic, content_type in MAGIC:
        if content.startswith(magic):
            return content_type
    return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- ids


def encode_id(kind: str, value: uuid.UUID) -> str:
    """A document's id: "Document:<uuid>" (stored) or "ContractDraft:<contract uuid>",
    base64 as the API's global ids are."""
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def decode_id(value: str) -> tuple[str, uuid.UUID] | None:
    try:
        kind, _, raw = base64.b64decode(value, validate=True).decode().partition(":")
        return kind, uuid.UUID(raw)
    except Exception:
        return None


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class DocumentView:
    """A document as one reader gets it: its bytes (rendered for their role and language
    where it is generated), their hash and size, and where it comes from."""

    id: str
    kind: DocumentKind
    filename: str
    content_type: str
    content: bytes
    created_at: dt.datetime
    created_by: uuid.UUID | None = None
    language: str | None = None

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)

    @property
    def size_bytes(self) -> int:
        return len(self.content)


def iban_access(principal: Principal) -> tuple[Access | None, Access | None]:
    """How the reader's role reads the company's IBAN and BIC (FULL, MASKED, or None)."""
    return (
        policy.field_access(principal, "Company.iban"),
        policy.field_access(principal, "Company.bic"),
    )


def for_reader(snapshot: dict[str, Any], principal: Principal | None) -> dict[str, Any]:
    """The snapshot with the bank details as the reader's role may read them."""
    if principal is None:
        return snapshot
    iban, bic = iban_access(principal)
    shown = copy.deepcopy(snapshot)
    company = shown["company"]
    if iban is None:
        company["iban"] = None
    elif iban is Access.MASKED:
        company["iban"] = mask_iban(company.get("iban"))
    if bic is None:
        company["bic"] = None
    return shown


def _address(row: Any) -> dict[str, Any]:
    return {
        "line1": row.address_line1,
        "line2": row.address_line2,
        "postalCode": row.postal_code,
        "city": row.city,
        "country": row.country,
    }


async def _fees_json(session: AsyncSession, schedule: m.FeeSchedule) -> dict[str, Any]:
    table = m.FeeLine.__table__
    rows = await session.execute(
        select(table.c.scheme, table.c.region, table.c.rate_bps, table.c.fixed_fee)
        .where(table.c.fee_schedule_id == schedule.id)
        .order_by(table.c.scheme, table.c.region)
    )
    return {
        "version": schedule.version_number,
        "effectiveFrom": schedule.effective_from.isoformat(),
        "currency": schedule.currency,
        "terminalRentalMonthly": schedule.terminal_rental_monthly,
        "softposFeeMonthly": schedule.softpos_fee_monthly,
        "lines": [
            {"scheme": r.scheme, "region": r.region, "rateBps": r.rate_bps, "fixedFee": r.fixed_fee}
            for r in rows
        ],
    }


async def contract_snapshot(
    session: AsyncSession, contract: m.Contract, *, schedule: m.FeeSchedule | None = None
) -> dict[str, Any]:
    """Everything the contract document shows, with the full bank details (the stored form)."""
    tenant_name = (
        await session.execute(select(m.Tenant.name).where(m.Tenant.id == contract.tenant_id))
    ).scalar_one()
    logo = await tenant_logo(session)
    company = await session.get(m.Company, (contract.tenant_id, contract.company_id))
    assert company is not None
    shops = (
        await session.execute(
            select(m.Shop)
            .join(
                m.ContractShop,
                (m.ContractShop.shop_id == m.Shop.id)
                & (m.ContractShop.tenant_id == m.Shop.tenant_id),
            )
            .where(m.ContractShop.contract_id == contract.id)
            .order_by(m.Shop.siret, m.Shop.id)
        )
    ).scalars()
    if schedule is None:
        versions = list(
            (
                await session.execute(
                    select(m.FeeSchedule).where(m.FeeSchedule.contract_id == contract.id)
                )
            ).scalars()
        )
        schedule = (
            max(versions, key=lambda v: v.version_number)
            if contract.status is ContractStatus.DRAFT and versions
            else current_fee_schedule(versions)
        )
    return {
        "kind": DocumentKind.CONTRACT.value,
        "acquirer": contract_pdf.ACQUIRER,
        "partner": tenant_name,
        # The tenant's logo as it is now (its bytes are content-addressed: a stored snapshot
        # keeps drawing this one whatever the tenant sets later).
        "logo": (
            {"sha256": logo.logo_sha256, "contentType": logo.logo_content_type}
            if logo is not None
            else None
        ),
        "contract": {
            "number": contract.number,
            "date": contract.created_at.date().isoformat(),
            "termsVersion": contract_pdf.TERMS_VERSION,
            "serviceKinds": list(contract.service_kinds),
            "currency": contract.currency,
        },
        "company": {
            "legalName": company.legal_name,
            "tradeName": company.trade_name,
            "legalForm": company.legal_form,
            "siren": company.siren,
            "address": _address(company),
            "iban": company.iban,
            "bic": company.bic,
        },
        "shops": [
            {"name": shop.name, "siret": shop.siret, "address": _address(shop)} for shop in shops
        ],
        "fees": await _fees_json(session, schedule) if schedule is not None else None,
    }


def _filename(snapshot: dict[str, Any], language: str) -> str:
    number = snapshot["contract"]["number"]
    kind = snapshot.get("kind")
    if kind == DocumentKind.AMENDMENT.value:
        version = (snapshot.get("fees") or {}).get("version", "")
        return f"{number}-avenant-v{version}-{language}.pdf"
    if kind == DocumentKind.SIGNED_CONTRACT.value:
        return f"{number}-signe-{language}.pdf"
    return f"{number}-{language}.pdf"


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "fr"


def render_view(
    doc_id: str,
    snapshot: dict[str, Any],
    principal: Principal | None,
    language: str | None,
    created_at: dt.datetime,
    created_by: uuid.UUID | None = None,
    logo: bytes | None = None,
) -> DocumentView:
    lang = _language(language)
    return DocumentView(
        id=doc_id,
        kind=DocumentKind(snapshot.get("kind", "CONTRACT")),
        filename=_filename(snapshot, lang),
        content_type=PDF,
        content=contract_pdf.render(for_reader(snapshot, principal), lang, logo),
        created_at=created_at,
        created_by=created_by,
        language=lang,
    )


def stored_view(
    row: m.Document,
    principal: Principal | None,
    language: str | None,
    content: bytes | None,
    logo: bytes | None = None,
) -> DocumentView:
    """A stored document for a reader: generated ones re-rendered from their snapshot for the
    reader's role and language (the same bytes as stored for a full reader in the stored
    language), uploaded ones as stored."""
    doc_id = encode_id("Document", row.id)
    if row.snapshot is not None:
        return render_view(
            doc_id,
            row.snapshot,
            principal,
            language or row.language,
            row.created_at,
            row.created_by,
            logo,
        )
    return DocumentView(
        id=doc_id,
        kind=row.kind,
        filename=row.filename,
        content_type=row.content_type,
        content=content if content is not None else b"",
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def _blob(session: AsyncSession, tenant_id: uuid.UUID, sha: str) -> bytes | None:
    return (
        await session.execute(
            select(m.DocumentBlob.content).where(
                m.DocumentBlob.tenant_id == tenant_id, m.DocumentBlob.sha256 == sha
            )
        )
    ).scalar_one_or_none()


async def logo_bytes(
    session: AsyncSession, tenant_id: uuid.UUID, snapshot: dict[str, Any] | None
) -> bytes | None:
    """The bytes of the logo a contract snapshot names (None: it names none)."""
    logo = (snapshot or {}).get("logo")
    if not logo:
        return None
    return await _blob(session, tenant_id, logo["sha256"])


async def stored_view_of(
    session: AsyncSession, row: m.Document, principal: Principal | None, language: str | None
) -> DocumentView:
    """A stored generated document for a reader, drawn with the logo its snapshot names."""
    logo = await logo_bytes(session, row.tenant_id, row.snapshot)
    return stored_view(row, principal, language, None, logo)


async def _store_blob(session: AsyncSession, tenant_id: uuid.UUID, content: bytes) -> str:
    sha = sha256_hex(content)
    await session.execute(
        pg_insert(m.DocumentBlob.__table__)
        .values(tenant_id=tenant_id, sha256=sha, content=content)
        .on_conflict_do_nothing()
    )
    return sha


async def _stored_documents(session: AsyncSession, **where: uuid.UUID) -> list[m.Document]:
    statement = select(m.Document).order_by(m.Document.created_at, m.Document.id)
    for column, value in where.items():
        statement = statement.where(getattr(m.Document, column) == value)
    return list((await session.execute(statement)).scalars())


# --------------------------------------------------------------------------- contracts


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


# --------------------------------------------------------------------------- uploads


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


# --------------------------------------------------------------------------- evaluations


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


# --------------------------------------------------------------------------- the tenant's logo

#: Largest logo by default (SPRING_MAX_LOGO_BYTES): 512 KiB.
DEFAULT_MAX_LOGO_BYTES = 512 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")
LOGO_SET = "tenant.logo_set"
LOGO_REMOVED = "tenant.logo_removed"


async def tenant_logo(session: AsyncSession) -> m.DocumentSettings | None:
    """The tenant's document settings if they hold a logo (row-level security: the
    session's tenant only)."""
    return (
        await session.execute(
            select(m.DocumentSettings)
            .where(m.DocumentSettings.logo_sha256.is_not(None))
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


def logo_view(settings: m.DocumentSettings, content: bytes | None) -> DocumentView:
    """The tenant's logo as a document (`Tenant.logo`); `content` None: not loaded (its
    hash and size are the stored ones)."""
    assert settings.logo_sha256 is not None and settings.logo_set_at is not None
    return _LogoView(
        id=encode_id("TenantLogo", settings.tenant_id),
        kind=DocumentKind.LOGO,
        filename=settings.logo_filename or "logo",
        content_type=settings.logo_content_type or "image/png",
        content=content or b"",
        created_at=settings.logo_set_at,
        created_by=settings.logo_set_by,
        stored_sha256=settings.logo_sha256,
        stored_size=settings.logo_size_bytes or 0,
    )


@dataclass(frozen=True)
class _LogoView(DocumentView):
    stored_sha256: str = ""
    stored_size: int = 0

    @property
    def sha256(self) -> str:
        return self.stored_sha256

    @property
    def size_bytes(self) -> int:
        return self.stored_size


async def tenant_logo_view(session: AsyncSession, tenant_id: uuid.UUID) -> DocumentView | None:
    """The tenant's logo with its bytes (downloads)."""
    settings = await tenant_logo(session)
    if settings is None or settings.tenant_id != tenant_id:
        return None
    assert settings.logo_sha256 is not None
    return logo_view(settings, await _blob(session, tenant_id, settings.logo_sha256))


def check_logo(v: Validator, path: list[str], upload: Upload, max_bytes: int) -> str | None:
    """The logo's content type (PNG or JPEG, from its bytes, decodable, not too many pixels);
    refusals added to `v`."""
    size = len(upload.content)
    if size == 0:
        v.add(path, C.REQUIRED, "document_empty")
        return None
    if size > max_bytes:
        v.add(path, C.OUT_OF_RANGE, "logo_too_large", max=max(max_bytes // 1024, 1))
        return None
    sniffed = sniff(upload.content)
    if sniffed not in LOGO_TYPES:
        if upload.content.startswith(EXECUTABLE_MAGIC):
            v.add(path, C.INVALID, "document_executable")
        else:
            v.add(path, C.INVALID, "logo_type", actual=sniffed or "?")
        return None
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", sniffed):
        v.add(path, C.INVALID, "document_type_mismatch", declared=declared, actual=sniffed)
        return None
    try:
        width, height = contract_pdf.logo_size(upload.content)
    except Exception:
        v.add(path, C.INVALID, "logo_unreadable")
        return None
    limit = contract_pdf.LOGO_MAX_PIXELS
    if not (0 < width <= limit and 0 < height <= limit):
        v.add(path, C.INVALID, "logo_too_many_pixels", width=width, height=height, max=limit)
        return None
    try:  # every contract document will draw it: it must draw
        contract_pdf.check_logo(upload.content)
    except Exception:
        v.add(path, C.INVALID, "logo_unreadable")
        return None
    return sniffed


def _logo_journal(settings: m.DocumentSettings | None) -> dict[str, Any] | None:
    if settings is None or settings.logo_sha256 is None:
        return None
    return {
        "filename": settings.logo_filename,
        "contentType": settings.logo_content_type,
        "sizeBytes": settings.logo_size_bytes,
        "sha256": settings.logo_sha256,
    }


async def set_tenant_logo(
    actor: Actor,
    upload: Upload | None,
    max_bytes: int = DEFAULT_MAX_LOGO_BYTES,
) -> DocumentView | None:
    """Set (upload) or remove (None) the tenant's logo. Its bytes are stored content-addressed
    like every document; drafts' documents draw the new one from now on, stored ones (signed
    copies, amendments) keep the one they were made with. Journaled."""
    v = Validator(actor.locale)
    path = ["input", "file"]
    content_type = filename = None
    if upload is not None:
        filename = v.text(path, _clean_filename(upload.filename), max_length=200)
        content_type = check_logo(v, path, upload, max_bytes)
    v.raise_if_any()
    tenant_id = actor.tenant_id
    async with actor.scope() as session:
        table = m.DocumentSettings.__table__
        before = _logo_journal(await tenant_logo(session))
        values: dict[str, Any]
        if upload is None:
            values = dict.fromkeys(
                (
                    "logo_sha256",
                    "logo_content_type",
                    "logo_filename",
                    "logo_size_bytes",
                    "logo_set_at",
                    "logo_set_by",
                )
            )
        else:
            assert content_type is not None and filename is not None
            values = {
                "logo_sha256": await _store_blob(session, tenant_id, upload.content),
                "logo_content_type": content_type,
                "logo_filename": filename,
                "logo_size_bytes": len(upload.content),
                "logo_set_at": func.now(),
                "logo_set_by": None if actor.principal.is_platform else actor.principal.user_id,
            }
        await session.execute(
            pg_insert(table)
            .values(tenant_id=tenant_id, **values)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id], set_={**values, "updated_at": func.now()}
            )
        )
        settings = await tenant_logo(session)
        after = _logo_journal(settings)
        if before != after:
            journal.record(
                session,
                actor,
                tenant_id=tenant_id,
                action=LOGO_SET if upload is not None else LOGO_REMOVED,
                entity_type="Tenant",
                entity_id=tenant_id,
                before={"logo": before},
                after={"logo": after},
            )
            await session.flush()
        return logo_view(settings, None) if settings is not None else None


# --------------------------------------------------------------------------- links


def _link_mac(secret: str, doc_id: str, lang: str, sha: str, exp: int, user: str) -> str:
    message = f"{doc_id}|{lang}|{sha}|{exp}|{user}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def download_url(
    secrets: Sequence[str],
    doc_id: str,
    language: str | None,
    sha: str,
    principal: Principal,
    now: dt.datetime | None = None,
) -> str:
    """A link to the document for this user only, valid LINK_LIFETIME."""
    exp = int(((now or _now()) + LINK_LIFETIME).timestamp())
    lang = language or "-"
    user = str(principal.user_id)
    query = {
        "lang": lang,
        "sha": sha,
        "exp": exp,
        "sig": _link_mac(secrets[0], doc_id, lang, sha, exp, user),
    }
    return f"/documents/{doc_id}?{urlencode(query)}"


class LinkRefused(Exception):
    """A download link that does not work: `status` is the HTTP answer, `reason` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_link(
    secrets: Sequence[str],
    doc_id: str,
    params: dict[str, str],
    principal: Principal,
    now: dt.datetime | None = None,
) -> tuple[str | None, str]:
    """The link's language and hash, if it was made for this user and has not expired."""
    try:
        lang, sha, exp, sig = params["lang"], params["sha"], int(params["exp"]), params["sig"]
    except (KeyError, ValueError) as exc:
        raise LinkRefused(400, "incomplete download link") from exc
    user = str(principal.user_id)
    if not any(
        hmac.compare_digest(_link_mac(s, doc_id, lang, sha, exp, user), sig) for s in secrets
    ):
        raise LinkRefused(403, "this link was not made for you")
    if exp < (now or _now()).timestamp():
        raise LinkRefused(410, "this link has expired: ask for the document again")
    return (None if lang == "-" else lang), sha


async def download(
    session: AsyncSession, principal: Principal, doc_id: str, language: str | None, sha: str
) -> DocumentView:
    """The document a link names, as this reader may read it; refused when the policy
    no longer allows it, or when it changed since the link was made (a draft edited)."""
    decoded = decode_id(doc_id)
    if decoded is None:
        raise LinkRefused(404, "no such document")
    kind, value = decoded
    if kind == "ContractDraft":
        if policy.field_access(principal, "Contract.document") is None:
            raise LinkRefused(403, "your role may not read contract documents")
        contract = await session.get(m.Contract, (principal.tenant_id, value))
        if contract is None:
            raise LinkRefused(404, "no such document")
        view = await contract_document(session, principal, contract, language)
    elif kind == "Document":
        row = await session.get(m.Document, (principal.tenant_id, value))
        if row is None:
            raise LinkRefused(404, "no such document")
        field = "Contract.documents" if row.snapshot is not None else "Company.documents"
        if policy.field_access(principal, field) is None:
            raise LinkRefused(403, "your role may not read this document")
        if row.snapshot is not None:
            view = await stored_view_of(session, row, principal, language)
        else:
            content = await _blob(session, row.tenant_id, row.sha256)
            if content is None:
                raise LinkRefused(410, "this document was purged (retention period over)")
            view = stored_view(row, principal, language, content)
    elif kind == "TenantLogo":
        if value != principal.tenant_id or policy.field_access(principal, "Tenant.logo") is None:
            raise LinkRefused(404, "no such document")
        logo_view = await tenant_logo_view(session, value)
        if logo_view is None:
            raise LinkRefused(410, "the tenant's logo was removed or changed: ask again")
        view = logo_view
    else:
        raise LinkRefused(404, "no such document")
    if view.sha256 != sha:
        raise LinkRefused(410, "the document changed since this link was made: ask again")
    return view


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class Purged:
    tenant_slug: str
    company_name: str
    siren: str
    filename: str
    sha256: str
    closed_at: dt.datetime


async def purge_identity_documents(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    tenant_slug: str,
    retention_days: int,
    *,
    now: dt.datetime | None = None,
) -> list[Purged]:
    """Delete the identity documents of the tenant's companies CLOSED for longer than the
    retention (their closing time: the journal's last status change to CLOSED, else their
    last update). Run as the owner (`spring purge-documents`); returns what it deleted."""
    cutoff = (now or _now()) - dt.timedelta(days=retention_days)
    closed_at = (
        select(func.max(m.AuditEvent.occurred_at))
        .where(
            m.AuditEvent.entity_id == m.Company.id,
            m.AuditEvent.after["status"].astext == CompanyStatus.CLOSED.value,
        )
        .correlate(m.Company)
        .scalar_subquery()
    )
    when = func.coalesce(closed_at, m.Company.updated_at)
    rows = (
        await session.execute(
            select(m.Document, m.Company.legal_name, m.Company.siren, when)
            .join(
                m.Company,
                (m.Company.id == m.Document.company_id)
                & (m.Company.tenant_id == m.Document.tenant_id),
            )
            .where(
                m.Document.kind == DocumentKind.IDENTITY,
                m.Company.status == CompanyStatus.CLOSED,
                when < cutoff,
            )
            .order_by(m.Document.created_at)
        )
    ).all()
    purged = []
    for document, name, siren, closed in rows:
        purged.append(Purged(tenant_slug, name, siren, document.filename, document.sha256, closed))
        await session.execute(
            delete(m.Document.__table__).where(
                m.Document.__table__.c.tenant_id == document.tenant_id,
                m.Document.__table__.c.id == document.id,
            )
        )
    for sha in {p.sha256 for p in purged}:
        still_named = (
            await session.execute(
                select(func.count())
                .select_from(m.Document)
                .where(
                    (m.Document.sha256 == sha)
                    # a contract document draws the logo its snapshot names
                    | (m.Document.snapshot["logo"]["sha256"].astext == sha)
                )
            )
        ).scalar_one() + (
            await session.execute(
                select(func.count())
                .select_from(m.DocumentSettings)
                .where(m.DocumentSettings.logo_sha256 == sha)
            )
        ).scalar_one()
        if not still_named:
            await session.execute(
                delete(m.DocumentBlob.__table__).where(
                    m.DocumentBlob.__table__.c.tenant_id == tenant_id,
                    m.DocumentBlob.__table__.c.sha256 == sha,
                )
            )
    return purged


async def purge_documents(owner_url: str, retention_days: int) -> list[Purged]:
    """`spring purge-documents`: every tenant's identity documents past retention, deleted
    as the owner (the application role cannot delete documents), one transaction per tenant."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncSession as Session
    from sqlalchemy.ext.asyncio import create_async_engine

    from db.session import async_url

    engine = create_async_engine(async_url(owner_url))
    purged: list[Purged] = []
    try:
        async with engine.connect() as conn:
            tenants = (await conn.execute(select(m.Tenant.id, m.Tenant.slug))).all()
        for tenant_id, slug in tenants:
            async with Session(engine) as session, session.begin():
                await session.execute(
                    text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
                )
                purged += await purge_identity_documents(session, tenant_id, slug, retention_days)
    finally:
        await engine.dispose()
    return purged
