"""daily operations: the tenant's local time, search by what callers say

Revision ID: 0010_daily_operations
Revises: 0009_tenant_settings

- `tenants.time_zone`: the partner's IANA zone (Europe/Paris unless set). Terminal settlement
  times were "HH:MM, UTC": they become the tenant's local wall-clock time, converted here with
  the zone's offset of the day the migration runs (then stored as local time, so they stay
  right across daylight-saving changes).
- `transactions.pan_last4`: a stored generated column (the last 4 digits of `masked_pan`) and
  an index (tenant_id, pan_last4, occurred_at) for "the card ending 1234" within a date range.
  Adding it rewrites the transactions table once.
- `companies (tenant_id, contact_phone)`: a caller's phone number (E.164) finds the merchant.

Create Date: 2026-12-05 05:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010_daily_operations"
down_revision: str | None = "0009_tenant_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAN_LAST4_SQL = "CASE WHEN masked_pan ~ '[0-9]{4}$' THEN right(masked_pan, 4) END"

# A "HH:MM, UTC" time becomes the same instant's local time (today's offset of the zone).
_TO_LOCAL = """
UPDATE terminal_options o
   SET settlement_time = ((current_date + o.settlement_time) AT TIME ZONE 'UTC'
                          AT TIME ZONE tn.time_zone)::time
  FROM tenants tn
 WHERE tn.id = o.tenant_id
"""

_TO_UTC = """
UPDATE terminal_options o
   SET settlement_time = ((current_date + o.settlement_time) AT TIME ZONE tn.time_zone
                          AT TIME ZONE 'UTC')::time
  FROM tenants tn
 WHERE tn.id = o.tenant_id
"""


def _every_tenant(statement: str) -> None:
    """Run `statement` over every tenant's rows: the owner is subject to row-level security
    (FORCE), so it is lifted for the owner inside this migration's transaction only."""
    for table in ("tenants", "terminal_options"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(statement)
    for table in ("tenants", "terminal_options"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    op.execute(
        "ALTER TABLE tenants ADD COLUMN time_zone varchar(64) NOT NULL DEFAULT 'Europe/Paris'"
    )
    _every_tenant(_TO_LOCAL)
    op.execute(
        f"ALTER TABLE transactions ADD COLUMN pan_last4 varchar(4)"
        f" GENERATED ALWAYS AS ({PAN_LAST4_SQL}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_transactions_tenant_id_pan_last4_occurred_at"
        " ON transactions (tenant_id, pan_last4, occurred_at) WHERE pan_last4 IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX ix_companies_tenant_id_contact_phone ON companies (tenant_id, contact_phone)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_companies_tenant_id_contact_phone")
    op.execute("DROP INDEX ix_transactions_tenant_id_pan_last4_occurred_at")
    op.execute("ALTER TABLE transactions DROP COLUMN pan_last4")
    _every_tenant(_TO_UTC)
    op.execute("ALTER TABLE tenants DROP COLUMN time_zone")
