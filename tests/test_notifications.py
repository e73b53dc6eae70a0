"""Notifications (the bell): made with the change, for the people concerned, as the policy
allows; listed, counted, marked read, chosen per kind, pushed live, pruned after 90 days."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.identifiers import make_siren
from db.session import Database
from resolvers import notifications as rn
from resolvers.terminals.blocks import lift_expired_blocks
from spring.app import create_app
from spring.settings import Environment, Settings
from tests.api import gid
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import Subscription, held, post, running
from tests.live import login as live_login

ERRORS = "userErrors { field code message }"
COMPANY = f"""mutation($i: CreateCompanyInput!) {{ createCompany(input: $i) {{
  company {{ id }} {ERRORS} }} }}"""
EVALUATE = f"""mutation($i: RequestEvaluationInput!) {{ requestEvaluation(input: $i) {{
  request {{ id reference }} {ERRORS} }} }}"""
APPROVE = f"""mutation($i: ApproveRequestInput!) {{ approveRequest(input: $i) {{
  request {{ id status }} {ERRORS} }} }}"""
REJECT = f"""mutation($i: RejectRequestInput!) {{ rejectRequest(input: $i) {{
  request {{ id status }} {ERRORS} }} }}"""
CREATE_REQUEST = f"""mutation($i: CreateRequestInput!) {{ createRequest(input: $i) {{
  request {{ id reference }} {ERRORS} }} }}"""
COMMENT = f"""mutation($i: CommentRequestInput!) {{ commentRequest(input: $i) {{
  request {{ id }} {ERRORS} }} }}"""
BLOCK = f"""mutation($i: BlockServiceInput!) {{ blockService(input: $i) {{
  service {{ id status }} {ERRORS} }} }}"""
UNBLOCK = f"""mutation($i: UnblockServiceInput!) {{ unblockService(input: $i) {{
  service {{ id status }} {ERRORS} }} }}"""
LIST = """query($f: NotificationFilter, $first: Int, $after: String) {
  notifications(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind title body read readAt subjectId
      subject { id ... on Company { legalName } ... on Request { reference } } } } } }"""
COUNT = "{ me { id unreadNotificationCount } }"
MARK = f"""mutation($i: MarkNotificationsReadInput!) {{ markNotificationsRead(input: $i) {{
  notifications {{ id read }} unreadCount {ERRORS} }} }}"""
PREFS = f"""mutation($i: UpdateNotificationPreferencesInput!) {{
  updateNotificationPreferences(input: $i) {{ preferences {{ kind inApp email }} {ERRORS} }} }}"""
SUBSCRIBE = """subscription { notificationReceived { cursor notification { kind title body
  subjectId } } }"""

FEES = {
    "currency": "EUR",
    "terminalRentalMonthly": 2717,
    "softposFeeMonthly": 993,
    "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 37, "fixedFee": 7}],
}


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR"):
        users[role] = await add_user(owner_engine, graph, role)
    users["SELLER2"] = await add_user(owner_engine, graph, "SELLER")
    users["TECHNICIAN2"] = await add_user(owner_engine, graph, "TECHNICIAN")
    return graph, users


async def as_user(client: GraphQLClient, email: str) -> GraphQLClient:
    other = GraphQLClient(client.http)
    await other.login(email, PASSWORD)
    return other


async def rows(engine: AsyncEngine, tenant_id: uuid.UUID, table: str = "notifications") -> int:
    async with engine.connect() as conn:
        return int(
            await conn.scalar(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id}
            )
        )


def company_values() -> dict[str, Any]:
    """A new prospect's fields (a fresh SIREN each time)."""
    return {
        "legalName": "Boulangerie du Port",
        "siren": make_siren(f"{uuid.uuid4().int % 10**8:08d}"),
        "legalForm": "SARL",
        "mcc": "5462",
        "address": {"line1": "12 quai", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "contactName": "Maryse Célestine",
        "contactEmail": "maryse@boulangerie-port.gp",
        "contactPhone": "+590 690 12 34 56",
    }


async def evaluation(seller: GraphQLClient) -> tuple[str, str]:
    """A prospect and its evaluation request, by the seller: (company id, request id)."""
    body = await seller.post(COMPANY, {"i": company_values()})
    company = body["data"]["createCompany"]["company"]["id"]
    body = await seller.post(EVALUATE, {"i": {"companyId": company}})
    assert body["data"]["requestEvaluation"]["userErrors"] == [], body
    return company, body["data"]["requestEvaluation"]["request"]["id"]


async def notes(reader: GraphQLClient, **filter: Any) -> list[dict[str, Any]]:
    body = await reader.post(LIST, {"f": filter or None, "first": 100})
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["notifications"]["edges"]]


