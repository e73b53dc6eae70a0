"""What the people working on requests see: colleagues, due dates and overdue requests, my
requests (and what listing them costs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import GraphQLClient
from tests.factories import add_user, make_tenant_graph
from tests.request_moves.helpers import (
    CANCEL,
    COMMENT,
    ERRORS,
    TAKE,
    Staff,
    _id_of,
    as_,
    open_support,
)
from tests.test_read_api import client_db

DUE = f"""
mutation($i: SetRequestDueTimeInput!) {{ setRequestDueTime(input: $i) {{
  dueTimes {{ type hours isDefault }} {ERRORS} }} }}
"""


MY_REQUESTS = """
query($f: UserRequestFilter, $first: Int, $after: String) { me { requests(filter: $f,
  first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { reference status updatedAt } } } } }
"""


async def test_colleagues_names_and_roles_for_everyone_emails_for_supervisors(
    client: GraphQLClient, staff: Staff
) -> None:
    query = "{ colleagues { id fullName role email } }"
    seller = await as_(client, staff, "seller")
    body = await seller.post(query)
    colleagues = body["data"]["colleagues"]
    ids = {c["id"] for c in colleagues}
    # Active staff only: not the deactivated technician, not the machine account, not the
    # other tenant's people.
    assert staff.user("technician") in ids and staff.user("seller") in ids
    assert staff.user("gone") not in ids
    assert staff.user("service") not in ids
    assert staff.user("foreign") not in ids
    assert all(c["email"] is None for c in colleagues)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert len(body["errors"]) == len(colleagues)

    supervisor = await as_(client, staff, "supervisor")
    body = await supervisor.post("{ colleagues(roles: [TECHNICIAN]) { id role email } }")
    assert "errors" not in body
    technicians = body["data"]["colleagues"]
    assert {c["role"] for c in technicians} == {"TECHNICIAN"}
    assert {c["email"] for c in technicians} >= {
        staff.emails["technician"],
        staff.emails["technician2"],
    }

    machine = await as_(client, staff, "service")
    body = await machine.post("{ colleagues { fullName } }")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_due_dates_follow_the_tenants_setting_and_overdue_requests_are_found(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    supervisor = await as_(client, staff, "supervisor")
    body = await supervisor.post("{ me { tenant { requestDueTimes { type hours isDefault } } } }")
    times = {t["type"]: t for t in body["data"]["me"]["tenant"]["requestDueTimes"]}
    assert times["EVALUATION"] == {"type": "EVALUATION", "hours": 120, "isDefault": True}
    assert times["TERMINATION"]["hours"] == 240
    assert times["SUPPORT"]["hours"] == 24  # the factory's tenant set it

    # Out of range: refused, nothing set.
    body = await supervisor.post(DUE, {"i": {"type": "SUPPORT", "hours": 0}})
    assert [e["code"] for e in body["data"]["setRequestDueTime"]["userErrors"]] == ["OUT_OF_RANGE"]
    body = await supervisor.post(DUE, {"i": {"type": "SUPPORT", "hours": 8761}})
    assert body["data"]["setRequestDueTime"]["dueTimes"] is None

    body = await supervisor.post(DUE, {"i": {"type": "SUPPORT", "hours": 4}})
    payload = body["data"]["setRequestDueTime"]
    assert payload["userErrors"] == []
    assert {"type": "SUPPORT", "hours": 4, "isDefault": False} in payload["dueTimes"]
    seller = await as_(client, staff, "seller")
    body = await seller.post(DUE, {"i": {"type": "SUPPORT", "hours": 2}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    started = dt.datetime.now(dt.UTC)
    request = await open_support(seller, staff, subject="Panne imprimante")
    due = dt.datetime.fromisoformat(request["dueAt"])
    assert started + dt.timedelta(hours=4) - dt.timedelta(seconds=5) <= due
    assert due <= dt.datetime.now(dt.UTC) + dt.timedelta(hours=4)
    assert request["overdue"] is False

    # The other tenant's setting is its own.
    async with owner_engine.connect() as conn:
        theirs = await conn.scalar(
            text("SELECT hours FROM request_due_times WHERE tenant_id = :t AND type = 'SUPPORT'"),
            {"t": staff.other.tenant_id},
        )
    assert theirs == 24

    # Four hours later (moved back in time here), it is overdue until decided.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE requests SET due_at = now() - interval '1 minute' WHERE reference = :r"),
            {"r": request["reference"]},
        )
    overdue = (
        "{ requests(first: 100, filter: {overdue: true}) { edges { node { reference overdue } } } }"
    )
    body = await seller.post(overdue)
    found = {
        e["node"]["reference"]: e["node"]["overdue"] for e in body["data"]["requests"]["edges"]
    }
    assert found.get(request["reference"]) is True
    assert all(found.values())
    body = await seller.post(MY_REQUESTS, {"f": {"overdue": True}, "first": 100})
    mine = [e["node"]["reference"] for e in body["data"]["me"]["requests"]["edges"]]
    assert request["reference"] in mine
    body = await seller.post(MY_REQUESTS, {"f": {"overdue": False}, "first": 100})
    assert request["reference"] not in [
        e["node"]["reference"] for e in body["data"]["me"]["requests"]["edges"]
    ]
    await seller.post(CANCEL, {"i": {"requestId": request["id"]}})
    body = await seller.post(overdue)
    assert request["reference"] not in {
        e["node"]["reference"] for e in body["data"]["requests"]["edges"]
    }


async def test_my_requests_are_those_i_wrote_and_those_i_hold_newest_activity_first(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    emails = {r: await add_user(owner_engine, graph, r) for r in ("SELLER", "TECHNICIAN")}
    staff = Staff(graph, graph, {k.lower(): v for k, v in emails.items()}, {})
    staff.ids = {k: await _id_of(owner_engine, v) for k, v in staff.emails.items()}
    seller = await as_(client, staff, "seller")
    technician = await as_(client, staff, "technician")

    first = await open_support(seller, staff, subject="Un")
    second = await open_support(seller, staff, subject="Deux")
    own = await open_support(technician, staff, subject="Le mien")
    await technician.post(TAKE, {"i": {"requestId": own["id"]}})  # authored and held
    await technician.post(TAKE, {"i": {"requestId": first["id"]}})

    async def refs(caller: GraphQLClient, **f: Any) -> tuple[list[str], int]:
        body = await caller.post(MY_REQUESTS, {"f": f or None, "first": 50})
        requests = body["data"]["me"]["requests"]
        return [e["node"]["reference"] for e in requests["edges"]], requests["totalCount"]

    # ANY by default: what I wrote and what I hold, each once, newest activity first.
    assert await refs(technician) == ([first["reference"], own["reference"]], 2)
    assert await refs(technician, relation="ASSIGNED") == (
        [first["reference"], own["reference"]],
        2,
    )
    assert await refs(technician, relation="AUTHORED") == ([own["reference"]], 1)
    assert await refs(seller) == ([first["reference"], second["reference"]], 2)
    assert await refs(seller, relation="ASSIGNED") == ([], 0)

    # A comment is activity: the older request comes back on top.
    await seller.post(COMMENT, {"i": {"requestId": second["id"], "body": "Des nouvelles ?"}})
    assert (await refs(seller))[0] == [second["reference"], first["reference"]]
    # Status filter.
    assert await refs(technician, status=["OPEN"]) == ([], 0)
    assert await refs(technician, status=["IN_REVIEW"], relation="ANY") == (
        [first["reference"], own["reference"]],
        2,
    )

    # Pages with cursors.
    body = await technician.post(MY_REQUESTS, {"f": None, "first": 1})
    page = body["data"]["me"]["requests"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["reference"] for e in page["edges"]] == [first["reference"]]
    body = await technician.post(
        MY_REQUESTS, {"f": None, "first": 1, "after": page["pageInfo"]["endCursor"]}
    )
    page = body["data"]["me"]["requests"]
    assert [e["node"]["reference"] for e in page["edges"]] == [own["reference"]]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_requests_of_many_people_cost_the_same_few_statements(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    """`User.requests` on a page of people loads every person's page in one statement (and
    their counts in one more), whatever the number of people."""
    graph = await make_tenant_graph(owner_engine)
    emails = {"supervisor": await add_user(owner_engine, graph, "SUPERVISOR")}
    for n in range(8):
        emails[f"seller{n}"] = await add_user(owner_engine, graph, "SELLER")
    staff = Staff(graph, graph, emails, {})
    for n in range(8):
        seller = await as_(client, staff, f"seller{n}")
        for k in range(2):
            await open_support(seller, staff, subject=f"Demande {n}-{k}")
    supervisor = await as_(client, staff, "supervisor")
    query = """
    query($n: Int!) { users(first: $n) { edges { node { email
      requests(first: 5, filter: {relation: ANY}) { totalCount edges { node { reference } } }
    } } } }
    """
    database = client_db(client)
    counts = {}
    for n in (2, 10):
        before = database.statements
        body = await supervisor.post(query, {"n": n})
        counts[n] = database.statements - before
        assert "errors" not in body, body
        people = body["data"]["users"]["edges"]
        assert len(people) == n
        sellers = [p for p in people if p["node"]["email"].startswith("seller")]
        assert sellers and all(p["node"]["requests"]["totalCount"] == 2 for p in sellers)
        assert all(len(p["node"]["requests"]["edges"]) == 2 for p in sellers)
    assert counts[2] == counts[10], counts
