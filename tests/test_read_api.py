"""The read API: policy-guarded fields per role, tenant scoping of every list and `node`,
keyset pagination, and a constant number of SQL statements per page."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from schema.guards import Guard
from schema.permissions import Allowed
from schema.schema import schema
from tenancy import policy
from tenancy.roles import Role
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import (
    PASSWORD,
    TenantGraph,
    add_audit_event_by,
    add_transactions,
    add_user,
    make_tenant_graph,
)

ROOT = Path(__file__).resolve().parent.parent
STAFF = ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR")


@pytest.fixture(scope="module")
async def graphs(owner_engine: AsyncEngine) -> tuple[TenantGraph, TenantGraph]:
    a, b = await make_tenant_graph(owner_engine), await make_tenant_graph(owner_engine)
    await add_transactions(owner_engine, a, 120)
    await add_transactions(owner_engine, b, 5)
    return a, b


@pytest.fixture(scope="module")
async def emails(owner_engine: AsyncEngine, graphs: tuple[TenantGraph, TenantGraph]) -> dict:
    a, b = graphs
    found: dict[tuple[str, str], str] = {}
    for graph, name in ((a, "a"), (b, "b")):
        for role in STAFF:
            found[(name, role)] = await add_user(owner_engine, graph, role)
            await add_audit_event_by(owner_engine, graph, found[(name, role)])
    return found


async def _as(client: GraphQLClient, email: str, tenant: str | None = None) -> GraphQLClient:
    other = GraphQLClient(client.http)
    payload = await other.login(email, PASSWORD)
    assert payload["userErrors"] == [], payload
    other.tenant = tenant
    return other


# --------------------------------------------------------------------------- the policy, in sync


def _schema_fields() -> dict[str, Any]:
    fields = {}
    for type_def in schema.schema_converter.type_map.values():
        definition = type_def.definition
        for field in getattr(definition, "fields", []):
            graphql_name = schema.config.name_converter.get_graphql_name(field)
            fields[f"{definition.name}.{graphql_name}"] = field
    return fields


def test_docs_permissions_is_generated_from_the_policy() -> None:
    on_disk = (ROOT / "docs" / "permissions.md").read_text()
    assert on_disk == policy.render_markdown(), "run: spring permissions > docs/permissions.md"


def test_schema_graphql_is_the_printed_schema() -> None:
    on_disk = (ROOT / "schema.graphql").read_text()
    assert on_disk == schema.as_str() + "\n", "run: spring schema > schema.graphql"


def test_every_guarded_field_is_in_the_policy_and_every_policy_field_guards_one() -> None:
    guarded = {}
    for name, field in _schema_fields().items():
        for extension in field.extensions:
            if isinstance(extension, Guard):
                guarded[name] = extension.field
    assert all(name == rule for name, rule in guarded.items()), guarded
    assert set(guarded) == set(policy.FIELDS)


def test_every_root_field_but_login_is_guarded_by_an_operation_of_the_policy() -> None:
    for root in ("Query", "Mutation"):
        for name, field in _schema_fields().items():
            public = {f"Mutation.{op}" for op in policy.PUBLIC_OPERATIONS}
            if not name.startswith(f"{root}.") or name in public:
                continue
            operations = [
                p.operation
                for extension in field.extensions
                for p in getattr(extension, "permissions", [])
                if isinstance(p, Allowed)
            ]
            assert operations, f"{name} is not guarded"
            assert operations[0] in policy.OPERATIONS, name


# --------------------------------------------------------------------------- roles × fields

#: How to reach each guarded field: a query, and the path to the field's value.
REACH: dict[str, tuple[str, tuple[str, ...]]] = {
    "Company.iban": ("{ companies(first: 1) { edges { node { iban } } } }", ("companies",)),
    "Company.bic": ("{ companies(first: 1) { edges { node { bic } } } }", ("companies",)),
    "Contract.currentFees": (
        "{ contracts(first: 1) { edges { node { currentFees { versionNumber } } } } }",
        ("contracts",),
    ),
    "Contract.feeHistory": (
        "{ contracts(first: 1) { edges { node { feeHistory { versionNumber } } } } }",
        ("contracts",),
    ),
    "Transaction.maskedPan": (
        "{ transactions(first: 1) { edges { node { maskedPan } } } }",
        ("transactions",),
    ),
    "Transaction.authorizationCode": (
        "{ transactions(first: 1, filter: {status: [APPROVED]}) { edges { node {"
        " authorizationCode } } } }",
        ("transactions",),
    ),
    "Transaction.responseCode": (
        "{ transactions(first: 1) { edges { node { responseCode } } } }",
        ("transactions",),
    ),
    "Transaction.responseMessage": (
        "{ transactions(first: 1) { edges { node { responseMessage { code } } } } }",
        ("transactions",),
    ),
    "Terminal.events": (
        "{ terminals(first: 1) { edges { node { events { totalCount } } } } }",
        ("terminals",),
    ),
    "Terminal.commands": (
        "{ terminals(first: 1) { edges { node { commands { totalCount } } } } }",
        ("terminals",),
    ),
    "AuditEvent.before": (
        '{ auditEvents(first: 1, filter: {action: ["company.updated"]}) {'
        " edges { node { before } } } }",
        ("auditEvents",),
    ),
    "AuditEvent.after": (
        '{ auditEvents(first: 1, filter: {action: ["company.updated"]}) {'
        " edges { node { after } } } }",
        ("auditEvents",),
    ),
    "User.lastLoginAt": ("{ me { lastLoginAt } }", ("me",)),
    "User.permissions": ("{ me { permissions { operations } } }", ("me",)),
    "User.sessions": ("{ me { sessions { id } } }", ("me",)),
    "User.passwordChangeRequired": ("{ me { passwordChangeRequired } }", ("me",)),
    "User.unreadNotificationCount": ("{ me { unreadNotificationCount } }", ("me",)),
    "User.notificationPreferences": ("{ me { notificationPreferences { kind } } }", ("me",)),
    "Request.payload": ("{ requests(first: 1) { edges { node { payload } } } }", ("requests",)),
    "Request.documents": (
        "{ requests(first: 1) { edges { node { documents { kind } } } } }",
        ("requests",),
    ),
    "Contract.document": (
        "{ contracts(first: 1) { edges { node { document { sha256 } } } } }",
        ("contracts",),
    ),
    "Contract.documents": (
        "{ contracts(first: 1) { edges { node { documents { sha256 } } } } }",
        ("contracts",),
    ),
    "Company.documents": (
        "{ companies(first: 1) { edges { node { documents { sha256 } } } } }",
        ("companies",),
    ),
    "Colleague.email": ("{ colleagues { email } }", ("colleagues",)),
    "TransactionStatsBucket.topResponseCodes": (
        "{ transactionStats(interval: DAY) { totals { topResponseCodes { code } } } }",
        ("transactionStats", "totals"),
    ),
}


def test_every_guarded_field_has_a_way_to_reach_it() -> None:
    assert set(REACH) == set(policy.FIELDS)


@pytest.mark.parametrize("role", [*STAFF, "PLATFORM_ADMIN"])
@pytest.mark.parametrize("field", sorted(policy.FIELDS))
async def test_a_guarded_field_reads_as_the_policy_says(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    graphs: tuple[TenantGraph, TenantGraph],
    emails: dict,
    field: str,
    role: str,
) -> None:
    a, _ = graphs
    if role == "PLATFORM_ADMIN":
        from resolvers.accounts import create_user
        from tests.conftest import APP_ROLE  # noqa: F401

        email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
        await create_user(
            client_db(client),
            tenant_slug=None,
            email=email,
            full_name="Admin",
            role=Role.PLATFORM_ADMIN,
            password=PASSWORD,
            actor="test",
        )
        caller = await _as(client, email, tenant=a.slug)
    else:
        caller = await _as(client, emails[("a", role)])
    query, path = REACH[field]
    body = await caller.post(query)
    data: Any = body["data"]
    for key in path:
        data = data[key]
    items = 1
    if isinstance(data, list):  # a plain list (`colleagues`): its first item
        assert data, f"nothing to read for {field}"
        value = data[0][field.split(".")[1]]
        items = len(data)  # one FORBIDDEN per item
    elif "edges" in (data or {}):
        assert data["edges"], f"nothing to read for {field}"
        value = data["edges"][0]["node"][field.split(".")[1]]
    else:
        value = data[field.split(".")[1]]
    effective = Role.SUPERVISOR if role == "PLATFORM_ADMIN" else Role(role)
    access = policy.FIELDS[field].get(effective)
    if field in policy.OWN_FIELDS:  # read through `me`: the account's own row
        access = access or policy.OWN_FIELDS[field]
    errors = body.get("errors", [])
    if access is None:
        assert value is None
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"] * items
        assert errors[0]["path"][-1] == field.split(".")[1]
    else:
        assert errors == []
        assert value is not None
        if access is policy.Access.MASKED:
            assert value.startswith("•") and value[-4:] == "0189"
            assert "FR76" not in value


def client_db(client: GraphQLClient) -> Any:
    transport = client.http._transport
    app: Starlette = transport.app  # type: ignore[attr-defined]
    return app.state.database


# --------------------------------------------------------------------------- tenant scoping

LISTS = {
    "companies": "Company",
    "shops": "Shop",
    "contracts": "Contract",
    "services": "Service",
    "terminals": "Terminal",
    "transactions": "Transaction",
    "terminalEvents": "TerminalEvent",
    "requests": "Request",
    "auditEvents": "AuditEvent",
    "users": "User",
}
OBJECTS = {
    "Company": "company",
    "Shop": "shop",
    "Contract": "contract",
    "Service": "service",
    "Terminal": "terminal",
    "Transaction": "tx",
    "TerminalEvent": "event",
    "Request": "request",
    "AuditEvent": "audit",
    "User": "user",
}


async def _ids_in_every_list(caller: GraphQLClient) -> set[str]:
    seen: set[str] = set()
    for field in LISTS:
        body = await caller.post(f"{{ {field}(first: 100) {{ edges {{ node {{ id }} }} }} }}")
        assert "errors" not in body, body
        seen |= {e["node"]["id"] for e in body["data"][field]["edges"]}
    return seen


@pytest.mark.parametrize("as_platform", [False, True])
async def test_another_tenants_rows_are_invisible_and_their_ids_do_not_exist(
    client: GraphQLClient,
    graphs: tuple[TenantGraph, TenantGraph],
    emails: dict,
    as_platform: bool,
) -> None:
    a, b = graphs
    if as_platform:
        from resolvers.accounts import create_user

        email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
        await create_user(
            client_db(client),
            tenant_slug=None,
            email=email,
            full_name="Admin",
            role=Role.PLATFORM_ADMIN,
            password=PASSWORD,
            actor="test",
        )
        caller = await _as(client, email, tenant=b.slug)
    else:
        caller = await _as(client, emails[("b", "SUPERVISOR")])
    a_ids = {gid(t, a.ids[key]) for t, key in OBJECTS.items()}
    b_ids = {gid(t, b.ids[key]) for t, key in OBJECTS.items()}
    seen = await _ids_in_every_list(caller)
    assert seen & a_ids == set()
    assert b_ids <= seen  # the lists do show the caller's own rows
    for foreign in sorted(a_ids):
        body = await caller.post("query($id: ID!) { node(id: $id) { id } }", {"id": foreign})
        assert body["data"] == {"node": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    missing = gid("Company", uuid.uuid4())
    body = await caller.post("query($id: ID!) { node(id: $id) { id } }", {"id": missing})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await caller.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [*sorted(a_ids), gid("Company", b.ids["company"])]},
    )
    assert body["data"]["nodes"] == [None] * len(a_ids) + [{"id": gid("Company", b.ids["company"])}]


async def test_node_resolves_every_type_of_ones_own_tenant(
    client: GraphQLClient, graphs: tuple[TenantGraph, TenantGraph], emails: dict
) -> None:
    a, _ = graphs
    caller = await _as(client, emails[("a", "SUPERVISOR")])
    for type_name, key in OBJECTS.items():
        node_id = gid(type_name, a.ids[key])
        body = await caller.post(
            "query($id: ID!) { node(id: $id) { __typename id } }", {"id": node_id}
        )
        assert body["data"]["node"] == {"__typename": type_name, "id": node_id}, body


# --------------------------------------------------------------------------- pagination

PAGE = "edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"


async def test_walking_forward_and_backward_visits_every_row_once(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    graphs: tuple[TenantGraph, TenantGraph],
    emails: dict,
) -> None:
    a, _ = graphs
    caller = await _as(client, emails[("a", "HOTLINE")])
    total = (await caller.post("{ transactions { totalCount } }"))["data"]["transactions"][
        "totalCount"
    ]
    assert total >= 121
    forward: list[str] = []
    after = None
    inserted = False
    while True:
        body = await caller.post(
            f"query($a: String) {{ transactions(first: 17, after: $a) {{ {PAGE} }} }}", {"a": after}
        )
        conn = body["data"]["transactions"]
        forward += [e["node"]["id"] for e in conn["edges"]]
        if not inserted:  # rows arriving mid-walk must not shift the pages
            await add_transactions(owner_engine, a, 3)
            inserted = True
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(forward) == len(set(forward)) == total

    backward: list[str] = []
    before = conn["pageInfo"]["endCursor"]
    tail = [e["node"]["id"] for e in conn["edges"]][-1:]
    while True:
        body = await caller.post(
            f"query($b: String) {{ transactions(last: 13, before: $b) {{ {PAGE} }} }}",
            {"b": before},
        )
        conn = body["data"]["transactions"]
        backward = [e["node"]["id"] for e in conn["edges"]] + backward
        if not conn["pageInfo"]["hasPreviousPage"]:
            break
        before = conn["pageInfo"]["startCursor"]
    # Walking back from the last row reaches the newest rows, including those inserted meanwhile.
    assert len(backward) == len(set(backward))
    assert backward + tail == [i for i in backward + tail if i in set(backward + tail)]
    assert set(forward) <= set(backward + tail)
    assert len(backward) + 1 == total + 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("first: 101", "entre 0 et 100"),
        ("last: 101", "entre 0 et 100"),
        ("first: -1", "entre 0 et 100"),
        ('after: "garbage"', "pas un curseur"),
        ("first: 2, last: 2", "pas les deux"),
    ],
)
async def test_bad_paging_arguments_are_bad_user_input(
    client: GraphQLClient, emails: dict, arguments: str, message: str
) -> None:
    caller = await _as(client, emails[("a", "SELLER")])
    body = await caller.post(f"{{ transactions({arguments}) {{ totalCount }} }}")
    assert body["data"] == {"transactions": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in body["errors"][0]["message"]


async def test_a_cursor_of_another_order_is_refused(client: GraphQLClient, emails: dict) -> None:
    caller = await _as(client, emails[("a", "SELLER")])
    body = await caller.post("{ transactions(first: 1) { pageInfo { endCursor } } }")
    cursor = body["data"]["transactions"]["pageInfo"]["endCursor"]
    body = await caller.post(
        "query($c: String) { transactions(first: 1, after: $c,"
        " orderBy: {field: AMOUNT, direction: ASC}) { totalCount } }",
        {"c": cursor},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# --------------------------------------------------------------------------- SQL statements

SUPERVISION_PAGE = """
query($n: Int!) { transactions(first: $n) { edges { cursor node {
  id type amount currency scheme entryMode status occurredAt recordedAt externalId
  maskedPan authorizationCode responseCode
  terminal { tid shop { name company { legalName } } }
} } pageInfo { hasNextPage endCursor } } }
"""


async def test_a_supervision_page_costs_the_same_few_statements_for_10_or_100_rows(
    client: GraphQLClient, emails: dict
) -> None:
    caller = await _as(client, emails[("a", "HOTLINE")])
    database = client_db(client)
    counts = {}
    for n in (10, 100):
        before = database.statements
        body = await caller.post(SUPERVISION_PAGE, {"n": n})
        counts[n] = database.statements - before
        assert "errors" not in body
        assert len(body["data"]["transactions"]["edges"]) == n
    assert counts[10] == counts[100] <= 5, counts


async def test_journal_values_leave_out_what_the_reader_may_not_read(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    graphs: tuple[TenantGraph, TenantGraph],
    emails: dict,
) -> None:
    """A technician reads the journal's values, but not the fees or the IBAN copied there."""
    from sqlalchemy import text as sql

    a, _ = graphs
    async with owner_engine.begin() as conn:
        await conn.execute(
            sql(
                "INSERT INTO audit_events (tenant_id, id, actor_kind, actor_label, action,"
                " entity_type, entity_id, after) VALUES (:t, :i, 'SYSTEM', 'test',"
                " 'contract.fees_leak_check', 'Contract', :c, :after)"
            ),
            {
                "t": a.tenant_id,
                "i": uuid.uuid4(),
                "c": a.ids["contract"],
                "after": '{"fees": {"lines": []}, "iban": "••0189", "status": "ACTIVE"}',
            },
        )
    query = (
        '{ auditEvents(first: 1, filter: {action: ["contract.fees_leak_check"]})'
        " { edges { node { after } } } }"
    )
    technician = await _as(client, emails[("a", "TECHNICIAN")])
    supervisor = await _as(client, emails[("a", "SUPERVISOR")])
    seen = (await technician.post(query))["data"]["auditEvents"]["edges"][0]["node"]["after"]
    assert seen == {"status": "ACTIVE"}
    full = (await supervisor.post(query))["data"]["auditEvents"]["edges"][0]["node"]["after"]
    assert set(full) == {"fees", "iban", "status"}


