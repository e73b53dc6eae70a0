"""Commands to terminals (issue 19, item 1) and new SoftPOS activation codes (item 5).

The round trip runs against a real server: a technician queues a command over HTTP, the
terminal gateway (the SERVICE account) collects it with `pendingTerminalCommands` and answers
with `recordTerminalEvents` over HTTP, and a supervision screen sees every change of state
through `terminalStatusChanged` on a real WebSocket. The other tests go through the ASGI app:
bad input writes nothing, the fleet variant reports per terminal, answers are checked, the
sweep expires what is left unanswered, and the policy decides who may do what.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from db.session import Database
from resolvers import commands as rc
from resolvers import terminals as rt
from resolvers.lifecycles import TERMINAL_COMMAND
from spring.app import create_app
from spring.settings import Environment, Settings
from tests.api import gid, signed_in, uid
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.fleet.helpers import add_service, add_terminal, merchant, row
from tests.live import Subscription, login, post, running, watched

ERRORS = "userErrors { field code message }"
SEND = f"""
mutation($i: SendTerminalCommandInput!) {{ sendTerminalCommand(input: $i) {{
  command {{ id kind status requestedByLabel createdAt expiresAt sentAt
    terminal {{ id tid }} requestedBy {{ email }} }}
  terminal {{ id }} {ERRORS} }} }}
"""
SEND_MANY = f"""
mutation($i: SendTerminalCommandsInput!) {{ sendTerminalCommands(input: $i) {{
  queued results {{ terminalId command {{ id kind status terminal {{ id }} }} {ERRORS} }}
  {ERRORS} }} }}
"""
PENDING = """
query($first: Int, $tids: [String!]) { pendingTerminalCommands(first: $first, tids: $tids) {
  id kind status sentAt expiresAt terminal { id tid } } }
"""
EVENTS = f"""
mutation($i: RecordTerminalEventsInput!) {{ recordTerminalEvents(input: $i) {{
  commands acknowledged events {{ id kind code }} {ERRORS} }} }}
"""
COMMANDS = """
query($id: ID!) { node(id: $id) { ... on Terminal { appVersion appliedOptionsVersion
  commands(first: 10) { totalCount edges { node {
    id kind status failureReason sentAt finishedAt requestedByLabel
    event { kind code } } } } } } }
"""
STATUS_SUB = """
subscription { terminalStatusChanged {
  terminal { id commands(first: 1) { edges { node { id kind status failureReason } } } } } }
"""
REGENERATE = f"""
mutation($i: RegenerateActivationCodeInput!) {{ regenerateActivationCode(input: $i) {{
  service {{ id status activationCodeExpiresAt version }} activationCode {ERRORS} }} }}
"""
ACTIVATE = f"""
mutation($i: ActivateServiceInput!) {{ activateService(input: $i) {{
  service {{ id }} activationCode {ERRORS} }} }}
"""
ENROLL = f"""
mutation($i: EnrollSoftposDeviceInput!) {{ enrollSoftposDevice(input: $i) {{
  service {{ status }} {ERRORS} }} }}
