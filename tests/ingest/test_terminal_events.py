"""Terminal events: heartbeats and connectivity, options acknowledgements, app updates and
errors, what is pushed live, SoftPOS enrolment, and the domain faults a repeat or a late event
may meet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.ingest.helpers import (
    ERRORS,
    EVENT_SUB,
    EVENTS,
    count_rows,
    event,
    now,
    placement,
    problems,
    record,
    record_events,
    stored,
    tx,
)
from tests.live import Subscription, held, login, post, watched

TERMINAL = """
query($id: ID!) { node(id: $id) { ... on Terminal {
  tid kind status lastHeartbeatAt lastSeenAt connectivity optionsStatus appliedOptionsVersion
  optionsAppliedAt appVersion firmwareVersion
  options { versionNumber acknowledgedAt }
  optionsHistory { versionNumber acknowledgedAt } } } }
"""


JOURNAL = """
query($t: ID!) { terminalEvents(filter: {terminal: $t}) { totalCount
  edges { node { kind code message occurredAt terminal { tid } } } } }
"""


OPTIONS = f"""
mutation($i: UpdateTerminalOptionsInput!) {{ updateTerminalOptions(input: $i) {{
  terminal {{ optionsStatus }} options {{ versionNumber acknowledgedAt }} {ERRORS} }} }}
"""


ACTIVATE = f"""
mutation($i: ActivateServiceInput!) {{ activateService(input: $i) {{
  service {{ id status kind }} activationCode {ERRORS} }} }}
"""


ENROLL = f"""
mutation($i: EnrollSoftposDeviceInput!) {{ enrollSoftposDevice(input: $i) {{
  service {{ id status kind terminal {{ id }} }}
  terminal {{ id tid kind status model osVersion appVersion }}
  {ERRORS} }} }}
"""


STATUS_SUB = """
subscription { terminalStatusChanged {
  terminal { id tid lastHeartbeatAt } connectivity optionsStatus observedAt } }
