"""Where documents are kept: blobs by (tenant, sha256), the rows naming them, content sniffing
and the ids links carry."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import DocumentKind

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


async def _blob(session: AsyncSession, tenant_id: uuid.UUID, sha: str) -> bytes | None:
    return (
        await session.execute(
            select(m.DocumentBlob.content).where(
                m.DocumentBlob.tenant_id == tenant_id, m.DocumentBlob.sha256 == sha
            )
        )
    ).scalar_one_or_none()


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
