"""`AuditEvent.entity`: a journal line names the object it changed (a terminal's TID, a
company's legal name) through the object itself, read as the reader may read it: the node
rules and the field permissions apply as on `node(id:)`; the objects of a page are loaded
in one statement per kind."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from db.ids import global_id
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.test_onboarding import company_input


def statements(client: GraphQLClient) -> int:
    return client.http._transport.app.state.database.statements  # type: ignore[attr-defined]


async def counted(client: GraphQLClient, query: str) -> int:
    """The SQL statements one request of `query` sent."""
    start = statements(client)
    body = await client.post(query)
    assert "errors" not in body, body
    return statements(client) - start


JOURNAL = """query { auditEvents(first: 50) { edges { node { action entityType entityId
  entity { __typename id ... on Terminal { tid } ... on Company { legalName }
    ... on Service { kind } ... on Shop { name } } } } } }"""
BLOCK = """mutation($i: BlockServiceInput!) { blockService(input: $i) { userErrors { code } } }"""
REGISTER = """mutation($i: RegisterTerminalInput!) { registerTerminal(input: $i) {
  terminal { id } userErrors { code message } } }"""


async def test_a_journal_line_reads_the_object_it_changed(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = GraphQLClient(client.http)
    await supervisor.login(await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    registered = await supervisor.post(
        REGISTER,
        {"i": {"kind": "PAX", "tid": "ZE000001", "serialNumber": "SN-ZE-1", "model": "A920"}},
    )
    assert registered["data"]["registerTerminal"]["userErrors"] == [], registered
    blocked = await supervisor.post(
        BLOCK, {"i": {"id": global_id("Service", graph.ids["service"]), "reason": "Fraude"}}
    )
    assert blocked["data"]["blockService"]["userErrors"] == [], blocked

    for role in ("SUPERVISOR", "HOTLINE", "TECHNICIAN"):  # a SELLER reads only its own lines
        reader = GraphQLClient(client.http)
        await reader.login(await add_user(owner_engine, graph, role), PASSWORD)
        body = await reader.post(JOURNAL)
        assert "errors" not in body, (role, body)
        lines = {e["node"]["action"]: e["node"] for e in body["data"]["auditEvents"]["edges"]}
        terminal = lines["terminal.registered"]
        assert terminal["entity"] == {
            "__typename": "Terminal",
            "id": terminal["entityId"],
            "tid": "ZE000001",
        }, role
        service = lines["service.blocked"]["entity"]
        assert service["__typename"] == "Service" and service["kind"] == "PAY_ON_SITE", role
        for line in lines.values():  # every line's object is its entityId's
            if line["entity"] is not None:
                assert line["entity"]["id"] == line["entityId"], line


async def test_a_seller_reads_the_objects_of_its_own_lines(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    seller = GraphQLClient(client.http)
    await seller.login(await add_user(owner_engine, graph, "SELLER"), PASSWORD)
    created = await seller.post(
        "mutation($i: CreateCompanyInput!) { createCompany(input: $i) { company { id }"
        " userErrors { code } } }",
        {"i": company_input(legalName="Boulangerie de la Darse")},
    )
    assert created["data"]["createCompany"]["userErrors"] == [], created
    body = await seller.post(JOURNAL)
    assert "errors" not in body, body
    (line,) = [e["node"] for e in body["data"]["auditEvents"]["edges"]]
    assert line["entity"] == {
        "__typename": "Company",
        "id": created["data"]["createCompany"]["company"]["id"],
        "legalName": "Boulangerie de la Darse",
    }


async def test_the_objects_of_a_page_are_loaded_once_per_kind(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = GraphQLClient(client.http)
    await supervisor.login(await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    for n in range(4):
        registered = await supervisor.post(
            REGISTER,
            {
                "i": {
                    "kind": "PAX",
                    "tid": f"ZF00000{n}",
                    "serialNumber": f"SN-ZF-{n}",
                    "model": "A9",
                }
            },
        )
        assert registered["data"]["registerTerminal"]["userErrors"] == [], registered
    plain = "query { auditEvents(first: 50) { edges { node { action entityId } } } }"
    before, after = await counted(supervisor, plain), await counted(supervisor, JOURNAL)
    kinds = {
        e["node"]["entity"]["__typename"]
        for e in (await supervisor.post(JOURNAL))["data"]["auditEvents"]["edges"]
        if e["node"]["entity"] is not None
    }
    assert "Terminal" in kinds
    assert after - before <= len(kinds), (before, after, kinds)
