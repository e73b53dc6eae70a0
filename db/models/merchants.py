"""Merchants and their requests: companies, shops, requests, their comments and due times."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import Address, Base, TenantScoped, enum_column, fk, now_column


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
