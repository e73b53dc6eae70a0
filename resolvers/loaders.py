"""Per-request dataloaders, named `<Model>By<Key>Loader` (Saleor's habit).

Every loader batches the keys asked for in one tick into one statement, run in the request's
tenant transaction (through the context's session scope, which serialises session use).
Rows of another tenant are invisible (row-level security): they load as None.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn
from strawberry.dataloader import DataLoader

from db import models as m
from db.session import driver_rows
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


def _snapshot(model: type[m.Base], row: Mapping[str, Any]) -> Any:
    """A detached, read-only instance of `model` holding one Core row's columns (attribute
    names equal column keys): what the ORM would have built, without its unit-of-work
    bookkeeping. Never added to a session; for reads only."""
    instance = model._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    instance.__dict__.update(row)
    return instance


_TERMINAL_ROWS = select(m.Terminal.__table__).where(_any_id(m.Terminal.__table__.c.id))


class TerminalOnlyByIdLoader(ByIdLoader):
    """Terminals by id, alone, for reading: `node(id:)` asking for a terminal's own fields
    (no `shop`). One Core statement; each row becomes a detached Terminal (`_snapshot`):
    no Shop and Company to hydrate and prime, no ORM identity-map work (about a fifth of
    such a request's CPU time). Never used by mutations (they load through the session)."""

    model = m.Terminal

    async def _load(self, ids: Sequence[uuid.UUID]) -> list[Any]:
        async with self.scope() as session:
            # One greenlet for the connection and the statement (AsyncSession.connection()
            # and AsyncConnection.execute() would take one each).
            rows = await greenlet_spawn(_terminal_rows, session.sync_session, list(ids))
        found = {row["id"]: _snapshot(m.Terminal, row) for row in rows}
        return [found.get(i) for i in ids]


@functools.cache
def _terminal_plan(dialect: Dialect) -> tuple[str, Any, tuple[str, ...], list[Any]]:
    """`_TERMINAL_ROWS` compiled once for the dialect: its SQL, the ids' bind processor, the
    column keys and each column's result processor (None: the driver's value as it is)."""
    compiled = _TERMINAL_ROWS.compile(dialect=dialect)
    if compiled.positiontup != ["ids"]:  # pragma: no cover - a changed statement
        raise RuntimeError(f"unexpected parameters {compiled.positiontup}")
    ids_type = compiled.binds["ids"].type.dialect_impl(dialect)
    columns = list(_TERMINAL_ROWS.selected_columns)
    keys = tuple(column.key for column in columns)
    processors = [
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    ]
    return compiled.string, ids_type.bind_processor(dialect), keys, processors


def _terminal_rows(session: Session, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """`TerminalOnlyByIdLoader`'s statement in the session's transaction (begun if needed,
    with its claims), inside one greenlet, on the DBAPI cursor (db.session.driver_rows: still
    counted, errors translated as SQLAlchemy's), each column decoded as Core would."""
    connection = session.connection()
    statement, bind, keys, processors = _terminal_plan(connection.dialect)
    rows = driver_rows(connection, statement, (bind(ids) if bind else ids,))
    decoded = []
    for row in rows:
        values = [p(v) if p else v for p, v in zip(processors, row, strict=True)]
        decoded.append(dict(zip(keys, values, strict=True)))
    return decoded


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