"""


async def terminal_view(staff: GraphQLClient, terminal_id: uuid.UUID) -> dict[str, Any]:
    body = await staff.post(TERMINAL, {"id": gid("Terminal", terminal_id)})
    assert "errors" not in body, body
    return body["data"]["node"]


async def test_heartbeats_move_last_seen_and_connectivity(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    view = await terminal_view(tech, place["terminal"])
    assert view["connectivity"] == "OFFLINE" and view["lastHeartbeatAt"] is None
    beat = now().replace(microsecond=0)
    result = await record_events(service, [event(place["tid"], occurredAt=beat.isoformat())])
    assert result["userErrors"] == [] and result["heartbeats"] == 1 and result["events"] == []
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    assert dt.datetime.fromisoformat(view["lastSeenAt"]) == beat
    assert view["connectivity"] == "ONLINE"
    # An older heartbeat arriving late does not move the clock back.
    late = (beat - dt.timedelta(minutes=1)).isoformat()
    await record_events(service, [event(place["tid"], occurredAt=late)])
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    # Another event moves last-seen, not the heartbeat; heartbeats stay out of the journal.
    later = beat + dt.timedelta(seconds=30)
    await record_events(service, [event(place["tid"], "REBOOT", occurredAt=later.isoformat())])
    view = await terminal_view(tech, place["terminal"])
    assert dt.datetime.fromisoformat(view["lastSeenAt"]) == later
    assert dt.datetime.fromisoformat(view["lastHeartbeatAt"]) == beat
    body = await tech.post(JOURNAL, {"t": gid("Terminal", place["terminal"])})
    assert [e["node"]["kind"] for e in body["data"]["terminalEvents"]["edges"]] == ["REBOOT"]


async def test_parameters_downloaded_acknowledges_the_latest_options(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "tipping": True}}
    )
    options = body["data"]["updateTerminalOptions"]
    assert options["userErrors"] == [] and options["options"]["versionNumber"] == 2
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "PENDING" and view["optionsAppliedAt"] is None

    # An options version the terminal never had is refused.
    result = await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="7")])
    assert problems(result) == [(["input", "events", "0", "code"], "NOT_FOUND")]
    result = await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="v2")])
    assert problems(result) == [(["input", "events", "0", "code"], "INVALID")]

    at = now().replace(microsecond=0)
    result = await record_events(
        service,
        [event(place["tid"], "PARAMETERS_DOWNLOADED", code="2", occurredAt=at.isoformat())],
    )
    assert result["userErrors"] == [] and result["acknowledged"] >= 1
    assert [e["kind"] for e in result["events"]] == ["PARAMETERS_DOWNLOADED"]
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "APPLIED" and view["appliedOptionsVersion"] == 2
    assert dt.datetime.fromisoformat(view["optionsAppliedAt"]) == at
    assert view["options"]["versionNumber"] == 2
    assert dt.datetime.fromisoformat(view["options"]["acknowledgedAt"]) == at
    # Acknowledging an older version afterwards changes nothing.
    await record_events(service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="1")])
    view = await terminal_view(tech, place["terminal"])
    assert view["appliedOptionsVersion"] == 2 and view["optionsStatus"] == "APPLIED"
    # A new version is pending again.
    await tech.post(OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "cashback": True}})
    assert (await terminal_view(tech, place["terminal"]))["optionsStatus"] == "PENDING"


async def test_app_updates_and_errors_reach_the_terminal_and_its_journal(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    place = await placement(owner_engine, world["graph"], kind="SOFTPOS")
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    at = now().replace(microsecond=0)
    result = await record_events(
        service,
        [
            event(place["tid"], "APP_UPDATED", code=" 3.4.1 ", occurredAt=at.isoformat()),
            event(
                place["tid"],
                "ERROR",
                code="NFC_TIMEOUT",
                message="Lecteur NFC : délai dépassé",
                payload={"attempt": 2},
                occurredAt=(at + dt.timedelta(seconds=1)).isoformat(),
            ),
        ],
    )
    assert result["userErrors"] == []
    assert [(e["kind"], e["code"]) for e in result["events"]] == [
        ("APP_UPDATED", "3.4.1"),
        ("ERROR", "NFC_TIMEOUT"),
    ]
    view = await terminal_view(tech, place["terminal"])
    assert view["appVersion"] == "3.4.1"
    body = await tech.post(JOURNAL, {"t": gid("Terminal", place["terminal"])})
    journal = body["data"]["terminalEvents"]
    kinds = {(e["node"]["kind"], e["node"]["code"]) for e in journal["edges"]}
    assert kinds == {("APP_UPDATED", "3.4.1"), ("ERROR", "NFC_TIMEOUT")}
    error = next(e["node"] for e in journal["edges"] if e["node"]["kind"] == "ERROR")
    assert error["message"] == "Lecteur NFC : délai dépassé"
    assert error["terminal"]["tid"] == place["tid"]
    async with owner_engine.connect() as conn:
        payload = await conn.scalar(
            text("SELECT payload FROM terminal_events WHERE terminal_id = :t AND kind = 'ERROR'"),
            {"t": place["terminal"]},
        )
    assert payload == {"attempt": 2}


async def test_connectivity_is_pushed_online_then_offline_without_an_event_then_online(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    application, base = live_app
    graph = await make_tenant_graph(owner_engine)  # its own tenant: a 1 s heartbeat interval
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET heartbeat_interval_s = 1 WHERE id = :t"),
            {"t": graph.tenant_id},
        )
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    supervisor = await login(base, await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    async with Subscription.open(base, supervisor, STATUS_SUB) as sub:
        await watched(application.state.live, graph.tenant_id)
        body = await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (online,) = await sub.take(1)
        change = online["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["connectivity"] == "ONLINE" and change["optionsStatus"] == "PENDING"
        # A second heartbeat while online changes nothing: no message. Timed from before it
        # was made: the server may only say OFFLINE once 2 x 1 s have passed since.
        started = asyncio.get_running_loop().time()
        await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        # Heartbeats stop: more than 2 x 1 s later the server says so by itself.
        (offline,) = await sub.take(1)
        waited = asyncio.get_running_loop().time() - started
        change = offline["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["connectivity"] == "OFFLINE", change
        # Not before the interval has passed (how much later depends on the machine's load).
        assert waited >= 1.9, waited  # 2 s, less the clocks' granularity
        # And back online at the next heartbeat.
        await post(base, machine, EVENTS, {"i": {"events": [event(tid)]}})
        (back,) = await sub.take(1)
        assert back["data"]["terminalStatusChanged"]["connectivity"] == "ONLINE"
        # The options acknowledgement is pushed too.
        await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="1")]}},
        )
        (applied,) = await sub.take(1)
        assert applied["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"


async def test_error_events_are_pushed_to_terminal_event_subscribers(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    application, base = live_app
    # Its own tenant: a live feed starts at the commit horizon, so events other tests recorded
    # in a shared tenant could come first while another database holds the horizon back.
    graph = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    technician = await login(base, await add_user(owner_engine, graph, "TECHNICIAN"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    variables = {"f": {"terminal": terminal_gid, "kind": ["ERROR"]}}
    async with Subscription.open(base, technician, EVENT_SUB, variables) as sub:
        await held(application.state.live, graph.tenant_id, "terminal_events")
        items = [
            event(tid),  # a heartbeat: not journaled
            event(tid, "REBOOT"),  # filtered out by kind
            event(tid, "ERROR", code="E42", message="Imprimante : plus de papier"),
        ]
        body = await post(base, machine, EVENTS, {"i": {"events": items}})
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (received,) = await sub.take(1)
        recorded = received["data"]["terminalEventRecorded"]
        assert recorded["event"] == {
            "kind": "ERROR",
            "code": "E42",
            "message": "Imprimante : plus de papier",
            "terminal": {"tid": tid},
        }
        assert recorded["cursor"]
        assert await sub.silent(1.0)


async def test_a_softpos_device_enrolls_with_its_one_time_code(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    graph = world["graph"]
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE contracts SET service_kinds = ARRAY['PAY_ON_SITE', 'PAYWISH_SOFTPOS']"
                " WHERE id = :id"
            ),
            {"id": graph.ids["contract"]},
        )
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", graph.ids["contract"]),
                "shopId": gid("Shop", graph.ids["shop"]),
                "kind": "PAYWISH_SOFTPOS",
            }
        },
    )
    activated = body["data"]["activateService"]
    assert activated["userErrors"] == [], activated
    code = activated["activationCode"]
    assert code and activated["service"]["status"] == "PENDING"

    # Staff may not enroll devices, even with a good code; nothing happens.
    device = {"model": "Galaxy S24", "osVersion": "Android 15", "appVersion": "2.8.0"}
    body = await tech.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    assert body["data"]["enrollSoftposDevice"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    body = await service.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    enrolled = body["data"]["enrollSoftposDevice"]
    assert enrolled["userErrors"] == [], body
    assert (enrolled["service"]["status"], enrolled["service"]["kind"]) == (
        "ACTIVE",
        "PAYWISH_SOFTPOS",
    )
    terminal = enrolled["terminal"]
    assert (terminal["kind"], terminal["status"]) == ("SOFTPOS", "ACTIVE")
    assert (terminal["model"], terminal["osVersion"], terminal["appVersion"]) == (
        "Galaxy S24",
        "Android 15",
        "2.8.0",
    )
    assert enrolled["service"]["terminal"]["id"] == terminal["id"]

    # Single use.
    body = await service.post(ENROLL, {"i": {"activationCode": code, "device": device}})
    again = body["data"]["enrollSoftposDevice"]
    assert again["service"] is None
    assert problems(again) == [(["input", "activationCode"], "INVALID")]

    # The phone takes payments at once.
    item = tx(terminal["tid"], entryMode="TAP_TO_PAY", scheme="VISA")
    payload = await record(service, [item])
    assert payload["transactions"][0]["status"] == "APPROVED"
    rows = await stored(owner_engine, graph.tenant_id, [item["externalId"]])
    assert rows[item["externalId"]].authorization_code == "A1B2C3"


DEACTIVATE = f"""
mutation($i: DeactivateServiceInput!) {{ deactivateService(input: $i) {{
  terminal {{ status }} {ERRORS} }} }}
