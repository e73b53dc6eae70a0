"""Staff accounts and tenants through GraphQL: supervisors manage staff, the platform tenants."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers.accounts import create_user
from tenancy.roles import Role
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

CREATE = """
mutation($i: CreateUserInput!) { createUser(input: $i) {
  user { id email role status version } userErrors { field code message } } }
"""
UPDATE = """
mutation($i: UpdateUserInput!) { updateUser(input: $i) {
  user { id fullName role version } userErrors { field code message } } }
"""
DEACTIVATE = """
mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) {
  user { id status } userErrors { field code message } } }
"""
TENANT = """
mutation($i: CreateTenantInput!) { createTenant(input: $i) {
  tenant { id slug name heartbeatIntervalSeconds } userErrors { field code message } } }
"""


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {r: await add_user(owner_engine, graph, r) for r in ("SELLER", "SUPERVISOR")}
    return graph, users


async def login(client: GraphQLClient, email: str, password: str = PASSWORD) -> GraphQLClient:
    other = GraphQLClient(client.http)
    payload = await other.login(email, password)
    assert payload["userErrors"] == [], payload
    return other


async def test_supervisor_creates_edits_and_deactivates_a_staff_account(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await login(client, users["SUPERVISOR"])
    email = f"new-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
    body = await supervisor.post(
        CREATE,
        {"i": {"email": email, "fullName": "Nadia", "role": "HOTLINE", "password": PASSWORD}},
    )
    assert "errors" not in body, body
    payload = body["data"]["createUser"]
    assert payload["userErrors"] == []
    user = payload["user"]
    assert user["role"] == "HOTLINE" and user["status"] == "ACTIVE"
    hotline = await login(client, email)

    body = await supervisor.post(
        UPDATE, {"i": {"id": user["id"], "role": "TECHNICIAN", "expectedVersion": 1}}
    )
    assert body["data"]["updateUser"]["user"]["role"] == "TECHNICIAN"
    # The role is in the token: the old token no longer matches the account.
    assert (await hotline.post("{ me { role } }"))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    technician = await login(client, email)
    assert (await technician.post("{ me { role } }"))["data"]["me"]["role"] == "TECHNICIAN"

    body = await supervisor.post(DEACTIVATE, {"i": {"id": user["id"], "reason": "Départ"}})
    assert body["data"]["deactivateUser"]["user"]["status"] == "DEACTIVATED"
    assert (await technician.post("{ me { role } }"))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    body = await supervisor.post(DEACTIVATE, {"i": {"id": user["id"], "reason": "Encore"}})
    assert body["data"]["deactivateUser"]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    async with owner_engine.connect() as conn:
        actions = (
            await conn.execute(
                text("SELECT action FROM audit_events WHERE entity_id = :u ORDER BY occurred_at"),
                {"u": uuid.UUID(_node_uuid(user["id"]))},
            )
        ).scalars()
        assert list(actions) == ["user.created", "user.updated", "user.deactivated"]


def _node_uuid(global_id: str) -> str:
    from strawberry import relay

    return relay.GlobalID.from_id(global_id).node_id


async def test_a_new_password_revokes_sessions(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await login(client, users["SUPERVISOR"])
    email = f"pw-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
    user = (
        await supervisor.post(
            CREATE,
            {"i": {"email": email, "fullName": "Paul", "role": "SELLER", "password": PASSWORD}},
        )
    )["data"]["createUser"]["user"]
    seller = await login(client, email)
    body = await supervisor.post(UPDATE, {"i": {"id": user["id"], "password": "short"}})
    assert body["data"]["updateUser"]["userErrors"][0]["field"] == ["input", "password"]
    body = await supervisor.post(
        UPDATE, {"i": {"id": user["id"], "password": "a much longer secret"}}
    )
    assert body["data"]["updateUser"]["userErrors"] == []
    assert (await seller.post("{ me { email } }"))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    await login(client, email, "a much longer secret")


async def test_account_rules(client: GraphQLClient, tenant: tuple[TenantGraph, dict]) -> None:
    _graph, users = tenant
    supervisor = await login(client, users["SUPERVISOR"])
    body = await supervisor.post(
        CREATE,
        {
            "i": {
                "email": users["SELLER"].upper(),
                "fullName": "Dup",
                "role": "SELLER",
                "password": PASSWORD,
            }
        },
    )
    assert body["data"]["createUser"]["userErrors"][0]["code"] == "DUPLICATE"
    body = await supervisor.post(
        CREATE,
        {
            "i": {
                "email": "x@y.test",
                "fullName": "Admin",
                "role": "PLATFORM_ADMIN",
                "password": PASSWORD,
            }
        },
    )
    assert body["data"]["createUser"]["userErrors"][0]["field"] == ["input", "role"]
    me = (await supervisor.post("{ me { id } }"))["data"]["me"]["id"]
    body = await supervisor.post(DEACTIVATE, {"i": {"id": me, "reason": "oops"}})
    assert body["data"]["deactivateUser"]["userErrors"][0]["field"] == ["input", "id"]
    seller = await login(client, users["SELLER"])
    body = await seller.post(
        CREATE,
        {"i": {"email": "a@b.test", "fullName": "A", "role": "SELLER", "password": PASSWORD}},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_platform_admin_creates_tenants_and_staff_cannot(
    client: GraphQLClient, app_db: Database, tenant: tuple[TenantGraph, dict]
) -> None:
    _, users = tenant
    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        app_db,
        tenant_slug=None,
        email=email,
        full_name="Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    admin = await login(client, email)
    slug = f"caraibes-{uuid.uuid4().hex[:6]}"
    body = await admin.post(TENANT, {"i": {"slug": slug, "name": "Monétik Caraïbes"}})
    payload = body["data"]["createTenant"]
    assert payload["userErrors"] == []
    assert payload["tenant"]["slug"] == slug
    assert payload["tenant"]["heartbeatIntervalSeconds"] == 60
    body = await admin.post(TENANT, {"i": {"slug": slug, "name": "Again"}})
    assert body["data"]["createTenant"]["userErrors"][0]["code"] == "DUPLICATE"
    body = await admin.post(TENANT, {"i": {"slug": "Bad Slug!", "name": "X"}})
    assert body["data"]["createTenant"]["userErrors"][0]["field"] == ["input", "slug"]
    listed = await admin.post("{ tenants(first: 100) { edges { node { slug } } } }")
    assert slug in {e["node"]["slug"] for e in listed["data"]["tenants"]["edges"]}
    supervisor = await login(client, users["SUPERVISOR"])
    body = await supervisor.post(TENANT, {"i": {"slug": "nope-nope", "name": "X"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
