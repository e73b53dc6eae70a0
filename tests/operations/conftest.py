"""The operations tests' shared fixtures."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.logs import formatter, install_record_redaction
from tests.factories import add_user, make_tenant_graph
from tests.operations.helpers import Captured


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    graph = await make_tenant_graph(owner_engine)
    users = {role: await add_user(owner_engine, graph, role) for role in ("SUPERVISOR", "SERVICE")}
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    return {"graph": graph, "users": users, "tid": tid}


@pytest.fixture
def logs() -> Iterator[Captured]:
    install_record_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # stricter than production: nothing may leak even at DEBUG
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
