"""Row-level security statements, used by migrations (tests check every tenant table has them)."""

from __future__ import annotations

#: The current tenant, evaluated once per statement (an initPlan), failing closed to no rows
#: when the setting is missing or empty (a pooled connection after a LOCAL value reads '').
CURRENT_TENANT = "(SELECT nullif(current_setting('app.tenant_id', true), '')::uuid)"
#: True when the transaction acts for the platform (a PLATFORM_ADMIN or a platform system task).
IS_PLATFORM = "(SELECT coalesce(current_setting('app.platform', true), '') = 'on')"


def tenant_table_rls(table: str) -> list[str]:
    """ENABLE + FORCE row-level security and one policy for reading and writing."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} FOR ALL "
        f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})",
    ]


def owner_read_policy(table: str) -> str:
    """Lets the owner (and so SECURITY DEFINER functions it owns) read every row of a table."""
    return f"CREATE POLICY owner_read ON {table} FOR SELECT TO CURRENT_USER USING (true)"
