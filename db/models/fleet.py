"""The fleet: terminals, their options versions, services and commands sent to terminals."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import Base, TenantScoped, enum_column, fk, now_column


class Terminal(TenantScoped):
    """A PAX card terminal or a SoftPOS phone."""

    __tablename__ = "terminals"

    kind: Mapped[e.TerminalKind] = enum_column(e.TerminalKind)
    tid: Mapped[str] = mapped_column(sa.String(8))
    serial_number: Mapped[str | None] = mapped_column(sa.String(40))
    model: Mapped[str | None] = mapped_column(sa.String(60))
    os_version: Mapped[str | None] = mapped_column(sa.String(40))
    firmware_version: Mapped[str | None] = mapped_column(sa.String(40))
    app_version: Mapped[str | None] = mapped_column(sa.String(40))
    shop_id: Mapped[uuid.UUID | None]
    status: Mapped[e.TerminalStatus] = enum_column(
        e.TerminalStatus, default=e.TerminalStatus.IN_STOCK
    )
    blocked_reason: Mapped[str | None] = mapped_column(sa.Text)
    blocked_until: Mapped[dt.datetime | None]
    last_seen_at: Mapped[dt.datetime | None]
    last_heartbeat_at: Mapped[dt.datetime | None]
    #: Options version last acknowledged by the device (PARAMETERS_DOWNLOADED), and when.
    applied_options_version: Mapped[int | None]
    options_applied_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        fk("shops", "shop_id"),
        sa.UniqueConstraint("tenant_id", "tid"),
        sa.Index(
            "uq_terminals_tenant_id_serial_number",
            "tenant_id",
            "serial_number",
            unique=True,
            postgresql_where=sa.text("serial_number IS NOT NULL"),
        ),
        sa.Index("ix_terminals_tenant_id_shop_id", "tenant_id", "shop_id"),
        sa.Index("ix_terminals_tenant_id_last_heartbeat_at", "tenant_id", "last_heartbeat_at"),
        sa.CheckConstraint("tid ~ '^[A-Z0-9]{8}$'", name="tid_format"),
        sa.CheckConstraint("kind <> 'PAX' OR serial_number IS NOT NULL", name="pax_serial"),
    )


class TerminalOptions(Base):
    """One version of a PAX terminal's options; the device acknowledges versions."""

    __tablename__ = "terminal_options"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_terminal_options_tenant_id_tenants"), primary_key=True
    )
    terminal_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version_number: Mapped[int] = mapped_column(primary_key=True)
    contactless: Mapped[bool] = mapped_column(default=True)
    tipping: Mapped[bool] = mapped_column(default=False)
    cashback: Mapped[bool] = mapped_column(default=False)
    pre_authorization: Mapped[bool] = mapped_column(default=False)
    manual_entry: Mapped[bool] = mapped_column(default=False)
    receipt_mode: Mapped[e.ReceiptMode] = enum_column(e.ReceiptMode, default=e.ReceiptMode.PRINT)
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    settlement_time: Mapped[dt.time] = mapped_column(sa.Time, default=dt.time(23, 0))
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()
    acknowledged_at: Mapped[dt.datetime | None]

    __table_args__ = (fk("terminals", "terminal_id"),)


class Service(TenantScoped):
    """A payment service of a contract on one shop: SoftPOS (Tap to Pay) or Pay on site (PAX)."""

    __tablename__ = "services"

    contract_id: Mapped[uuid.UUID]
    shop_id: Mapped[uuid.UUID]
    kind: Mapped[e.ServiceKind] = enum_column(e.ServiceKind)
    terminal_id: Mapped[uuid.UUID | None]
    status: Mapped[e.ServiceStatus] = enum_column(e.ServiceStatus, default=e.ServiceStatus.PENDING)
    blocked_reason: Mapped[str | None] = mapped_column(sa.Text)
    blocked_at: Mapped[dt.datetime | None]
    blocked_until: Mapped[dt.datetime | None]
    blocked_by: Mapped[uuid.UUID | None]
    #: SoftPOS one-time activation code: only its hash is stored, and it expires.
    activation_code_hash: Mapped[str | None] = mapped_column(sa.String(128))
    activation_code_expires_at: Mapped[dt.datetime | None]
    activated_at: Mapped[dt.datetime | None]
    deactivated_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        fk("contracts", "contract_id"),
        fk("shops", "shop_id"),
        fk("terminals", "terminal_id"),
        sa.Index("ix_services_tenant_id_contract_id", "tenant_id", "contract_id"),
        sa.Index("ix_services_tenant_id_shop_id", "tenant_id", "shop_id"),
        sa.Index("ix_services_tenant_id_terminal_id", "tenant_id", "terminal_id"),
        sa.Index(
            "uq_services_tenant_id_activation_code_hash",
            "tenant_id",
            "activation_code_hash",
            unique=True,
            postgresql_where=sa.text("activation_code_hash IS NOT NULL"),
        ),
        sa.CheckConstraint(
            "status <> 'BLOCKED' OR blocked_reason IS NOT NULL", name="blocked_has_reason"
        ),
    )


class TerminalCommand(TenantScoped):
    """A command staff sent to a terminal (download parameters, reboot, update the app),
    queued for the terminal gateway (the SERVICE account), which reads it (SENT) and
    acknowledges it with the terminal's event (DONE or FAILED); EXPIRED when no answer comes
    before `expires_at` (the tenant's `command_expiry_minutes`)."""

    __tablename__ = "terminal_commands"

    terminal_id: Mapped[uuid.UUID]
    kind: Mapped[e.TerminalCommandKind] = enum_column(e.TerminalCommandKind)
    status: Mapped[e.TerminalCommandStatus] = enum_column(
        e.TerminalCommandStatus, default=e.TerminalCommandStatus.QUEUED
    )
    #: Who asked: a staff account (None for a platform administrator), and their e-mail.
    requested_by: Mapped[uuid.UUID | None]
    requested_by_label: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[dt.datetime] = now_column()
    expires_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
    #: When it became DONE, FAILED or EXPIRED.
    finished_at: Mapped[dt.datetime | None]
    failure_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: The terminal event that acknowledged it (not a foreign key: events are append-only
    #: and recorded in the same statement batch).
    event_id: Mapped[uuid.UUID | None]
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())

    __table_args__ = (
        fk("terminals", "terminal_id"),
        sa.Index(
            "ix_terminal_commands_tenant_id_terminal_id_created_at",
            "tenant_id",
            "terminal_id",
            "created_at",
            "id",
        ),
        sa.Index(
            "ix_terminal_commands_tenant_id_created_at_open",
            "tenant_id",
            "created_at",
            postgresql_where=sa.text("status IN ('QUEUED', 'SENT')"),
        ),
        sa.CheckConstraint(
            "status <> 'FAILED' OR failure_reason IS NOT NULL", name="failed_has_reason"
        ),
    )
