"""transaction integrity: the original of a reversal must exist; fully masked PANs allowed

Revision ID: 0004
Revises: 0003

- `original_transaction_id` references a transaction of the same tenant (a reversal,
  refund or completion cannot point at nothing).
- A masked PAN may hide up to 15 digits (`XXXXXXXXXXXX1234`): still never more than the
  first 6 and last 4 digits shown.

Create Date: 2026-11-28 02:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE transactions ADD CONSTRAINT"
        " fk_transactions_tenant_id_original_transaction_id_transactions"
        " FOREIGN KEY (tenant_id, original_transaction_id)"
        " REFERENCES transactions (tenant_id, id)"
    )
    op.execute("ALTER TABLE transactions DROP CONSTRAINT ck_transactions_masked_pan_format")
    op.execute(
        "ALTER TABLE transactions ADD CONSTRAINT ck_transactions_masked_pan_format CHECK"
        " (masked_pan IS NULL OR masked_pan ~ '^[0-9]{0,6}[*X]{2,15}[0-9]{0,4}$')"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE transactions DROP CONSTRAINT ck_transactions_masked_pan_format")
    op.execute(
        "ALTER TABLE transactions ADD CONSTRAINT ck_transactions_masked_pan_format CHECK"
        " (masked_pan IS NULL OR masked_pan ~ '^[0-9]{0,6}[*X]{2,9}[0-9]{0,4}$')"
    )
    op.execute(
        "ALTER TABLE transactions DROP CONSTRAINT"
        " fk_transactions_tenant_id_original_transaction_id_transactions"
    )
