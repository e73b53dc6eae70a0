"""The request_moves tests' shared fixtures."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import add_user, make_tenant_graph
from tests.request_moves.helpers import (
    Staff,
    _id_of,
)


@pytest.fixture(scope="module")
async def staff(owner_engine: AsyncEngine) -> Staff:
    graph = await make_tenant_graph(owner_engine)
    other = await make_tenant_graph(owner_engine)
    emails = {
        "seller": await add_user(owner_engine, graph, "SELLER"),
        "hotline": await add_user(owner_engine, graph, "HOTLINE"),
        "technician": await add_user(owner_engine, graph, "TECHNICIAN"),
        "technician2": await add_user(owner_engine, graph, "TECHNICIAN"),
        "supervisor": await add_user(owner_engine, graph, "SUPERVISOR"),
        "gone": await add_user(owner_engine, graph, "TECHNICIAN"),
        "service": await add_user(owner_engine, graph, "SERVICE"),
        "foreign": await add_user(owner_engine, other, "TECHNICIAN"),
    }
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE users SET status = 'DEACTIVATED' WHERE email = :e"), {"e": emails["gone"]}
        )
    ids = {name: await _id_of(owner_engine, email) for name, email in emails.items()}
    return Staff(graph, other, emails, ids)
