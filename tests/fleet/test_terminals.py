"""Terminals: the technician registers, assigns, configures and activates them (the refusals
writing nothing), and SoftPOS activation codes and enrolment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.enums import ServiceStatus
from db.session import Database
from resolvers import terminals as rt
from resolvers.errors import UserErrorCode
from resolvers.usecase import Refused
from tests.api import gid, signed_in, uid
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, make_tenant_graph
from tests.fleet.helpers import (
    ACTIVATE,
    ASSIGN,
    OPTIONS,
    REGISTER,
    add_service,
    add_terminal,
    counts,
    enroll,
    in_hours,
    journal_of,
    merchant,
    new_tid,
    row,
)


async def test_technician_registers_assigns_configures_and_activates_a_pax_terminal(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    tech = await signed_in(client, users["TECHNICIAN"])

    tid = new_tid("P")
    body = await tech.post(
        REGISTER,
        {"i": {"kind": "PAX", "tid": tid.lower(), "serialNumber": "1850123456", "model": "A920"}},
    )
    payload = body["data"]["registerTerminal"]
    assert payload["userErrors"] == []
    terminal = payload["terminal"]
    assert (terminal["tid"], terminal["status"], terminal["kind"]) == (tid, "IN_STOCK", "PAX")

    body = await tech.post(
        ASSIGN,
        {
            "i": {
                "id": terminal["id"],
                "shopId": gid("Shop", ids["shop"]),
                "expectedVersion": terminal["version"],
            }
        },
    )
    payload = body["data"]["assignTerminal"]
    assert payload["userErrors"] == []
    assert payload["terminal"]["status"] == "ASSIGNED"
    assert payload["terminal"]["shop"]["id"] == gid("Shop", ids["shop"])
    version = payload["terminal"]["version"]

    body = await tech.post(
        OPTIONS,
        {
            "i": {
                "id": terminal["id"],
                "expectedVersion": version,
                "contactless": False,
                "language": "EN",
                "settlementTime": "22:30",
            }
        },
    )
    payload = body["data"]["updateTerminalOptions"]
    assert payload["userErrors"] == []
    assert payload["options"] == {
        "versionNumber": 1,
        "contactless": False,
        "tipping": False,
        "cashback": False,
        "preAuthorization": False,
        "manualEntry": False,
        "receiptMode": "PRINT",
        "language": "en",
        "settlementTime": "22:30",
        "acknowledgedAt": None,
    }
    assert payload["terminal"]["optionsStatus"] == "PENDING"
    assert payload["terminal"]["appliedOptionsVersion"] is None
    assert payload["terminal"]["version"] == version + 1
    version = payload["terminal"]["version"]

    # A second change copies what it does not name from the latest version.
    body = await tech.post(
        OPTIONS, {"i": {"id": terminal["id"], "expectedVersion": version, "tipping": True}}
    )
    payload = body["data"]["updateTerminalOptions"]
    assert payload["userErrors"] == []
    options = payload["options"]
    assert (options["versionNumber"], options["tipping"], options["contactless"]) == (
        2,
        True,
        False,
    )
    assert options["settlementTime"] == "22:30" and options["language"] == "en"
    assert payload["terminal"]["options"]["versionNumber"] == 2
    assert payload["terminal"]["optionsStatus"] == "PENDING"

    # The same version again is stale.
    body = await tech.post(
        OPTIONS, {"i": {"id": terminal["id"], "expectedVersion": version, "cashback": True}}
    )
    assert body["data"]["updateTerminalOptions"]["userErrors"][0]["code"] == "CONFLICT"

    body = await tech.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", ids["contract"]),
                "shopId": gid("Shop", ids["shop"]),
                "kind": "PAY_ON_SITE",
                "terminalId": terminal["id"],
            }
        },
    )
    payload = body["data"]["activateService"]
    assert payload["userErrors"] == []
    assert payload["activationCode"] is None
    service = payload["service"]
    assert (service["status"], service["kind"]) == ("ACTIVE", "PAY_ON_SITE")
    assert service["terminal"] == {"id": terminal["id"], "status": "ACTIVE"}
    assert service["contract"]["status"] == "ACTIVE"
    assert payload["terminal"]["status"] == "ACTIVE"
    assert (await row(owner_engine, "companies", ids["company"]))["status"] == "ACTIVE"
    assert (await row(owner_engine, "contracts", ids["contract"]))["activated_at"] is not None

    terminal_id = uid(terminal["id"])
    actions = [e["action"] for e in await journal_of(owner_engine, terminal_id)]
    assert actions == [
        "terminal.registered",
        "terminal.assigned",
        "terminal.options_changed",
        "terminal.options_changed",
        "terminal.activated",
    ]
    entries = await journal_of(owner_engine, terminal_id)
    assert entries[0]["actor_label"] == users["TECHNICIAN"]
    assert entries[0]["after"]["status"] == "IN_STOCK"
    assert entries[3]["before"] == {"tipping": False, "optionsVersion": 1}
    assert entries[3]["after"] == {"tipping": True, "optionsVersion": 2}
    assert entries[4]["before"] == {"status": "ASSIGNED"}
    service_entries = await journal_of(owner_engine, uid(service["id"]))
    assert [e["action"] for e in service_entries] == ["service.activated"]
    assert [e["action"] for e in await journal_of(owner_engine, ids["contract"])] == [
        "contract.activated"
    ]
    assert [e["action"] for e in await journal_of(owner_engine, ids["company"])] == [
        "company.activated"
    ]


async def test_an_in_stock_terminal_is_assigned_to_the_shop_by_the_activation(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph, contract_status="ACTIVE", company_status="ACTIVE")
    terminal_id = await add_terminal(owner_engine, graph, status="IN_STOCK")
    supervisor = await signed_in(client, users["SUPERVISOR"])
    body = await supervisor.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", ids["contract"]),
                "shopId": gid("Shop", ids["shop"]),
                "kind": "PAY_ON_SITE",
                "terminalId": gid("Terminal", terminal_id),
            }
        },
    )
    payload = body["data"]["activateService"]
    assert payload["userErrors"] == []
    assert payload["terminal"] == {
        "id": gid("Terminal", terminal_id),
        "status": "ACTIVE",
        "shop": {"id": gid("Shop", ids["shop"])},
    }
    # Already ACTIVE: the contract and company are not journaled again.
    assert await journal_of(owner_engine, ids["contract"]) == []
    entry = (await journal_of(owner_engine, terminal_id))[0]
    assert entry["before"] == {"shopId": None, "status": "IN_STOCK"}
    assert entry["after"]["status"] == "ACTIVE"


async def test_register_refuses_bad_input_and_duplicates_and_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    before = await counts(owner_engine, graph.tenant_id)
    body = await tech.post(REGISTER, {"i": {"kind": "PAX", "tid": "abc"}})
    errors = body["data"]["registerTerminal"]["userErrors"]
    assert {(tuple(e["field"]), e["code"]) for e in errors} == {
        (("input", "tid"), "INVALID"),
        (("input", "serialNumber"), "REQUIRED"),
    }
    assert await counts(owner_engine, graph.tenant_id) == before

    tid, serial = new_tid("D"), uuid.uuid4().hex[:10].upper()
    body = await tech.post(REGISTER, {"i": {"kind": "PAX", "tid": tid, "serialNumber": serial}})
    assert body["data"]["registerTerminal"]["userErrors"] == []
    before = await counts(owner_engine, graph.tenant_id)

    body = await tech.post(
        REGISTER, {"i": {"kind": "PAX", "tid": tid.lower(), "serialNumber": "OTHER-1"}}
    )
    errors = body["data"]["registerTerminal"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "tid"], "DUPLICATE")]
    assert errors[0]["message"] == "Ce TID est déjà utilisé."
    body = await tech.post(
        REGISTER,
        {"i": {"kind": "PAX", "tid": new_tid("D"), "serialNumber": serial.lower()}},
        **{"Accept-Language": "en"},
    )
    errors = body["data"]["registerTerminal"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "serialNumber"], "DUPLICATE")]
    assert errors[0]["message"] == "This serial number is already registered."
    assert await counts(owner_engine, graph.tenant_id) == before

    # A SoftPOS phone has no serial number to give.
    body = await tech.post(REGISTER, {"i": {"kind": "SOFTPOS", "tid": new_tid("S")}})
    assert body["data"]["registerTerminal"]["userErrors"] == []


async def test_options_are_for_pax_terminals_and_validated(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    softpos = await add_terminal(owner_engine, graph, kind="SOFTPOS", status="ACTIVE")
    pax = await add_terminal(owner_engine, graph, status="ACTIVE")
    returned = await add_terminal(owner_engine, graph, status="RETURNED")
    before = await counts(owner_engine, graph.tenant_id)
    cases = [
        ({"id": gid("Terminal", softpos), "tipping": True}, ["input", "id"], "INVALID"),
        (
            {"id": gid("Terminal", pax), "settlementTime": "25:00"},
            ["input", "settlementTime"],
            "INVALID",
        ),
        ({"id": gid("Terminal", pax), "language": "french"}, ["input", "language"], "INVALID"),
        ({"id": gid("Terminal", pax)}, ["input"], "INVALID"),
        ({"id": gid("Terminal", returned), "tipping": True}, ["input", "id"], "INVALID_TRANSITION"),
        (
            {"id": gid("Shop", graph.ids["shop"]), "tipping": True},
            ["input", "id"],
            "INVALID_REFERENCE",
        ),
        ({"id": gid("Terminal", uuid.uuid4()), "tipping": True}, ["input", "id"], "NOT_FOUND"),
    ]
    for values, field, code in cases:
        body = await tech.post(OPTIONS, {"i": values})
        payload = body["data"]["updateTerminalOptions"]
        assert payload["terminal"] is None, values
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)], values
    assert await counts(owner_engine, graph.tenant_id) == before


async def test_activation_preconditions_are_refused_and_write_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    ok = await merchant(owner_engine, graph)
    draft = await merchant(owner_engine, graph, contract_status="DRAFT")
    prospect = await merchant(owner_engine, graph, company_status="EVALUATION")
    uncovered = await merchant(owner_engine, graph, covered=False)
    softpos_only = await merchant(owner_engine, graph, kinds=("PAYWISH_SOFTPOS",))
    other = await make_tenant_graph(owner_engine)
    foreign = await add_terminal(owner_engine, other)

    def pax(ids: dict[str, uuid.UUID], terminal: uuid.UUID | None) -> dict[str, Any]:
        values: dict[str, Any] = {
            "contractId": gid("Contract", ids["contract"]),
            "shopId": gid("Shop", ids["shop"]),
            "kind": "PAY_ON_SITE",
        }
        if terminal is not None:
            values["terminalId"] = gid("Terminal", terminal)
        return values

    stock = await add_terminal(owner_engine, graph)
    cases = [
        (pax(draft, stock), ["input", "contractId"], "INVALID_TRANSITION"),
        (pax(prospect, stock), ["input", "contractId"], "INVALID_TRANSITION"),
        (pax(uncovered, stock), ["input", "shopId"], "INVALID"),
        (pax(softpos_only, stock), ["input", "kind"], "INVALID"),
        (pax(ok, None), ["input", "terminalId"], "REQUIRED"),
        (
            pax(ok, await add_terminal(owner_engine, graph, kind="SOFTPOS")),
            ["input", "terminalId"],
            "INVALID",
        ),
        (
            pax(ok, await add_terminal(owner_engine, graph, status="ACTIVE")),
            ["input", "terminalId"],
            "INVALID_TRANSITION",
        ),
        (
            pax(ok, await add_terminal(owner_engine, graph, status="ASSIGNED")),
            ["input", "terminalId"],
            "INVALID",
        ),
        (pax(ok, foreign), ["input", "terminalId"], "NOT_FOUND"),
        (
            {**pax(ok, stock), "kind": "PAYWISH_SOFTPOS"},
            ["input", "terminalId"],
            "INVALID",
        ),
        ({**pax(ok, stock), "shopId": gid("Shop", uuid.uuid4())}, ["input", "shopId"], "NOT_FOUND"),
        (
            {**pax(ok, stock), "contractId": gid("Contract", uuid.uuid4())},
            ["input", "contractId"],
            "NOT_FOUND",
        ),
        ({**pax(ok, stock), "contractId": "garbage"}, ["input", "contractId"], "INVALID_REFERENCE"),
    ]
    before = await counts(owner_engine, graph.tenant_id)
    for values, field, code in cases:
        body = await tech.post(ACTIVATE, {"i": values})
        payload = body["data"]["activateService"]
        assert payload["service"] is None, values
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)], (
            values,
            payload,
        )
    assert await counts(owner_engine, graph.tenant_id) == before
    assert (await row(owner_engine, "terminals", stock))["status"] == "IN_STOCK"
    # Every broken rule is named at once.
    body = await tech.post(
        ACTIVATE,
        {"i": pax(draft, stock) | {"shopId": gid("Shop", uncovered["shop"])}},
        **{"Accept-Language": "en"},
    )
    messages = [e["message"] for e in body["data"]["activateService"]["userErrors"]]
    assert messages == [
        "The contract must be SIGNED / ACTIVE (it is DRAFT).",
        "The contract does not cover this shop.",
    ]


async def test_softpos_activation_code_is_shown_once_stored_hashed_and_single_use(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    app_db: Database,
    tenant: tuple[TenantGraph, dict],
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    tech = await signed_in(client, users["TECHNICIAN"])
    body = await tech.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", ids["contract"]),
                "shopId": gid("Shop", ids["shop"]),
                "kind": "PAYWISH_SOFTPOS",
            }
        },
    )
    payload = body["data"]["activateService"]
    assert payload["userErrors"] == []
    code = payload["activationCode"]
    assert len(code) == 12 and set(code) <= set(rt.CODE_ALPHABET)
    service = payload["service"]
    assert (service["status"], service["terminal"], payload["terminal"]) == ("PENDING", None, None)
    expires = dt.datetime.fromisoformat(service["activationCodeExpiresAt"])
    assert abs(expires - in_hours(24)) < dt.timedelta(minutes=1)
    assert service["contract"]["status"] == "SIGNED"
    service_id = uid(service["id"])

    stored = await row(owner_engine, "services", service_id)
    assert stored["activation_code_hash"] == hashlib.sha256(code.encode()).hexdigest()
    assert code not in json.dumps(stored, default=str)
    async with owner_engine.connect() as conn:
        journal_text = await conn.scalar(
            text("SELECT string_agg(a::text, ' ') FROM audit_events a WHERE tenant_id = :t"),
            {"t": graph.tenant_id},
        )
    assert code not in journal_text and stored["activation_code_hash"] not in journal_text
    # Never shown again: no field of the API gives it.
    body = await tech.post(
        "query($id: ID!) { node(id: $id) { ... on Service { status activationCodeExpiresAt } } }",
        {"id": service["id"]},
    )
    assert body["data"]["node"]["status"] == "PENDING" and code not in json.dumps(body)
    actions = [e["action"] for e in await journal_of(owner_engine, service_id)]
    assert actions == ["service.activation_code_issued"]

    # The phone enrolls with the code (typed in lower case, in groups).
    typed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    device = {"model": "Pixel 8", "osVersion": "Android 15", "appVersion": "3.2.0"}
    enrolled = await enroll(app_db, graph, typed, device)
    assert enrolled.status is ServiceStatus.ACTIVE
    stored = await row(owner_engine, "services", service_id)
    assert stored["status"] == "ACTIVE" and stored["activated_at"] is not None
    assert stored["activation_code_hash"] is None and stored["activation_code_expires_at"] is None
    terminal = await row(owner_engine, "terminals", stored["terminal_id"])
    assert (terminal["kind"], terminal["status"], terminal["shop_id"]) == (
        "SOFTPOS",
        "ACTIVE",
        ids["shop"],
    )
    assert (terminal["model"], terminal["os_version"], terminal["app_version"]) == (
        "Pixel 8",
        "Android 15",
        "3.2.0",
    )
    assert (await row(owner_engine, "contracts", ids["contract"]))["status"] == "ACTIVE"
    assert (await row(owner_engine, "companies", ids["company"]))["status"] == "ACTIVE"
    entries = await journal_of(owner_engine, service_id)
    assert [e["action"] for e in entries] == [
        "service.activation_code_issued",
        "service.activated",
    ]
    assert entries[1]["actor_label"] == f"service@{graph.slug}.test"
    terminal_entries = await journal_of(owner_engine, stored["terminal_id"])
    assert [e["action"] for e in terminal_entries] == ["terminal.enrolled"]

    # Single use: the same code again is unknown, and nothing is written.
    before = await counts(owner_engine, graph.tenant_id)
    with pytest.raises(Refused) as refused:
        await enroll(app_db, graph, code)
    assert refused.value.errors[0].code is UserErrorCode.INVALID
    assert refused.value.errors[0].message == "Unknown or already used activation code."
    with pytest.raises(Refused):
        await enroll(app_db, graph, rt.new_activation_code())
    assert await counts(owner_engine, graph.tenant_id) == before

    # An expired code is refused as such.
    body = await tech.post(
        ACTIVATE,
        {
            "i": {
                "contractId": gid("Contract", ids["contract"]),
                "shopId": gid("Shop", ids["shop"]),
                "kind": "PAYWISH_SOFTPOS",
            }
        },
    )
    second = body["data"]["activateService"]
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE services SET activation_code_expires_at = now() - interval '1 minute'"
                " WHERE id = :id"
            ),
            {"id": uid(second["service"]["id"])},
        )
    before = await counts(owner_engine, graph.tenant_id)
    with pytest.raises(Refused) as refused:
        await enroll(app_db, graph, second["activationCode"])
    assert refused.value.errors[0].code is UserErrorCode.EXPIRED
    assert await counts(owner_engine, graph.tenant_id) == before
    stored = await row(owner_engine, "services", uid(second["service"]["id"]))
    assert stored["status"] == "PENDING" and stored["activation_code_hash"] is not None


async def test_enrollment_reuses_a_softpos_terminal_of_the_stock(
    owner_engine: AsyncEngine, app_db: Database, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, _ = tenant
    ids = await merchant(owner_engine, graph)
    phone = await add_terminal(owner_engine, graph, kind="SOFTPOS")
    tid = (await row(owner_engine, "terminals", phone))["tid"]
    code = rt.new_activation_code()
    service_id = await add_service(
        owner_engine,
        graph,
        status="PENDING",
        kind="PAYWISH_SOFTPOS",
        code_hash=rt.hash_activation_code(code),
        code_expires_at=in_hours(1),
        contract_id=ids["contract"],
        shop_id=ids["shop"],
    )
    await enroll(app_db, graph, code, {"tid": tid, "appVersion": "4.0"})
    stored = await row(owner_engine, "services", service_id)
    assert stored["terminal_id"] == phone
    terminal = await row(owner_engine, "terminals", phone)
    assert (terminal["status"], terminal["shop_id"], terminal["app_version"]) == (
        "ACTIVE",
        ids["shop"],
        "4.0",
    )
