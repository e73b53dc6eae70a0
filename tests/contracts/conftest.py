"""The contract tests' shared fixtures."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import TenantGraph, add_user, make_tenant_graph


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE"):
        users[role] = await add_user(owner_engine, graph, role)
    return graph, users
