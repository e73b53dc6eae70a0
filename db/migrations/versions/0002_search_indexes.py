"""search indexes: prefix look-ups of identifiers

Revision ID: 0002
Revises: 0001
`search(text:)` matches identifiers exactly (the existing unique indexes serve that) and by
prefix with `^@` (starts_with). Under row-level security the planner turns a condition into an
index bound only if its operator is leakproof: `^@` is, LIKE is not. A btree index serves `^@`
only with the `text_pattern_ops` operator class or the C collation, whatever the database's
collation: these indexes add that, each led by tenant_id, the column the row-level security
predicate (tenant_id = current tenant) bounds.

- transactions: external_id in the C collation (default operator class), which serves both the
  prefix and the order of the prefix matches, so a short prefix shared by many transactions
  stops after `first` rows instead of sorting them all.

Create Date: 2026-11-28 02:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: (index name, table, column) of the `text_pattern_ops` indexes.
PATTERN_INDEXES = (
    ("ix_companies_tenant_id_siren_pattern", "companies", "siren"),
    ("ix_shops_tenant_id_siret_pattern", "shops", "siret"),
    ("ix_contracts_tenant_id_number_pattern", "contracts", "number"),
    ("ix_terminals_tenant_id_tid_pattern", "terminals", "tid"),
    ("ix_terminals_tenant_id_serial_number_pattern", "terminals", "serial_number"),
    ("ix_requests_tenant_id_reference_pattern", "requests", "reference"),
)


def upgrade() -> None:
    for name, table, column in PATTERN_INDEXES:
        op.create_index(
            name,
            table,
            ["tenant_id", column],
            unique=False,
            postgresql_ops={column: "text_pattern_ops"},
        )
    op.create_index(
        "ix_transactions_tenant_id_external_id_c",
        "transactions",
        ["tenant_id", sa.literal_column('external_id COLLATE "C"')],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_transactions_tenant_id_external_id_c", table_name="transactions")
    for name, table, _column in reversed(PATTERN_INDEXES):
        op.drop_index(name, table_name=table)
