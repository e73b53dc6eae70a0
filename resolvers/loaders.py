"""Per-request dataloaders, named `<Model>By<Key>Loader` (Saleor's habit).

Every loader batches the keys asked for in one tick into one statement, run in the request's
tenant transaction (through the context's session scope, which serialises session use).
Rows of another tenant are invisible (row-level security): they load as None.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn
from strawberry.dataloader import DataLoader

from db import models as m
from db.shortcuts import Plan, detached
from resolvers.pagination import ChildList, ChildPageLoader, SessionScope


def _any_id(column: Any) -> Any:
    """`column = ANY(:ids)`, the ids bound as one array: the SQL text is the same for any
    number of ids (an expanding IN is re-rendered at every execution)."""
    return column == any_(bindparam("ids", type_=ARRAY(column.type)))


@functools.cache
def _rows_by_id(model: type[m.Base]) -> Select[Any]:
    """`model` rows whose id is in the list bound as `ids`. Built once per model: a statement
    object reused keeps its cache key (building one per batch costs ~60 µs to key it)."""
    return select(model).where(_any_id(model.id))  # type: ignore[attr-defined]


#: Terminals with their shop and company (TerminalByIdLoader), built once.
_TERMINALS_WITH_SHOP = (
    select(m.Terminal, m.Shop, m.Company)
    .outerjoin(
        m.Shop,
        (m.Shop.tenant_id == m.Terminal.tenant_id) & (m.Shop.id == m.Terminal.shop_id),
    )
    .outerjoin(
        m.Company,
        (m.Company.tenant_id == m.Shop.tenant_id) & (m.Company.id == m.Shop.company_id),
    )
    .where(_any_id(m.Terminal.id))
)


class ByIdLoader(DataLoader[uuid.UUID, Any]):
    """Rows of one model by id (None where missing or not visible)."""

    model: type[m.Base]
    #: A cheaper loader of the same rows, for selections that need none of `relation_fields`.
    without_relations: type[ByIdLoader] | None = None
    relation_fields: frozenset[str] = frozenset()

    def __init__(self, scope: SessionScope, loaders: Loaders | None = None) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope
        self.loaders = loaders

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        async with self.scope() as session:
            rows = (await session.execute(_rows_by_id(self.model), {"ids": list(ids)})).scalars()
            found = {row.id: row for row in rows}
        return [found.get(i) for i in ids]


_TERMINAL_ROWS = select(m.Terminal.__table__).where(_any_id(m.Terminal.__table__.c.id))


class TerminalOnlyByIdLoader(ByIdLoader):
    """Terminals by id, alone, for reading: `node(id:)` asking for a terminal's own fields
    (no `shop`). One Core statement; each row becomes a detached Terminal (`detached`, one
    of the shortcuts of db/shortcuts.py):
    no Shop and Company to hydrate and prime, no ORM identity-map work (about a fifth of
    such a request's CPU time). Never used by mutations (they load through the session)."""

    model = m.Terminal

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        async with self.scope() as session:
            # One greenlet for the connection and the statement (AsyncSession.connection()
            # and AsyncConnection.execute() would take one each).
            rows = await greenlet_spawn(_terminal_rows, session.sync_session, list(ids))
        found = {row["id"]: detached(m.Terminal, row) for row in rows}
        return [found.get(i) for i in ids]


@functools.cache
def _terminal_plan(dialect: Dialect) -> Plan:
    """`_TERMINAL_ROWS` compiled once for the dialect (db/shortcuts.py, `Plan`)."""
    return Plan.of(_TERMINAL_ROWS, dialect)


def _terminal_rows(session: Session, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """`TerminalOnlyByIdLoader`'s statement in the session's transaction (begun if needed,
    with its claims), inside one greenlet, on the DBAPI cursor: still counted, errors
    translated as SQLAlchemy's, each column decoded as Core would (`Plan.rows`)."""
    connection = session.connection()
    return _terminal_plan(connection.dialect).rows(connection, {"ids": ids})


class TerminalByIdLoader(ByIdLoader):
    """Terminals by id, loading their shop and company in the same statement.

    Supervision lists show a transaction's terminal with its shop and company: priming the
    shop and company loaders here saves two statements per request.
    """

    model = m.Terminal
    #: The loader to use when the selection does not need the shop (see schema/relay.py).
    without_relations: type[ByIdLoader] = TerminalOnlyByIdLoader
    #: The fields of the loaded type that the primed rows serve.
    relation_fields: frozenset[str] = frozenset({"shop"})

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        async with self.scope() as session:
            rows = (await session.execute(_TERMINALS_WITH_SHOP, {"ids": list(ids)})).all()
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
TerminalCommandByIdLoader = _by_id(m.TerminalCommand)
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
