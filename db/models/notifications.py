"""Notifications: the bell, each user's choices, the e-mail outbox, episodes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import CURRENT_XID, XID8, Base, TenantScoped, enum_column, fk, now_column


class Notification(TenantScoped):
    """A notification for one user (the bell): what happened, stored as its kind and
    parameters (rendered in the reader's language when read), and the object it is about.
    Made in the same transaction as the change that causes it; kept 90 days."""

    __tablename__ = "notifications"

    recipient_id: Mapped[uuid.UUID]
    kind: Mapped[e.NotificationKind] = enum_column(e.NotificationKind)
    #: The GraphQL type of the object it is about ("Request", "Service", ...) and its id.
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[uuid.UUID]
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[dt.datetime] = now_column()
    read_at: Mapped[dt.datetime | None]
    xid: Mapped[int] = mapped_column(XID8, server_default=CURRENT_XID)

    __table_args__ = (
        fk("users", "recipient_id"),
        sa.Index(
            "ix_notifications_tenant_id_recipient_id_created_at_id",
            "tenant_id",
            "recipient_id",
            "created_at",
            "id",
        ),
        sa.Index("ix_notifications_tenant_id_xid_id", "tenant_id", "xid", "id"),
        sa.Index("ix_notifications_tenant_id_created_at", "tenant_id", "created_at"),
    )


class NotificationPreference(Base):
    """A user's choice for one kind of notification: in the app, by e-mail (absent: default)."""

    __tablename__ = "notification_preferences"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_notification_preferences_tenant_id_tenants"),
        primary_key=True,
    )
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[e.NotificationKind] = enum_column(e.NotificationKind, primary_key=True)
    in_app: Mapped[bool]
    email: Mapped[bool]
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())

    __table_args__ = (fk("users", "user_id"),)


class NotificationOutbox(TenantScoped):
    """A notification to send by e-mail, written in the transaction that made it and sent
    after commit by the mailer (spring/mailer.py), with retries and backoff."""

    __tablename__ = "notification_outbox"

    recipient_id: Mapped[uuid.UUID]
    kind: Mapped[e.NotificationKind] = enum_column(e.NotificationKind)
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[uuid.UUID]
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[dt.datetime] = now_column()
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = now_column()
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        fk("users", "recipient_id"),
        sa.Index(
            "ix_notification_outbox_tenant_id_next_attempt_at",
            "tenant_id",
            "next_attempt_at",
            postgresql_where=sa.text("sent_at IS NULL"),
        ),
    )


class NotificationEpisode(Base):
    """A condition already told about (a terminal offline since a heartbeat, options version
    pending): detection runs in every process, each episode is told once."""

    __tablename__ = "notification_episodes"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_notification_episodes_tenant_id_tenants"),
        primary_key=True,
    )
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    created_at: Mapped[dt.datetime] = now_column()
