"""SQLAlchemy 2 models for every entity of DESIGN §2.

Conventions, checked by tests/test_schema_keys.py:
- every tenant table leads its primary key, each unique constraint and each foreign key with
  `tenant_id`, so the schema can be distributed by tenant (Citus) without change;
- global tables (`tenants`, `platform_users`) are the only ones without `tenant_id`;
- money is an integer count of minor units plus an ISO 4217 currency, rates are basis points,
  times are `timestamptz`;
- mutable entities carry `version`, incremented by the ORM on every update (optimistic locking).

There are deliberately no ORM relationships: nested data is loaded by dataloaders with explicit,
batched queries, and composite tenant keys make implicit relationship writes error-prone.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from db import enums as e
from tenancy.roles import Role

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: UUID(as_uuid=True),
        dt.datetime: sa.DateTime(timezone=True),
        dict[str, Any]: JSONB,
    }


class XID8(sa.types.UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (`xid8`): the commit-order cursor of live feeds."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


#: The inserting transaction's id, set by the database (see docs/live.md).
CURRENT_XID = sa.text("pg_current_xact_id()")


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """A string column restricted to the enum's values by a named CHECK constraint."""
    return mapped_column(
        sa.Enum(
            enum_cls,
            name=enum_cls.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=32,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


def now_column(**kwargs: Any) -> Any:
    return mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now(), **kwargs)


def fk(table: str, column: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """A foreign key that carries tenant_id: (tenant_id, column) → table(tenant_id, id)."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


# --------------------------------------------------------------------------- global tables


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


# --------------------------------------------------------------------------- tenant tables


class TenantScoped(Base):
    """Base of every tenant-owned table: (tenant_id, id) is the primary key."""

    __abstract__ = True

    @declared_attr
    @classmethod
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            sa.ForeignKey("tenants.id", name=f"fk_{cls.__tablename__}_tenant_id_tenants"),
            primary_key=True,
            sort_order=-2,
        )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True,
        default=uuid.uuid4,
        server_default=sa.text("gen_random_uuid()"),
        sort_order=-1,
    )


class Address:
    """Postal address columns shared by companies and shops."""

    address_line1: Mapped[str] = mapped_column(sa.String(200))
    address_line2: Mapped[str | None] = mapped_column(sa.String(200))
    postal_code: Mapped[str] = mapped_column(sa.String(16))
    city: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2), default="FR")


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


class Company(TenantScoped, Address):
    """A merchant's legal entity (société)."""

    __tablename__ = "companies"

    legal_name: Mapped[str] = mapped_column(sa.String(200))
    trade_name: Mapped[str | None] = mapped_column(sa.String(200))
    siren: Mapped[str] = mapped_column(sa.String(9))
    legal_form: Mapped[str] = mapped_column(sa.String(40))
    mcc: Mapped[str] = mapped_column(sa.String(4))
    contact_name: Mapped[str] = mapped_column(sa.String(200))
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    contact_phone: Mapped[str] = mapped_column(sa.String(16))
    iban: Mapped[str | None] = mapped_column(sa.String(34))
    bic: Mapped[str | None] = mapped_column(sa.String(11))
    status: Mapped[e.CompanyStatus] = enum_column(e.CompanyStatus, default=e.CompanyStatus.PROSPECT)
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "siren"),
        # The hotline finds a merchant by the phone number a caller gives (E.164, migration 0009).
        sa.Index("ix_companies_tenant_id_contact_phone", "tenant_id", "contact_phone"),
        sa.CheckConstraint("siren ~ '^[0-9]{9}$'", name="siren_digits"),
        sa.CheckConstraint("mcc ~ '^[0-9]{4}$'", name="mcc_digits"),
        sa.Index(
            "ix_companies_legal_name_trgm",
            "legal_name",
            postgresql_using="gin",
            postgresql_ops={"legal_name": "gin_trgm_ops"},
        ),
        sa.Index(
            "ix_companies_trade_name_trgm",
            "trade_name",
            postgresql_using="gin",
            postgresql_ops={"trade_name": "gin_trgm_ops"},
        ),
    )


