"""documents: contracts as PDF, the merchant's documents, content-addressed storage

Revision ID: 0012_documents
Revises: 0011_terminal_commands

- `document_blobs`: a document's bytes, keyed by (tenant_id, sha256): the same bytes are
  stored once per tenant. Row-level security as every tenant table.
- `documents`: a company's documents, uploaded (KBIS, IDENTITY, BANK_DETAILS, OTHER) or
  generated (SIGNED_CONTRACT, AMENDMENT), with who added them and when; a generated one keeps
  the data it was rendered from (`snapshot`). Both tables are append-only for the
  application role (SELECT, INSERT: db/migrate.py grants from db.models.APPEND_ONLY_TABLES);
  only `spring purge-documents`, as the owner, deletes (identity documents past retention).
- `contracts.signed_document_sha256`: the hash of the document the signatory signed.
- `document_settings`: per tenant, the document kinds an evaluation needs before a
  supervisor may approve it (none by default, or without a row).

Create Date: 2026-12-05 05:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from db.rls import tenant_table_rls

revision: str = "0012_documents"
down_revision: str | None = "0011_terminal_commands"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("document_blobs", "documents", "document_settings")

DDL = [
    """
CREATE TABLE document_blobs (
    tenant_id UUID NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_document_blobs PRIMARY KEY (tenant_id, sha256),
    CONSTRAINT ck_document_blobs_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT fk_document_blobs_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id)
)
""",
    """
CREATE TABLE documents (
    tenant_id UUID NOT NULL,
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    company_id UUID NOT NULL,
    contract_id UUID,
    kind VARCHAR(32) NOT NULL,
    filename VARCHAR(200) NOT NULL,
    content_type VARCHAR(40) NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    language VARCHAR(2),
    snapshot JSONB,
    fee_schedule_id UUID,
    created_by UUID,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_documents PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_documents_tenant_id_company_id_companies FOREIGN KEY(tenant_id, company_id) REFERENCES companies (tenant_id, id),
    CONSTRAINT fk_documents_tenant_id_contract_id_contracts FOREIGN KEY(tenant_id, contract_id) REFERENCES contracts (tenant_id, id),
    CONSTRAINT ck_documents_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT fk_documents_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id),
    CONSTRAINT ck_documents_documentkind CHECK (kind IN ('KBIS', 'IDENTITY', 'BANK_DETAILS', 'OTHER', 'CONTRACT', 'SIGNED_CONTRACT', 'AMENDMENT'))
)
""",
    """
CREATE INDEX ix_documents_tenant_id_company_id_created_at ON documents (tenant_id, company_id, created_at)
""",
    """
CREATE INDEX ix_documents_tenant_id_contract_id_created_at ON documents (tenant_id, contract_id, created_at)
""",
    """
CREATE TABLE document_settings (
    tenant_id UUID NOT NULL,
    evaluation_document_kinds VARCHAR(32)[] DEFAULT '{}' NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_document_settings PRIMARY KEY (tenant_id),
    CONSTRAINT fk_document_settings_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id)
)
""",
]


def upgrade() -> None:
    op.execute("ALTER TABLE contracts ADD COLUMN signed_document_sha256 VARCHAR(64)")
    for statement in DDL:
        op.execute(statement)
    for table in TABLES:
        for statement in tenant_table_rls(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("ALTER TABLE contracts DROP COLUMN signed_document_sha256")
