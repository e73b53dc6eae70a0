"""`node(id:)` on a terminal's own fields (TerminalOnlyByIdLoader), issue 7 (P3): its statement
runs in the same greenlet as the connection's checkout and the transaction's begin, and the
transaction it begins, when none has, still carries the caller's claims (row-level security
decides what it sees)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import resolvers.loaders as loaders_module
from db import enums as e
from db.session import Database
from resolvers.loaders import Loaders, TerminalOnlyByIdLoader
from tenancy.principal import claims_for
from tenancy.roles import Role
from tests.factories import TenantGraph, make_tenant_graph


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


@pytest.fixture(scope="module")
async def other_graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


def _scope(session: AsyncSession) -> Callable[[], Any]:
    @asynccontextmanager
    async def scope() -> AsyncIterator[AsyncSession]:
        yield session

    return scope


async def _load(
    app_db: Database, tenant_id: uuid.UUID, ids: list[uuid.UUID]
) -> tuple[list[Any], int]:
    session = app_db.session(claims_for(uuid.uuid4(), Role.SUPERVISOR, tenant_id))
    before = app_db.statements
    try:
        loader = Loaders(_scope(session)).get(TerminalOnlyByIdLoader)
        found = await loader.load_many(ids)
        return list(found), app_db.statements - before
    finally:
        await session.close()


async def test_a_transaction_the_loader_begins_carries_the_callers_claims(
    app_db: Database, graph: TenantGraph, other_graph: TenantGraph
) -> None:
    own, foreign = graph.ids["terminal"], other_graph.ids["terminal"]
    found, statements = await _load(app_db, graph.tenant_id, [foreign, own, uuid.uuid4()])
    # Another tenant's terminal and an unknown id load as None; the order is the keys'.
    assert found[0] is None and found[2] is None, found
    assert found[1].id == own and found[1].tenant_id == graph.tenant_id
    assert isinstance(found[1].kind, e.TerminalKind)  # decoded as the ORM would
    assert isinstance(found[1].status, e.TerminalStatus)
    # The claims statement (at begin), then the terminals.
    assert statements == 2
    found, _ = await _load(app_db, other_graph.tenant_id, [own, foreign])
    assert found[0] is None and found[1].id == foreign


async def test_the_loader_takes_one_greenlet_for_begin_and_statement(
    app_db: Database, graph: TenantGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned: list[str] = []

    def counting(module: Any) -> None:
        original = module.greenlet_spawn

        async def spawn(fn: Any, *args: Any, **kwargs: Any) -> Any:
            spawned.append(getattr(fn, "__name__", repr(fn)))
            return await original(fn, *args, **kwargs)

        monkeypatch.setattr(module, "greenlet_spawn", spawn)

    for module in (loaders_module, sa_asyncio.session, sa_asyncio.engine):
        counting(module)
    session = app_db.session(claims_for(uuid.uuid4(), Role.SUPERVISOR, graph.tenant_id))
    try:
        loader = Loaders(_scope(session)).get(TerminalOnlyByIdLoader)
        terminal = await loader.load(graph.ids["terminal"])
    finally:
        monkeypatch.undo()
        await session.close()
    assert terminal is not None
    assert spawned == ["_terminal_rows"], spawned


async def test_with_echo_on_the_loader_takes_sqlalchemys_usual_path_and_decodes_the_same(
    app_url: str, app_db: Database, graph: TenantGraph
) -> None:
    echoing = Database(app_url, echo=True)
    try:
        found, statements = await _load(echoing, graph.tenant_id, [graph.ids["terminal"]])
    finally:
        await echoing.dispose()
    plain, _ = await _load(app_db, graph.tenant_id, [graph.ids["terminal"]])
    assert statements == 2
    assert found[0].__dict__.keys() == plain[0].__dict__.keys()
    assert {k: v for k, v in found[0].__dict__.items() if k != "_sa_instance_state"} == {
        k: v for k, v in plain[0].__dict__.items() if k != "_sa_instance_state"
    }
    assert isinstance(found[0].kind, e.TerminalKind)