class Shop(TenantScoped, Address):
    """A point of sale (magasin) of a company."""

    __tablename__ = "shops"

    company_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(sa.String(200))
    siret: Mapped[str] = mapped_column(sa.String(14))
    mcc: Mapped[str] = mapped_column(sa.String(4))
    status: Mapped[e.ShopStatus] = enum_column(e.ShopStatus, default=e.ShopStatus.OPEN)
    closed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        fk("companies", "company_id"),
        sa.UniqueConstraint("tenant_id", "siret"),
        sa.Index("ix_shops_tenant_id_company_id", "tenant_id", "company_id"),
        sa.CheckConstraint("siret ~ '^[0-9]{14}$'", name="siret_digits"),
        sa.CheckConstraint("mcc ~ '^[0-9]{4}$'", name="mcc_digits"),
        sa.Index(
            "ix_shops_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )


class TenantCounter(Base):
    """Per-tenant gapless counters (request references, contract numbers per year)."""

    __tablename__ = "tenant_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_tenant_counters_tenant_id_tenants"), primary_key=True
    )
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Request(TenantScoped):
    """A request (demande): evaluation, fee change, support or termination."""

    __tablename__ = "requests"

    reference: Mapped[str] = mapped_column(sa.String(16))
    type: Mapped[e.RequestType] = enum_column(e.RequestType)
    status: Mapped[e.RequestStatus] = enum_column(e.RequestStatus, default=e.RequestStatus.OPEN)
    company_id: Mapped[uuid.UUID]
    contract_id: Mapped[uuid.UUID | None]
    author_id: Mapped[uuid.UUID]
    assignee_id: Mapped[uuid.UUID | None]
    subject: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    #: Type-specific data, e.g. the proposed fee schedule of a FEE_CHANGE request.
    payload: Mapped[dict[str, Any] | None]
    decided_by: Mapped[uuid.UUID | None]
    decided_at: Mapped[dt.datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(sa.Text)
    #: When it should be decided or done: opening time + the tenant's hours for its type
    #: (RequestDueTime); fixed when it opens.
    due_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = now_column()
    #: Its last activity: opened, commented, moved or decided ("newest activity first").
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "reference"),
        fk("companies", "company_id"),
        fk("contracts", "contract_id"),
        fk("users", "author_id"),
        fk("users", "assignee_id"),
        sa.Index(
            "ix_requests_tenant_id_author_id_created_at", "tenant_id", "author_id", "created_at"
        ),
        sa.Index("ix_requests_tenant_id_company_id", "tenant_id", "company_id"),
        sa.Index("ix_requests_tenant_id_status_created_at", "tenant_id", "status", "created_at"),
        # "My requests", newest activity first, as author and as assignee.
        sa.Index(
            "ix_requests_tenant_id_author_id_updated_at", "tenant_id", "author_id", "updated_at"
        ),
        sa.Index(
            "ix_requests_tenant_id_assignee_id_updated_at",
            "tenant_id",
            "assignee_id",
            "updated_at",
        ),
        sa.Index("ix_requests_tenant_id_due_at", "tenant_id", "due_at"),
    )


class RequestDueTime(Base):
    """A tenant's setting: the hours within which a request of one type should be handled
    (a type without a row uses REQUEST_DUE_HOURS' default)."""

    __tablename__ = "request_due_times"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_request_due_times_tenant_id_tenants"),
        primary_key=True,
    )
    type: Mapped[e.RequestType] = enum_column(e.RequestType, primary_key=True)
    hours: Mapped[int]
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())

    __table_args__ = (sa.CheckConstraint("hours BETWEEN 1 AND 8760", name="hours_range"),)


#: Hours to handle a request of each type when its tenant has not set them.
REQUEST_DUE_HOURS: dict[e.RequestType, int] = {
    e.RequestType.SUPPORT: 48,
    e.RequestType.EVALUATION: 5 * 24,
    e.RequestType.FEE_CHANGE: 5 * 24,
    e.RequestType.TERMINATION: 10 * 24,
}


class RequestComment(TenantScoped):
    """A comment on a request; append-only."""

    __tablename__ = "request_comments"

    request_id: Mapped[uuid.UUID]
    author_id: Mapped[uuid.UUID | None]
    author_label: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (
        fk("requests", "request_id"),
        sa.Index(
            "ix_request_comments_tenant_id_request_id", "tenant_id", "request_id", "created_at"
        ),
    )


class Contract(TenantScoped):
    """A merchant's acquiring contract (MP-YYYY-NNNNNN)."""

    __tablename__ = "contracts"

    number: Mapped[str] = mapped_column(sa.String(16))
    company_id: Mapped[uuid.UUID]
    status: Mapped[e.ContractStatus] = enum_column(e.ContractStatus, default=e.ContractStatus.DRAFT)
    #: Services the contract provides for (PAYWISH_SOFTPOS, PAY_ON_SITE).
    service_kinds: Mapped[list[str]] = mapped_column(sa.ARRAY(sa.String(32)), default=list)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    signed_at: Mapped[dt.datetime | None]
    signed_by: Mapped[uuid.UUID | None]
    signatory_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: The sha256 (hex) of the contract document the signatory was shown and signed.
    signed_document_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    activated_at: Mapped[dt.datetime | None]
    suspended_at: Mapped[dt.datetime | None]
    terminated_at: Mapped[dt.datetime | None]
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()
    updated_at: Mapped[dt.datetime] = now_column(onupdate=sa.func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "number"),
        fk("companies", "company_id"),
        sa.Index("ix_contracts_tenant_id_company_id", "tenant_id", "company_id"),
        sa.CheckConstraint("number ~ '^MP-[0-9]{4}-[0-9]{6}$'", name="number_format"),
    )


class ContractShop(Base):
    """A shop covered by a contract."""

    __tablename__ = "contract_shops"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_contract_shops_tenant_id_tenants"), primary_key=True
    )
    contract_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shop_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    added_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (
        fk("contracts", "contract_id"),
        fk("shops", "shop_id"),
        sa.Index("ix_contract_shops_tenant_id_shop_id", "tenant_id", "shop_id"),
    )


