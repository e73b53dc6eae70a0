"""Requests that move between colleagues (issue 15, item 3), end to end through the API.

assignRequest, takeRequest, closeRequest, cancelRequest, `colleagues`, due times per type and
the overdue filter, `me.requests` by relation (newest activity first, constant statements),
and the requests that end with their contract or company. Each move is journaled in its
transaction; each refusal is a user error and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db import models as m
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.test_read_api import client_db

ERRORS = "userErrors { field code message }"
REQUEST = "request { id reference type status version dueAt overdue assignee { email } }"
CREATE = f"""
mutation($i: CreateRequestInput!) {{ createRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""
ASSIGN = f"""
mutation($i: AssignRequestInput!) {{ assignRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""
TAKE = f"""
mutation($i: TakeRequestInput!) {{ takeRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""
CLOSE = f"""
mutation($i: CloseRequestInput!) {{ closeRequest(input: $i) {{
  request {{ id status decisionComment decidedBy {{ email }} }} {ERRORS} }} }}
"""
CANCEL = f"""
mutation($i: CancelRequestInput!) {{ cancelRequest(input: $i) {{
  request {{ id status decisionComment }} {ERRORS} }} }}
"""
COMMENT = f"""
mutation($i: CommentRequestInput!) {{ commentRequest(input: $i) {{ {REQUEST} {ERRORS} }} }}
"""
DUE = f"""
mutation($i: SetRequestDueTimeInput!) {{ setRequestDueTime(input: $i) {{
  dueTimes {{ type hours isDefault }} {ERRORS} }} }}
"""
MY_REQUESTS = """
query($f: UserRequestFilter, $first: Int, $after: String) { me { requests(filter: $f,
  first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { reference status updatedAt } } } } }
"""


@dataclass
class Staff:
    graph: TenantGraph
    other: TenantGraph
    emails: dict[str, str]
    ids: dict[str, uuid.UUID]

    def user(self, name: str) -> str:
        return gid("User", self.ids[name])


async def _id_of(engine: AsyncEngine, email: str) -> uuid.UUID:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})


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


async def as_(client: GraphQLClient, staff: Staff, name: str) -> GraphQLClient:
    caller = GraphQLClient(client.http)
    payload = await caller.login(staff.emails[name], PASSWORD)
    assert payload["token"], payload
    return caller


async def open_support(caller: GraphQLClient, staff: Staff, subject: str = "Écran figé") -> dict:
    body = await caller.post(
        CREATE,
        {
            "i": {
                "type": "SUPPORT",
                "companyId": gid("Company", staff.graph.ids["company"]),
                "subject": subject,
            }
        },
    )
    payload = body["data"]["createRequest"]
    assert payload["userErrors"] == [], payload
    return payload["request"]


async def written(engine: AsyncEngine, request_gid: str) -> tuple[Any, ...]:
    """The request's row and its journal: what a refusal must leave as it was."""
    request_id = uuid.UUID(relay.GlobalID.from_id(request_gid).node_id)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT status, assignee_id, version, decision_comment, decided_at"
                    " FROM requests WHERE id = :i"
                ),
                {"i": request_id},
            )
        ).one()
        journal = await conn.scalar(
            text("SELECT count(*) FROM audit_events WHERE entity_id = :i"), {"i": request_id}
        )
    return (*row, journal)


async def journal_of(engine: AsyncEngine, request_gid: str) -> list[tuple[Any, ...]]:
    request_id = uuid.UUID(relay.GlobalID.from_id(request_gid).node_id)
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT action, actor_label, before, after, reason FROM audit_events"
                " WHERE entity_id = :i ORDER BY occurred_at, action"
            ),
            {"i": request_id},
        )
        return [tuple(r) for r in rows]


# --------------------------------------------------------------------------- moves


