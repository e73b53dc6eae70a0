"""Two real `spring serve` processes on one database share the login throttle and the spent
refresh tokens (DESIGN §8): nothing passes between them but PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.test_instances import instances

LOGIN = """
mutation($i: LoginInput!) { login(input: $i) {
  token refreshToken retryAfter userErrors { code } } }
"""
REFRESH = """
mutation($i: RefreshTokenInput!) { refreshToken(input: $i) {
  token refreshToken userErrors { code } } }
"""


async def call(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"http://{base}/graphql", json={"query": query, "variables": variables}
        )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return next(iter(data.values()))


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


@pytest.mark.slow
async def test_two_processes_share_the_throttle_and_the_spent_refresh_tokens(
    owner_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    target = await add_user(owner_engine, graph, "HOTLINE")
    user = await add_user(owner_engine, graph, "SELLER")
    async with instances(owner_url, 2) as (first, second):
        for instance in (first, second):
            await instance.wait_ready()
        bases = (first.base, second.base)

        # Five failures spread over both processes lock the account on both.
        for i in range(5):
            wrong = {"i": {"email": target, "password": "wrong"}}
            assert codes(await call(bases[i % 2], LOGIN, wrong)) == ["INVALID_CREDENTIALS"]
        for base in bases:
            right = await call(base, LOGIN, {"i": {"email": target, "password": PASSWORD}})
            assert codes(right) == ["TOO_MANY_ATTEMPTS"] and right["retryAfter"], right

        # A refresh token spent on one process is refused by the other.
        session = await call(first.base, LOGIN, {"i": {"email": user, "password": PASSWORD}})
        token = session["refreshToken"]
        assert token, session
        rotated = await call(first.base, REFRESH, {"i": {"refreshToken": token}})
        assert rotated["token"] and rotated["refreshToken"], rotated
        replay = await call(second.base, REFRESH, {"i": {"refreshToken": token}})
        assert replay["token"] is None and codes(replay) == ["INVALID_CREDENTIALS"]

        # Concurrent refreshes with one token on both processes: exactly one succeeds.
        session = await call(second.base, LOGIN, {"i": {"email": user, "password": PASSWORD}})
        token = session["refreshToken"]
        outcomes = await asyncio.gather(
            *(call(bases[i % 2], REFRESH, {"i": {"refreshToken": token}}) for i in range(6))
        )
        assert sum(1 for o in outcomes if o["token"]) == 1, outcomes
