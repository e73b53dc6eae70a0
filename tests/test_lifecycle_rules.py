"""Every (state, action) pair of the company, request and shop lifecycles, through GraphQL.

Allowed pairs succeed; every other pair is refused with INVALID_TRANSITION and writes nothing
(the company's, the request's and the journal's rows are unchanged). Contract, service and
terminal pairs are covered in contracts/test_lifecycle.py and fleet/test_roles_and_lifecycles.py.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.enums import CompanyStatus, RequestStatus, RequestType, ShopStatus
from db.identifiers import make_siren, make_siret
from resolvers.lifecycles import COMPANY, REQUEST, SHOP
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {r: await add_user(owner_engine, graph, r) for r in ("SELLER", "SUPERVISOR")}
    return graph, users


async def add_company(engine: AsyncEngine, graph: TenantGraph, status: CompanyStatus) -> uuid.UUID:
    company_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=graph.tenant_id,
                id=company_id,
                legal_name=f"Société {status.value}",
                siren=make_siren(f"{uuid.uuid4().int % 10**8:08d}"),
                legal_form="SAS",
                mcc="5411",
                contact_name="X",
                contact_email="x@y.fr",
                contact_phone="+590590000001",
                status=status.value,
                address_line1="1 rue",
                postal_code="97110",
                city="Pointe-à-Pitre",
            )
        )
    return company_id


async def add_request(
    engine: AsyncEngine,
    graph: TenantGraph,
    company_id: uuid.UUID,
    status: RequestStatus,
    kind: RequestType,
) -> uuid.UUID:
    request_id = uuid.uuid4()
    async with engine.begin() as conn:
        author = await conn.scalar(
            text("SELECT id FROM users WHERE tenant_id = :t LIMIT 1"), {"t": graph.tenant_id}
        )
        await conn.execute(
            insert(m.Request.__table__).values(
                tenant_id=graph.tenant_id,
                id=request_id,
                reference=uuid.uuid4().hex[:11].upper(),
                type=kind.value,
                status=status.value,
                company_id=company_id,
                author_id=author,
                subject="Test",
            )
        )
    return request_id


async def fingerprint(engine: AsyncEngine, graph: TenantGraph) -> tuple[Any, ...]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM audit_events WHERE tenant_id = :t),"
                    " (SELECT md5(string_agg(id::text || status || version, ',' ORDER BY id))"
                    "  FROM companies WHERE tenant_id = :t),"
                    " (SELECT md5(string_agg(id::text || status || version, ',' ORDER BY id))"
                    "  FROM requests WHERE tenant_id = :t),"
                    " (SELECT md5(string_agg(id::text || status || version, ',' ORDER BY id))"
                    "  FROM shops WHERE tenant_id = :t)"
                ),
                {"t": graph.tenant_id},
            )
        ).one()
    return tuple(row)


@pytest.mark.parametrize("state", list(CompanyStatus))
async def test_request_evaluation_from_every_company_state(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict],
    state: CompanyStatus,
) -> None:
    graph, users = tenant
    company_id = await add_company(owner_engine, graph, state)
    seller = await signed_in(client, users["SELLER"])
    before = await fingerprint(owner_engine, graph)
    body = await seller.post(
        "mutation($i: RequestEvaluationInput!) { requestEvaluation(input: $i) {"
        " company { status } userErrors { code message } } }",
        {"i": {"companyId": gid("Company", company_id)}},
    )
    payload = body["data"]["requestEvaluation"]
    if state in COMPANY.find("requestEvaluation").sources:
        assert payload["userErrors"] == []
        assert payload["company"]["status"] == "EVALUATION"
    else:
        assert [e["code"] for e in payload["userErrors"]] == ["INVALID_TRANSITION"]
        assert state.value in payload["userErrors"][0]["message"]
        assert await fingerprint(owner_engine, graph) == before


@pytest.mark.parametrize("kind", [RequestType.EVALUATION, RequestType.SUPPORT])
@pytest.mark.parametrize("state", list(RequestStatus))
@pytest.mark.parametrize("decision", ["approve", "reject"])
async def test_decisions_from_every_request_state(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict],
    state: RequestStatus,
    kind: RequestType,
    decision: str,
) -> None:
    graph, users = tenant
    company_id = await add_company(owner_engine, graph, CompanyStatus.EVALUATION)
    request_id = await add_request(owner_engine, graph, company_id, state, kind)
    supervisor = await signed_in(client, users["SUPERVISOR"])
    before = await fingerprint(owner_engine, graph)
    mutation = "approveRequest" if decision == "approve" else "rejectRequest"
    input_type = "ApproveRequestInput" if decision == "approve" else "RejectRequestInput"
    body = await supervisor.post(
        f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{"
        " request { status } userErrors { code message } } }",
        {"i": {"requestId": gid("Request", request_id), "comment": "Décision motivée"}},
    )
    payload = body["data"][mutation]
    action = decision if decision == "reject" or kind is not RequestType.SUPPORT else "resolve"
    transition = REQUEST.find(action)
    if state in transition.sources:
        assert payload["userErrors"] == []
        assert payload["request"]["status"] == transition.target.value
    else:
        assert [e["code"] for e in payload["userErrors"]] == ["INVALID_TRANSITION"]
        assert await fingerprint(owner_engine, graph) == before


@pytest.mark.parametrize("state", list(ShopStatus))
async def test_closing_a_shop_from_every_state(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict],
    state: ShopStatus,
) -> None:
    graph, users = tenant
    company_id = await add_company(owner_engine, graph, CompanyStatus.APPROVED)
    async with owner_engine.begin() as conn:
        siren = await conn.scalar(
            text("SELECT siren FROM companies WHERE id = :c"), {"c": company_id}
        )
        shop_id = uuid.uuid4()
        await conn.execute(
            insert(m.Shop.__table__).values(
                tenant_id=graph.tenant_id,
                id=shop_id,
                company_id=company_id,
                name="Boutique",
                siret=make_siret(siren, "0009"),
                mcc="5411",
                status=state.value,
                address_line1="1 rue",
                postal_code="97110",
                city="Pointe-à-Pitre",
            )
        )
    supervisor = await signed_in(client, users["SUPERVISOR"])
    before = await fingerprint(owner_engine, graph)
    body = await supervisor.post(
        "mutation($i: UpdateShopInput!) { updateShop(input: $i) {"
        " shop { status closedAt } userErrors { code message } } }",
        {"i": {"id": gid("Shop", shop_id), "status": "CLOSED", "reason": "Fermeture définitive"}},
    )
    payload = body["data"]["updateShop"]
    if state in SHOP.find("close").sources:
        assert payload["userErrors"] == []
        assert payload["shop"]["status"] == "CLOSED" and payload["shop"]["closedAt"]
    else:
        assert [e["code"] for e in payload["userErrors"]] == ["INVALID_TRANSITION"]
        assert await fingerprint(owner_engine, graph) == before
