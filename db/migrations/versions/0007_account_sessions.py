"""the account page: sessions, the language of a user's messages, supervisor password resets

Revision ID: 0007_account_sessions
Revises: 0006_requests_that_move

- `user_sessions` (tenant table: `tenant_id` first in every key, FORCE row-level security)
  and `platform_sessions` (platform administrators, platform-only like `platform_users`):
  one row per login, whose id every token of the login carries (`sid`) and every request
  checks; `me.sessions`, `logout` and `revokeSession` read and end them.
- `users.language` (`fr`/`en`), `users.password_change_required` and
  `users.password_expires_at` (a supervisor's resetUserPassword); `platform_users.phone`
  and `platform_users.language` (the account page of a platform administrator).

Create Date: 2026-12-04 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from db.rls import IS_PLATFORM, tenant_table_rls

revision: str = "0007_account_sessions"
down_revision: str | None = "0006_requests_that_move"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SESSION_COLUMNS = (
    " created_at timestamptz NOT NULL DEFAULT now(),"
    " last_used_at timestamptz NOT NULL DEFAULT now(),"
    " expires_at timestamptz NOT NULL,"
    " user_agent varchar(400),"
    " address varchar(64),"
    " revoked_at timestamptz,"
    " revoked_reason varchar(32),"
)


def upgrade() -> None:
    op.execute(
        "ALTER TABLE users"
        " ADD COLUMN language varchar(2),"
        " ADD COLUMN password_change_required boolean NOT NULL DEFAULT false,"
        " ADD COLUMN password_expires_at timestamptz,"
        " ADD CONSTRAINT ck_users_language CHECK (language IN ('fr', 'en'))"
    )
    op.execute(
        "ALTER TABLE platform_users"
        " ADD COLUMN phone varchar(16),"
        " ADD COLUMN language varchar(2),"
        " ADD CONSTRAINT ck_platform_users_language CHECK (language IN ('fr', 'en'))"
    )
    op.execute(
        "CREATE TABLE user_sessions ("
        " tenant_id uuid NOT NULL,"
        " id uuid NOT NULL DEFAULT gen_random_uuid(),"
        " user_id uuid NOT NULL,"
        + _SESSION_COLUMNS
        + " CONSTRAINT pk_user_sessions PRIMARY KEY (tenant_id, id),"
        " CONSTRAINT fk_user_sessions_tenant_id_tenants FOREIGN KEY (tenant_id)"
        " REFERENCES tenants (id),"
        " CONSTRAINT fk_user_sessions_tenant_id_user_id_users FOREIGN KEY (tenant_id, user_id)"
        " REFERENCES users (tenant_id, id))"
    )
    op.execute(
        "CREATE INDEX ix_user_sessions_tenant_id_user_id_created_at"
        " ON user_sessions (tenant_id, user_id, created_at)"
    )
    for statement in tenant_table_rls("user_sessions"):
        op.execute(statement)
    op.execute(
        "CREATE TABLE platform_sessions ("
        " id uuid NOT NULL,"
        " user_id uuid NOT NULL,"
        + _SESSION_COLUMNS
        + " CONSTRAINT pk_platform_sessions PRIMARY KEY (id),"
        " CONSTRAINT fk_platform_sessions_user_id_platform_users FOREIGN KEY (user_id)"
        " REFERENCES platform_users (id))"
    )
    op.execute(
        "CREATE INDEX ix_platform_sessions_user_id_created_at"
        " ON platform_sessions (user_id, created_at)"
    )
    op.execute("ALTER TABLE platform_sessions ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE platform_sessions FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY platform_all ON platform_sessions FOR ALL USING ({IS_PLATFORM})"
        f" WITH CHECK ({IS_PLATFORM})"
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS platform_sessions")
    op.execute("DROP TABLE IF EXISTS user_sessions")
    op.execute(
        "ALTER TABLE platform_users DROP CONSTRAINT IF EXISTS ck_platform_users_language,"
        " DROP COLUMN IF EXISTS language, DROP COLUMN IF EXISTS phone"
    )
    op.execute(
        "ALTER TABLE users DROP CONSTRAINT IF EXISTS ck_users_language,"
        " DROP COLUMN IF EXISTS password_expires_at,"
        " DROP COLUMN IF EXISTS password_change_required, DROP COLUMN IF EXISTS language"
    )