async def test_a_seller_may_not_filter_by_a_response_code_it_may_not_read(
    client: GraphQLClient, emails: dict
) -> None:
    seller = await _as(client, emails[("a", "SELLER")])
    body = await seller.post('{ transactions(filter: {responseCode: ["51"]}) { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hotline = await _as(client, emails[("a", "HOTLINE")])
    body = await hotline.post('{ transactions(filter: {responseCode: ["51"]}) { totalCount } }')
    assert body["data"]["transactions"]["totalCount"] > 0


async def test_node_on_a_fee_schedule_follows_the_fees_rule(
    client: GraphQLClient, graphs: tuple[TenantGraph, TenantGraph], emails: dict
) -> None:
    """A known fee schedule ID does not sidestep Contract.currentFees (policy.NODE_RULES)."""
    a, b = graphs
    fee_id = gid("FeeSchedule", a.ids["fee"])
    query = "query($id: ID!) { node(id: $id) { ... on FeeSchedule { lines { rateBps } } } }"
    technician = await _as(client, emails[("a", "TECHNICIAN")])
    body = await technician.post(query, {"id": fee_id})
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await technician.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [fee_id]}
    )
    assert body["data"]["nodes"] == [None]
    seller = await _as(client, emails[("a", "SELLER")])
    body = await seller.post(query, {"id": fee_id})
    assert body["data"]["node"] == {"lines": [{"rateBps": 30}]}
    # Another tenant's fee schedule is still simply not found, for every role.
    body = await technician.post(query, {"id": gid("FeeSchedule", b.ids["fee"])})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_each_account_reads_its_own_last_login_and_no_one_elses(
    client: GraphQLClient, graphs: tuple[TenantGraph, TenantGraph], emails: dict
) -> None:
    """`lastLoginAt` is a supervisor's to read for everyone, and each account's for itself
    (policy.OWN_FIELDS), on every path: through `me` and through a journal's actor alike."""
    seller = await _as(client, emails[("a", "SELLER")])
    await _as(client, emails[("a", "HOTLINE")])  # the hotline has logged in once, too
    own = await seller.post("{ me { lastLoginAt } }")
    assert own.get("errors") is None, own
    assert own["data"]["me"]["lastLoginAt"]
    # The journal names its actors: the seller reaches the hotline's account that way.
    body = await seller.post(
        "{ auditEvents(first: 50) { edges { node { actor { email lastLoginAt } } } } }"
    )
    actors = [e["node"]["actor"] for e in body["data"]["auditEvents"]["edges"]]
    others = [a for a in actors if a and a["email"] != emails[("a", "SELLER")]]
    mine = [a for a in actors if a and a["email"] == emails[("a", "SELLER")]]
    assert mine and all(a["lastLoginAt"] for a in mine)
    assert not others  # a seller's journal is its own actions only (row scope)
    hotline = await _as(client, emails[("a", "HOTLINE")])
    body = await hotline.post(
        "{ auditEvents(first: 50) { edges { node { actor { email lastLoginAt } } } } }"
    )
    actors = [
        e["node"]["actor"] for e in body["data"]["auditEvents"]["edges"] if e["node"]["actor"]
    ]
    other = [a for a in actors if a["email"] != emails[("a", "HOTLINE")]]
    assert other and all(a["lastLoginAt"] is None for a in other)
    forbidden = [e for e in body["errors"] if e["extensions"]["code"] == "FORBIDDEN"]
    assert forbidden and all(e["path"][-1] == "lastLoginAt" for e in forbidden)


async def test_a_platform_admin_acting_in_a_tenant_finds_it_in_me_tenant(
    client: GraphQLClient, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    from resolvers.accounts import create_user

    a, _ = graphs
    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        client_db(client),
        tenant_slug=None,
        email=email,
        full_name="Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    inside = await _as(client, email, tenant=a.slug)
    body = await inside.post("{ me { role tenant { slug } } }")
    assert body["data"]["me"] == {"role": "PLATFORM_ADMIN", "tenant": {"slug": a.slug}}
    outside = await _as(client, email)
    body = await outside.post("{ me { role tenant { slug } } }")
    assert body["data"]["me"] == {"role": "PLATFORM_ADMIN", "tenant": None}