async def test_the_seller_is_told_of_the_approval_in_their_language(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    _graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    supervisor = await as_user(client, users["SUPERVISOR"])
    company, request = await evaluation(seller)
    before = (await seller.post(COUNT))["data"]["me"]["unreadNotificationCount"]

    body = await supervisor.post(APPROVE, {"i": {"requestId": request}})
    assert body["data"]["approveRequest"]["userErrors"] == [], body

    mine = await notes(seller, kind=["EVALUATION_APPROVED"])
    assert mine, "the seller was not told"
    note = mine[0]
    assert note["subjectId"] == company
    assert note["subject"]["id"] == company
    assert note["subject"]["legalName"] == "Boulangerie du Port"
    assert note["read"] is False
    assert note["title"] == "Évaluation approuvée : Boulangerie du Port"  # French by default
    english = await seller.post(
        LIST, {"f": {"kind": ["EVALUATION_APPROVED"]}}, **{"Accept-Language": "en"}
    )
    first = english["data"]["notifications"]["edges"][0]["node"]
    assert first["title"] == "Evaluation approved: Boulangerie du Port"
    assert "the contract can be created" in first["body"]
    after = (await seller.post(COUNT))["data"]["me"]["unreadNotificationCount"]
    assert after == before + 1
    # Nobody else: not the supervisor who approved, not another seller.
    assert not await notes(supervisor, kind=["EVALUATION_APPROVED"])
    assert not await notes(await as_user(client, users["SELLER2"]), kind=["EVALUATION_APPROVED"])


async def test_a_refused_decision_tells_no_one(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    supervisor = await as_user(client, users["SUPERVISOR"])
    _company, request = await evaluation(seller)
    made = await rows(owner_engine, graph.tenant_id)
    body = await supervisor.post(REJECT, {"i": {"requestId": request, "comment": "  "}})
    assert body["data"]["rejectRequest"]["userErrors"], body
    assert await rows(owner_engine, graph.tenant_id) == made
    body = await supervisor.post(REJECT, {"i": {"requestId": request, "comment": "Kbis absent"}})
    assert body["data"]["rejectRequest"]["userErrors"] == []
    told = await notes(seller, kind=["EVALUATION_REJECTED"])
    assert told and told[0]["body"].endswith("Kbis absent")


async def test_marking_read_is_for_ones_own_notifications(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    _graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    supervisor = await as_user(client, users["SUPERVISOR"])
    for _ in range(2):
        _company, request = await evaluation(seller)
        await supervisor.post(APPROVE, {"i": {"requestId": request}})
    unread = await notes(seller, unread=True)
    assert len(unread) >= 2
    # Someone else's notification: not found, and nothing is marked.
    other = await as_user(client, users["SELLER2"])
    body = await other.post(MARK, {"i": {"ids": [unread[0]["id"]]}})
    errors = body["data"]["markNotificationsRead"]["userErrors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"], body
    assert errors[0]["field"] == ["input", "ids", "0"]
    assert (await notes(seller, unread=True))[0]["id"] == unread[0]["id"]
    # Neither ids nor all, or both: a user error.
    body = await seller.post(MARK, {"i": {}})
    assert body["data"]["markNotificationsRead"]["userErrors"][0]["code"] == "INVALID"
    # Their own: read now.
    body = await seller.post(MARK, {"i": {"ids": [unread[0]["id"]]}})
    payload = body["data"]["markNotificationsRead"]
    assert payload["userErrors"] == []
    assert payload["notifications"] == [{"id": unread[0]["id"], "read": True}]
    assert payload["unreadCount"] == len(unread) - 1
    assert unread[0]["id"] not in {n["id"] for n in await notes(seller, unread=True)}
    assert unread[0]["id"] in {n["id"] for n in await notes(seller, unread=False)}
    body = await seller.post(MARK, {"i": {"all": True}})
    assert body["data"]["markNotificationsRead"]["unreadCount"] == 0
    assert (await seller.post(COUNT))["data"]["me"]["unreadNotificationCount"] == 0
    # A supervisor reads the users' list, but not their bell.
    body = await supervisor.post(
        "{ users(first: 50) { edges { node { unreadNotificationCount email } } } }"
    )
    assert any(e["extensions"]["code"] == "FORBIDDEN" for e in body["errors"]), body


async def test_a_fee_change_asked_for_tells_the_supervisors_without_any_fee(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    body = await seller.post(
        CREATE_REQUEST,
        {
            "i": {
                "type": "FEE_CHANGE",
                "companyId": gid("Company", graph.ids["company"]),
                "contractId": gid("Contract", graph.ids["contract"]),
                "subject": "Baisse du taux CB",
                "proposedFees": FEES,
            }
        },
    )
    assert body["data"]["createRequest"]["userErrors"] == [], body
    reference = body["data"]["createRequest"]["request"]["reference"]
    supervisor = await as_user(client, users["SUPERVISOR"])
    told = [n for n in await notes(supervisor, kind=["FEE_CHANGE_REQUESTED"])]
    assert any(reference in n["body"] for n in told), told
    note = next(n for n in told if reference in n["body"])
    assert note["subject"]["reference"] == reference
    # No fee in the text. The request's reference is random letters and digits (it could
    # hold "37"): take it out, then compare whole numbers, never substrings.
    text = f"{note['title']} {note['body']}".replace(reference, " ")
    numbers = set(re.findall(r"\d+(?:[.,]\d+)?", text))
    fees = {"2717", "27,17", "27.17", "993", "9,93", "37", "0,37", "0.37"}
    assert not numbers & fees, (numbers & fees, note)
    for role in ("SELLER", "HOTLINE", "TECHNICIAN"):
        assert not await notes(await as_user(client, users[role]), kind=["FEE_CHANGE_REQUESTED"])


async def test_supervisors_are_told_when_a_seller_asks_for_an_evaluation(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    """The bell of whoever decides evaluations rings when a seller asks: the supervisors,
    in their language, linking to the request; nobody else, and not the seller."""
    _graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    supervisor = await as_user(client, users["SUPERVISOR"])
    before = (await supervisor.post(COUNT))["data"]["me"]["unreadNotificationCount"]
    _company, request = await evaluation(seller)

    told = [n for n in await notes(supervisor, kind=["EVALUATION_REQUESTED"])]
    note = next(n for n in told if n["subjectId"] == request)
    assert note["subject"]["reference"] in note["body"]
    assert "Boulangerie du Port" in note["title"]
    assert note["title"].startswith("Évaluation demandée")
    assert (await supervisor.post(COUNT))["data"]["me"]["unreadNotificationCount"] == before + 1
    english = await supervisor.post(
        LIST, {"f": {"kind": ["EVALUATION_REQUESTED"]}}, **{"Accept-Language": "en"}
    )
    titles = [e["node"]["title"] for e in english["data"]["notifications"]["edges"]]
    assert "Evaluation asked for: Boulangerie du Port" in titles
    for role in ("SELLER", "SELLER2", "HOTLINE", "TECHNICIAN"):
        reader = await as_user(client, users[role])
        assert not await notes(reader, kind=["EVALUATION_REQUESTED"]), role


async def test_an_evaluation_asked_for_but_refused_tells_no_one(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    """Made in the change's transaction: a refused request (the company is already under
    evaluation) leaves no notification behind."""
    _graph, users = tenant
    seller = await as_user(client, users["SELLER"])
    supervisor = await as_user(client, users["SUPERVISOR"])
    company, _request = await evaluation(seller)
    before = len(await notes(supervisor, kind=["EVALUATION_REQUESTED"]))
    body = await seller.post(EVALUATE, {"i": {"companyId": company}})
    assert body["data"]["requestEvaluation"]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert len(await notes(supervisor, kind=["EVALUATION_REQUESTED"])) == before


async def test_a_comment_tells_the_author_and_the_assignee_but_not_the_commenter(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    graph, users = tenant
    technician = await as_user(client, users["TECHNICIAN"])
    hotline = await as_user(client, users["HOTLINE"])
    me = (await hotline.post(COUNT))["data"]["me"]["id"]
    body = await technician.post(
        CREATE_REQUEST,
        {
            "i": {
                "type": "SUPPORT",
                "companyId": gid("Company", graph.ids["company"]),
                "subject": "Terminal qui redémarre",
                "assigneeId": me,
            }
        },
    )
    request = body["data"]["createRequest"]["request"]
    assigned = await notes(hotline, kind=["REQUEST_ASSIGNED"])
    assert any(request["reference"] in n["title"] for n in assigned), assigned
    body = await hotline.post(COMMENT, {"i": {"requestId": request["id"], "body": "Je regarde."}})
    assert body["data"]["commentRequest"]["userErrors"] == []
    told = await notes(technician, kind=["REQUEST_COMMENTED"])
    assert any(request["reference"] in n["title"] and "Je regarde." in n["body"] for n in told)
    assert not [
        n
        for n in await notes(hotline, kind=["REQUEST_COMMENTED"])
        if request["reference"] in n["title"]
    ]


async def test_blocks_tell_hotline_and_technicians_and_the_expiry_too(
    client: GraphQLClient,
    app_db: Database,
    owner_engine: AsyncEngine,
) -> None:
    graph = await make_tenant_graph(owner_engine)
    hotline = await add_user(owner_engine, graph, "HOTLINE")
    technician = await add_user(owner_engine, graph, "TECHNICIAN")
    seller = await add_user(owner_engine, graph, "SELLER")
    blocker = await as_user(client, hotline)
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    service = gid("Service", graph.ids["service"])
    body = await blocker.post(BLOCK, {"i": {"id": service, "reason": "Fraude", "until": until}})
    assert body["data"]["blockService"]["userErrors"] == [], body
    tech = await as_user(client, technician)
    told = await notes(tech, kind=["SERVICE_BLOCKED"])
    assert len(told) == 1 and told[0]["body"].endswith("Fraude"), told
    assert told[0]["subjectId"] == service
    assert not await notes(blocker)  # not the one who blocked
    assert not await notes(await as_user(client, seller))  # not sellers
    # The block's `until` comes: the system unblocks, and says so.
    lifted = await lift_expired_blocks(app_db, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    assert lifted >= 1
    for reader in (tech, blocker):
        expired = await notes(reader, kind=["SERVICE_BLOCK_EXPIRED"])
        assert len(expired) == 1, expired
        assert "échéance" in expired[0]["body"]


async def test_preferences_switch_a_kind_off_in_the_app_and_on_by_email(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    hotline = await as_user(client, await add_user(owner_engine, graph, "HOTLINE"))
    technician = await as_user(client, await add_user(owner_engine, graph, "TECHNICIAN"))
    body = await technician.post(
        PREFS,
        {"i": {"preferences": [{"kind": "SERVICE_BLOCKED", "inApp": False, "email": True}]}},
    )
    payload = body["data"]["updateNotificationPreferences"]
    assert payload["userErrors"] == [], body
    chosen = {p["kind"]: p for p in payload["preferences"]}
    assert chosen["SERVICE_BLOCKED"] == {"kind": "SERVICE_BLOCKED", "inApp": False, "email": True}
    assert chosen["TERMINAL_OFFLINE"]["inApp"] is True
    assert "FEE_CHANGE_REQUESTED" in chosen  # technicians may read requests
    mine = await technician.post("{ me { notificationPreferences { kind inApp email } } }")
    assert {"kind": "SERVICE_BLOCKED", "inApp": False, "email": True} in mine["data"]["me"][
        "notificationPreferences"
    ]
    # Bad input writes nothing.
    before = await rows(owner_engine, graph.tenant_id, "notification_preferences")
    body = await technician.post(
        PREFS,
        {
            "i": {
                "preferences": [
                    {"kind": "SERVICE_UNBLOCKED", "inApp": False},
                    {"kind": "SERVICE_UNBLOCKED", "email": True},
                ]
            }
        },
    )
    errors = body["data"]["updateNotificationPreferences"]["userErrors"]
    assert errors and errors[0]["field"] == ["input", "preferences", "1", "kind"], body
    assert await rows(owner_engine, graph.tenant_id, "notification_preferences") == before

    mails = await rows(owner_engine, graph.tenant_id, "notification_outbox")
    service = gid("Service", graph.ids["service"])
    body = await hotline.post(BLOCK, {"i": {"id": service, "reason": "Contrôle"}})
    assert body["data"]["blockService"]["userErrors"] == []
    assert not await notes(technician, kind=["SERVICE_BLOCKED"])  # off in the app
    # ... and wanted by e-mail: one outbox row, written with the block.
    assert await rows(owner_engine, graph.tenant_id, "notification_outbox") == mails + 1
    body = await hotline.post(UNBLOCK, {"i": {"id": service}})
    assert [n["kind"] for n in await notes(technician)] == ["SERVICE_UNBLOCKED"]


async def test_offline_and_pending_terminals_are_told_once_per_episode(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    technician = await as_user(client, await add_user(owner_engine, graph, "TECHNICIAN"))
    hotline = await as_user(client, await add_user(owner_engine, graph, "HOTLINE"))
    now = dt.datetime.now(dt.UTC)
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE tenants SET notify_offline_after_minutes = 20,"
                " notify_options_pending_after_minutes = 45,"
                " time_zone = 'America/Guadeloupe' WHERE id = :t"
            ),
            {"t": graph.tenant_id},
        )
        await conn.execute(
            text(
                "UPDATE terminals SET last_heartbeat_at = :h, applied_options_version = NULL"
                " WHERE id = :id"
            ),
            {"h": now - dt.timedelta(minutes=15), "id": graph.ids["terminal"]},
        )
        await conn.execute(
            text("UPDATE terminal_options SET created_at = :c WHERE terminal_id = :id"),
            {"c": now - dt.timedelta(minutes=30), "id": graph.ids["terminal"]},
        )
    # Offline 15 minutes, options pending 30: below the tenant's settings, nobody is told.
    await rn.tell_overdue_terminals(app_db, now)
    assert not await notes(technician)
    # Later: both crossed. Told once, however many checks (and processes) run.
    later = now + dt.timedelta(minutes=16)
    for _ in range(3):
        await rn.tell_overdue_terminals(app_db, later)
    told = await notes(technician)
    assert sorted(n["kind"] for n in told) == ["OPTIONS_PENDING", "TERMINAL_OFFLINE"], told
    offline = next(n for n in told if n["kind"] == "TERMINAL_OFFLINE")
    assert "20 minutes" in offline["body"]
    # The last heartbeat in the tenant's local time (UTC−4, AST), not in UTC.
    local = (now - dt.timedelta(minutes=15)) - dt.timedelta(hours=4)
    assert f"{local:%Y-%m-%d %H:%M} AST" in offline["body"], offline["body"]
    assert offline["subjectId"] == gid("Terminal", graph.ids["terminal"])
    assert not await notes(hotline)  # technicians only
    # A heartbeat, then silence again: a new episode, told again.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE terminals SET last_heartbeat_at = :h WHERE id = :id"),
            {"h": later, "id": graph.ids["terminal"]},
        )
    await rn.tell_overdue_terminals(app_db, later + dt.timedelta(minutes=21))
    assert len(await notes(technician, kind=["TERMINAL_OFFLINE"])) == 2


async def test_notifications_older_than_90_days_are_pruned(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO notifications (tenant_id, id, recipient_id, kind, subject_type,"
                " subject_id, created_at) VALUES (:t, :i, :u, 'CONTRACT_SIGNED', 'Contract', :c,"
                " :at)"
            ),
            {
                "t": graph.tenant_id,
                "i": uuid.uuid4(),
                "u": graph.ids["user"],
                "c": graph.ids["contract"],
                "at": old,
            },
        )
        await conn.execute(
            text("UPDATE notification_episodes SET created_at = :at WHERE tenant_id = :t"),
            {"t": graph.tenant_id, "at": old},
        )
    assert await rows(owner_engine, graph.tenant_id) == 2
    assert await rn.prune(app_db) >= 2
    assert await rows(owner_engine, graph.tenant_id) == 1  # the recent one is kept
    assert await rows(owner_engine, graph.tenant_id, "notification_episodes") == 0


async def test_notification_received_is_pushed_to_its_recipient_only(
    app_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    seller = await add_user(owner_engine, graph, "SELLER")
    other_seller = await add_user(owner_engine, graph, "SELLER")
    supervisor = await add_user(owner_engine, graph, "SUPERVISOR")
    # A server of its own: stopping it must not stop the suite's shared app.
    settings = Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET)
    application = create_app(settings, app_url)
    async with running(application) as base:
        mine = await live_login(base, seller, PASSWORD)
        theirs = await live_login(base, other_seller, PASSWORD)
        async with (
            Subscription.open(base, mine, SUBSCRIBE) as sub,
            Subscription.open(base, theirs, SUBSCRIBE) as other,
        ):
            await held(application.state.live, graph.tenant_id, "notifications", count=2)
            # The seller asks; the supervisor approves.
            sup = await live_login(base, supervisor, PASSWORD)
            company, request = await _evaluation_live(base, mine)
            body = await post(base, sup, APPROVE, {"i": {"requestId": request}})
            assert body["data"]["approveRequest"]["userErrors"] == [], body
            received = await sub.next()
            assert received["type"] == "next", received
            note = received["payload"]["data"]["notificationReceived"]["notification"]
            assert note["kind"] == "EVALUATION_APPROVED"
            assert note["subjectId"] == company
            # The same document, the same role: the other seller gets nothing of it.
            assert await other.silent(1.0)


async def _evaluation_live(base: str, token: str) -> tuple[str, str]:
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    body = await post(
        base,
        token,
        COMPANY,
        {
            "i": {
                "legalName": "Épicerie Live",
                "siren": siren,
                "legalForm": "SARL",
                "mcc": "5411",
                "address": {"line1": "1 rue", "postalCode": "97110", "city": "Pointe-à-Pitre"},
                "contactName": "A B",
                "contactEmail": "a@b.gp",
                "contactPhone": "+590 690 00 00 00",
            }
        },
    )
    company = body["data"]["createCompany"]["company"]["id"]
    body = await post(base, token, EVALUATE, {"i": {"companyId": company}})
    return company, body["data"]["requestEvaluation"]["request"]["id"]