async def test_a_technician_takes_a_support_request_and_closes_it(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    seller = await as_(client, staff, "seller")
    technician = await as_(client, staff, "technician")
    request = await open_support(seller, staff)
    assert request["status"] == "OPEN" and request["assignee"] is None

    body = await technician.post(
        TAKE, {"i": {"requestId": request["id"], "expectedVersion": request["version"]}}
    )
    taken = body["data"]["takeRequest"]
    assert taken["userErrors"] == []
    assert taken["request"]["status"] == "IN_REVIEW"
    assert taken["request"]["assignee"] == {"email": staff.emails["technician"]}

    body = await technician.post(
        CLOSE, {"i": {"requestId": request["id"], "comment": "Terminal redémarré, OK."}}
    )
    closed = body["data"]["closeRequest"]
    assert closed["userErrors"] == []
    assert closed["request"]["status"] == "DONE"
    assert closed["request"]["decisionComment"] == "Terminal redémarré, OK."
    assert closed["request"]["decidedBy"] == {"email": staff.emails["technician"]}

    actions = [(a, who) for a, who, *_ in await journal_of(owner_engine, request["id"])]
    assert actions == [
        ("request.created", staff.emails["seller"]),
        ("request.taken", staff.emails["technician"]),
        ("request.closed", staff.emails["technician"]),
    ]
    _, _, before, after, _ = (await journal_of(owner_engine, request["id"]))[1]
    assert before == {"status": "OPEN", "assigneeId": None}
    assert after == {"status": "IN_REVIEW", "assigneeId": staff.user("technician")}


async def test_only_a_colleague_who_may_hold_it_takes_a_request_in_review_by_commenting(
    client: GraphQLClient, staff: Staff
) -> None:
    """A seller adding a note to a support ticket does not become its holder (sellers may not
    hold support requests); a technician's comment takes it in review, to them."""
    hotline = await as_(client, staff, "hotline")
    seller = await as_(client, staff, "seller")
    technician = await as_(client, staff, "technician")
    request = await open_support(hotline, staff, "Imprimante HS")

    body = await seller.post(COMMENT, {"i": {"requestId": request["id"], "body": "Rappelé."}})
    noted = body["data"]["commentRequest"]
    assert noted["userErrors"] == []
    assert noted["request"]["status"] == "OPEN" and noted["request"]["assignee"] is None

    body = await technician.post(COMMENT, {"i": {"requestId": request["id"], "body": "Je passe."}})
    taken = body["data"]["commentRequest"]
    assert taken["userErrors"] == []
    assert taken["request"]["status"] == "IN_REVIEW"
    assert taken["request"]["assignee"] == {"email": staff.emails["technician"]}


async def test_the_hotline_assigns_a_ticket_to_a_technician_who_then_holds_it(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    seller = await as_(client, staff, "seller")
    hotline = await as_(client, staff, "hotline")
    request = await open_support(seller, staff)
    body = await hotline.post(
        ASSIGN,
        {
            "i": {
                "requestId": request["id"],
                "assigneeId": staff.user("technician"),
                "expectedVersion": request["version"],
            }
        },
    )
    assigned = body["data"]["assignRequest"]
    assert assigned["userErrors"] == []
    assert assigned["request"]["assignee"] == {"email": staff.emails["technician"]}
    assert assigned["request"]["status"] == "OPEN"  # assigning leaves the state as it is
    assert assigned["request"]["version"] == request["version"] + 1
    action, actor, before, after, _ = (await journal_of(owner_engine, request["id"]))[-1]
    assert (action, actor) == ("request.assigned", staff.emails["hotline"])
    assert before == {"assigneeId": None}
    assert after == {"assigneeId": staff.user("technician")}

    # Reassigned by the supervisor to another technician: the journal keeps who held it.
    supervisor = await as_(client, staff, "supervisor")
    body = await supervisor.post(
        ASSIGN, {"i": {"requestId": request["id"], "assigneeId": staff.user("technician2")}}
    )
    assert body["data"]["assignRequest"]["userErrors"] == []
    _, _, before, after, _ = (await journal_of(owner_engine, request["id"]))[-1]
    assert before == {"assigneeId": staff.user("technician")}
    assert after == {"assigneeId": staff.user("technician2")}


@pytest.mark.parametrize(
    ("case", "who", "mutation", "code"),
    [
        ("deactivated colleague", "hotline", "assign:gone", "ACCOUNT_DISABLED"),
        ("another tenant's user", "hotline", "assign:foreign", "NOT_FOUND"),
        ("a machine account", "supervisor", "assign:service", "INVALID"),
        ("a user ID that exists nowhere", "hotline", "assign:nobody", "NOT_FOUND"),
        ("already its assignee", "hotline", "assign:technician", "INVALID"),
        ("a company's ID as assignee", "hotline", "assign:company", "INVALID_REFERENCE"),
        ("stale version", "hotline", "assign:technician2:stale", "CONFLICT"),
        ("closing a request that is not yours", "technician2", "close", "NOT_YOURS"),
        ("closing it as the supervisor", "supervisor", "close", "NOT_YOURS"),
        ("cancelling someone else's request", "hotline", "cancel", "NOT_YOURS"),
        ("taking what you already hold", "technician", "take", "INVALID"),
    ],
)
async def test_bad_moves_are_user_errors_and_write_nothing(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    staff: Staff,
    case: str,
    who: str,
    mutation: str,
    code: str,
) -> None:
    seller = await as_(client, staff, "seller")
    supervisor = await as_(client, staff, "supervisor")
    request = await open_support(seller, staff, subject=case)
    body = await supervisor.post(
        ASSIGN, {"i": {"requestId": request["id"], "assigneeId": staff.user("technician")}}
    )
    assert body["data"]["assignRequest"]["userErrors"] == []
    before = await written(owner_engine, request["id"])
    caller = await as_(client, staff, who)
    kind, _, rest = mutation.partition(":")
    if kind == "assign":
        target, _, stale = rest.partition(":")
        if target == "nobody":
            assignee = gid("User", uuid.uuid4())
        elif target == "company":
            assignee = gid("Company", staff.graph.ids["company"])
        else:
            assignee = staff.user(target)
        values: dict[str, Any] = {"requestId": request["id"], "assigneeId": assignee}
        if stale:
            values["expectedVersion"] = request["version"]  # one move behind
        body = await caller.post(ASSIGN, {"i": values})
        payload = body["data"]["assignRequest"]
    elif kind == "close":
        body = await caller.post(CLOSE, {"i": {"requestId": request["id"]}})
        payload = body["data"]["closeRequest"]
    elif kind == "cancel":
        body = await caller.post(CANCEL, {"i": {"requestId": request["id"]}})
        payload = body["data"]["cancelRequest"]
    else:
        body = await caller.post(TAKE, {"i": {"requestId": request["id"]}})
        payload = body["data"]["takeRequest"]
    assert payload["request"] is None
    assert [e["code"] for e in payload["userErrors"]] == [code], payload
    assert payload["userErrors"][0]["message"]
    assert await written(owner_engine, request["id"]) == before


async def test_messages_speak_the_callers_language(client: GraphQLClient, staff: Staff) -> None:
    seller = await as_(client, staff, "seller")
    hotline = await as_(client, staff, "hotline")
    request = await open_support(seller, staff)
    values = {"i": {"requestId": request["id"], "assigneeId": staff.user("gone")}}
    fr = (await hotline.post(ASSIGN, values))["data"]["assignRequest"]["userErrors"][0]
    en = (await hotline.post(ASSIGN, values, **{"Accept-Language": "en"}))["data"]["assignRequest"][
        "userErrors"
    ][0]
    assert "désactivé" in fr["message"] and "deactivated" in en["message"]
    assert fr["field"] == en["field"] == ["input", "assigneeId"]


async def test_who_may_hold_what(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    """A fee change is a supervisor's to decide: nobody else may hold it, take it or close it
    as done; a support ticket may be held by the hotline, technicians and supervisors."""
    fee_change = await _insert_request(
        owner_engine, staff.graph, staff.ids["seller"], "FEE_CHANGE", staff.graph.ids["contract"]
    )
    before = await written(owner_engine, fee_change)
    hotline = await as_(client, staff, "hotline")
    body = await hotline.post(
        ASSIGN, {"i": {"requestId": fee_change, "assigneeId": staff.user("technician")}}
    )
    assert [e["code"] for e in body["data"]["assignRequest"]["userErrors"]] == ["INVALID"]
    technician = await as_(client, staff, "technician")
    body = await technician.post(TAKE, {"i": {"requestId": fee_change}})
    assert [e["code"] for e in body["data"]["takeRequest"]["userErrors"]] == ["INVALID"]
    assert await written(owner_engine, fee_change) == before

    supervisor = await as_(client, staff, "supervisor")
    body = await supervisor.post(TAKE, {"i": {"requestId": fee_change}})
    assert body["data"]["takeRequest"]["userErrors"] == []
    # Held by the supervisor, it is still decided, not closed as done.
    body = await supervisor.post(CLOSE, {"i": {"requestId": fee_change}})
    assert [e["code"] for e in body["data"]["closeRequest"]["userErrors"]] == ["INVALID"]

    # Roles the policy leaves out are refused before anything runs.
    seller = await as_(client, staff, "seller")
    for query in (ASSIGN, TAKE, CLOSE):
        values = {"requestId": fee_change}
        if query is ASSIGN:
            values["assigneeId"] = staff.user("supervisor")
        body = await seller.post(query, {"i": values})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_decided_request_does_not_move(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    seller = await as_(client, staff, "seller")
    technician = await as_(client, staff, "technician")
    request = await open_support(seller, staff)
    await technician.post(TAKE, {"i": {"requestId": request["id"]}})
    body = await technician.post(CLOSE, {"i": {"requestId": request["id"]}})
    assert body["data"]["closeRequest"]["request"]["status"] == "DONE"
    before = await written(owner_engine, request["id"])
    hotline = await as_(client, staff, "hotline")
    tries = [
        (hotline, ASSIGN, "assignRequest", {"assigneeId": staff.user("technician2")}),
        (await as_(client, staff, "technician2"), TAKE, "takeRequest", {}),
        (technician, CLOSE, "closeRequest", {}),
        (seller, CANCEL, "cancelRequest", {}),
    ]
    for caller, query, name, extra in tries:
        body = await caller.post(query, {"i": {"requestId": request["id"], **extra}})
        errors = body["data"][name]["userErrors"]
        assert [e["code"] for e in errors] == ["INVALID_TRANSITION"], (name, errors)
        assert "DONE" in errors[0]["message"]
    assert await written(owner_engine, request["id"]) == before


async def test_its_author_cancels_a_request_and_a_cancelled_evaluation_can_be_asked_again(
    client: GraphQLClient, owner_engine: AsyncEngine, staff: Staff
) -> None:
    seller = await as_(client, staff, "seller")
    request = await open_support(seller, staff)
    body = await seller.post(
        CANCEL, {"i": {"requestId": request["id"], "reason": "Réglé par téléphone."}}
    )
    payload = body["data"]["cancelRequest"]
    assert payload["userErrors"] == []
    assert payload["request"]["status"] == "CANCELLED"
    assert payload["request"]["decisionComment"] == "Réglé par téléphone."
    action, *_, reason = (await journal_of(owner_engine, request["id"]))[-1]
    assert (action, reason) == ("request.cancelled", "Réglé par téléphone.")

    # An evaluation withdrawn by its author returns its company to PROSPECT.
    company_id = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=staff.graph.tenant_id,
                id=company_id,
                legal_name="Retrait SARL",
                siren="552100554",
                legal_form="SARL",
                mcc="5411",
                contact_name="B",
                contact_email="b@c.fr",
                contact_phone="+590590000001",
                address_line1="2 rue Nozières",
                postal_code="97110",
                city="Pointe-à-Pitre",
                status="PROSPECT",
            )
        )
    evaluate = (
        "mutation($i: RequestEvaluationInput!) { requestEvaluation(input: $i) {"
        " request { id status dueAt } company { status } userErrors { code } } }"
    )
    body = await seller.post(evaluate, {"i": {"companyId": gid("Company", company_id)}})
    evaluation = body["data"]["requestEvaluation"]
    assert evaluation["company"]["status"] == "EVALUATION"
    body = await seller.post(CANCEL, {"i": {"requestId": evaluation["request"]["id"]}})
    assert body["data"]["cancelRequest"]["request"]["status"] == "CANCELLED"
    async with owner_engine.connect() as conn:
        status = await conn.scalar(
            text("SELECT status FROM companies WHERE id = :i"), {"i": company_id}
        )
        withdrawn = await conn.scalar(
            text(
                "SELECT count(*) FROM audit_events WHERE entity_id = :i"
                " AND action = 'company.evaluation_withdrawn'"
            ),
            {"i": company_id},
        )
    assert (status, withdrawn) == ("PROSPECT", 1)
    body = await seller.post(evaluate, {"i": {"companyId": gid("Company", company_id)}})
    assert body["data"]["requestEvaluation"]["userErrors"] == []


# --------------------------------------------------------------------------- colleagues


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


# --------------------------------------------------------------------------- due dates


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


# --------------------------------------------------------------------------- my requests


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


# --------------------------------------------------------------------------- endings


async def _insert_request(
    engine: AsyncEngine, graph: TenantGraph, author: uuid.UUID, kind: str, contract: Any
) -> str:
    request_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Request.__table__).values(
                tenant_id=graph.tenant_id,
                id=request_id,
                reference=uuid.uuid4().hex[:11].upper(),
                type=kind,
                status="OPEN",
                company_id=graph.ids["company"],
                contract_id=contract,
                author_id=author,
                subject="Sujet",
            )
        )
    return gid("Request", request_id)


