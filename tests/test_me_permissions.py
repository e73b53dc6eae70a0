"""`me.permissions`: what the signed-in user may do, generated from the policy (the console
shows only these actions and fields)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.auth.types import api_fields
from schema.schema import schema
from tenancy import policy
from tenancy.principal import Principal
from tenancy.roles import Role
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_audit_event_by, add_user, make_tenant_graph

QUERY = "{ me { permissions { operations deniedFields maskedFields requestTypes } } }"


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


async def _signed_in(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph, role: str
) -> tuple[GraphQLClient, str]:
    email = await add_user(owner_engine, graph, role)
    caller = GraphQLClient(client.http)
    assert (await caller.login(email, PASSWORD))["userErrors"] == []
    return caller, email


async def test_a_seller_sees_what_a_seller_may_do(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    seller, _ = await _signed_in(client, owner_engine, graph, "SELLER")
    body = await seller.post(QUERY)
    assert "errors" not in body, body
    permissions = body["data"]["me"]["permissions"]
    operations = set(permissions["operations"])
    assert {"createCompany", "requestEvaluation", "createContract", "search"} <= operations
    assert not {"changeContractFees", "approveRequest", "users", "tenants"} & operations
    assert "Transaction.maskedPan" in permissions["deniedFields"]
    assert "Company.iban" not in permissions["deniedFields"]
    assert permissions["maskedFields"] == []
    assert permissions["requestTypes"] == ["FEE_CHANGE", "SUPPORT", "TERMINATION"]


async def test_a_hotline_reads_the_iban_masked(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    hotline, _ = await _signed_in(client, owner_engine, graph, "HOTLINE")
    permissions = (await hotline.post(QUERY))["data"]["me"]["permissions"]
    assert permissions["maskedFields"] == ["Company.iban"]
    assert "blockService" in permissions["operations"]
    assert "createCompany" not in permissions["operations"]


@pytest.mark.parametrize("role", ["SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE"])
def test_the_answer_is_the_policy(role: str) -> None:
    """Every operation and field of the API, as `may_run` and `field_access` decide."""
    principal = Principal(
        user_id=uuid.uuid4(),
        email="x@y.z",
        full_name="X",
        role=Role(role),
        tenant_id=uuid.uuid4(),
        tenant_slug="t",
    )
    fields = api_fields(schema)
    found = policy.permissions_of(principal, fields)
    assert set(found.operations) == {
        op
        for op in policy.OPERATIONS.keys() | policy.PUBLIC_OPERATIONS
        if policy.may_run(principal, op)
    }
    for field in fields:
        access = policy.field_access(principal, field)
        assert (field in found.denied_fields) == (access is None), field
        assert (field in found.masked_fields) == (access is policy.Access.MASKED), field
    assert "Company.legalName" in fields and "Query.me" in fields


async def test_another_accounts_permissions_are_not_readable(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """Through the journal's actor, a supervisor reaches other accounts: their permissions
    stay theirs (FORBIDDEN), while the supervisor's own row answers."""
    supervisor, email = await _signed_in(client, owner_engine, graph, "SUPERVISOR")
    other = await add_user(owner_engine, graph, "SELLER")
    await add_audit_event_by(owner_engine, graph, other)
    await add_audit_event_by(owner_engine, graph, email)
    body = await supervisor.post(
        "{ auditEvents(first: 50) { edges { node {"
        " actor { email permissions { operations } } } } } }"
    )
    actors = [
        e["node"]["actor"] for e in body["data"]["auditEvents"]["edges"] if e["node"]["actor"]
    ]
    others = [a for a in actors if a["email"] == other]
    mine = [a for a in actors if a["email"] == email]
    assert others and all(a["permissions"] is None for a in others)
    assert mine and all(a["permissions"]["operations"] for a in mine)
    forbidden = [e for e in body["errors"] if e["extensions"]["code"] == "FORBIDDEN"]
    assert forbidden and all(e["path"][-2:] == ["actor", "permissions"] for e in forbidden)
