"""The partner's logo, drawn on its contract documents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import DocumentKind
from resolvers import contract_pdf, journal
from resolvers.documents.storage import (
    EXECUTABLE_MAGIC,
    DocumentView,
    _blob,
    _store_blob,
    encode_id,
    sniff,
)
from resolvers.documents.uploads import Upload, _clean_filename
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Actor
from resolvers.validation import Validator

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
