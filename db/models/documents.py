"""Documents (uploaded and generated), their contents and each tenant's document settings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import Base, TenantScoped, enum_column, fk, now_column


class DocumentBlob(Base):
    """A document's bytes, content-addressed: (tenant_id, sha256). Never updated; deleted
    only by `spring purge-documents` (as the owner), never by the application role."""

    __tablename__ = "document_blobs"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_document_blobs_tenant_id_tenants"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),)


class Document(TenantScoped):
    """A document of a company: uploaded (Kbis, identity, bank details, other) or generated
    (a contract signed, an amendment). Append-only for the application role."""

    __tablename__ = "documents"

    company_id: Mapped[uuid.UUID]
    contract_id: Mapped[uuid.UUID | None]
    kind: Mapped[e.DocumentKind] = enum_column(e.DocumentKind)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Generated documents: the language (fr, en) and the data they were rendered from.
    language: Mapped[str | None] = mapped_column(sa.String(2))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: Amendments: the fee schedule version they state.
    fee_schedule_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (
        fk("companies", "company_id"),
        fk("contracts", "contract_id"),
        sa.Index(
            "ix_documents_tenant_id_company_id_created_at", "tenant_id", "company_id", "created_at"
        ),
        sa.Index(
            "ix_documents_tenant_id_contract_id_created_at",
            "tenant_id",
            "contract_id",
            "created_at",
        ),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )


class DocumentSettings(Base):
    """The tenant's document settings (one row, absent: the defaults)."""

    __tablename__ = "document_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_document_settings_tenant_id_tenants"),
        primary_key=True,
    )
    #: Document kinds (KBIS, IDENTITY, BANK_DETAILS, OTHER) a company must have before a
    #: supervisor may approve its evaluation (empty: none).
    evaluation_document_kinds: Mapped[list[str]] = mapped_column(
        sa.ARRAY(sa.String(32)), default=list, server_default="{}"
    )
    updated_at: Mapped[dt.datetime] = now_column()
    #: The tenant's logo (setTenantLogo, migration 0014): its bytes are in document_blobs
    #: by (tenant_id, logo_sha256); drawn on the first page of contract documents.
    logo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    logo_content_type: Mapped[str | None] = mapped_column(sa.String(40))
    logo_filename: Mapped[str | None] = mapped_column(sa.String(200))
    logo_size_bytes: Mapped[int | None]
    logo_set_at: Mapped[dt.datetime | None]
    logo_set_by: Mapped[uuid.UUID | None]

    __table_args__ = (
        sa.CheckConstraint(
            "logo_sha256 IS NULL OR logo_sha256 ~ '^[0-9a-f]{64}$'", name="logo_sha256_hex"
        ),
    )
