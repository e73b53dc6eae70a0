"""One password rule on every path that sets a password (tenancy/password_policy.py through
Validator.new_password): changePassword, createUser, updateUser and `spring user create`.
Each path refuses a short one, a common one and one made of the account's own name, and
writes nothing when it refuses."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from spring.cli import app as cli
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph

CREATE = """
mutation($i: CreateUserInput!) { createUser(input: $i) {
  user { id } userErrors { field code message } } }
"""
UPDATE = """
mutation($i: UpdateUserInput!) { updateUser(input: $i) {
  user { id version } userErrors { field code message } } }
"""
CHANGE = """
mutation($i: ChangePasswordInput!) { changePassword(input: $i) {
  userErrors { field code message } } }
"""

#: (password, the code it gets) for an account named "Nadia Berthelot".
WEAK = [
    ("Court-1", "INVALID"),  # under 12 characters
    ("password1234", "WEAK_PASSWORD"),  # one of the most common
    ("Password2024!", "WEAK_PASSWORD"),  # a common one with digits and punctuation around
    ("berthelot-97-guadeloupe", "WEAK_PASSWORD"),  # the account's own name
]


async def _count_users(engine: AsyncEngine, email: str) -> int:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM users WHERE lower(email) = lower(:e)"), {"e": email}
        )
    return int(found or 0)


async def _login(client: GraphQLClient, email: str, password: str = PASSWORD) -> GraphQLClient:
    other = GraphQLClient(client.http)
    payload = await other.login(email, password)
    assert payload["userErrors"] == [], payload
    return other


async def test_create_and_update_user_apply_the_rule(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = await _login(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    for password, code in WEAK:
        email = f"nadia-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
        body = await supervisor.post(
            CREATE,
            {
                "i": {
                    "email": email,
                    "fullName": "Nadia Berthelot",
                    "role": "HOTLINE",
                    "password": password,
                }
            },
        )
        payload = body["data"]["createUser"]
        assert payload["user"] is None, (password, body)
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            (["input", "password"], code)
        ], password
        assert await _count_users(owner_engine, email) == 0
    # An account is created with a strong password, then refused weak ones, version unmoved.
    email = f"nadia-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
    body = await supervisor.post(
        CREATE,
        {
            "i": {
                "email": email,
                "fullName": "Nadia Berthelot",
                "role": "HOTLINE",
                "password": PASSWORD,
            }
        },
    )
    assert body["data"]["createUser"]["userErrors"] == [], body
    user_id = body["data"]["createUser"]["user"]["id"]
    for password, code in [*WEAK, (email.partition("@")[0] + "-xyz!", "WEAK_PASSWORD")]:
        body = await supervisor.post(UPDATE, {"i": {"id": user_id, "password": password}})
        payload = body["data"]["updateUser"]
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            (["input", "password"], code)
        ], (password, body)
    await _login(client, email)  # the password is still the first one
    body = await supervisor.post(
        UPDATE, {"i": {"id": user_id, "password": "Cannelle-Vanille-Rhum-97"}}
    )
    assert body["data"]["updateUser"]["userErrors"] == [], body
    await _login(client, email, "Cannelle-Vanille-Rhum-97")


async def test_change_password_applies_the_same_rule(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    email = await add_user(owner_engine, graph, "SELLER")
    seller = await _login(client, email)
    for password, code in [*WEAK[:3], (email.partition("@")[0] + "-xyz!", "WEAK_PASSWORD")]:
        body = await seller.post(
            CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": password}}
        )
        errors = body["data"]["changePassword"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(["input", "newPassword"], code)], (
            password,
            body,
        )
    await _login(client, email)


def _user_create(urls: tuple[str, str], email: str, password: str, tenant: str) -> tuple[int, str]:
    owner_url, app_url = urls
    result = CliRunner().invoke(
        cli,
        [
            "user",
            "create",
            "--tenant",
            tenant,
            "--email",
            email,
            "--name",
            "Nadia Berthelot",
            "--role",
            "HOTLINE",
        ],
        input=password + "\n",
        env={
            "DATABASE_URL": owner_url,
            "SPRING_APP_DATABASE_URL": app_url,
        },
    )
    return result.exit_code, result.output


async def test_spring_user_create_applies_the_rule(
    owner_url: str, app_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    for password, _code in WEAK:
        email = f"cli-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
        code, output = await asyncio.to_thread(
            _user_create, (owner_url, app_url), email, password, graph.slug
        )
        assert code == 1, output
        assert "Refused" in output, output
        assert await _count_users(owner_engine, email) == 0
    email = f"cli-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
    code, output = await asyncio.to_thread(
        _user_create, (owner_url, app_url), email, "Cannelle-Vanille-Rhum-97", graph.slug
    )
    assert code == 0, output
    assert await _count_users(owner_engine, email) == 1
