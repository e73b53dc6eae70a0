"""terminal commands: download parameters, reboot, update the app, through the gateway

Revision ID: 0011_terminal_commands
Revises: 0010_daily_operations

- `terminal_commands`: one row per command staff sent to a terminal (`sendTerminalCommand`,
  `sendTerminalCommands`): QUEUED, SENT once the terminal gateway (the SERVICE account) read
  it (`pendingTerminalCommands`), DONE or FAILED when the gateway acknowledges it with the
  terminal's event (`recordTerminalEvents` with `commandId`), EXPIRED when no answer comes in
  time. Row-level security as every tenant table.
- `tenants.command_expiry_minutes`: how long a command waits for its answer (60 by default).

Create Date: 2026-12-05 05:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from db.rls import tenant_table_rls

revision: str = "0011_terminal_commands"
down_revision: str | None = "0010_daily_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DDL = [
    """
CREATE TABLE terminal_commands (
    tenant_id UUID NOT NULL,
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    terminal_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    status VARCHAR(32) NOT NULL,
    requested_by UUID,
    requested_by_label VARCHAR(254) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    failure_reason TEXT,
    event_id UUID,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_terminal_commands PRIMARY KEY (tenant_id, id),
    CONSTRAINT fk_terminal_commands_tenant_id_terminal_id_terminals FOREIGN KEY(tenant_id, terminal_id) REFERENCES terminals (tenant_id, id),
    CONSTRAINT ck_terminal_commands_failed_has_reason CHECK (status <> 'FAILED' OR failure_reason IS NOT NULL),
    CONSTRAINT fk_terminal_commands_tenant_id_tenants FOREIGN KEY(tenant_id) REFERENCES tenants (id),
    CONSTRAINT ck_terminal_commands_terminalcommandkind CHECK (kind IN ('DOWNLOAD_PARAMETERS', 'REBOOT', 'UPDATE_APP')),
    CONSTRAINT ck_terminal_commands_terminalcommandstatus CHECK (status IN ('QUEUED', 'SENT', 'DONE', 'FAILED', 'EXPIRED'))
)
""",
    """
CREATE INDEX ix_terminal_commands_tenant_id_created_at_open ON terminal_commands (tenant_id, created_at) WHERE status IN ('QUEUED', 'SENT')
""",
    """
CREATE INDEX ix_terminal_commands_tenant_id_terminal_id_created_at ON terminal_commands (tenant_id, terminal_id, created_at, id)
""",
]


def upgrade() -> None:
    op.execute("ALTER TABLE tenants ADD COLUMN command_expiry_minutes integer NOT NULL DEFAULT 60")
    for statement in DDL:
        op.execute(statement)
    for statement in tenant_table_rls("terminal_commands"):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS terminal_commands")
    op.execute("ALTER TABLE tenants DROP COLUMN command_expiry_minutes")
