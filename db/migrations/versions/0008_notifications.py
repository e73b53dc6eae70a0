"""notifications: the bell, its preferences, the e-mail outbox, episodes told once

Revision ID: 0008_notifications
Revises: 0007_account_sessions

- `notifications`: one row per user told of something (kind + parameters, rendered in the
  reader's language when read; the object it is about). Row-level security as every tenant
  table (the tenant); a user reads only their own rows because every resolver that reads
  them filters on the caller (resolvers/notifications.py), the same way `me.requests` does.
- `notification_preferences`: per user and kind, in-app and e-mail on/off (absent: default).
- `notification_outbox`: e-mails to send, written with the notification, sent after commit.
- `notification_episodes`: conditions already told about (a terminal offline since a given
  heartbeat, an options version pending), so every process may detect and each is told once.
- `tenants`: how long a terminal stays OFFLINE, and options PENDING, before technicians are
  told (15 and 60 minutes by default).

Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from db.rls import tenant_table_rls

revision: str = "0008_notifications"
down_revision: str | None = "0007_account_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "notifications",
    "notification_preferences",
    "notification_outbox",
    "notification_episodes",
)

DDL = [
    """
CREATE TABLE notifications (
    tenant_id UUID NOT NULL,
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    recipient_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    subject_type VARCHAR(40) NOT NULL,
    subject_id UUID NOT NULL,
    params JSONB DEFAULT '{}'::jsonb NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    read_at TIMESTAMP WITH TIME ZONE,
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    CONSTRAINT pk_notifications PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_notifications_tenant_id_recipient_id_users FOREIGN KEY(tenant_id, recipient_id) REFERENCES users (tenant_id, id),
    CONSTRAINT fk_notifications_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id),
    CONSTRAINT ck_notifications_notificationkind CHECK (kind IN ('REQUEST_ASSIGNED', 'REQUEST_COMMENTED', 'REQUEST_DECIDED', 'REQUEST_CLOSED', 'EVALUATION_APPROVED', 'EVALUATION_REJECTED', 'SERVICE_BLOCKED', 'SERVICE_UNBLOCKED', 'SERVICE_BLOCK_EXPIRED', 'TERMINAL_BLOCKED', 'TERMINAL_UNBLOCKED', 'TERMINAL_BLOCK_EXPIRED', 'TERMINAL_OFFLINE', 'OPTIONS_PENDING', 'FEE_CHANGE_REQUESTED', 'TERMINATION_REQUESTED', 'CONTRACT_SIGNED'))
)
""",
    """
CREATE INDEX ix_notifications_tenant_id_created_at ON notifications (tenant_id, created_at)
""",
    """
CREATE INDEX ix_notifications_tenant_id_recipient_id_created_at_id ON notifications (tenant_id, recipient_id, created_at, id)
""",
    """
CREATE INDEX ix_notifications_tenant_id_xid_id ON notifications (tenant_id, xid, id)
""",
    """
CREATE TABLE notification_preferences (
    tenant_id UUID NOT NULL,
    user_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    in_app BOOLEAN NOT NULL,
    email BOOLEAN NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_notification_preferences PRIMARY KEY (tenant_id, user_id, kind),
    CONSTRAINT fk_notification_preferences_tenant_id_user_id_users FOREIGN KEY(tenant_id, user_id) REFERENCES users (tenant_id, id),
    CONSTRAINT fk_notification_preferences_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id),
    CONSTRAINT ck_notification_preferences_notificationkind CHECK (kind IN ('REQUEST_ASSIGNED', 'REQUEST_COMMENTED', 'REQUEST_DECIDED', 'REQUEST_CLOSED', 'EVALUATION_APPROVED', 'EVALUATION_REJECTED', 'SERVICE_BLOCKED', 'SERVICE_UNBLOCKED', 'SERVICE_BLOCK_EXPIRED', 'TERMINAL_BLOCKED', 'TERMINAL_UNBLOCKED', 'TERMINAL_BLOCK_EXPIRED', 'TERMINAL_OFFLINE', 'OPTIONS_PENDING', 'FEE_CHANGE_REQUESTED', 'TERMINATION_REQUESTED', 'CONTRACT_SIGNED'))
)
""",
    """
CREATE TABLE notification_outbox (
    tenant_id UUID NOT NULL,
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    recipient_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    subject_type VARCHAR(40) NOT NULL,
    subject_id UUID NOT NULL,
    params JSONB DEFAULT '{}'::jsonb NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    attempts INTEGER DEFAULT '0' NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    sent_at TIMESTAMP WITH TIME ZONE,
    last_error TEXT,
    CONSTRAINT pk_notification_outbox PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_notification_outbox_tenant_id_recipient_id_users FOREIGN KEY(tenant_id, recipient_id) REFERENCES users (tenant_id, id),
    CONSTRAINT fk_notification_outbox_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id),
    CONSTRAINT ck_notification_outbox_notificationkind CHECK (kind IN ('REQUEST_ASSIGNED', 'REQUEST_COMMENTED', 'REQUEST_DECIDED', 'REQUEST_CLOSED', 'EVALUATION_APPROVED', 'EVALUATION_REJECTED', 'SERVICE_BLOCKED', 'SERVICE_UNBLOCKED', 'SERVICE_BLOCK_EXPIRED', 'TERMINAL_BLOCKED', 'TERMINAL_UNBLOCKED', 'TERMINAL_BLOCK_EXPIRED', 'TERMINAL_OFFLINE', 'OPTIONS_PENDING', 'FEE_CHANGE_REQUESTED', 'TERMINATION_REQUESTED', 'CONTRACT_SIGNED'))
)
""",
    """
CREATE INDEX ix_notification_outbox_tenant_id_next_attempt_at ON notification_outbox (tenant_id, next_attempt_at) WHERE sent_at IS NULL
""",
    """
CREATE TABLE notification_episodes (
    tenant_id UUID NOT NULL,
    key VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_notification_episodes PRIMARY KEY (tenant_id, key),
    CONSTRAINT fk_notification_episodes_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id)
)
""",
]


def upgrade() -> None:
    op.execute(
        "ALTER TABLE tenants"
        " ADD COLUMN notify_offline_after_minutes integer NOT NULL DEFAULT 15,"
        " ADD COLUMN notify_options_pending_after_minutes integer NOT NULL DEFAULT 60"
    )
    for statement in DDL:
        op.execute(statement)
    for table in TABLES:
        for statement in tenant_table_rls(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute(
        "ALTER TABLE tenants DROP COLUMN notify_offline_after_minutes,"
        " DROP COLUMN notify_options_pending_after_minutes"
    )