"""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def event(tid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"tid": tid, "kind": kind, "occurredAt": now().isoformat(), **extra}


async def tid_of(engine: AsyncEngine, terminal_id: uuid.UUID) -> str:
    async with engine.connect() as conn:
        return await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :i"), {"i": terminal_id}
        )


async def written(engine: AsyncEngine, tenant_id: uuid.UUID) -> dict[str, int]:
    """What a refused input must leave as it was."""
    counts = {}
    async with engine.connect() as conn:
        for table in ("terminal_commands", "audit_events", "terminal_events"):
            counts[table] = await conn.scalar(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id}
            )
        counts["open"] = await conn.scalar(
            text(
                "SELECT count(*) FROM terminal_commands WHERE tenant_id = :t"
                " AND status IN ('QUEUED', 'SENT')"
            ),
            {"t": tenant_id},
        )
    return counts


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE"):
        users[role] = await add_user(owner_engine, graph, role)
    return graph, users


@pytest.fixture(scope="module")
async def live_app(app_url: str) -> AsyncIterator[tuple[Starlette, str]]:
    settings = Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET)
    application = create_app(settings, app_url)
    async with running(application) as base:
        yield application, base


async def status_held(application: Starlette, tenant_id: uuid.UUID) -> None:
    await watched(application.state.live, tenant_id)


# --------------------------------------------------------------------------- round trip


async def test_a_command_round_trips_through_the_gateway_and_every_state_is_pushed(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    application, base = live_app
    graph = await make_tenant_graph(owner_engine)
    terminal = graph.ids["terminal"]
    tid = await tid_of(owner_engine, terminal)
    technician_email = await add_user(owner_engine, graph, "TECHNICIAN")
    technician = await login(base, technician_email, PASSWORD)
    supervisor = await login(base, await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    gateway = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", terminal)

    async with Subscription.open(base, supervisor, STATUS_SUB) as sub:
        await status_held(application, graph.tenant_id)

        async def pushed(status: str) -> dict[str, Any]:
            (message,) = await sub.take(1, timeout=10)
            change = message["data"]["terminalStatusChanged"]
            assert change["terminal"]["id"] == terminal_gid
            latest = change["terminal"]["commands"]["edges"][0]["node"]
            assert latest["status"] == status, change
            return latest

        # The technician asks for a reboot.
        body = await post(
            base, technician, SEND, {"i": {"terminalId": terminal_gid, "command": "REBOOT"}}
        )
        payload = body["data"]["sendTerminalCommand"]
        assert payload["userErrors"] == [], body
        command = payload["command"]
        assert (command["kind"], command["status"], command["sentAt"]) == ("REBOOT", "QUEUED", None)
        assert command["requestedByLabel"] == technician_email
        assert command["requestedBy"]["email"] == technician_email
        assert command["terminal"]["tid"] == tid
        expires = dt.datetime.fromisoformat(command["expiresAt"])
        created = dt.datetime.fromisoformat(command["createdAt"])
        assert expires - created == dt.timedelta(minutes=60)
        assert (await pushed("QUEUED"))["id"] == command["id"]

        # The gateway collects it: SENT, handed out once.
        body = await post(base, gateway, PENDING, {"tids": [tid]})
        assert "errors" not in body, body
        (collected,) = body["data"]["pendingTerminalCommands"]
        assert (collected["id"], collected["status"]) == (command["id"], "SENT")
        assert collected["terminal"]["tid"] == tid and collected["sentAt"] is not None
        await pushed("SENT")
        body = await post(base, gateway, PENDING, {"tids": [tid]})
        assert body["data"]["pendingTerminalCommands"] == []

        # The terminal rebooted: the gateway answers with the event and the command's id.
        body = await post(
            base,
            gateway,
            EVENTS,
            {"i": {"events": [event(tid, "REBOOT", commandId=command["id"])]}},
        )
        answer = body["data"]["recordTerminalEvents"]
        assert answer["userErrors"] == [] and answer["commands"] == 1, body
        assert (await pushed("DONE"))["id"] == command["id"]

        # A parameters download that fails on the terminal: FAILED, with its reason.
        body = await post(
            base,
            technician,
            SEND,
            {"i": {"terminalId": terminal_gid, "command": "DOWNLOAD_PARAMETERS"}},
        )
        download = body["data"]["sendTerminalCommand"]["command"]
        await pushed("QUEUED")
        (collected,) = (await post(base, gateway, PENDING))["data"]["pendingTerminalCommands"]
        assert collected["kind"] == "DOWNLOAD_PARAMETERS"
        await pushed("SENT")
        failed = event(
            tid, "PARAMETERS_DOWNLOADED", commandId=download["id"], failureReason="TMS injoignable"
        )
        body = await post(base, gateway, EVENTS, {"i": {"events": [failed]}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        latest = await pushed("FAILED")
        assert latest["failureReason"] == "TMS injoignable"

        # And an app update that succeeds reports the new version on the terminal.
        body = await post(
            base, technician, SEND, {"i": {"terminalId": terminal_gid, "command": "UPDATE_APP"}}
        )
        update = body["data"]["sendTerminalCommand"]["command"]
        await pushed("QUEUED")
        body = await post(
            base,
            gateway,
            EVENTS,
            {"i": {"events": [event(tid, "APP_UPDATED", code="4.1.0", commandId=update["id"])]}},
        )
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        await pushed("DONE")

    body = await post(base, technician, COMMANDS, {"id": terminal_gid})
    view = body["data"]["node"]
    assert view["appVersion"] == "4.1.0"
    nodes = [e["node"] for e in view["commands"]["edges"]]
    # Newest first; the factory's old DONE reboot comes last.
    assert [(n["kind"], n["status"]) for n in nodes] == [
        ("UPDATE_APP", "DONE"),
        ("DOWNLOAD_PARAMETERS", "FAILED"),
        ("REBOOT", "DONE"),
        ("REBOOT", "DONE"),
    ]
    assert nodes[0]["event"] == {"kind": "APP_UPDATED", "code": "4.1.0"}
    assert nodes[1]["event"]["kind"] == "PARAMETERS_DOWNLOADED"
    assert nodes[1]["sentAt"] is not None and nodes[1]["finishedAt"] is not None
    assert nodes[0]["sentAt"] is None  # answered while still QUEUED: allowed
    # The journal records who asked, on the terminal.
    async with owner_engine.connect() as conn:
        asked = (
            await conn.execute(
                text(
                    "SELECT actor_label, after->>'command', after->>'commandId' FROM audit_events"
                    " WHERE entity_id = :t AND action = 'terminal.command_sent'"
                    " ORDER BY occurred_at"
                ),
                {"t": terminal},
            )
        ).all()
    # The command is named by its global id (a client follows it with node(id:)).
    assert [tuple(a) for a in asked] == [
        (technician_email, "REBOOT", command["id"]),
        (technician_email, "DOWNLOAD_PARAMETERS", download["id"]),
        (technician_email, "UPDATE_APP", update["id"]),
    ]


# --------------------------------------------------------------------------- refusals


async def test_a_command_to_a_terminal_out_of_reach_is_refused_and_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    other = await make_tenant_graph(owner_engine)
    technician = await signed_in(client, users["TECHNICIAN"])
    in_stock = await add_terminal(owner_engine, graph, status="IN_STOCK")
    returned = await add_terminal(owner_engine, graph, status="RETURNED")
    softpos = await add_terminal(owner_engine, graph, status="ACTIVE", kind="SOFTPOS")
    cases = [
        (gid("Terminal", other.ids["terminal"]), "REBOOT", "NOT_FOUND"),
        (gid("Terminal", uuid.uuid4()), "REBOOT", "NOT_FOUND"),
        (gid("Terminal", in_stock), "REBOOT", "INVALID_TRANSITION"),
        (gid("Terminal", returned), "UPDATE_APP", "INVALID_TRANSITION"),
        (gid("Terminal", softpos), "DOWNLOAD_PARAMETERS", "INVALID"),
        (gid("Shop", graph.ids["shop"]), "REBOOT", "INVALID_REFERENCE"),
        ("not-an-id", "REBOOT", "INVALID_REFERENCE"),
    ]
    for terminal_id, kind, code in cases:
        before = await written(owner_engine, graph.tenant_id)
        before_other = await written(owner_engine, other.tenant_id)
        body = await technician.post(SEND, {"i": {"terminalId": terminal_id, "command": kind}})
        payload = body["data"]["sendTerminalCommand"]
        assert payload["command"] is None, (terminal_id, body)
        assert [e["code"] for e in payload["userErrors"]] == [code], (terminal_id, payload)
        assert payload["userErrors"][0]["field"] == ["input", "terminalId"]
        assert await written(owner_engine, graph.tenant_id) == before
        assert await written(owner_engine, other.tenant_id) == before_other

    # One command of a kind waits at a time; another kind may be queued meanwhile.
    active = await add_terminal(owner_engine, graph, status="ACTIVE")
    first = await technician.post(
        SEND, {"i": {"terminalId": gid("Terminal", active), "command": "REBOOT"}}
    )
    assert first["data"]["sendTerminalCommand"]["userErrors"] == []
    before = await written(owner_engine, graph.tenant_id)
    again = await technician.post(
        SEND, {"i": {"terminalId": gid("Terminal", active), "command": "REBOOT"}}
    )
    (error,) = again["data"]["sendTerminalCommand"]["userErrors"]
    assert error["code"] == "DUPLICATE" and "REBOOT" in error["message"]
    assert await written(owner_engine, graph.tenant_id) == before
    blocked = await add_terminal(owner_engine, graph, status="BLOCKED")
    for target in (active, blocked):
        body = await technician.post(
            SEND, {"i": {"terminalId": gid("Terminal", target), "command": "UPDATE_APP"}}
        )
        assert body["data"]["sendTerminalCommand"]["userErrors"] == [], body


async def test_the_fleet_variant_reports_each_terminal_and_writes_only_what_it_may(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    other = await make_tenant_graph(owner_engine)
    supervisor = await signed_in(client, users["SUPERVISOR"])
    good = [await add_terminal(owner_engine, graph, status="ACTIVE") for _ in range(3)]
    in_stock = await add_terminal(owner_engine, graph, status="IN_STOCK")
    given = [
        gid("Terminal", good[0]),
        gid("Terminal", other.ids["terminal"]),
        "garbage",
        gid("Terminal", good[1]),
        gid("Terminal", in_stock),
        gid("Terminal", good[1]),  # twice: the second waits behind the first
        gid("Terminal", good[2]),
    ]
    before = await written(owner_engine, graph.tenant_id)
    before_other = await written(owner_engine, other.tenant_id)
    body = await supervisor.post(
        SEND_MANY, {"i": {"terminalIds": given, "command": "DOWNLOAD_PARAMETERS"}}
    )
    payload = body["data"]["sendTerminalCommands"]
    assert payload["userErrors"] == [] and payload["queued"] == 3, body
    results = payload["results"]
    assert [r["terminalId"] for r in results] == given
    outcome = [(r["command"] is not None, [e["code"] for e in r["userErrors"]]) for r in results]
    assert outcome == [
        (True, []),
        (False, ["NOT_FOUND"]),
        (False, ["INVALID_REFERENCE"]),
        (True, []),
        (False, ["INVALID_TRANSITION"]),
        (False, ["DUPLICATE"]),
        (True, []),
    ]
    assert results[2]["userErrors"][0]["field"] == ["input", "terminalIds", "2"]
    assert results[4]["userErrors"][0]["field"] == ["input", "terminalIds", "4"]
    after = await written(owner_engine, graph.tenant_id)
    assert after["terminal_commands"] == before["terminal_commands"] + 3
    assert after["audit_events"] == before["audit_events"] + 3
    assert await written(owner_engine, other.tenant_id) == before_other

    # Too many (the API's list limit answers first) or none: refused, nothing written.
    before = await written(owner_engine, graph.tenant_id)
    body = await supervisor.post(
        SEND_MANY, {"i": {"terminalIds": [gid("Terminal", good[0])] * 101, "command": "REBOOT"}}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert "100" in body["errors"][0]["message"]
    body = await supervisor.post(SEND_MANY, {"i": {"terminalIds": [], "command": "REBOOT"}})
    payload = body["data"]["sendTerminalCommands"]
    assert payload["results"] is None and payload["queued"] == 0
    assert [e["code"] for e in payload["userErrors"]] == ["REQUIRED"]
    # Every terminal refused: the input as a whole is, each error naming its terminal.
    body = await supervisor.post(
        SEND_MANY,
        {
            "i": {
                "terminalIds": [gid("Terminal", other.ids["terminal"]), "garbage"],
                "command": "REBOOT",
            }
        },
    )
    payload = body["data"]["sendTerminalCommands"]
    assert payload["results"] is None and payload["queued"] == 0
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("NOT_FOUND", ["input", "terminalIds", "0"]),
        ("INVALID_REFERENCE", ["input", "terminalIds", "1"]),
    ]
    assert await written(owner_engine, graph.tenant_id) == before
    assert await written(owner_engine, other.tenant_id) == before_other


async def queued_command(
    client: GraphQLClient, users: dict[str, str], terminal_id: uuid.UUID, kind: str = "REBOOT"
) -> str:
    technician = await signed_in(client, users["TECHNICIAN"])
    body = await technician.post(
        SEND, {"i": {"terminalId": gid("Terminal", terminal_id), "command": kind}}
    )
    payload = body["data"]["sendTerminalCommand"]
    assert payload["userErrors"] == [], payload
    return payload["command"]["id"]


async def test_answers_are_checked_and_a_bad_one_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    gateway = await signed_in(client, users["SERVICE"])
    terminal = await add_terminal(owner_engine, graph, status="ACTIVE")
    neighbour = await add_terminal(owner_engine, graph, status="ACTIVE")
    tid = await tid_of(owner_engine, terminal)
    reboot = await queued_command(client, users, terminal, "REBOOT")
    elsewhere = await queued_command(client, users, neighbour, "REBOOT")
    cases = [
        # The event that answers another kind of command.
        ([event(tid, "APP_UPDATED", code="1.0", commandId=reboot)], "INVALID", "kind"),
        # Another terminal's command.
        ([event(tid, "REBOOT", commandId=elsewhere)], "NOT_FOUND", "commandId"),
        # An unknown command, a malformed id.
        (
            [event(tid, "REBOOT", commandId=gid("TerminalCommand", uuid.uuid4()))],
            "NOT_FOUND",
            "commandId",
        ),
        (
            [event(tid, "REBOOT", commandId=gid("Terminal", terminal))],
            "INVALID_REFERENCE",
            "commandId",
        ),
        # Answered twice in one batch.
        (
            [event(tid, "REBOOT", commandId=reboot), event(tid, "REBOOT", commandId=reboot)],
            "DUPLICATE",
            "commandId",
        ),
        # A failure reason with no command to fail.
        ([event(tid, "REBOOT", failureReason="boom")], "INVALID", "failureReason"),
        # A successful download still names the options version it applied.
        (
            [event(tid, "PARAMETERS_DOWNLOADED", commandId=reboot)],
            "INVALID",
            "code",
        ),
    ]
    for events, code, field in cases:
        before = await written(owner_engine, graph.tenant_id)
        body = await gateway.post(EVENTS, {"i": {"events": events}})
        payload = body["data"]["recordTerminalEvents"]
        assert payload["events"] is None, (events, body)
        assert (payload["userErrors"][-1]["code"], payload["userErrors"][-1]["field"][-1]) == (
            code,
            field,
        ), payload
        assert await written(owner_engine, graph.tenant_id) == before
    assert (await row(owner_engine, "terminal_commands", uid(reboot)))["status"] == "QUEUED"

    # Done once; a second answer is refused (the command is final).
    body = await gateway.post(EVENTS, {"i": {"events": [event(tid, "REBOOT", commandId=reboot)]}})
    assert body["data"]["recordTerminalEvents"]["userErrors"] == []
    before = await written(owner_engine, graph.tenant_id)
    body = await gateway.post(EVENTS, {"i": {"events": [event(tid, "REBOOT", commandId=reboot)]}})
    (error,) = body["data"]["recordTerminalEvents"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "commandId" in error["message"]
    assert await written(owner_engine, graph.tenant_id) == before


async def test_unanswered_commands_expire_by_the_sweep_and_answers_after_that_are_refused(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    app_db: Database,
    tenant: tuple[TenantGraph, dict],
) -> None:
    graph, users = tenant
    gateway = await signed_in(client, users["SERVICE"])
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET command_expiry_minutes = 5 WHERE id = :t"),
            {"t": graph.tenant_id},
        )
    try:
        terminal = await add_terminal(owner_engine, graph, status="ACTIVE")
        tid = await tid_of(owner_engine, terminal)
        queued = await queued_command(client, users, terminal, "UPDATE_APP")
        sent = await queued_command(client, users, terminal, "REBOOT")
        stored = await row(owner_engine, "terminal_commands", uid(queued))
        assert stored["expires_at"] - stored["created_at"] == dt.timedelta(minutes=5)
        body = await gateway.post(PENDING, {"tids": [tid], "first": 1})
        assert [c["id"] for c in body["data"]["pendingTerminalCommands"]] == [queued]
        body = await gateway.post(PENDING, {"tids": [tid]})
        assert [c["id"] for c in body["data"]["pendingTerminalCommands"]] == [sent]

        # Before their time, the sweep leaves them.
        assert await rc.expire_commands(app_db) >= 0
        assert (await row(owner_engine, "terminal_commands", uid(sent)))["status"] == "SENT"
        # Past it, an answer is refused even before the sweep has passed...
        later = now() + dt.timedelta(minutes=6)
        async with owner_engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE terminal_commands SET expires_at = now() - interval '1 second'"
                    " WHERE id IN (:a, :b)"
                ),
                {"a": uid(queued), "b": uid(sent)},
            )
        before = await written(owner_engine, graph.tenant_id)
        body = await gateway.post(EVENTS, {"i": {"events": [event(tid, "REBOOT", commandId=sent)]}})
        (error,) = body["data"]["recordTerminalEvents"]["userErrors"]
        assert error["code"] == "INVALID_TRANSITION"
        assert await written(owner_engine, graph.tenant_id) == before
        # ... and not handed out to the gateway any more.
        body = await gateway.post(PENDING, {"tids": [tid]})
        assert body["data"]["pendingTerminalCommands"] == []
        # The sweep records both (once, however many sweeps run).
        swept = await asyncio.gather(*(rc.expire_commands(app_db, later) for _ in range(3)))
        assert sum(swept) >= 1
        for command in (queued, sent):
            stored = await row(owner_engine, "terminal_commands", uid(command))
            assert stored["status"] == "EXPIRED" and stored["finished_at"] is not None
        # An expired command no longer blocks a new one of its kind.
        await queued_command(client, users, terminal, "REBOOT")
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("UPDATE tenants SET command_expiry_minutes = 60 WHERE id = :t"),
                {"t": graph.tenant_id},
            )


# --------------------------------------------------------------------------- policy


async def test_who_may_send_collect_and_read_commands_is_the_policy(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    terminal = await add_terminal(owner_engine, graph, status="ACTIVE")
    terminal_gid = gid("Terminal", terminal)
    for role in ("SELLER", "HOTLINE", "SERVICE"):
        caller = await signed_in(client, users[role])
        before = await written(owner_engine, graph.tenant_id)
        for query, variables in (
            (SEND, {"i": {"terminalId": terminal_gid, "command": "REBOOT"}}),
            (SEND_MANY, {"i": {"terminalIds": [terminal_gid], "command": "REBOOT"}}),
            (REGENERATE, {"i": {"serviceId": gid("Service", graph.ids["service"])}}),
        ):
            body = await caller.post(query, variables)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, body)
        assert await written(owner_engine, graph.tenant_id) == before
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR"):
        caller = await signed_in(client, users[role])
        body = await caller.post(PENDING)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, body)
        body = await caller.post(COMMANDS, {"id": terminal_gid})
        commands = body["data"]["node"]["commands"]
        if role == "SELLER":
            assert commands is None
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        else:
            assert commands is not None, (role, body)
    for role in ("TECHNICIAN", "SUPERVISOR"):
        caller = await signed_in(client, users[role])
        body = await caller.post(
            SEND,
            {
                "i": {
                    "terminalId": gid(
                        "Terminal", await add_terminal(owner_engine, graph, status="ACTIVE")
                    ),
                    "command": "REBOOT",
                }
            },
        )
        assert body["data"]["sendTerminalCommand"]["userErrors"] == [], (role, body)
    # The gateway reads what it needs of the commands it collects, nothing more.
    gateway = await signed_in(client, users["SERVICE"])
    await queued_command(client, users, terminal, "UPDATE_APP")
    tid = await tid_of(owner_engine, terminal)
    body = await gateway.post(
        "query($t: [String!]) { pendingTerminalCommands(tids: $t) { id kind requestedByLabel } }",
        {"t": [tid]},
    )
    (collected,) = body["data"]["pendingTerminalCommands"]
    assert collected["kind"] == "UPDATE_APP" and collected["requestedByLabel"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gateway.post("query { pendingTerminalCommands(first: 500) { id } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# --------------------------------------------------------------------------- SoftPOS codes


async def test_a_lost_activation_code_is_replaced_and_the_old_one_stops_working(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    app_db: Database,
    tenant: tuple[TenantGraph, dict],
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    technician = await signed_in(client, users["TECHNICIAN"])
    gateway = await signed_in(client, users["SERVICE"])
    body = await technician.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", ids["contract"]),
                "shopId": gid("Shop", ids["shop"]),
                "kind": "PAYWISH_SOFTPOS",
            }
        },
    )
    first_code = body["data"]["activateService"]["activationCode"]
    service_gid = body["data"]["activateService"]["service"]["id"]
    body = await technician.post(REGENERATE, {"i": {"serviceId": service_gid}})
    payload = body["data"]["regenerateActivationCode"]
    assert payload["userErrors"] == [], body
    code = payload["activationCode"]
    assert code != first_code and len(code) == rt.CODE_LENGTH
    assert payload["service"]["status"] == "PENDING"
    stored = await row(owner_engine, "services", uid(service_gid))
    assert stored["activation_code_hash"] == hashlib.sha256(code.encode()).hexdigest()
    async with owner_engine.connect() as conn:
        entry = (
            await conn.execute(
                text(
                    "SELECT actor_label, after::text FROM audit_events WHERE entity_id = :s"
                    " AND action = 'service.activation_code_regenerated'"
                ),
                {"s": uid(service_gid)},
            )
        ).one()
    assert entry[0] == users["TECHNICIAN"] and code not in entry[1]

    device = {"model": "Pixel 8", "osVersion": "Android 15", "appVersion": "3.2.0"}
    # The old code no longer works; the new one does.
    body = await gateway.post(ENROLL, {"i": {"activationCode": first_code, "device": device}})
    assert body["data"]["enrollSoftposDevice"]["userErrors"][0]["code"] == "INVALID"
    body = await gateway.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    assert body["data"]["enrollSoftposDevice"]["service"]["status"] == "ACTIVE", body

    # Wrong state or kind: a user error, nothing written.
    pax = await add_service(owner_engine, graph, status="PENDING", kind="PAY_ON_SITE")
    for target in (service_gid, gid("Service", pax), gid("Service", uuid.uuid4())):
        before = await written(owner_engine, graph.tenant_id)
        body = await technician.post(REGENERATE, {"i": {"serviceId": target}})
        payload = body["data"]["regenerateActivationCode"]
        assert payload["activationCode"] is None
        assert payload["userErrors"][0]["code"] in ("INVALID_TRANSITION", "NOT_FOUND"), payload
        assert await written(owner_engine, graph.tenant_id) == before


def test_the_command_lifecycle_is_what_the_code_does() -> None:
    assert TERMINAL_COMMAND.initial.value == "QUEUED"
    assert set(rc.OPEN_STATES) == set(TERMINAL_COMMAND.find("expire").sources)
    assert {t.operation for t in TERMINAL_COMMAND.transitions} == {
        "pendingTerminalCommands",
        "recordTerminalEvents",
        None,
    }