async def _status(engine: AsyncEngine, request_gid: str) -> tuple[str, str | None]:
    request_id = uuid.UUID(relay.GlobalID.from_id(request_gid).node_id)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT status, decision_comment FROM requests WHERE id = :i"),
                {"i": request_id},
            )
        ).one()
    return row[0], row[1]


async def test_requests_about_a_terminated_contract_or_closed_company_end_with_it(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    emails = {r: await add_user(owner_engine, graph, r.upper()) for r in ("seller", "supervisor")}
    staff = Staff(graph, graph, emails, {})
    author = await _id_of(owner_engine, emails["seller"])
    # A second live contract: terminating the first leaves the company live.
    second = uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(
            insert(m.Contract.__table__).values(
                tenant_id=graph.tenant_id,
                id=second,
                number="MP-2026-000002",
                company_id=graph.ids["company"],
                status="ACTIVE",
                service_kinds=[],
            )
        )
    fee_change = await _insert_request(
        owner_engine, graph, author, "FEE_CHANGE", graph.ids["contract"]
    )
    other_contract = await _insert_request(owner_engine, graph, author, "FEE_CHANGE", second)
    support = await _insert_request(owner_engine, graph, author, "SUPPORT", None)
    supervisor = await as_(client, staff, "supervisor")
    terminate = (
        "mutation($i: TerminateContractInput!) { terminateContract(input: $i) {"
        " contract { status } company: contract { company { status } } userErrors { code } } }"
    )
    body = await supervisor.post(
        terminate,
        {"i": {"id": gid("Contract", graph.ids["contract"]), "reason": "Cessation"}},
    )
    assert body.get("data"), body
    payload = body["data"]["terminateContract"]
    assert payload["userErrors"] == [], body
    assert payload["company"]["company"]["status"] == "ACTIVE"
    status, reason = await _status(owner_engine, fee_change)
    assert status == "CANCELLED"
    assert reason == "Contrat MP-2026-000001 résilié : Cessation"
    assert await _status(owner_engine, other_contract) == ("OPEN", None)
    assert await _status(owner_engine, support) == ("OPEN", None)
    action, actor, before, after, why = (await journal_of(owner_engine, fee_change))[-1]
    assert (action, actor, before, after) == (
        "request.ended",
        emails["supervisor"],
        {"status": "OPEN"},
        {"status": "CANCELLED"},
    )
    assert why == reason
    # Its author is told why, in the language they read in (here English, asked for).
    seller = await as_(client, staff, "seller")
    body = await seller.post(NOTIFIED, **{"Accept-Language": "en"})
    told = [
        e["node"]["body"]
        for e in body["data"]["notifications"]["edges"]
        if e["node"]["kind"] == "REQUEST_CLOSED" and e["node"]["subjectId"] == fee_change
    ]
    assert len(told) == 1 and "contract MP-2026-000001 was terminated (Cessation)" in told[0], told

    # The last contract goes through a TERMINATION request: approving it terminates the
    # contract, the company closes, and every other undecided request about it ends; the
    # termination request itself is approved, not ended.
    termination = await _insert_request(owner_engine, graph, author, "TERMINATION", second)
    body = await supervisor.post(
        "mutation($i: ApproveRequestInput!) { approveRequest(input: $i) {"
        " request { status contract { status } company { status } } userErrors { code } } }",
        {"i": {"requestId": termination, "comment": "Départ en retraite"}},
        **{"Accept-Language": "en"},
    )
    approved = body["data"]["approveRequest"]
    assert approved["userErrors"] == [], body
    assert approved["request"]["status"] == "APPROVED"
    assert approved["request"]["contract"]["status"] == "TERMINATED"
    assert approved["request"]["company"]["status"] == "CLOSED"
    for ended in (other_contract, support):
        status, reason = await _status(owner_engine, ended)
        assert status == "CANCELLED"
        assert reason == "Company Boulangerie Test closed: Départ en retraite"
    assert [a for a, *_ in await journal_of(owner_engine, termination)] == ["request.approved"]


NOTIFIED = """
{ notifications(first: 20) { edges { node { kind subjectId body } } } }
"""


async def test_the_author_of_an_ended_request_is_told_in_their_own_language(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    """A French-speaking supervisor terminates a contract: the English-speaking author of a
    request about it reads why it ended in English (and a French-speaking one in French),
    with the contract's number and the supervisor's reason; nothing of the supervisor's
    language leaks into the English text. The company closes with its last contract: its
    requests' authors are told that."""
    graph = await make_tenant_graph(owner_engine)
    emails = {
        r: await add_user(owner_engine, graph, r.upper())
        for r in ("seller", "hotline", "supervisor")
    }
    staff = Staff(graph, graph, emails, {})
    readers = {}
    for name, language in (("seller", "en"), ("hotline", "fr")):
        readers[name] = await as_(client, staff, name)
        body = await readers[name].post(
            "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) {"
            " userErrors { code } } }",
            {"i": {"language": language}},
        )
        assert body["data"]["updateMyProfile"]["userErrors"] == [], body
    english = await _insert_request(
        owner_engine,
        graph,
        await _id_of(owner_engine, emails["seller"]),
        "FEE_CHANGE",
        graph.ids["contract"],
    )
    french = await _insert_request(
        owner_engine, graph, await _id_of(owner_engine, emails["hotline"]), "SUPPORT", None
    )
    supervisor = await as_(client, staff, "supervisor")
    body = await supervisor.post(
        "mutation($i: TerminateContractInput!) { terminateContract(input: $i) {"
        " contract { status company { status } } userErrors { code } } }",
        {"i": {"id": gid("Contract", graph.ids["contract"]), "reason": "Cessation d'activité"}},
        **{"Accept-Language": "fr"},
    )
    payload = body["data"]["terminateContract"]
    assert payload["userErrors"] == [], body
    assert payload["contract"]["company"]["status"] == "CLOSED"
    # The seller's request was about the contract; the hotline's, about the company only.
    for request_gid in (english, french):
        assert (await _status(owner_engine, request_gid))[0] == "CANCELLED"
    (told_en,) = await _told(readers["seller"], "REQUEST_CLOSED", english)
    assert "closed" in told_en, told_en
    assert "Boulangerie Test" in told_en and "Cessation d'activité" in told_en, told_en
    assert "fermée" not in told_en and "résilié" not in told_en, told_en
    (told_fr,) = await _told(readers["hotline"], "REQUEST_CLOSED", french)
    assert "a fermé" in told_fr and "Boulangerie Test" in told_fr, told_fr
    assert "Cessation d'activité" in told_fr, told_fr
    # The same notification read with the other language asked for: the profile wins.
    body = await readers["seller"].post(NOTIFIED, **{"Accept-Language": "fr"})
    bodies = [e["node"]["body"] for e in body["data"]["notifications"]["edges"]]
    assert told_en in bodies


async def _told(caller: GraphQLClient, kind: str, request_gid: str) -> list[str]:
    body = await caller.post(NOTIFIED)
    edges = body["data"]["notifications"]["edges"]
    return [
        e["node"]["body"]
        for e in edges
        if e["node"]["kind"] == kind and e["node"]["subjectId"] == request_gid
    ]


async def test_moves_tell_the_people_concerned(client: GraphQLClient, staff: Staff) -> None:
    """Assigned: the new holder is told; closed: the author; withdrawn: the holder."""
    seller = await as_(client, staff, "seller")
    hotline = await as_(client, staff, "hotline")
    technician = await as_(client, staff, "technician2")
    request = await open_support(seller, staff, "Imprimante hors service")
    body = await hotline.post(
        ASSIGN, {"i": {"requestId": request["id"], "assigneeId": staff.user("technician2")}}
    )
    assert body["data"]["assignRequest"]["userErrors"] == [], body
    assert await _told(technician, "REQUEST_ASSIGNED", request["id"])
    assert not await _told(hotline, "REQUEST_ASSIGNED", request["id"])  # not the actor
    body = await technician.post(
        CLOSE, {"i": {"requestId": request["id"], "comment": "Rouleau remplacé."}}
    )
    assert body["data"]["closeRequest"]["userErrors"] == [], body
    (told,) = await _told(seller, "REQUEST_CLOSED", request["id"])
    assert "Rouleau remplacé." in told

    other = await open_support(seller, staff, "Doublon")
    body = await hotline.post(
        ASSIGN, {"i": {"requestId": other["id"], "assigneeId": staff.user("technician2")}}
    )
    assert body["data"]["assignRequest"]["userErrors"] == [], body
    body = await seller.post(CANCEL, {"i": {"requestId": other["id"], "reason": "Doublon"}})
    assert body["data"]["cancelRequest"]["userErrors"] == [], body
    assert await _told(technician, "REQUEST_CLOSED", other["id"])
