"""Per-request dataloaders, named `<Model>By<Key>Loader` (Saleor's habit).

Every loader batches the keys asked for in one tick into one statement, run in the request's
tenant transaction (through the context's session scope, which serialises session use).
Rows of another tenant are invisible (row-level security): they load as None.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from strawberry.dataloader import DataLoader

from db import models as m
from resolvers.pagination import ChildList, ChildPageLoader, SessionScope


class ByIdLoader(DataLoader[uuid.UUID, Any]):
    """Rows of one model by id (None where missing or not visible)."""

    model: type[m.Base]

    def __init__(self, scope: SessionScope, loaders: Loaders | None = None) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope
        self.loaders = loaders

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        model: Any = self.model
        async with self.scope() as session:
            rows = (await session.execute(select(model).where(model.id.in_(ids)))).scalars()
            found = {row.id: row for row in rows}
        return [found.get(i) for i in ids]


class TerminalByIdLoader(ByIdLoader):
    """Terminals by id, loading their shop and company in the same statement.

    Supervision lists show a transaction's terminal with its shop and company: priming the
    shop and company loaders here saves two statements per request.
    """

    model = m.Terminal

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        query = (
            select(m.Terminal, m.Shop, m.Company)
            .outerjoin(
                m.Shop,
                (m.Shop.tenant_id == m.Terminal.tenant_id) & (m.Shop.id == m.Terminal.shop_id),
            )
            .outerjoin(
                m.Company,
                (m.Company.tenant_id == m.Shop.tenant_id) & (m.Company.id == m.Shop.company_id),
            )
            .where(m.Terminal.id.in_(ids))
        )
        async with self.scope() as session:
            rows = (await session.execute(query)).all()
        found = {}
        for terminal, shop, company in rows:
            found[terminal.id] = terminal
            if self.loaders is not None:
                if shop is not None:
                    self.loaders.get(ShopByIdLoader).prime(shop.id, shop)
                if company is not None:
                    self.loaders.get(CompanyByIdLoader).prime(company.id, company)
        return [found.get(i) for i in ids]


def _by_id(model: type[m.Base]) -> type[ByIdLoader]:
    return type(f"{model.__name__}ByIdLoader", (ByIdLoader,), {"model": model})


CompanyByIdLoader = _by_id(m.Company)
ShopByIdLoader = _by_id(m.Shop)
ContractByIdLoader = _by_id(m.Contract)
ServiceByIdLoader = _by_id(m.Service)
TransactionByIdLoader = _by_id(m.Transaction)
TerminalEventByIdLoader = _by_id(m.TerminalEvent)
RequestByIdLoader = _by_id(m.Request)
UserByIdLoader = _by_id(m.User)
AuditEventByIdLoader = _by_id(m.AuditEvent)
FeeScheduleByIdLoader = _by_id(m.FeeSchedule)
TenantByIdLoader = _by_id(m.Tenant)


class GroupLoader(DataLoader[uuid.UUID, list[Any]]):
    """Rows grouped by a parent column, for many parents in one statement."""

    def __init__(self, scope: SessionScope) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope

    def query(self, keys: Sequence[uuid.UUID]) -> Select[Any]:
        raise NotImplementedError

    def key_of(self, row: Any) -> uuid.UUID:
        raise NotImplementedError

    async def _load(self, keys: Sequence[uuid.UUID]) -> list[list[Any]]:
        async with self.scope() as session:
            rows = (await session.execute(self.query(keys))).all()
        grouped: dict[uuid.UUID, list[Any]] = {k: [] for k in keys}
        for row in rows:
            grouped[self.key_of(row)].append(row[-1] if len(row) > 1 else row[0])
        return [grouped[k] for k in keys]


class Loaders:
    """The request's loaders, created on first use and kept for the request only."""

    def __init__(self, scope: SessionScope) -> None:
        self.scope = scope
        self._by_class: dict[Any, DataLoader[Any, Any]] = {}

    def get(self, loader_class: type[DataLoader[Any, Any]]) -> Any:
        loader = self._by_class.get(loader_class)
        if loader is None:
            if issubclass(loader_class, ByIdLoader):
                loader = loader_class(self.scope, self)
            else:
                loader = loader_class(self.scope)  # type: ignore[call-arg]
            self._by_class[loader_class] = loader
        return loader

    def children(self, spec: ChildList) -> ChildPageLoader:
        loader = self._by_class.get(spec)
        if loader is None:
            loader = ChildPageLoader(self.scope, spec)
            self._by_class[spec] = loader
        return loader  # type: ignore[return-value]

    def prime(self, loader_class: type[ByIdLoader], rows: Sequence[Any]) -> None:
        loader = self.get(loader_class)
        for row in rows:
            loader.prime(row.id, row)
