"""What happens and is recorded, append-only: transactions, terminal events, the journal."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import CURRENT_XID, XID8, TenantScoped, enum_column, fk, now_column

#: The generated column `transactions.pan_last4`: the last 4 digits of a masked PAN.
PAN_LAST4_SQL = "CASE WHEN masked_pan ~ '[0-9]{4}$' THEN right(masked_pan, 4) END"


class Transaction(TenantScoped):
    """A card transaction; immutable once recorded (a reversal is a new transaction)."""

    __tablename__ = "transactions"

    external_id: Mapped[str] = mapped_column(sa.String(64))
    terminal_id: Mapped[uuid.UUID]
    shop_id: Mapped[uuid.UUID]
    company_id: Mapped[uuid.UUID]
    contract_id: Mapped[uuid.UUID | None]
    service_id: Mapped[uuid.UUID | None]
    type: Mapped[e.TransactionType] = enum_column(e.TransactionType)
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    scheme: Mapped[e.CardScheme] = enum_column(e.CardScheme)
    masked_pan: Mapped[str | None] = mapped_column(sa.String(19))
    #: The card's last four digits, read from masked_pan (migration 0009), for the hotline's
    #: "the card ending 1234" search.
    pan_last4: Mapped[str | None] = mapped_column(
        sa.String(4), sa.Computed(PAN_LAST4_SQL, persisted=True)
    )
    entry_mode: Mapped[e.EntryMode] = enum_column(e.EntryMode)
    status: Mapped[e.TransactionStatus] = enum_column(e.TransactionStatus)
    response_code: Mapped[str] = mapped_column(sa.String(2))
    authorization_code: Mapped[str | None] = mapped_column(sa.String(6))
    original_transaction_id: Mapped[uuid.UUID | None]
    occurred_at: Mapped[dt.datetime]
    recorded_at: Mapped[dt.datetime] = now_column()
    #: The recording transaction's id: live feeds deliver in (xid, id) order, and only rows
    #: older than every transaction still running, so the order is final (docs/live.md).
    xid: Mapped[int] = mapped_column(XID8, server_default=CURRENT_XID)

    __table_args__ = (
        fk("terminals", "terminal_id"),
        fk("shops", "shop_id"),
        fk("companies", "company_id"),
        fk("contracts", "contract_id"),
        fk("services", "service_id"),
        fk("transactions", "original_transaction_id"),
        sa.UniqueConstraint("tenant_id", "external_id"),
        sa.Index("ix_transactions_tenant_id_occurred_at", "tenant_id", "occurred_at", "id"),
        sa.Index(
            "ix_transactions_tenant_id_terminal_id_occurred_at",
            "tenant_id",
            "terminal_id",
            "occurred_at",
            "id",
        ),
        sa.Index(
            "ix_transactions_tenant_id_shop_id_occurred_at",
            "tenant_id",
            "shop_id",
            "occurred_at",
            "id",
        ),
        sa.Index(
            "ix_transactions_tenant_id_company_id_occurred_at",
            "tenant_id",
            "company_id",
            "occurred_at",
            "id",
        ),
        sa.Index("ix_transactions_tenant_id_xid_id", "tenant_id", "xid", "id"),
        sa.Index(
            "ix_transactions_tenant_id_pan_last4_occurred_at",
            "tenant_id",
            "pan_last4",
            "occurred_at",
            postgresql_where=sa.text("pan_last4 IS NOT NULL"),
        ),
        sa.Index(
            "ix_transactions_tenant_id_authorization_code",
            "tenant_id",
            "authorization_code",
            postgresql_where=sa.text("authorization_code IS NOT NULL"),
        ),
        sa.CheckConstraint("amount >= 0", name="amount_non_negative"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_format"),
        sa.CheckConstraint("response_code ~ '^[0-9A-Z]{2}$'", name="response_code_format"),
        # PCI DSS: at most the first 6 and the last 4 digits; never a full PAN.
        sa.CheckConstraint(
            "masked_pan IS NULL OR masked_pan ~ '^[0-9]{0,6}[*X]{2,15}[0-9]{0,4}$'",
            name="masked_pan_format",
        ),
    )


class TerminalEvent(TenantScoped):
    """A technical event reported by a terminal; append-only."""

    __tablename__ = "terminal_events"

    terminal_id: Mapped[uuid.UUID]
    kind: Mapped[e.TerminalEventKind] = enum_column(e.TerminalEventKind)
    code: Mapped[str | None] = mapped_column(sa.String(32))
    message: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[dict[str, Any] | None]
    occurred_at: Mapped[dt.datetime]
    recorded_at: Mapped[dt.datetime] = now_column()
    xid: Mapped[int] = mapped_column(XID8, server_default=CURRENT_XID)

    __table_args__ = (
        fk("terminals", "terminal_id"),
        sa.Index("ix_terminal_events_tenant_id_xid_id", "tenant_id", "xid", "id"),
        sa.Index(
            "ix_terminal_events_tenant_id_terminal_id_occurred_at",
            "tenant_id",
            "terminal_id",
            "occurred_at",
        ),
        sa.Index("ix_terminal_events_tenant_id_occurred_at", "tenant_id", "occurred_at"),
    )


class AuditEvent(TenantScoped):
    """The business journal: who did what, with the values before and after. Append-only."""

    __tablename__ = "audit_events"

    actor_kind: Mapped[e.ActorKind] = enum_column(e.ActorKind)
    #: A tenant user's or a platform user's id; not a foreign key (platform users are global).
    actor_id: Mapped[uuid.UUID | None]
    actor_label: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(64))
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[uuid.UUID | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: clock_timestamp(), not now(): entries of one transaction keep the order they were made.
    occurred_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.clock_timestamp()
    )

    __table_args__ = (
        sa.Index("ix_audit_events_tenant_id_occurred_at", "tenant_id", "occurred_at"),
        sa.Index(
            "ix_audit_events_tenant_id_entity_type_entity_id_occurred_at",
            "tenant_id",
            "entity_type",
            "entity_id",
            "occurred_at",
        ),
        sa.Index(
            "ix_audit_events_tenant_id_actor_id_occurred_at", "tenant_id", "actor_id", "occurred_at"
        ),
        sa.Index(
            "ix_audit_events_tenant_id_action_occurred_at", "tenant_id", "action", "occurred_at"
        ),
    )
