"""References in the journal and in diagnosis details are global ids (issue 12, item 16).

`AuditEvent.before/after` and `diagnoseTerminal`'s `details` used to carry raw uuids
(`shopIds`, `shopId`, `companyId`, ...) that no query takes. They now carry the same global ids
as every node's `id`, so a client follows them with `node(id:)`.

The scan runs after every other test (the `after_suite` mark, tests/conftest.py): it reads every
journal entry that the suite wrote, so a new journal action that copies a raw uuid is caught.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from strawberry import relay

from db.ids import REFERENCE_TYPES, encode_references, global_id, reference_type
from db.session import async_url
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph

pytestmark = pytest.mark.after_suite

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
JOURNAL = """query($id: ID!) { node(id: $id) { ... on Node { id } ... on Contract {
  auditEvents(first: 20) { edges { node { action before after } } } } ... on Shop {
  auditEvents(first: 20) { edges { node { action before after } } } } ... on Terminal {
  auditEvents(first: 20) { edges { node { action before after } } } } } }"""
FOLLOW = "query($id: ID!) { node(id: $id) { __typename id } }"


def test_a_global_id_is_the_one_node_ids_use() -> None:
    value = uuid.uuid4()
    for type_name in set(REFERENCE_TYPES.values()):
        assert global_id(type_name, value) == str(relay.GlobalID(type_name, str(value)))
    assert reference_type("shopIds") == "Shop" and reference_type("assigneeId") == "User"
    assert reference_type("externalId") is None and reference_type("id") is None
    encoded = encode_references(
        {
            "shopIds": [str(value)],
            "companyId": value,
            "shopId": None,
            "nested": [{"terminalId": str(value)}],
            "externalId": str(value),  # the sender's id, not a node
            "name": "Chez Test",
        }
    )
    assert encoded == {
        "shopIds": [global_id("Shop", value)],
        "companyId": global_id("Company", value),
        "shopId": None,
        "nested": [{"terminalId": global_id("Terminal", value)}],
        "externalId": str(value),
        "name": "Chez Test",
    }
    assert encode_references(encoded) == encoded  # idempotent


def _references(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, value) of an `...Id(s)` key in a JSON value."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _references(v, k)
    elif isinstance(value, list):
        for v in value:
            found += _references(v, key)
    elif isinstance(value, str) and reference_type(key):
        found.append((key, value))
    return found


async def _follow(caller: GraphQLClient, values: list[tuple[str, str]]) -> None:
    assert values
    for key, gid in values:
        body = await caller.post(FOLLOW, {"id": gid})
        assert "errors" not in body, (key, gid, body)
        node = body["data"]["node"]
        assert node == {"__typename": reference_type(key), "id": gid}, (key, gid)


async def test_journal_references_are_followed_with_node(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = GraphQLClient(client.http)
    await supervisor.login(await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    company = global_id("Company", graph.ids["company"])
    shop = await supervisor.post(
        "mutation($i: CreateShopInput!) { createShop(input: $i) { shop { id }"
        " userErrors { code message } } }",
        {
            "i": {
                "companyId": company,
                "name": "Second magasin",
                "siret": "73282932000066",
                "address": {"line1": "2 rue Nozières", "postalCode": "97110", "city": "PAP"},
            }
        },
    )
    assert not shop["data"]["createShop"]["userErrors"], shop
    shop_id = shop["data"]["createShop"]["shop"]["id"]
    contract = await supervisor.post(
        "mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id }"
        " userErrors { code message } } }",
        {
            "i": {
                "companyId": company,
                "shopIds": [shop_id, global_id("Shop", graph.ids["shop"])],
                "serviceKinds": ["PAY_ON_SITE"],
            }
        },
    )
    assert not contract["data"]["createContract"]["userErrors"], contract
    terminal = await supervisor.post(
        "mutation($i: RegisterTerminalInput!) { registerTerminal(input: $i) { terminal { id"
        " version } userErrors { code message } } }",
        {"i": {"kind": "PAX", "tid": "ZJ000001", "serialNumber": "SN-ZJ-1", "model": "A920"}},
    )
    terminal_id = terminal["data"]["registerTerminal"]["terminal"]["id"]
    assigned = await supervisor.post(
        "mutation($i: AssignTerminalInput!) { assignTerminal(input: $i) {"
        " userErrors { code message } } }",
        {"i": {"id": terminal_id, "shopId": shop_id}},
    )
    assert not assigned["data"]["assignTerminal"]["userErrors"], assigned

    found: list[tuple[str, str]] = []
    for node_id in (shop_id, contract["data"]["createContract"]["contract"]["id"], terminal_id):
        body = await supervisor.post(JOURNAL, {"id": node_id})
        assert "errors" not in body, body
        for edge in body["data"]["node"]["auditEvents"]["edges"]:
            event = edge["node"]
            found += _references(event["before"]) + _references(event["after"])
            assert not UUID.search(str(event)), event
    keys = {key for key, _ in found}
    assert {"companyId", "shopIds", "shopId"} <= keys
    await _follow(supervisor, found)


async def test_diagnosis_references_are_followed_with_node(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    hotline = GraphQLClient(client.http)
    await hotline.login(await add_user(owner_engine, graph, "HOTLINE"), PASSWORD)
    body = await hotline.post(
        "query($id: ID!) { diagnoseTerminal(id: $id) { checks { code details } } }",
        {"id": global_id("Terminal", graph.ids["terminal"])},
    )
    assert "errors" not in body, body
    found = [
        ref
        for check in body["data"]["diagnoseTerminal"]["checks"]
        for ref in _references(check["details"])
    ]
    assert {key for key, _ in found} >= {"shopId", "serviceId", "contractId", "companyId"}
    assert not UUID.search(str(body["data"]))
    await _follow(hotline, found)


async def _raw_uuids(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT action, before::text, after::text FROM audit_events")
        )
        return [
            f"{action}: {UUID.search(values)[0]} in {values[:200]}"
            for action, before, after in rows
            for values in (before or "", after or "")
            if UUID.search(values)
        ]


async def test_no_raw_uuid_in_any_journal_entry(owner_engine: AsyncEngine) -> None:
    async with owner_engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM audit_events WHERE after IS NOT NULL"))
    assert count, "no journal entry to scan: the scan would prove nothing"
    found = await _raw_uuids(owner_engine)
    assert not found, "\n".join(found[:20])


@pytest.mark.slow
async def test_no_raw_uuid_in_the_demo_journal(demo_owner_url: str) -> None:
    engine = create_async_engine(async_url(demo_owner_url))
    try:
        found = await _raw_uuids(engine)
    finally:
        await engine.dispose()
    assert not found, "\n".join(found[:20])


def test_the_scans_run_after_every_other_test(request: pytest.FixtureRequest) -> None:
    """The scans above prove something only after the rest of the suite has written: every
    test after the first `after_suite` one is an `after_suite` one too, whatever file names say."""
    items = request.session.items
    marked = [item.get_closest_marker("after_suite") is not None for item in items]
    assert True in marked
    assert all(marked[marked.index(True) :]), [
        item.nodeid for item, last in zip(items, marked, strict=True) if not last
    ][-3:]
