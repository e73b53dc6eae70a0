"""Terminals and services through GraphQL, each step by its role; SoftPOS enrollment; blocks
and their automatic end."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.enums import ServiceStatus, TerminalStatus
from db.identifiers import make_siren, make_siret
from db.session import Database
from resolvers import terminals as rt
from resolvers.errors import UserErrorCode
from resolvers.lifecycles import SERVICE, TERMINAL
from resolvers.usecase import Actor, Refused
from spring.app import create_app
from spring.settings import Settings
from spring.unblocker import Unblocker
from tenancy.principal import Principal, tenant_claims
from tenancy.roles import Role
from tests.api import gid, signed_in, uid
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph
from tests.live import until

ERRORS = "userErrors { field code message }"
REGISTER = f"""
mutation($i: RegisterTerminalInput!) {{ registerTerminal(input: $i) {{
  terminal {{ id tid kind status version serialNumber model }} {ERRORS} }} }}
"""
ASSIGN = f"""
mutation($i: AssignTerminalInput!) {{ assignTerminal(input: $i) {{
  terminal {{ id status version shop {{ id }} }} {ERRORS} }} }}
"""
OPTIONS = f"""
mutation($i: UpdateTerminalOptionsInput!) {{ updateTerminalOptions(input: $i) {{
  terminal {{ id version optionsStatus appliedOptionsVersion options {{ versionNumber }} }}
  options {{ versionNumber contactless tipping cashback preAuthorization manualEntry
             receiptMode language settlementTime acknowledgedAt }}
  {ERRORS} }} }}
"""
ACTIVATE = f"""
mutation($i: ActivateServiceInput!) {{ activateService(input: $i) {{
  service {{ id kind status version activationCodeExpiresAt
             terminal {{ id status }} contract {{ id status }} }}
  terminal {{ id status shop {{ id }} }}
  activationCode {ERRORS} }} }}
