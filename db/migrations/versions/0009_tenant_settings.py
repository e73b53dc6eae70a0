"""tenant settings: a supervisor may change their own tenant's notification delays, nothing else

Revision ID: 0009_tenant_settings
Revises: 0008_notifications

- `tenants.notify_offline_after_minutes` and `notify_options_pending_after_minutes` are kept
  between 1 and 10,080 minutes (one week) by CHECK constraints.
- Row-level security: a new UPDATE policy, `supervisor_settings`, lets a transaction whose
  claims say SUPERVISOR update its own tenant's row (`tenant_self` already lets it read it);
  the platform keeps `platform_all`.
- A trigger, `tenants_settings_only`, refuses (insufficient_privilege) any update of a tenant
  row by someone other than the platform or the table's owner that changes a column other
  than those two settings (and the row's `version` and `updated_at`): a supervisor cannot
  rename their tenant, change its status or its heartbeat interval, even through SQL that
  the API never sends. Column privileges could not say it: the application connects as one
  role for every caller, the platform included.

Create Date: 2026-12-05 05:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from db.rls import CURRENT_TENANT, IS_PLATFORM

revision: str = "0009_tenant_settings"
down_revision: str | None = "0008_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tenant's columns a supervisor may change (the notifications' delays).
SUPERVISOR_COLUMNS = ("notify_offline_after_minutes", "notify_options_pending_after_minutes")
#: Columns every update moves (optimistic locking and the time of the change).
BOOKKEEPING_COLUMNS = ("version", "updated_at")
MAX_MINUTES = 10080

IS_SUPERVISOR = "(SELECT coalesce(current_setting('app.role', true), '') = 'SUPERVISOR')"

_KEEP = "\n".join(
    f"    probe.{column} := OLD.{column};" for column in (*SUPERVISOR_COLUMNS, *BOOKKEEPING_COLUMNS)
)

TRIGGER_FUNCTION = f"""
CREATE FUNCTION spring_tenants_settings_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    probe tenants%ROWTYPE;
BEGIN
    IF {IS_PLATFORM}
       OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
    THEN
        RETURN NEW;
    END IF;
    probe := NEW;
{_KEEP}
    IF probe IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'only the notification settings of a tenant may be changed here'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$
"""  # noqa: S608 (built from constants)


def upgrade() -> None:
    for column in SUPERVISOR_COLUMNS:
        op.execute(
            f"ALTER TABLE tenants ADD CONSTRAINT ck_tenants_{column}_range"
            f" CHECK ({column} BETWEEN 1 AND {MAX_MINUTES})"
        )
    op.execute(
        "CREATE POLICY supervisor_settings ON tenants FOR UPDATE"
        f" USING (id = {CURRENT_TENANT} AND {IS_SUPERVISOR})"
        f" WITH CHECK (id = {CURRENT_TENANT} AND {IS_SUPERVISOR})"
    )
    op.execute(TRIGGER_FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION spring_tenants_settings_only() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER tenants_settings_only BEFORE UPDATE ON tenants"
        " FOR EACH ROW EXECUTE FUNCTION spring_tenants_settings_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS tenants_settings_only ON tenants")
    op.execute("DROP FUNCTION IF EXISTS spring_tenants_settings_only()")
    op.execute("DROP POLICY IF EXISTS supervisor_settings ON tenants")
    for column in SUPERVISOR_COLUMNS:
        op.execute(f"ALTER TABLE tenants DROP CONSTRAINT IF EXISTS ck_tenants_{column}_range")
