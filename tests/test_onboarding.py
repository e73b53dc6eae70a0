"""Onboarding through GraphQL: companies, shops, evaluation requests — each step by its role."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.identifiers import make_siren, make_siret
from tests.api import signed_in
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

COMPANY = """
mutation($i: CreateCompanyInput!) { createCompany(input: $i) {
  company { id legalName siren status version iban address { city } }
  userErrors { field code message } } }
"""
SHOP = """
mutation($i: CreateShopInput!) { createShop(input: $i) {
  shop { id name siret status company { id } } userErrors { field code message } } }
"""
EVALUATE = """
mutation($i: RequestEvaluationInput!) { requestEvaluation(input: $i) {
  request { id reference type status } company { id status version }
  userErrors { field code message } } }
"""
APPROVE = """
mutation($i: ApproveRequestInput!) { approveRequest(input: $i) {
  request { id status decisionComment } userErrors { field code message } } }
"""
REJECT = """
mutation($i: RejectRequestInput!) { rejectRequest(input: $i) {
  request { id status } userErrors { field code message } } }
"""
UPDATE = """
mutation($i: UpdateCompanyInput!) { updateCompany(input: $i) {
  company { id contactPhone legalName version } userErrors { field code message } } }
"""


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR"):
        users[role] = await add_user(owner_engine, graph, role)
    return graph, users


def company_input(**overrides: Any) -> dict[str, Any]:
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    values = {
        "legalName": "Boulangerie du Port",
        "siren": siren,
        "legalForm": "SARL",
        "mcc": "5462",
        "address": {"line1": "12 quai Lardenoy", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "contactName": "Maryse Célestine",
        "contactEmail": "maryse@boulangerie-port.gp",
        "contactPhone": "+590 690 12 34 56",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "AGRIFRPP",
    }
    values.update(overrides)
    return values


async def audit_count(engine: AsyncEngine, tenant_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            text("SELECT count(*) FROM audit_events WHERE tenant_id = :t"), {"t": tenant_id}
        )


async def test_seller_onboards_a_merchant_and_supervisor_approves_it(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    _graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    body = await seller.post(COMPANY, {"i": company_input()})
    payload = body["data"]["createCompany"]
    assert payload["userErrors"] == []
    company = payload["company"]
    assert company["status"] == "PROSPECT"
    assert company["iban"] == "FR7630006000011234567890189"

    siret = make_siret(company["siren"], "0001")
    body = await seller.post(
        SHOP,
        {
            "i": {
                "companyId": company["id"],
                "name": "Boulangerie du Port — Darse",
                "siret": siret,
                "address": {
                    "line1": "Place de la Victoire",
                    "postalCode": "97110",
                    "city": "Pointe-à-Pitre",
                },
            }
        },
    )
    assert body["data"]["createShop"]["userErrors"] == []
    assert body["data"]["createShop"]["shop"]["status"] == "OPEN"

    body = await seller.post(EVALUATE, {"i": {"companyId": company["id"], "comment": "Client"}})
    payload = body["data"]["requestEvaluation"]
    assert payload["userErrors"] == []
    assert payload["company"]["status"] == "EVALUATION"
    request = payload["request"]
    assert request["type"] == "EVALUATION" and request["status"] == "OPEN"
    assert len(request["reference"]) == 11

    # A seller may not approve; a supervisor does.
    body = await seller.post(APPROVE, {"i": {"requestId": request["id"]}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    supervisor = await signed_in(client, users["SUPERVISOR"])
    body = await supervisor.post(APPROVE, {"i": {"requestId": request["id"], "comment": "OK"}})
    assert body["data"]["approveRequest"]["userErrors"] == []
    assert body["data"]["approveRequest"]["request"]["status"] == "APPROVED"
    body = await supervisor.post(
        "query($id: ID!) { node(id: $id) { ... on Company { status auditEvents { edges {"
        " node { action actor { email } before after } } } } } }",
        {"id": company["id"]},
    )
    node = body["data"]["node"]
    assert node["status"] == "APPROVED"
    actions = [e["node"]["action"] for e in node["auditEvents"]["edges"]]
    assert actions == ["company.approved", "company.evaluation_requested", "company.created"]
    created = node["auditEvents"]["edges"][-1]["node"]
    assert created["actor"]["email"] == users["SELLER"]
    assert created["after"]["iban"].endswith("0189") and "3000" not in created["after"]["iban"]


async def test_invalid_company_input_lists_every_mistake_and_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    before = await audit_count(owner_engine, graph.tenant_id)
    body = await seller.post(
        COMPANY,
        {
            "i": company_input(
                siren="123456789",
                iban="FR7630006000011234567890188",
                contactEmail="not-an-email",
                contactPhone="0690 12 34",  # too short: a national number has 10 digits
                mcc="54",
            )
        },
    )
    payload = body["data"]["createCompany"]
    assert payload["company"] is None
    codes = {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]}
    assert codes == {
        (("input", "siren"), "INVALID_SIREN"),
        (("input", "iban"), "INVALID_IBAN"),
        (("input", "contactEmail"), "INVALID_EMAIL"),
        (("input", "contactPhone"), "INVALID_PHONE"),
        (("input", "mcc"), "INVALID_MCC"),
    }
    # French by default; English on request.
    assert "SIREN invalide" in next(
        e["message"] for e in payload["userErrors"] if e["code"] == "INVALID_SIREN"
    )
    body = await seller.post(
        COMPANY, {"i": company_input(siren="123")}, **{"Accept-Language": "en"}
    )
    assert body["data"]["createCompany"]["userErrors"][0]["message"].startswith("Invalid SIREN")
    assert await audit_count(owner_engine, graph.tenant_id) == before


async def test_duplicate_siren_is_refused(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict]
) -> None:
    _, users = tenant
    seller = await signed_in(client, users["SELLER"])
    values = company_input()
    assert (await seller.post(COMPANY, {"i": values}))["data"]["createCompany"]["userErrors"] == []
    body = await seller.post(COMPANY, {"i": values})
    assert body["data"]["createCompany"]["userErrors"][0]["code"] == "DUPLICATE"


async def test_hotline_edits_contact_details_only_and_technician_not_at_all(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict]
) -> None:
    _, users = tenant
    seller = await signed_in(client, users["SELLER"])
    company = (await seller.post(COMPANY, {"i": company_input()}))["data"]["createCompany"][
        "company"
    ]
    hotline = await signed_in(client, users["HOTLINE"])
    body = await hotline.post(UPDATE, {"i": {"id": company["id"], "contactPhone": "+596696000000"}})
    assert body["data"]["updateCompany"]["userErrors"] == []
    assert body["data"]["updateCompany"]["company"]["contactPhone"] == "+596696000000"
    body = await hotline.post(UPDATE, {"i": {"id": company["id"], "legalName": "Autre"}})
    assert body["data"]["updateCompany"]["userErrors"][0]["field"] == ["input", "legalName"]
    technician = await signed_in(client, users["TECHNICIAN"])
    body = await technician.post(UPDATE, {"i": {"id": company["id"], "contactPhone": "+596"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_stale_version_is_a_conflict_and_only_one_of_twenty_wins(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    company = (await supervisor.post(COMPANY, {"i": company_input()}))["data"]["createCompany"][
        "company"
    ]
    version = company["version"]
    before = await audit_count(owner_engine, graph.tenant_id)

    async def rename(i: int) -> dict[str, Any]:
        return await supervisor.post(
            UPDATE,
            {"i": {"id": company["id"], "expectedVersion": version, "legalName": f"Nom {i}"}},
        )

    results = await asyncio.gather(*(rename(i) for i in range(20)))
    payloads = [r["data"]["updateCompany"] for r in results]
    winners = [p for p in payloads if not p["userErrors"]]
    losers = [p for p in payloads if p["userErrors"]]
    assert len(winners) == 1
    assert {p["userErrors"][0]["code"] for p in losers} == {"CONFLICT"}
    assert winners[0]["company"]["version"] == version + 1
    assert await audit_count(owner_engine, graph.tenant_id) == before + 1


async def test_rejection_needs_a_reason_and_illegal_transitions_are_refused(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    company = (await seller.post(COMPANY, {"i": company_input()}))["data"]["createCompany"][
        "company"
    ]
    request = (await seller.post(EVALUATE, {"i": {"companyId": company["id"]}}))["data"][
        "requestEvaluation"
    ]["request"]
    body = await supervisor.post(REJECT, {"i": {"requestId": request["id"], "comment": "  "}})
    assert body["data"]["rejectRequest"]["userErrors"][0]["code"] == "REQUIRED"
    body = await supervisor.post(
        REJECT, {"i": {"requestId": request["id"], "comment": "Activité non éligible"}}
    )
    assert body["data"]["rejectRequest"]["request"]["status"] == "REJECTED"
    before = await audit_count(owner_engine, graph.tenant_id)
    body = await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}})
    error = body["data"]["approveRequest"]["userErrors"][0]
    assert error["code"] == "INVALID_TRANSITION"
    assert "REJECTED" in error["message"]
    assert await audit_count(owner_engine, graph.tenant_id) == before
    # A rejected prospect may be evaluated again.
    body = await seller.post(EVALUATE, {"i": {"companyId": company["id"]}})
    assert body["data"]["requestEvaluation"]["company"]["status"] == "EVALUATION"


async def test_a_malformed_id_is_a_user_error(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict]
) -> None:
    _, users = tenant
    seller = await signed_in(client, users["SELLER"])
    body = await seller.post(EVALUATE, {"i": {"companyId": "bm90LWFuLWlk"}})
    assert body["data"]["requestEvaluation"]["userErrors"][0]["code"] == "INVALID_REFERENCE"
    other = str(uuid.uuid4())
    from strawberry import relay

    body = await seller.post(EVALUATE, {"i": {"companyId": str(relay.GlobalID("Company", other))}})
    assert body["data"]["requestEvaluation"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_a_platform_admin_in_a_tenant_may_not_author_requests(
    client: GraphQLClient, app_db: Any, tenant: tuple[TenantGraph, dict]
) -> None:
    """A request is authored by the partner's staff: the acquirer gets FORBIDDEN, not a crash."""
    from resolvers.accounts import create_user
    from tenancy.roles import Role

    graph, users = tenant
    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        app_db,
        tenant_slug=None,
        email=email,
        full_name="Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    seller = await signed_in(client, users["SELLER"])
    company = (await seller.post(COMPANY, {"i": company_input()}))["data"]["createCompany"][
        "company"
    ]
    admin = GraphQLClient(client.http)
    await admin.login(email, PASSWORD)
    admin.tenant = graph.slug
    body = await admin.post(EVALUATE, {"i": {"companyId": company["id"]}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # ...while supervisor rights otherwise apply, e.g. editing the company.
    body = await admin.post(UPDATE, {"i": {"id": company["id"], "tradeName": "Chez Maryse"}})
    assert body["data"]["updateCompany"]["userErrors"] == []


async def test_request_types_follow_the_role(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """Hotline and technicians open support requests; fee changes are the sellers' to ask."""
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    from strawberry import relay

    ask = {
        "i": {
            "type": "FEE_CHANGE",
            "companyId": str(relay.GlobalID("Company", str(graph.ids["company"]))),
            "contractId": str(relay.GlobalID("Contract", str(graph.ids["contract"]))),
            "subject": "Baisse",
            "proposedFees": {
                "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 20, "fixedFee": 5}]
            },
        }
    }
    create = (
        "mutation($i: CreateRequestInput!) { createRequest(input: $i) {"
        " request { type } userErrors { field code } } }"
    )
    body = await hotline.post(create, ask)
    assert body["data"]["createRequest"]["userErrors"] == [
        {"field": ["input", "type"], "code": "INVALID"}
    ]
    ask["i"]["type"] = "SUPPORT"
    body = await hotline.post(create, ask)
    assert body["data"]["createRequest"]["request"] == {"type": "SUPPORT"}


async def test_each_mutation_of_a_document_stands_or_falls_alone(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """A refused mutation undoes only its own writes: the others report, and keep, theirs."""
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    good, bad = company_input(), company_input(siren="123456789")
    body = await seller.post(
        "mutation($a: CreateCompanyInput!, $b: CreateCompanyInput!) {"
        " first: createCompany(input: $a) { company { id siren } userErrors { code } }"
        " second: createCompany(input: $b) { company { id } userErrors { code } } }",
        {"a": good, "b": bad},
    )
    assert body["data"]["first"]["userErrors"] == []
    assert body["data"]["second"]["userErrors"] == [{"code": "INVALID_SIREN"}]
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM companies WHERE tenant_id = :t AND siren = :s"),
            {"t": graph.tenant_id, "s": body["data"]["first"]["company"]["siren"]},
        )
    assert stored == 1
    # The other way round: the refused one first, the good one still lands.
    good = company_input()
    body = await seller.post(
        "mutation($a: CreateCompanyInput!, $b: CreateCompanyInput!) {"
        " first: createCompany(input: $a) { userErrors { code } }"
        " second: createCompany(input: $b) { company { siren } userErrors { code } } }",
        {"a": bad, "b": good},
    )
    assert body["data"]["second"]["userErrors"] == []
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM companies WHERE tenant_id = :t AND siren = :s"),
            {"t": graph.tenant_id, "s": body["data"]["second"]["company"]["siren"]},
        )
    assert stored == 1