"""
BLOCK_SERVICE = f"""
mutation($i: BlockServiceInput!) {{ blockService(input: $i) {{
  service {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""
UNBLOCK_SERVICE = f"""
mutation($i: UnblockServiceInput!) {{ unblockService(input: $i) {{
  service {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""
DEACTIVATE_SERVICE = f"""
mutation($i: DeactivateServiceInput!) {{ deactivateService(input: $i) {{
  service {{ id status version }} terminal {{ id status }} {ERRORS} }} }}
"""
RESTOCK_TERMINAL = f"""
mutation($i: RestockTerminalInput!) {{ restockTerminal(input: $i) {{
  terminal {{ id status version shop {{ id }} }} {ERRORS} }} }}
"""
BLOCK_TERMINAL = f"""
mutation($i: BlockTerminalInput!) {{ blockTerminal(input: $i) {{
  terminal {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""
UNBLOCK_TERMINAL = f"""
mutation($i: UnblockTerminalInput!) {{ unblockTerminal(input: $i) {{
  terminal {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""


# --------------------------------------------------------------------------- set-up


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR"):
        users[role] = await add_user(owner_engine, graph, role)
    return graph, users


def new_tid(prefix: str = "T") -> str:
    return (prefix + uuid.uuid4().hex.upper())[:8]


def in_hours(hours: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)


async def merchant(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    company_status: str = "APPROVED",
    contract_status: str = "SIGNED",
    kinds: tuple[str, ...] = ("PAY_ON_SITE", "PAYWISH_SOFTPOS"),
    covered: bool = True,
) -> dict[str, uuid.UUID]:
    """A company with one shop and a contract (covering the shop unless told otherwise)."""
    ids = {"company": uuid.uuid4(), "shop": uuid.uuid4(), "contract": uuid.uuid4()}
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    address = {"address_line1": "2 rue Frébault", "postal_code": "97110", "city": "Pointe-à-Pitre"}
    t = graph.tenant_id
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=t,
                id=ids["company"],
                legal_name="Épicerie Fine",
                siren=siren,
                legal_form="SAS",
                mcc="5411",
                contact_name="B",
                contact_email="b@c.fr",
                contact_phone="+590590000001",
                status=company_status,
                **address,
            )
        )
        await conn.execute(
            insert(m.Shop.__table__).values(
                tenant_id=t,
                id=ids["shop"],
                company_id=ids["company"],
                name="Épicerie — Centre",
                siret=make_siret(siren, "0001"),
                mcc="5411",
                **address,
            )
        )
        await conn.execute(
            insert(m.Contract.__table__).values(
                tenant_id=t,
                id=ids["contract"],
                number=f"MP-2025-{uuid.uuid4().int % 10**6:06d}",
                company_id=ids["company"],
                status=contract_status,
                service_kinds=list(kinds),
            )
        )
        if covered:
            await conn.execute(
                insert(m.ContractShop.__table__).values(
                    tenant_id=t, contract_id=ids["contract"], shop_id=ids["shop"]
                )
            )
    return ids


async def add_terminal(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    status: str = "IN_STOCK",
    kind: str = "PAX",
    shop_id: uuid.UUID | None = None,
    blocked_until: dt.datetime | None = None,
) -> uuid.UUID:
    terminal_id = uuid.uuid4()
    if shop_id is None and status in ("ASSIGNED", "ACTIVE", "BLOCKED"):
        shop_id = graph.ids["shop"]
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=graph.tenant_id,
                id=terminal_id,
                kind=kind,
                tid=new_tid(),
                serial_number=uuid.uuid4().hex[:12].upper() if kind == "PAX" else None,
                shop_id=shop_id,
                status=status,
                blocked_reason="Test" if status == "BLOCKED" else None,
                blocked_until=blocked_until,
            )
        )
    return terminal_id


async def add_service(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    status: str = "ACTIVE",
    terminal_id: uuid.UUID | None = None,
    kind: str = "PAY_ON_SITE",
    blocked_until: dt.datetime | None = None,
    code_hash: str | None = None,
    code_expires_at: dt.datetime | None = None,
    contract_id: uuid.UUID | None = None,
    shop_id: uuid.UUID | None = None,
) -> uuid.UUID:
    service_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Service.__table__).values(
                tenant_id=graph.tenant_id,
                id=service_id,
                contract_id=contract_id or graph.ids["contract"],
                shop_id=shop_id or graph.ids["shop"],
                kind=kind,
                terminal_id=terminal_id,
                status=status,
                blocked_reason="Test" if status == "BLOCKED" else None,
                blocked_until=blocked_until,
                activation_code_hash=code_hash,
                activation_code_expires_at=code_expires_at,
            )
        )
    return service_id


async def count(engine: AsyncEngine, table: str, tenant_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
            {"t": tenant_id},
        )


async def counts(engine: AsyncEngine, tenant_id: uuid.UUID) -> dict[str, int]:
    tables = ("audit_events", "terminals", "services", "terminal_options", "contracts")
    return {t: await count(engine, t, tenant_id) for t in tables}


async def row(engine: AsyncEngine, table: str, row_id: uuid.UUID) -> dict[str, Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(f"SELECT * FROM {table} WHERE id = :id"),
            {"id": row_id},
        )
        return dict(result.mappings().one())


async def journal_of(engine: AsyncEngine, entity_id: uuid.UUID) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT action, actor_kind, actor_label, before, after, reason FROM audit_events"
                " WHERE entity_id = :id ORDER BY occurred_at, action"
            ),
            {"id": entity_id},
        )
        return [dict(r) for r in result.mappings()]


def service_actor(graph: TenantGraph, locale: str = "en") -> Actor:
    """The SERVICE machine account that will call enrollSoftposDevice."""

    def no_scope() -> Any:
        raise AssertionError("complete_softpos_enrollment runs in the caller's session")

    return Actor(
        principal=Principal(
            user_id=uuid.uuid4(),
            email=f"service@{graph.slug}.test",
            full_name="Enrollment",
            role=Role.SERVICE,
            tenant_id=graph.tenant_id,
        ),
        request_id="test-enrollment",
        locale=locale,
        scope=no_scope,
    )


async def enroll(
    db: Database, graph: TenantGraph, code: str, device: dict[str, Any] | None = None
) -> m.Service:
    async with db.session(tenant_claims(graph.tenant_id)) as session, session.begin():
        return await rt.complete_softpos_enrollment(
            session, service_actor(graph), code, device or {"model": "Pixel 8"}
        )


# --------------------------------------------------------------------------- the technician


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


# --------------------------------------------------------------------------- SoftPOS


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


# --------------------------------------------------------------------------- blocks


async def test_hotline_blocks_and_unblocks_a_service_with_a_reason_and_an_end(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    service_id = await add_service(owner_engine, graph, terminal_id=terminal_id)
    sid = gid("Service", service_id)
    before = await counts(owner_engine, graph.tenant_id)

    body = await hotline.post(
        BLOCK_SERVICE,
        {"i": {"id": sid, "reason": "  ", "until": in_hours(-1).isoformat()}},
    )
    errors = body["data"]["blockService"]["userErrors"]
    assert {(tuple(e["field"]), e["code"]) for e in errors} == {
        (("input", "reason"), "REQUIRED"),
        (("input", "until"), "INVALID"),
    }
    body = await hotline.post(
        BLOCK_SERVICE, {"i": {"id": sid, "reason": "Fraude", "expectedVersion": 7}}
    )
    assert body["data"]["blockService"]["userErrors"][0]["code"] == "CONFLICT"
    assert await counts(owner_engine, graph.tenant_id) == before

    until = in_hours(2).replace(microsecond=0)
    body = await hotline.post(
        BLOCK_SERVICE,
        {
            "i": {
                "id": sid,
                "reason": "Suspicion de fraude",
                "until": until.isoformat(),
                "expectedVersion": 1,
            }
        },
    )
    payload = body["data"]["blockService"]
    assert payload["userErrors"] == []
    service = payload["service"]
    assert (service["status"], service["blockedReason"]) == ("BLOCKED", "Suspicion de fraude")
    assert dt.datetime.fromisoformat(service["blockedUntil"]) == until
    stored = await row(owner_engine, "services", service_id)
    assert stored["blocked_at"] is not None and stored["blocked_by"] is not None
    entry = (await journal_of(owner_engine, service_id))[-1]
    assert entry["action"] == "service.blocked" and entry["reason"] == "Suspicion de fraude"
    assert entry["actor_label"] == users["HOTLINE"]
    assert entry["before"] == {"status": "ACTIVE"}
    assert entry["after"] == {"status": "BLOCKED", "blockedUntil": until.isoformat()}
    # The terminal is not blocked by a service's block.
    assert (await row(owner_engine, "terminals", terminal_id))["status"] == "ACTIVE"

    body = await hotline.post(
        UNBLOCK_SERVICE,
        {"i": {"id": sid, "expectedVersion": service["version"], "reason": "Levée de doute"}},
    )
    payload = body["data"]["unblockService"]
    assert payload["userErrors"] == []
    assert payload["service"]["status"] == "ACTIVE"
    assert payload["service"]["blockedReason"] is None
    assert payload["service"]["blockedUntil"] is None
    entry = (await journal_of(owner_engine, service_id))[-1]
    assert entry["action"] == "service.unblocked" and entry["reason"] == "Levée de doute"
    assert entry["before"] == {
        "status": "BLOCKED",
        "blockedReason": "Suspicion de fraude",
        "blockedUntil": until.isoformat(),
    }


async def test_hotline_blocks_and_unblocks_a_terminal(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    tid = gid("Terminal", terminal_id)
    body = await hotline.post(BLOCK_TERMINAL, {"i": {"id": tid, "reason": ""}})
    assert body["data"]["blockTerminal"]["userErrors"][0]["code"] == "REQUIRED"
    body = await hotline.post(
        BLOCK_TERMINAL, {"i": {"id": tid, "reason": "Terminal volé", "expectedVersion": 1}}
    )
    payload = body["data"]["blockTerminal"]
    assert payload["userErrors"] == []
    assert (payload["terminal"]["status"], payload["terminal"]["blockedReason"]) == (
        "BLOCKED",
        "Terminal volé",
    )
    assert payload["terminal"]["blockedUntil"] is None
    body = await hotline.post(UNBLOCK_TERMINAL, {"i": {"id": tid}})
    payload = body["data"]["unblockTerminal"]
    assert payload["userErrors"] == []
    assert payload["terminal"]["status"] == "ACTIVE"
    assert [e["action"] for e in await journal_of(owner_engine, terminal_id)] == [
        "terminal.blocked",
        "terminal.unblocked",
    ]


async def test_deactivating_the_last_live_service_returns_its_terminal(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    first = await add_service(owner_engine, graph, terminal_id=terminal_id)
    second = await add_service(owner_engine, graph, terminal_id=terminal_id, status="BLOCKED")

    body = await tech.post(DEACTIVATE_SERVICE, {"i": {"id": gid("Service", first), "reason": " "}})
    assert body["data"]["deactivateService"]["userErrors"][0]["code"] == "REQUIRED"
    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", first), "reason": "Fin d'activité"}}
    )
    payload = body["data"]["deactivateService"]
    assert payload["userErrors"] == []
    assert payload["service"]["status"] == "DEACTIVATED"
    assert payload["terminal"]["status"] == "ACTIVE"  # the second service still uses it

    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", second), "reason": "Fin d'activité"}}
    )
    payload = body["data"]["deactivateService"]
    assert payload["userErrors"] == []
    assert payload["terminal"]["status"] == "RETURNED"
    stored = await row(owner_engine, "services", second)
    assert stored["blocked_reason"] is None and stored["deactivated_at"] is not None
    entry = (await journal_of(owner_engine, terminal_id))[-1]
    assert (entry["action"], entry["reason"]) == ("terminal.returned", "Fin d'activité")

    # A pending SoftPOS code dies with its service.
    code = rt.new_activation_code()
    pending = await add_service(
        owner_engine,
        graph,
        status="PENDING",
        kind="PAYWISH_SOFTPOS",
        code_hash=rt.hash_activation_code(code),
        code_expires_at=in_hours(1),
    )
    body = await tech.post(
        DEACTIVATE_SERVICE, {"i": {"id": gid("Service", pending), "reason": "Annulé"}}
    )
    assert body["data"]["deactivateService"]["terminal"] is None
    assert (await row(owner_engine, "services", pending))["activation_code_hash"] is None


# --------------------------------------------------------------------------- permissions


async def test_roles_the_policy_denies_are_forbidden_and_nothing_is_written(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    service_id = await add_service(owner_engine, graph, terminal_id=terminal_id)
    stock = await add_terminal(owner_engine, graph)
    returned = await add_terminal(owner_engine, graph, status="RETURNED")
    sid, tid = gid("Service", service_id), gid("Terminal", terminal_id)
    activate = {
        "contractId": gid("Contract", ids["contract"]),
        "shopId": gid("Shop", ids["shop"]),
        "kind": "PAY_ON_SITE",
        "terminalId": gid("Terminal", stock),
    }
    denied = [
        ("SELLER", BLOCK_SERVICE, {"id": sid, "reason": "x"}),
        ("SELLER", UNBLOCK_SERVICE, {"id": sid}),
        ("SELLER", BLOCK_TERMINAL, {"id": tid, "reason": "x"}),
        ("SELLER", ACTIVATE, activate),
        ("SELLER", REGISTER, {"kind": "SOFTPOS", "tid": new_tid()}),
        ("HOTLINE", REGISTER, {"kind": "SOFTPOS", "tid": new_tid()}),
        ("HOTLINE", ASSIGN, {"id": gid("Terminal", stock), "shopId": gid("Shop", ids["shop"])}),
        ("HOTLINE", OPTIONS, {"id": tid, "tipping": True}),
        ("HOTLINE", ACTIVATE, activate),
        ("HOTLINE", DEACTIVATE_SERVICE, {"id": sid, "reason": "x"}),
        ("SELLER", RESTOCK_TERMINAL, {"id": gid("Terminal", returned), "reason": "x"}),
        ("HOTLINE", RESTOCK_TERMINAL, {"id": gid("Terminal", returned), "reason": "x"}),
    ]
    before = await counts(owner_engine, graph.tenant_id)
    for role, mutation, values in denied:
        caller = await signed_in(client, users[role])
        body = await caller.post(mutation, {"i": values})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, mutation)
        assert list(body["data"].values()) == [None]
    assert await counts(owner_engine, graph.tenant_id) == before
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"
    assert (await row(owner_engine, "terminals", stock))["status"] == "IN_STOCK"
    assert (await row(owner_engine, "terminals", returned))["status"] == "RETURNED"


# --------------------------------------------------------------------------- lifecycles

SERVICE_MUTATIONS = {
    "block": (BLOCK_SERVICE, "blockService", {"reason": "Contrôle"}),
    "unblock": (UNBLOCK_SERVICE, "unblockService", {}),
    "deactivate": (DEACTIVATE_SERVICE, "deactivateService", {"reason": "Fin"}),
}
TERMINAL_MUTATIONS = {
    "block": (BLOCK_TERMINAL, "blockTerminal", {"reason": "Contrôle"}),
    "unblock": (UNBLOCK_TERMINAL, "unblockTerminal", {}),
    "restock": (RESTOCK_TERMINAL, "restockTerminal", {"reason": "Contrôlé, réinitialisé"}),
}


def test_the_tests_cover_every_action_of_the_service_and_terminal_tables() -> None:
    service_actions = {t.action for t in SERVICE.transitions}
    # activate: activateService creates the service; enrollment activates a PENDING one.
    # expireBlock: the sweep (see the auto-unblock tests).
    # regenerateCode: tests/test_terminal_commands.py (regenerateActivationCode).
    assert service_actions == {*SERVICE_MUTATIONS, "activate", "expireBlock", "regenerateCode"}
    terminal_actions = {t.action for t in TERMINAL.transitions}
    # assign, activate (by activateService), return (by deactivateService), expireBlock.
    assert terminal_actions == {*TERMINAL_MUTATIONS, "assign", "activate", "return", "expireBlock"}


async def test_every_service_transition_pair_is_allowed_or_refused_as_the_table_says(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    for action, (mutation, name, extra) in SERVICE_MUTATIONS.items():
        transition = SERVICE.find(action)
        for state in ServiceStatus:
            terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
            service_id = await add_service(
                owner_engine, graph, status=state.value, terminal_id=terminal_id
            )
            before = await counts(owner_engine, graph.tenant_id)
            body = await supervisor.post(
                mutation, {"i": {"id": gid("Service", service_id), **extra}}
            )
            payload = body["data"][name]
            stored = await row(owner_engine, "services", service_id)
            if state in transition.sources:
                assert payload["userErrors"] == [], (action, state)
                assert stored["status"] == transition.target.value
                assert (
                    await count(owner_engine, "audit_events", graph.tenant_id)
                    > before["audit_events"]
                )
            else:
                error = payload["userErrors"][0]
                assert error["code"] == "INVALID_TRANSITION", (action, state)
                assert state.value in error["message"]
                assert (stored["status"], stored["version"]) == (state.value, 1)
                assert await counts(owner_engine, graph.tenant_id) == before, (action, state)


async def test_enrollment_activates_only_a_pending_service(
    owner_engine: AsyncEngine, app_db: Database, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, _ = tenant
    for state in ServiceStatus:
        if state is ServiceStatus.PENDING:
            continue
        code = rt.new_activation_code()
        service_id = await add_service(
            owner_engine,
            graph,
            status=state.value,
            kind="PAYWISH_SOFTPOS",
            code_hash=rt.hash_activation_code(code),
            code_expires_at=in_hours(1),
        )
        before = await counts(owner_engine, graph.tenant_id)
        with pytest.raises(Refused) as refused:
            await enroll(app_db, graph, code)
        assert refused.value.errors[0].code is UserErrorCode.INVALID_TRANSITION, state
        assert await counts(owner_engine, graph.tenant_id) == before
        assert (await row(owner_engine, "services", service_id))["status"] == state.value


async def test_every_terminal_transition_pair_is_allowed_or_refused_as_the_table_says(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    elsewhere = await merchant(
        owner_engine, graph, contract_status="ACTIVE", company_status="ACTIVE"
    )
    calls: dict[str, tuple[str, str, dict[str, Any]]] = {
        **TERMINAL_MUTATIONS,
        "assign": (ASSIGN, "assignTerminal", {"shopId": gid("Shop", elsewhere["shop"])}),
    }
    for action, (mutation, name, extra) in calls.items():
        transition = TERMINAL.find(action)
        for state in TerminalStatus:
            terminal_id = await add_terminal(owner_engine, graph, status=state.value)
            before = await counts(owner_engine, graph.tenant_id)
            body = await supervisor.post(
                mutation, {"i": {"id": gid("Terminal", terminal_id), **extra}}
            )
            payload = body["data"][name]
            stored = await row(owner_engine, "terminals", terminal_id)
            if state in transition.sources:
                assert payload["userErrors"] == [], (action, state)
                assert stored["status"] == transition.target.value
            else:
                error = payload["userErrors"][0]
                assert error["code"] == "INVALID_TRANSITION", (action, state)
                assert state.value in error["message"]
                assert (stored["status"], stored["version"]) == (state.value, 1)
                assert await counts(owner_engine, graph.tenant_id) == before, (action, state)

    # activate (by activateService) from anything but IN_STOCK / ASSIGNED is refused too.
    activate = TERMINAL.find("activate")
    for state in TerminalStatus:
        if state in activate.sources or state is TerminalStatus.IN_STOCK:
            continue
        terminal_id = await add_terminal(
            owner_engine, graph, status=state.value, shop_id=elsewhere["shop"]
        )
        before = await counts(owner_engine, graph.tenant_id)
        body = await supervisor.post(
            ACTIVATE,
            {
                "i": {
                    "contractId": gid("Contract", elsewhere["contract"]),
                    "shopId": gid("Shop", elsewhere["shop"]),
                    "kind": "PAY_ON_SITE",
                    "terminalId": gid("Terminal", terminal_id),
                }
            },
        )
        error = body["data"]["activateService"]["userErrors"][0]
        assert error["code"] == "INVALID_TRANSITION", state
        assert state.value in error["message"]
        assert await counts(owner_engine, graph.tenant_id) == before


# --------------------------------------------------------------------------- auto-unblock


async def test_expired_blocks_are_lifted_once_by_concurrent_sweeps_and_journaled_as_system(
    owner_engine: AsyncEngine, app_db: Database
) -> None:
    graph = await make_tenant_graph(owner_engine)
    past, future = in_hours(-0.1), in_hours(3)
    expired_services = [
        await add_service(owner_engine, graph, status="BLOCKED", blocked_until=past)
        for _ in range(12)
    ]
    expired_terminals = [
        await add_terminal(owner_engine, graph, status="BLOCKED", blocked_until=past)
        for _ in range(6)
    ]
    later_service = await add_service(owner_engine, graph, status="BLOCKED", blocked_until=future)
    later_terminal = await add_terminal(owner_engine, graph, status="BLOCKED", blocked_until=future)
    open_ended = await add_service(owner_engine, graph, status="BLOCKED")

    lifted = await asyncio.gather(*(rt.lift_expired_blocks(app_db) for _ in range(4)))
    assert sum(lifted) >= len(expired_services) + len(expired_terminals)

    for service_id in expired_services:
        stored = await row(owner_engine, "services", service_id)
        assert stored["status"] == "ACTIVE"
        assert stored["blocked_reason"] is None and stored["blocked_until"] is None
    for terminal_id in expired_terminals:
        stored = await row(owner_engine, "terminals", terminal_id)
        assert (stored["status"], stored["blocked_until"]) == ("ACTIVE", None)
    for service_id in (later_service, open_ended):
        assert (await row(owner_engine, "services", service_id))["status"] == "BLOCKED"
    assert (await row(owner_engine, "terminals", later_terminal))["status"] == "BLOCKED"

    async with owner_engine.connect() as conn:
        entries = (
            (
                await conn.execute(
                    text(
                        "SELECT entity_id, action, actor_kind, actor_label, actor_id, reason,"
                        " before, after FROM audit_events"
                        " WHERE tenant_id = :t AND action LIKE '%.unblocked'"
                    ),
                    {"t": graph.tenant_id},
                )
            )
            .mappings()
            .all()
        )
    by_entity: dict[uuid.UUID, list[Any]] = {}
    for entry in entries:
        by_entity.setdefault(entry["entity_id"], []).append(entry)
    assert set(by_entity) == {*expired_services, *expired_terminals}
    assert all(len(found) == 1 for found in by_entity.values())
    for entry in entries:
        assert (entry["actor_kind"], entry["actor_label"], entry["actor_id"]) == (
            "SYSTEM",
            "auto-unblock",
            None,
        )
        assert entry["reason"] == "block expired"
        assert entry["before"]["status"] == "BLOCKED" and entry["after"] == {"status": "ACTIVE"}
    assert {e["action"] for e in entries if e["entity_id"] in expired_terminals} == {
        "terminal.unblocked"
    }

    # A later sweep finds nothing more to do here.
    await rt.lift_expired_blocks(app_db)
    assert await count(owner_engine, "audit_events", graph.tenant_id) == 1 + len(entries)


async def _active(owner_engine: AsyncEngine, service_id: uuid.UUID) -> bool:
    return (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"


async def test_the_unblocker_task_sweeps_periodically_and_survives_errors(
    owner_engine: AsyncEngine, app_db: Database
) -> None:
    calls: list[int] = []

    async def flaky(db: Database) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return 0

    unblocker = Unblocker(app_db, interval_s=0.01, sweep=flaky)
    unblocker.start()
    await until(lambda: len(calls) >= 3, "three sweeps, the first failing")
    await unblocker.stop()
    assert len(calls) >= 3 and not unblocker.running

    graph = await make_tenant_graph(owner_engine)
    service_id = await add_service(
        owner_engine, graph, status="BLOCKED", blocked_until=in_hours(-0.01)
    )
    real = Unblocker(app_db, interval_s=0.05)
    real.start()
    try:
        await until(lambda: _active(owner_engine, service_id), "the expired block to be swept")
    finally:
        await real.stop()
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"


async def test_the_app_sweeps_expired_blocks_during_its_lifespan(
    settings: Settings, app_url: str, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    service_id = await add_service(
        owner_engine, graph, status="BLOCKED", blocked_until=in_hours(-0.01)
    )
    application = create_app(settings, app_url)
    async with application.router.lifespan_context(application):
        await until(lambda: _active(owner_engine, service_id), "the expired block to be swept")
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"