class FeeSchedule(TenantScoped):
    """One version of a contract's fee schedule; a change makes a new version, history is kept."""

    __tablename__ = "fee_schedules"

    contract_id: Mapped[uuid.UUID]
    version_number: Mapped[int]
    effective_from: Mapped[dt.date] = mapped_column(sa.Date)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    terminal_rental_monthly: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    softpos_fee_monthly: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    request_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (
        fk("contracts", "contract_id"),
        fk("requests", "request_id"),
        sa.UniqueConstraint("tenant_id", "contract_id", "version_number"),
        sa.CheckConstraint("terminal_rental_monthly >= 0", name="rental_non_negative"),
        sa.CheckConstraint("softpos_fee_monthly >= 0", name="softpos_non_negative"),
    )


class FeeLine(Base):
    """Price for one card scheme × region in a fee schedule version."""

    __tablename__ = "fee_lines"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_fee_lines_tenant_id_tenants"), primary_key=True
    )
    fee_schedule_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    scheme: Mapped[e.CardScheme] = enum_column(e.CardScheme, primary_key=True)
    region: Mapped[e.FeeRegion] = enum_column(e.FeeRegion, primary_key=True)
    rate_bps: Mapped[int]
    fixed_fee: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    __table_args__ = (
        fk("fee_schedules", "fee_schedule_id", ondelete="CASCADE"),
        sa.CheckConstraint("rate_bps BETWEEN 0 AND 10000", name="rate_bps_range"),
        sa.CheckConstraint("fixed_fee >= 0", name="fixed_fee_non_negative"),
    )


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


class DocumentBlob(Base):
    """A document's bytes, content-addressed: (tenant_id, sha256). Never updated; deleted
    only by `spring purge-documents` (as the owner), never by the application role."""

    __tablename__ = "document_blobs"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_document_blobs_tenant_id_tenants"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),)


class Document(TenantScoped):
    """A document of a company: uploaded (Kbis, identity, bank details, other) or generated
    (a contract signed, an amendment). Append-only for the application role."""

    __tablename__ = "documents"

    company_id: Mapped[uuid.UUID]
    contract_id: Mapped[uuid.UUID | None]
    kind: Mapped[e.DocumentKind] = enum_column(e.DocumentKind)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Generated documents: the language (fr, en) and the data they were rendered from.
    language: Mapped[str | None] = mapped_column(sa.String(2))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    #: Amendments: the fee schedule version they state.
    fee_schedule_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = now_column()

    __table_args__ = (
        fk("companies", "company_id"),
        fk("contracts", "contract_id"),
        sa.Index(
            "ix_documents_tenant_id_company_id_created_at", "tenant_id", "company_id", "created_at"
        ),
        sa.Index(
            "ix_documents_tenant_id_contract_id_created_at",
            "tenant_id",
            "contract_id",
            "created_at",
        ),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )


class DocumentSettings(Base):
    """The tenant's document settings (one row, absent: the defaults)."""

    __tablename__ = "document_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("tenants.id", name="fk_document_settings_tenant_id_tenants"),
        primary_key=True,
    )
    #: Document kinds (KBIS, IDENTITY, BANK_DETAILS, OTHER) a company must have before a
    #: supervisor may approve its evaluation (empty: none).
    evaluation_document_kinds: Mapped[list[str]] = mapped_column(
        sa.ARRAY(sa.String(32)), default=list, server_default="{}"
    )
    updated_at: Mapped[dt.datetime] = now_column()
    #: The tenant's logo (setTenantLogo, migration 0014): its bytes are in document_blobs
    #: by (tenant_id, logo_sha256); drawn on the first page of contract documents.
    logo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    logo_content_type: Mapped[str | None] = mapped_column(sa.String(40))
    logo_filename: Mapped[str | None] = mapped_column(sa.String(200))
    logo_size_bytes: Mapped[int | None]
    logo_set_at: Mapped[dt.datetime | None]
    logo_set_by: Mapped[uuid.UUID | None]

    __table_args__ = (
        sa.CheckConstraint(
            "logo_sha256 IS NULL OR logo_sha256 ~ '^[0-9a-f]{64}$'", name="logo_sha256_hex"
        ),
    )


#: Tables not owned by a tenant. Every other table must carry tenant_id (tests enforce it).
GLOBAL_TABLES: frozenset[str] = frozenset({"tenants", "platform_users", "platform_sessions"})

#: Append-only tables: the application role may insert and read, never update or delete.
APPEND_ONLY_TABLES: frozenset[str] = frozenset(
    {
        "transactions",
        "terminal_events",
        "audit_events",
        "request_comments",
        # Documents are never changed nor deleted by staff (only `spring purge-documents`).
        "documents",
        "document_blobs",
    }
)

#: Tables rows of which the application may delete (association rows edited on a draft).
DELETABLE_TABLES: frozenset[str] = frozenset(
    {
        "contract_shops",
        "fee_lines",
        # Pruned after 90 days (resolvers/notifications/overdue.py: prune).
        "notifications",
        "notification_outbox",
        "notification_episodes",
        # Ended sessions, 30 days after they end (resolvers/auth.py: prune_sessions).
        "user_sessions",
        "platform_sessions",
    }
)
