"""Contracts, the shops they cover and their fee schedules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db import enums as e
from db.models.base import Base, TenantScoped, enum_column, fk, now_column


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
