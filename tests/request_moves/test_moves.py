"""Moving a request: taking, assigning, commenting, cancelling; bad moves are user errors that
write nothing, in the caller's language; who may hold what.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db import models as m
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.request_moves.helpers import (
    ASSIGN,
    CANCEL,
    CLOSE,
    COMMENT,
    TAKE,
    Staff,
    _insert_request,
    as_,
    journal_of,
    open_support,
)


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
