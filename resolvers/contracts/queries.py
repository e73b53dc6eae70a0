"""Contracts, their fee schedule versions, and services: lists, filters, loaders."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from db import models as m
from db.enums import ContractStatus, ServiceKind, ServiceStatus
from resolvers.listing import choose, like_pattern, orderings
from resolvers.loaders import GroupLoader
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate


@dataclass(frozen=True)
class ContractFilter:
    status: list[ContractStatus] | None = None
    company: uuid.UUID | None = None
    number: str | None = None


@dataclass(frozen=True)
class ServiceFilter:
    status: list[ServiceStatus] | None = None
    kind: ServiceKind | None = None
    contract: uuid.UUID | None = None
    shop: uuid.UUID | None = None
    terminal: uuid.UUID | None = None


CONTRACT_ORDERINGS = orderings(
    {
        "NUMBER": (m.Contract.number, m.Contract.id),
        "CREATED_AT": (m.Contract.created_at, m.Contract.id),
    },
    "contracts",
)
SERVICE_ORDERINGS = orderings(
    {"CREATED_AT": (m.Service.created_at, m.Service.id)},
    "services",
)

COMPANY_CONTRACTS = ChildList(
    m.Contract, m.Contract.company_id, CONTRACT_ORDERINGS[("NUMBER", False)]
)
CONTRACT_SERVICES = ChildList(
    m.Service, m.Service.contract_id, SERVICE_ORDERINGS[("CREATED_AT", False)]
)
SHOP_SERVICES = ChildList(m.Service, m.Service.shop_id, SERVICE_ORDERINGS[("CREATED_AT", False)])


def contract_query(f: ContractFilter) -> Select[tuple[m.Contract]]:
    stmt = select(m.Contract)
    if f.status:
        stmt = stmt.where(m.Contract.status.in_(f.status))
    if f.company:
        stmt = stmt.where(m.Contract.company_id == f.company)
    if f.number and f.number.strip():
        stmt = stmt.where(m.Contract.number.ilike(like_pattern(f.number)))
    return stmt


def service_query(f: ServiceFilter) -> Select[tuple[m.Service]]:
    stmt = select(m.Service)
    if f.status:
        stmt = stmt.where(m.Service.status.in_(f.status))
    if f.kind:
        stmt = stmt.where(m.Service.kind == f.kind)
    if f.contract:
        stmt = stmt.where(m.Service.contract_id == f.contract)
    if f.shop:
        stmt = stmt.where(m.Service.shop_id == f.shop)
    if f.terminal:
        stmt = stmt.where(m.Service.terminal_id == f.terminal)
    return stmt


async def list_contracts(
    scope: SessionScope, f: ContractFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Contract]:
    return await paginate(scope, contract_query(f), choose(CONTRACT_ORDERINGS, *order), args)


async def list_services(
    scope: SessionScope, f: ServiceFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Service]:
    return await paginate(scope, service_query(f), choose(SERVICE_ORDERINGS, *order), args)


class FeeSchedulesByContractIdLoader(GroupLoader):
    """Every fee schedule version of each contract, newest first."""

    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        return (
            select(m.FeeSchedule)
            .where(m.FeeSchedule.contract_id.in_(keys))
            .order_by(m.FeeSchedule.contract_id, m.FeeSchedule.version_number.desc())
        )

    def key_of(self, row: Any) -> uuid.UUID:
        return row[0].contract_id


class FeeLinesByFeeScheduleIdLoader(GroupLoader):
    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        return (
            select(m.FeeLine)
            .where(m.FeeLine.fee_schedule_id.in_(keys))
            .order_by(m.FeeLine.fee_schedule_id, m.FeeLine.scheme, m.FeeLine.region)
        )

    def key_of(self, row: Any) -> uuid.UUID:
        return row[0].fee_schedule_id


class ShopsByContractIdLoader(GroupLoader):
    """The shops a contract covers."""

    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        return (
            select(m.ContractShop.contract_id, m.Shop)
            .join(
                m.Shop,
                (m.Shop.tenant_id == m.ContractShop.tenant_id)
                & (m.Shop.id == m.ContractShop.shop_id),
            )
            .where(m.ContractShop.contract_id.in_(keys))
            .order_by(m.ContractShop.contract_id, m.Shop.name)
        )

    def key_of(self, row: Any) -> uuid.UUID:
        return row[0]