"""


TERMINATE = f"""
mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{
  contract {{ status }} {ERRORS} }} }}
"""


RESTOCK = f"""
mutation($i: RestockTerminalInput!) {{ restockTerminal(input: $i) {{
  terminal {{ status }} {ERRORS} }} }}
"""


DIAGNOSE = """
query($id: ID!) { diagnoseTerminal(id: $id) { checks { code verdict } } }
"""


async def terminal_row(engine: AsyncEngine, terminal_id: uuid.UUID) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text("SELECT status, shop_id FROM terminals WHERE id = :id"), {"id": terminal_id}
            )
        ).one()


@pytest.mark.parametrize("ending", ["deactivateService", "terminateContract"])
async def test_a_repeat_is_answered_with_the_stored_row_whatever_became_of_its_terminal(
    client: GraphQLClient,
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    ending: str,
) -> None:
    """Issue 12, item 9: "already stored" comes before any check of where the terminal is."""
    place = await placement(owner_engine, world["graph"])
    sent = [tx(place["tid"]), tx(place["tid"], amount=99)]
    first = await record(service, sent)
    assert first["userErrors"] == [] and first["created"] == 2
    supervisor = await signed_in(client, world["users"]["SUPERVISOR"])
    if ending == "deactivateService":
        body = await supervisor.post(
            DEACTIVATE, {"i": {"id": gid("Service", place["service"]), "reason": "Fin"}}
        )
    else:
        body = await supervisor.post(
            TERMINATE, {"i": {"id": gid("Contract", place["contract"]), "reason": "Fin"}}
        )
    assert body["data"][ending]["userErrors"] == [], body
    assert tuple(await terminal_row(owner_engine, place["terminal"])) == ("RETURNED", None)

    again = await record(service, sent)
    assert again["userErrors"] == [] and again["created"] == 0
    assert [t["id"] for t in again["transactions"]] == [t["id"] for t in first["transactions"]]
    # A new transaction of the returned terminal is still refused, at its index only, and
    # nothing of the batch is written.
    fresh = tx(place["tid"])
    mixed = await record(service, [sent[0], fresh])
    assert problems(mixed) == [(["input", "transactions", "1", "tid"], "INVALID")]
    assert await stored(owner_engine, world["graph"].tenant_id, [fresh["externalId"]]) == {}
    # The same id with other content is still a conflict.
    changed = await record(service, [{**sent[1], "amount": 100}])
    assert problems(changed) == [(["input", "transactions", "0", "externalId"], "CONFLICT")]
    # Back in stock (no shop either): still a repeat.
    body = await supervisor.post(
        RESTOCK, {"i": {"id": gid("Terminal", place["terminal"]), "reason": "Contrôlé"}}
    )
    assert body["data"]["restockTerminal"]["terminal"]["status"] == "IN_STOCK", body
    again = await record(service, sent)
    assert again["userErrors"] == [] and again["created"] == 0


@pytest.mark.parametrize("blocked", ["services", "terminals"])
async def test_an_expired_block_no_longer_declines_though_no_sweep_ran(
    client: GraphQLClient,
    service: GraphQLClient,
    world: dict,
    owner_engine: AsyncEngine,
    blocked: str,
) -> None:
    """Issue 12, item 11: ingestion honours `until` itself; the sweep only records it."""
    states = {"service_status": "BLOCKED"} if blocked == "services" else {}
    if blocked == "terminals":
        states = {"terminal_status": "BLOCKED"}
    place = await placement(owner_engine, world["graph"], **states)
    row_id = place["service" if blocked == "services" else "terminal"]

    async def until(delta: dt.timedelta) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text(f"UPDATE {blocked} SET blocked_until = :u WHERE id = :id"),
                {"u": now() + delta, "id": row_id},
            )

    await until(dt.timedelta(hours=1))  # still in force: declined
    payload = await record(service, [tx(place["tid"])])
    assert payload["transactions"][0]["status"] == "DECLINED"
    await until(-dt.timedelta(seconds=1))  # over, not swept yet
    payload = await record(service, [tx(place["tid"])])
    assert payload["userErrors"] == []
    assert payload["transactions"][0]["status"] == "APPROVED"
    # No sweep ran: the row still says BLOCKED, and the diagnosis agrees with ingestion.
    async with owner_engine.connect() as conn:
        status = await conn.scalar(
            text(f"SELECT status FROM {blocked} WHERE id = :id"), {"id": row_id}
        )
    assert status == "BLOCKED"
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(DIAGNOSE, {"id": gid("Terminal", place["terminal"])})
    checks = {c["code"]: c["verdict"] for c in body["data"]["diagnoseTerminal"]["checks"]}
    assert checks["TERMINAL_STATUS"] == "OK" and checks["SERVICE"] == "OK", checks


@pytest.mark.parametrize("blocked", ["Service", "Terminal"])
async def test_an_expired_block_can_be_blocked_again_before_the_sweep(
    client: GraphQLClient, world: dict, owner_engine: AsyncEngine, blocked: str
) -> None:
    """A new block on an expired one: the expiry is journaled (as the sweep would), then
    the new block."""
    states = {"service_status" if blocked == "Service" else "terminal_status": "BLOCKED"}
    place = await placement(owner_engine, world["graph"], **states)
    row_id = place[blocked.lower()]
    table = f"{blocked.lower()}s"
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(f"UPDATE {table} SET blocked_until = :u WHERE id = :id"),
            {"u": now() - dt.timedelta(minutes=1), "id": row_id},
        )
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    mutation = f"""mutation($i: Block{blocked}Input!) {{ block{blocked}(input: $i) {{
      {blocked.lower()} {{ status blockedReason blockedUntil }} {ERRORS} }} }}"""
    body = await hotline.post(mutation, {"i": {"id": gid(blocked, row_id), "reason": "Fraude"}})
    payload = body["data"][f"block{blocked}"]
    assert payload["userErrors"] == [], body
    assert payload[blocked.lower()] == {
        "status": "BLOCKED",
        "blockedReason": "Fraude",
        "blockedUntil": None,
    }
    async with owner_engine.connect() as conn:
        entries = (
            await conn.execute(
                text(
                    "SELECT action, actor_label FROM audit_events WHERE entity_id = :id"
                    " ORDER BY occurred_at, id"
                ),
                {"id": row_id},
            )
        ).all()
    assert [tuple(e) for e in entries][-2:] == [
        (f"{blocked.lower()}.unblocked", "auto-unblock"),
        (f"{blocked.lower()}.blocked", world["users"]["HOTLINE"]),
    ]


async def test_an_options_acknowledgement_dated_before_its_version_existed_is_refused(
    client: GraphQLClient, service: GraphQLClient, world: dict, owner_engine: AsyncEngine
) -> None:
    """Issue 12, item 12."""
    place = await placement(owner_engine, world["graph"])
    tech = await signed_in(client, world["users"]["TECHNICIAN"])
    body = await tech.post(
        OPTIONS, {"i": {"id": gid("Terminal", place["terminal"]), "tipping": True}}
    )
    assert body["data"]["updateTerminalOptions"]["options"]["versionNumber"] == 2
    before = await count_rows(owner_engine, "terminal_events", world["graph"].tenant_id)
    early = (now() - dt.timedelta(minutes=10)).isoformat()
    result = await record_events(
        service,
        [
            event(place["tid"]),
            event(place["tid"], "PARAMETERS_DOWNLOADED", code="2", occurredAt=early),
        ],
    )
    assert problems(result) == [(["input", "events", "1", "occurredAt"], "OUT_OF_RANGE")]
    assert await count_rows(owner_engine, "terminal_events", world["graph"].tenant_id) == before
    view = await terminal_view(tech, place["terminal"])
    assert view["optionsStatus"] == "PENDING" and view["appliedOptionsVersion"] is None
    # The older version existed then: its acknowledgement at that time is accepted.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE terminal_options SET created_at = now() - interval '1 hour'"
                " WHERE terminal_id = :t AND version_number = 1"
            ),
            {"t": place["terminal"]},
        )
    result = await record_events(
        service, [event(place["tid"], "PARAMETERS_DOWNLOADED", code="1", occurredAt=early)]
    )
    assert result["userErrors"] == []
    assert (await terminal_view(tech, place["terminal"]))["appliedOptionsVersion"] == 1


async def test_staff_changing_applied_options_is_pushed_as_pending(
    live_app: tuple[Starlette, str], owner_engine: AsyncEngine
) -> None:
    """Issue 12, item 10: every options status change is pushed, whoever causes it."""
    application, base = live_app
    graph = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    technician = await login(base, await add_user(owner_engine, graph, "TECHNICIAN"), PASSWORD)
    machine = await login(base, await add_user(owner_engine, graph, "SERVICE"), PASSWORD)
    terminal_gid = gid("Terminal", graph.ids["terminal"])
    broker = application.state.live
    async with Subscription.open(base, technician, STATUS_SUB) as sub:
        await watched(broker, graph.tenant_id)  # ready when the server holds the subscriber
        # The device applies the options: APPLIED is pushed (as before).
        body = await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="1")]}},
        )
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        (applied,) = await sub.take(1)
        assert applied["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"
        # Staff change them: a new version, PENDING on the device, pushed at once.
        body = await post(base, technician, OPTIONS, {"i": {"id": terminal_gid, "tipping": True}})
        assert body["data"]["updateTerminalOptions"]["userErrors"] == [], body
        (pending,) = await sub.take(1)
        change = pending["data"]["terminalStatusChanged"]
        assert change["terminal"]["id"] == terminal_gid
        assert change["optionsStatus"] == "PENDING"
        # Another change while PENDING is no status change: nothing is pushed for it, and
        # the next acknowledgement is (the first message after it is APPLIED).
        await post(base, technician, OPTIONS, {"i": {"id": terminal_gid, "cashback": True}})
        await post(
            base,
            machine,
            EVENTS,
            {"i": {"events": [event(tid, "PARAMETERS_DOWNLOADED", code="3")]}},
        )
        (again,) = await sub.take(1)
        assert again["data"]["terminalStatusChanged"]["optionsStatus"] == "APPLIED"
