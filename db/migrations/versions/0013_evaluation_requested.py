"""evaluation_requested: supervisors are told when a seller asks for an evaluation

Revision ID: 0013_evaluation_requested
Revises: 0012_documents

`NotificationKind` gains `EVALUATION_REQUESTED` (made by `requestEvaluation` for the tenant's
supervisors, linking to the request, so the bell of whoever decides evaluations rings when a
seller asks). The kind columns of `notifications`, `notification_preferences` and
`notification_outbox` are strings checked against the enum's values: their CHECK constraints
are widened (and narrowed back on downgrade, after deleting the rows of the new kind).

Create Date: 2026-12-05 05:15:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013_evaluation_requested"
down_revision: str | None = "0012_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("notifications", "notification_preferences", "notification_outbox")

BEFORE = (
    "REQUEST_ASSIGNED",
    "REQUEST_COMMENTED",
    "REQUEST_DECIDED",
    "REQUEST_CLOSED",
    "EVALUATION_APPROVED",
    "EVALUATION_REJECTED",
    "SERVICE_BLOCKED",
    "SERVICE_UNBLOCKED",
    "SERVICE_BLOCK_EXPIRED",
    "TERMINAL_BLOCKED",
    "TERMINAL_UNBLOCKED",
    "TERMINAL_BLOCK_EXPIRED",
    "TERMINAL_OFFLINE",
    "OPTIONS_PENDING",
    "FEE_CHANGE_REQUESTED",
    "TERMINATION_REQUESTED",
    "CONTRACT_SIGNED",
)
AFTER = (*BEFORE, "EVALUATION_REQUESTED")


def _check(kinds: Sequence[str]) -> None:
    allowed = ", ".join(f"'{k}'" for k in kinds)
    for table in TABLES:
        name = f"ck_{table}_notificationkind"
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT {name},"
            f" ADD CONSTRAINT {name} CHECK (kind IN ({allowed}))"
        )


def upgrade() -> None:
    _check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind = 'EVALUATION_REQUESTED'")
    op.execute("DELETE FROM notification_preferences WHERE kind = 'EVALUATION_REQUESTED'")
    op.execute("DELETE FROM notification_outbox WHERE kind = 'EVALUATION_REQUESTED'")
    _check(BEFORE)
