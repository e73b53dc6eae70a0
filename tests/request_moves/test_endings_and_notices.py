"""Requests end with their contract or company, and their authors and the people concerned are
told, in their own language.
"""

from __future__ import annotations

import uuid

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db import models as m
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import add_user, make_tenant_graph
from tests.request_moves.helpers import (
    ASSIGN,
    CANCEL,
    CLOSE,
    Staff,
    _id_of,
    _insert_request,
    as_,
    journal_of,
    open_support,
)


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
