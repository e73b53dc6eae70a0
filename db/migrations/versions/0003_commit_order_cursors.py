"""commit-order cursors for live feeds; journal entries in the order they were made

Revision ID: 0003
Revises: 0002

Transactions and terminal events record the id of the transaction that inserted them
(`xid xid8 DEFAULT pg_current_xact_id()`). Live feeds read rows in (xid, id) order and only
below the oldest transaction still running, so a row can never appear behind a cursor already
handed out, whatever order writers commit in (docs/live.md).

Create Date: 2026-11-28 01:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Journal entries made in one transaction keep their order (now() is the same for all).
    op.execute("ALTER TABLE audit_events ALTER COLUMN occurred_at SET DEFAULT clock_timestamp()")
    for table in ("transactions", "terminal_events"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()")
        op.execute(f"CREATE INDEX ix_{table}_tenant_id_xid_id ON {table} (tenant_id, xid, id)")


def downgrade() -> None:
    op.execute("ALTER TABLE audit_events ALTER COLUMN occurred_at SET DEFAULT now()")
    for table in ("transactions", "terminal_events"):
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_tenant_id_xid_id")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS xid")
