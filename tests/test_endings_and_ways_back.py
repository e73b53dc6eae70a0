"""How things end and how they come back (issue 12, items 14 and 15), through GraphQL.

- A service ends one way, whichever mutation ends it (`deactivateService`, or its contract's
  termination): the same rows, the same journal, and a RETURNED terminal leaves its shop.
- A RETURNED terminal goes back in stock after a check (`restockTerminal`) and is used again.
- A CLOSED company comes back under its SIREN: the same record reopened by a new evaluation.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.ids import global_id
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph
from tests.fleet.helpers import (
    ACTIVATE,
    DEACTIVATE_SERVICE,
    ERRORS,
    RESTOCK_TERMINAL,
    add_service,
    add_terminal,
    counts,
    in_hours,
    journal_of,
    merchant,
    row,
)

TERMINATE = f"""mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{
  contract {{ status }} {ERRORS} }} }}"""
CREATE_COMPANY = f"""mutation($i: CreateCompanyInput!) {{ createCompany(input: $i) {{
  company {{ id }} {ERRORS} }} }}"""
EVALUATE = f"""mutation($i: RequestEvaluationInput!) {{ requestEvaluation(input: $i) {{
  request {{ id type status }} company {{ id status }} {ERRORS} }} }}"""
APPROVE = f"""mutation($i: ApproveRequestInput!) {{ approveRequest(input: $i) {{
  request {{ id status }} {ERRORS} }} }}"""
UPDATE_COMPANY = f"""mutation($i: UpdateCompanyInput!) {{ updateCompany(input: $i) {{
  company {{ status contactPhone }} {ERRORS} }} }}"""
CREATE_CONTRACT = f"""mutation($i: CreateContractInput!) {{ createContract(input: $i) {{
  contract {{ status company {{ status }} }} {ERRORS} }} }}"""


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    roles = ("SELLER", "TECHNICIAN", "SUPERVISOR")
    users = {role: await add_user(owner_engine, graph, role) for role in roles}
    return graph, users


def ok(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload = body["data"][name]
    assert payload["userErrors"] == [], payload
    return payload


# --------------------------------------------------------------------------- item 15


async def _end(
    client: GraphQLClient,
    engine: AsyncEngine,
    graph: TenantGraph,
    users: dict[str, str],
    path: str,
) -> dict[str, Any]:
    """A blocked service on a blocked terminal, ended by `path`; what it left behind."""
    ids = await merchant(engine, graph, company_status="ACTIVE", contract_status="ACTIVE")
    until = in_hours(5)
    terminal_id = await add_terminal(
        engine, graph, status="BLOCKED", shop_id=ids["shop"], blocked_until=until
    )
    service_id = await add_service(
        engine,
        graph,
        status="BLOCKED",
        terminal_id=terminal_id,
        blocked_until=until,
        contract_id=ids["contract"],
        shop_id=ids["shop"],
    )
    supervisor = await signed_in(client, users["SUPERVISOR"])
    if path == "deactivateService":
        ok(
            await supervisor.post(
                DEACTIVATE_SERVICE, {"i": {"id": gid("Service", service_id), "reason": "Fin"}}
            ),
            path,
        )
    else:
        ok(
            await supervisor.post(
                TERMINATE, {"i": {"id": gid("Contract", ids["contract"]), "reason": "Fin"}}
            ),
            path,
        )
    service = await row(engine, "services", service_id)
    terminal = await row(engine, "terminals", terminal_id)

    names = {
        global_id("Service", service_id): "<service>",
        global_id("Shop", ids["shop"]): "<shop>",
        until.isoformat(): "<until>",
    }

    def plain(values: dict[str, Any] | None) -> dict[str, Any]:
        return {k: names.get(v, v) if isinstance(v, str) else v for k, v in (values or {}).items()}

    def entries(entity_id: uuid.UUID) -> Any:
        return [
            (e["action"], e["reason"], plain(e["before"]), plain(e["after"]))
            for e in journal
            if e["entity_id"] == entity_id
        ]

    async with engine.connect() as conn:
        journal = (
            (
                await conn.execute(
                    text(
                        "SELECT entity_id, action, reason, before, after FROM audit_events"
                        " WHERE entity_id IN (:s, :t) ORDER BY occurred_at, action"
                    ),
                    {"s": service_id, "t": terminal_id},
                )
            )
            .mappings()
            .all()
        )
    return {
        "service": {
            k: service[k]
            for k in (
                "status",
                "blocked_reason",
                "blocked_at",
                "blocked_until",
                "blocked_by",
                "activation_code_hash",
            )
        },
        "deactivated": service["deactivated_at"] is not None,
        "terminal": {
            k: terminal[k] for k in ("status", "shop_id", "blocked_reason", "blocked_until")
        },
        "service_journal": entries(service_id),
        "terminal_journal": entries(terminal_id),
    }


async def test_a_service_ends_the_same_way_whichever_mutation_ends_it(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    by_deactivation = await _end(client, owner_engine, graph, users, "deactivateService")
    assert by_deactivation["service"] == {
        "status": "DEACTIVATED",
        "blocked_reason": None,
        "blocked_at": None,
        "blocked_until": None,
        "blocked_by": None,
        "activation_code_hash": None,
    }
    assert by_deactivation["deactivated"]
    # Returned: out of its shop, its block gone.
    assert by_deactivation["terminal"] == {
        "status": "RETURNED",
        "shop_id": None,
        "blocked_reason": None,
        "blocked_until": None,
    }
    assert by_deactivation["service_journal"] == [
        (
            "service.deactivated",
            "Fin",
            {"status": "BLOCKED", "blockedReason": "Test", "blockedUntil": "<until>"},
            {"status": "DEACTIVATED", "blockedReason": None, "blockedUntil": None},
        )
    ]
    assert by_deactivation["terminal_journal"] == [
        (
            "terminal.returned",
            "Fin",
            {
                "status": "BLOCKED",
                "shopId": "<shop>",
                "blockedReason": "Test",
                "blockedUntil": "<until>",
            },
            {
                "status": "RETURNED",
                "shopId": None,
                "blockedReason": None,
                "blockedUntil": None,
                "serviceId": "<service>",
            },
        )
    ]
    # One use case: the contract's termination leaves exactly the same.
    by_termination = await _end(client, owner_engine, graph, users, "terminateContract")
    assert by_termination == by_deactivation


# --------------------------------------------------------------------------- item 14: terminals


async def test_a_returned_terminal_goes_back_in_stock_after_a_check_and_is_used_again(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    tech = await signed_in(client, users["TECHNICIAN"])
    ids = await merchant(owner_engine, graph, company_status="ACTIVE", contract_status="ACTIVE")
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE", shop_id=ids["shop"])
    service_id = await add_service(
        owner_engine,
        graph,
        terminal_id=terminal_id,
        contract_id=ids["contract"],
        shop_id=ids["shop"],
    )
    ok(
        await tech.post(
            DEACTIVATE_SERVICE, {"i": {"id": gid("Service", service_id), "reason": "Fin"}}
        ),
        "deactivateService",
    )
    tid = gid("Terminal", terminal_id)
    returned = await row(owner_engine, "terminals", terminal_id)
    assert (returned["status"], returned["shop_id"]) == ("RETURNED", None)

    # Bad input writes nothing: the check's outcome is required, a stale version refused.
    before = await counts(owner_engine, graph.tenant_id)
    body = await tech.post(RESTOCK_TERMINAL, {"i": {"id": tid, "reason": "  "}})
    assert [e["code"] for e in body["data"]["restockTerminal"]["userErrors"]] == ["REQUIRED"]
    body = await tech.post(
        RESTOCK_TERMINAL,
        {"i": {"id": tid, "reason": "OK", "expectedVersion": returned["version"] - 1}},
    )
    assert [e["code"] for e in body["data"]["restockTerminal"]["userErrors"]] == ["CONFLICT"]
    assert await counts(owner_engine, graph.tenant_id) == before

    payload = ok(
        await tech.post(
            RESTOCK_TERMINAL,
            {
                "i": {
                    "id": tid,
                    "reason": "Contrôlé : écran et lecteur OK, réinitialisé",
                    "expectedVersion": returned["version"],
                }
            },
        ),
        "restockTerminal",
    )
    assert payload["terminal"]["status"] == "IN_STOCK" and payload["terminal"]["shop"] is None
    entry = (await journal_of(owner_engine, terminal_id))[-1]
    assert (entry["action"], entry["actor_label"], entry["reason"]) == (
        "terminal.restocked",
        users["TECHNICIAN"],
        "Contrôlé : écran et lecteur OK, réinitialisé",
    )
    assert (entry["before"], entry["after"]) == ({"status": "RETURNED"}, {"status": "IN_STOCK"})
    # Once in stock it is not restocked again.
    body = await tech.post(RESTOCK_TERMINAL, {"i": {"id": tid, "reason": "Encore"}})
    assert body["data"]["restockTerminal"]["userErrors"][0]["code"] == "INVALID_TRANSITION"

    # Used again like a new one: another merchant activates it.
    other = await merchant(owner_engine, graph, company_status="ACTIVE", contract_status="ACTIVE")
    payload = ok(
        await tech.post(
            ACTIVATE,
            {
                "i": {
                    "contractId": gid("Contract", other["contract"]),
                    "shopId": gid("Shop", other["shop"]),
                    "kind": "PAY_ON_SITE",
                    "terminalId": tid,
                }
            },
        ),
        "activateService",
    )
    assert payload["terminal"]["status"] == "ACTIVE"
    assert payload["terminal"]["shop"]["id"] == gid("Shop", other["shop"])


# --------------------------------------------------------------------------- item 14: companies


async def test_a_closed_company_comes_back_under_its_siren_through_a_new_evaluation(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    ids = await merchant(owner_engine, graph, company_status="ACTIVE", contract_status="ACTIVE")
    company = gid("Company", ids["company"])
    ok(
        await supervisor.post(
            TERMINATE,
            {"i": {"id": gid("Contract", ids["contract"]), "reason": "Cessation d'activité"}},
        ),
        "terminateContract",
    )
    closed = await row(owner_engine, "companies", ids["company"])
    assert closed["status"] == "CLOSED"

    # Onboarding it again as a new company is refused, and the error says how to come back.
    values = {
        "legalName": closed["legal_name"],
        "siren": closed["siren"],
        "legalForm": "SAS",
        "mcc": "5411",
        "address": {"line1": "2 rue Frébault", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "contactName": "B",
        "contactEmail": "b@c.fr",
        "contactPhone": "+590590000001",
    }
    body = await seller.post(CREATE_COMPANY, {"i": values}, **{"Accept-Language": "en"})
    (error,) = body["data"]["createCompany"]["userErrors"]
    assert (error["field"], error["code"]) == (["input", "siren"], "DUPLICATE")
    assert "closed" in error["message"] and "requestEvaluation" in error["message"]

    # A new evaluation reopens the same record; its history stays.
    evaluation = ok(await seller.post(EVALUATE, {"i": {"companyId": company}}), "requestEvaluation")
    assert evaluation["company"] == {"id": company, "status": "EVALUATION"}
    assert evaluation["request"]["type"] == "EVALUATION"
    # Its details can be brought up to date during the evaluation, by the seller too.
    payload = ok(
        await seller.post(UPDATE_COMPANY, {"i": {"id": company, "contactPhone": "+590690112233"}}),
        "updateCompany",
    )
    assert payload["company"]["contactPhone"] == "+590690112233"
    ok(
        await supervisor.post(APPROVE, {"i": {"requestId": evaluation["request"]["id"]}}),
        "approveRequest",
    )
    assert (await row(owner_engine, "companies", ids["company"]))["status"] == "APPROVED"
    # And it contracts again: a new contract next to the terminated one.
    payload = ok(
        await seller.post(
            CREATE_CONTRACT,
            {
                "i": {
                    "companyId": company,
                    "shopIds": [gid("Shop", ids["shop"])],
                    "serviceKinds": ["PAY_ON_SITE"],
                }
            },
        ),
        "createContract",
    )
    assert payload["contract"]["status"] == "DRAFT"
    async with owner_engine.connect() as conn:
        statuses = (
            await conn.scalars(
                text("SELECT status FROM contracts WHERE company_id = :c ORDER BY created_at"),
                {"c": ids["company"]},
            )
        ).all()
        same_siren = await conn.scalar(
            text("SELECT count(*) FROM companies WHERE tenant_id = :t AND siren = :s"),
            {"t": graph.tenant_id, "s": closed["siren"]},
        )
    assert statuses == ["TERMINATED", "DRAFT"] and same_siren == 1
    actions = [e["action"] for e in await journal_of(owner_engine, ids["company"])]
    assert actions[0] == "company.closed" and "company.updated" in actions
