"""tenant_logo: the tenant's logo on its contract documents

Revision ID: 0014_tenant_logo
Revises: 0013_evaluation_requested

`document_settings` gains the tenant's logo (`setTenantLogo`): its hash (the bytes are in
`document_blobs`, content-addressed, under the same row-level security), content type, file
name, size, and when and by whom it was set. `DocumentKind` gains `LOGO` (the kind of
`Tenant.logo`): the CHECK constraint of `documents.kind` is widened (narrowed back on
downgrade; no document row has that kind).

Create Date: 2026-12-05 08:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_tenant_logo"
down_revision: str | None = "0013_evaluation_requested"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("KBIS", "IDENTITY", "BANK_DETAILS", "OTHER", "CONTRACT", "SIGNED_CONTRACT", "AMENDMENT")
AFTER = (*BEFORE, "LOGO")


def _kinds(kinds: Sequence[str]) -> None:
    allowed = ", ".join(f"'{k}'" for k in kinds)
    op.execute(
        "ALTER TABLE documents DROP CONSTRAINT ck_documents_documentkind,"
        f" ADD CONSTRAINT ck_documents_documentkind CHECK (kind IN ({allowed}))"
    )


def upgrade() -> None:
    op.execute(
        """
ALTER TABLE document_settings
    ADD COLUMN logo_sha256 VARCHAR(64),
    ADD COLUMN logo_content_type VARCHAR(40),
    ADD COLUMN logo_filename VARCHAR(200),
    ADD COLUMN logo_size_bytes INTEGER,
    ADD COLUMN logo_set_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN logo_set_by UUID,
    ADD CONSTRAINT ck_document_settings_logo_sha256_hex
        CHECK (logo_sha256 IS NULL OR logo_sha256 ~ '^[0-9a-f]{64}$')
"""
    )
    _kinds(AFTER)


def downgrade() -> None:
    _kinds(BEFORE)
    op.execute(
        """
ALTER TABLE document_settings
    DROP CONSTRAINT ck_document_settings_logo_sha256_hex,
    DROP COLUMN logo_set_by,
    DROP COLUMN logo_set_at,
    DROP COLUMN logo_size_bytes,
    DROP COLUMN logo_filename,
    DROP COLUMN logo_content_type,
    DROP COLUMN logo_sha256
"""
    )
