"""Tenants and the people who sign in: platform users, tenant users and their sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import Base, TenantScoped, enum_column, fk, now_column
from tenancy.roles import Role


class Tenant(Base):
    """A distribution partner. Global: the platform creates tenants; staff see only their own."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[e.TenantStatus] = enum_column(e.TenantStatus, default=e.TenantStatus.ACTIVE)
    #: Seconds between two terminal heartbeats; a terminal is OFFLINE after twice this.
    heartbeat_interval_s: Mapped[int] = mapped_column(default=60)
    default_currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    #: Technicians are told of a terminal OFFLINE for longer than this (notifications).
    notify_offline_after_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    #: Technicians are told of terminal options PENDING for longer than this.
    notify_options_pending_after_minutes: Mapped[int] = mapped_column(
        default=60, server_default="60"
    )
    #: IANA zone of the partner's local time (migration 0009): statistics days, settlement
    #: times and the times in hints and notifications are wall-clock times of this zone.
    time_zone: Mapped[str] = mapped_column(
        sa.String(64), default="Europe/Paris", server_default="Europe/Paris"
    )
    #: A terminal command not acknowledged this long after it was asked for is EXPIRED.
    command_expiry_minutes: Mapped[int] = mapped_column(default=60, server_default="60")
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        sa.CheckConstraint("slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'", name="slug_format"),
        # Migration 0009: the settings a supervisor changes (updateTenantSettings), one week
        # at most; a trigger there keeps a supervisor's update to these two columns.
        sa.CheckConstraint(
            "notify_offline_after_minutes BETWEEN 1 AND 10080",
            name="notify_offline_after_minutes_range",
        ),
        sa.CheckConstraint(
            "notify_options_pending_after_minutes BETWEEN 1 AND 10080",
            name="notify_options_pending_after_minutes_range",
        ),
    )


class PlatformUser(Base):
    """A user of the acquirer itself (PLATFORM_ADMIN). Global: not owned by any tenant."""

    __tablename__ = "platform_users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[e.UserStatus] = enum_column(e.UserStatus, default=e.UserStatus.ACTIVE)
    password_changed_at: Mapped[dt.datetime] = now_column()
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)
    #: The account page (migration 0006): phone, and the language of messages (`fr`/`en`).
    phone: Mapped[str | None] = mapped_column(sa.String(16))
    language: Mapped[str | None] = mapped_column(sa.String(2))

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (sa.Index("uq_platform_users_email", sa.func.lower(email), unique=True),)

    # The same reading surface as a tenant's User, for the API's User type.
    role: ClassVar[Role] = Role.PLATFORM_ADMIN
    tenant_id: ClassVar[None] = None
    #: A platform administrator's password is never reset by a partner's supervisor.
    password_change_required: ClassVar[bool] = False
    password_expires_at: ClassVar[None] = None


class User(TenantScoped):
    """A partner's staff account (or a SERVICE machine account)."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = enum_column(Role)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[e.UserStatus] = enum_column(e.UserStatus, default=e.UserStatus.ACTIVE)
    phone: Mapped[str | None] = mapped_column(sa.String(16))
    password_changed_at: Mapped[dt.datetime] = now_column()
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)
    #: The language of the user's messages (`fr`/`en`); None: the request's Accept-Language.
    language: Mapped[str | None] = mapped_column(sa.String(2))
    #: Set by a supervisor's resetUserPassword: the password is a one-time code, good only to
    #: log in and choose a new password (changePassword), until `password_expires_at`.
    password_change_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    password_expires_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        sa.Index("uq_users_tenant_id_email", "tenant_id", sa.func.lower(email), unique=True),
        # Login looks an e-mail up across tenants (through spring_login_candidates).
        sa.Index("ix_users_lower_email", sa.func.lower(email)),
        sa.CheckConstraint("role <> 'PLATFORM_ADMIN'", name="tenant_role"),
    )


class UserSession(TenantScoped):
    """One login of a staff account (its refresh token family): what `me.sessions` lists.

    The access and refresh tokens of the login carry its id (`sid`); every request checks it
    (in the statement that sets the claims), so a revoked or expired session is refused on
    its next request. `id` is the refresh token family of the login."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[dt.datetime] = now_column()
    #: When the session last obtained a token (login, refreshToken, changePassword).
    last_used_at: Mapped[dt.datetime] = now_column()
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    user_agent: Mapped[str | None] = mapped_column(sa.String(400))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: Why it ended: logout, revoked, password_changed, password_reset, token_reuse.
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(32))

    __table_args__ = (
        fk("users", "user_id"),
        sa.Index(
            "ix_user_sessions_tenant_id_user_id_created_at", "tenant_id", "user_id", "created_at"
        ),
    )


class PlatformSession(Base):
    """A platform administrator's login (the platform's own table, like platform_users)."""

    __tablename__ = "platform_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("platform_users.id", name="fk_platform_sessions_user_id_platform_users")
    )
    created_at: Mapped[dt.datetime] = now_column()
    last_used_at: Mapped[dt.datetime] = now_column()
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    user_agent: Mapped[str | None] = mapped_column(sa.String(400))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(32))

    __table_args__ = (sa.Index("ix_platform_sessions_user_id_created_at", "user_id", "created_at"),)
