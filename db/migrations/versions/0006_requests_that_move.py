"""requests that move: CANCELLED, a due date per request, the tenant's due times per type

Revision ID: 0006_requests_that_move
Revises: 0005

- `requests.status` may be `CANCELLED` (withdrawn by its author, or ended with its contract
  or company).
- `requests.due_at`: when a request should be handled, fixed when it opens from the tenant's
  hours for its type; existing requests get the default hours (SUPPORT 48 h, EVALUATION and
  FEE_CHANGE 5 days, TERMINATION 10 days) from their opening.
- `request_due_times (tenant_id, type, hours)`: a tenant's own hours per type, under forced
  row-level security like every tenant table.
- Indexes for "my requests" (author or assignee, newest activity first) and the overdue filter.

Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.rls import tenant_table_rls

revision: str = "0006_requests_that_move"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("OPEN", "IN_REVIEW", "APPROVED", "REJECTED", "DONE")
TYPES = ("EVALUATION", "FEE_CHANGE", "SUPPORT", "TERMINATION")
DEFAULT_HOURS = {"SUPPORT": 48, "EVALUATION": 120, "FEE_CHANGE": 120, "TERMINATION": 240}


def _status_check(statuses: Sequence[str]) -> None:
    op.execute("ALTER TABLE requests DROP CONSTRAINT ck_requests_requeststatus")
    values = ", ".join(f"'{s}'" for s in statuses)
    op.execute(
        f"ALTER TABLE requests ADD CONSTRAINT ck_requests_requeststatus CHECK (status IN ({values}))"
    )


def upgrade() -> None:
    _status_check((*STATUSES, "CANCELLED"))
    op.add_column("requests", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    cases = " ".join(f"WHEN '{t}' THEN {h}" for t, h in DEFAULT_HOURS.items())
    op.execute(
        f"UPDATE requests SET due_at = created_at + make_interval(hours => CASE type {cases} END)"  # noqa: S608 (constants)
    )
    op.create_index(
        "ix_requests_tenant_id_author_id_updated_at",
        "requests",
        ["tenant_id", "author_id", "updated_at"],
    )
    op.create_index(
        "ix_requests_tenant_id_assignee_id_updated_at",
        "requests",
        ["tenant_id", "assignee_id", "updated_at"],
    )
    op.create_index("ix_requests_tenant_id_due_at", "requests", ["tenant_id", "due_at"])
    op.create_table(
        "request_due_times",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                *TYPES,
                name="requesttype",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("hours BETWEEN 1 AND 8760", name="ck_request_due_times_hours_range"),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_request_due_times_tenant_id_tenants"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "type", name="pk_request_due_times"),
    )
    for statement in tenant_table_rls("request_due_times"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("request_due_times")
    op.drop_index("ix_requests_tenant_id_due_at", table_name="requests")
    op.drop_index("ix_requests_tenant_id_assignee_id_updated_at", table_name="requests")
    op.drop_index("ix_requests_tenant_id_author_id_updated_at", table_name="requests")
    op.drop_column("requests", "due_at")
    op.execute("UPDATE requests SET status = 'DONE' WHERE status = 'CANCELLED'")
    _status_check(STATUSES)
