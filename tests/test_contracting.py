"""Contracts through GraphQL: create, edit, sign, fees, suspend, resume, terminate, requests,
fee simulation — each step by the role that does it, refused for the others, journaled."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db import models as m
from db.identifiers import make_siren, make_siret
from resolvers.contracts.simulation import transaction_fee
from resolvers.lifecycles import CONTRACT
from tenancy import policy
from tenancy.roles import Role
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

ERRORS = "userErrors { field code message }"
CONTRACT_FIELDS = """
  id number status version serviceKinds currency signedAt signatoryName suspendedAt
  terminatedAt statusReason shops { id name }
  currentFees { versionNumber effectiveFrom currency terminalRentalMonthly softposFeeMonthly
                reason lines { scheme region rateBps fixedFee } }
  feeHistory { versionNumber effectiveFrom reason lines { scheme region rateBps fixedFee } }
"""
CREATE = f"""mutation($i: CreateContractInput!) {{ createContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($i: UpdateContractDraftInput!) {{ updateContractDraft(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
SIGN = f"""mutation($i: SignContractInput!) {{ signContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
CHANGE_FEES = f"""mutation($i: ChangeContractFeesInput!) {{ changeContractFees(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
SUSPEND = f"""mutation($i: SuspendContractInput!) {{ suspendContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
RESUME = f"""mutation($i: ResumeContractInput!) {{ resumeContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
TERMINATE = f"""mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""
SIMULATE = """query($i: SimulateFeesInput!) { simulateFees(input: $i) {
  currency terminalRentalMonthly softposFeeMonthly versionNumber effectiveFrom
  lines { scheme region amount rateBps fixedFee fee missing }
  totals { count amount fees missingCount pricedAmount effectiveRateBps } } }"""
CREATE_REQUEST = f"""mutation($i: CreateRequestInput!) {{ createRequest(input: $i) {{
  request {{ id reference type status version }} {ERRORS} }} }}"""
APPROVE = f"""mutation($i: ApproveRequestInput!) {{ approveRequest(input: $i) {{
  request {{ id status }} {ERRORS} }} }}"""
JOURNAL = """query($id: ID!) { node(id: $id) { ... on Contract { auditEvents(first: 50) {
  edges { node { action reason before after actor { email } } } } } } }"""

FEES = {
    "currency": "EUR",
    "terminalRentalMonthly": 2500,
    "softposFeeMonthly": 990,
    "lines": [
        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 30, "fixedFee": 5},
        {"scheme": "VISA", "region": "EEA", "rateBps": 120, "fixedFee": 10},
    ],
}

#: Tables a contract mutation may touch; a refused one must leave them all as they were.
WATCHED = (
    "companies",
    "shops",
    "contracts",
    "contract_shops",
    "fee_schedules",
    "fee_lines",
    "services",
    "terminals",
    "requests",
    "tenant_counters",
    "audit_events",
)

_numbers = itertools.count(1)


#: A document hash no rendering has: for signatures refused before the document is looked at.
NO_DOCUMENT = "0" * 64


async def document_sha(client: GraphQLClient, contract_id: str) -> str:
    """The sha256 of the contract document the signatory is shown (signContract needs it)."""
    body = await client.post(
        "query($id: ID!) { node(id: $id) { ... on Contract { document { sha256 } } } }",
        {"id": contract_id},
    )
    return body["data"]["node"]["document"]["sha256"]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass
class Merchant:
    company: uuid.UUID
    shops: list[uuid.UUID]
    closed_shop: uuid.UUID


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {}
    for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE"):
        users[role] = await add_user(owner_engine, graph, role)
    return graph, users


async def add_merchant(engine: AsyncEngine, graph: TenantGraph, status: str) -> Merchant:
    """A company in `status` with two OPEN shops and a CLOSED one (set up as the owner)."""
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    company = uuid.uuid4()
    shops = [uuid.uuid4() for _ in range(3)]
    address = {"address_line1": "1 rue Nozières", "postal_code": "97110", "city": "Pointe-à-Pitre"}
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=graph.tenant_id,
                id=company,
                legal_name=f"Société {siren}",
                siren=siren,
                legal_form="SAS",
                mcc="5812",
                contact_name="Léa",
                contact_email="lea@example.gp",
                contact_phone="+590690000001",
                status=status,
                **address,
            )
        )
        for i, shop in enumerate(shops):
            await conn.execute(
                insert(m.Shop.__table__).values(
                    tenant_id=graph.tenant_id,
                    id=shop,
                    company_id=company,
                    name=f"Magasin {i}",
                    siret=make_siret(siren, f"{i + 1:04d}"),
                    mcc="5812",
                    status="CLOSED" if i == 2 else "OPEN",
                    **address,
                )
            )
    return Merchant(company=company, shops=shops[:2], closed_shop=shops[2])


async def add_contract(
    engine: AsyncEngine,
    graph: TenantGraph,
    merchant: Merchant,
    status: str,
    *,
    versions: tuple[tuple[int, int, int], ...] = ((-30, 30, 5),),
) -> uuid.UUID:
    """A contract in `status` covering the merchant's first shop, with fee versions given as
    (days from today of the effective date, CB/DOMESTIC bps, fixed fee)."""
    contract = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    signed = status != "DRAFT"
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Contract.__table__).values(
                tenant_id=graph.tenant_id,
                id=contract,
                number=f"MP-1999-{next(_numbers):06d}",
                company_id=merchant.company,
                status=status,
                service_kinds=["PAY_ON_SITE", "PAYWISH_SOFTPOS"],
                currency="EUR",
                signed_at=now if signed else None,
                signatory_name="Léa" if signed else None,
                activated_at=now if status in ("ACTIVE", "SUSPENDED") else None,
                suspended_at=now if status == "SUSPENDED" else None,
                terminated_at=now if status == "TERMINATED" else None,
            )
        )
        await conn.execute(
            insert(m.ContractShop.__table__).values(
                tenant_id=graph.tenant_id, contract_id=contract, shop_id=merchant.shops[0]
            )
        )
        for number, (days, bps, fixed) in enumerate(versions, start=1):
            schedule = uuid.uuid4()
            await conn.execute(
                insert(m.FeeSchedule.__table__).values(
                    tenant_id=graph.tenant_id,
                    id=schedule,
                    contract_id=contract,
                    version_number=number,
                    effective_from=today() + dt.timedelta(days=days),
                    terminal_rental_monthly=2500,
                    softpos_fee_monthly=990,
                )
            )
            await conn.execute(
                insert(m.FeeLine.__table__).values(
                    tenant_id=graph.tenant_id,
                    fee_schedule_id=schedule,
                    scheme="CB",
                    region="DOMESTIC",
                    rate_bps=bps,
                    fixed_fee=fixed,
                )
            )
    return contract


async def add_service(
    engine: AsyncEngine,
    graph: TenantGraph,
    contract: uuid.UUID,
    shop: uuid.UUID,
    *,
    kind: str,
    status: str,
    terminal_status: str,
) -> tuple[uuid.UUID, uuid.UUID]:
    service, terminal = uuid.uuid4(), uuid.uuid4()
    pax = kind == "PAY_ON_SITE"
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=graph.tenant_id,
                id=terminal,
                kind="PAX" if pax else "SOFTPOS",
                tid=uuid.uuid4().hex[:8].upper(),
                serial_number=uuid.uuid4().hex[:12] if pax else None,
                model="A920Pro" if pax else "Galaxy S24",
                shop_id=shop,
                status=terminal_status,
                blocked_reason="Fraude suspectée" if terminal_status == "BLOCKED" else None,
            )
        )
        await conn.execute(
            insert(m.Service.__table__).values(
                tenant_id=graph.tenant_id,
                id=service,
                contract_id=contract,
                shop_id=shop,
                kind=kind,
                terminal_id=terminal,
                status=status,
                blocked_reason="Impayés" if status == "BLOCKED" else None,
                blocked_until=(
                    dt.datetime.now(dt.UTC) + dt.timedelta(days=2) if status == "BLOCKED" else None
                ),
                activation_code_hash=uuid.uuid4().hex if status == "PENDING" else None,
            )
        )
    return service, terminal


async def fingerprint(engine: AsyncEngine, tenant_id: uuid.UUID) -> dict[str, Any]:
    """Every watched table's row count and a hash of all its rows' values."""
    result = {}
    async with engine.connect() as conn:
        for table in WATCHED:
            row = (
                await conn.execute(
                    text(
                        f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text),"
                        f" '')) FROM {table} t WHERE tenant_id = :t"
                    ),
                    {"t": tenant_id},
                )
            ).one()
            result[table] = tuple(row)
    return result


async def scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return await conn.scalar(text(sql), params)


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).mappings())


def ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload = body["data"][field]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


async def journal(client: GraphQLClient, contract_id: str) -> list[dict[str, Any]]:
    body = await client.post(JOURNAL, {"id": contract_id})
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["node"]["auditEvents"]["edges"]]


# --------------------------------------------------------------------------- the happy path


async def test_seller_creates_edits_and_signs_a_contract_for_an_approved_merchant(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    # The real onboarding: prospect, shops, evaluation asked by the seller, approved.
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    address = {"line1": "12 quai Lardenoy", "postalCode": "97110", "city": "Pointe-à-Pitre"}
    company = ok(
        await seller.post(
            "mutation($i: CreateCompanyInput!) { createCompany(input: $i) {"
            " company { id } userErrors { field code message } } }",
            {
                "i": {
                    "legalName": "Ti Kaz Créole",
                    "siren": siren,
                    "legalForm": "SARL",
                    "mcc": "5812",
                    "address": address,
                    "contactName": "Maryse",
                    "contactEmail": "maryse@tikaz.gp",
                    "contactPhone": "+590690123456",
                }
            },
        ),
        "createCompany",
    )["company"]
    shop_ids = []
    for i in (1, 2):
        shop = ok(
            await seller.post(
                "mutation($i: CreateShopInput!) { createShop(input: $i) {"
                " shop { id } userErrors { field code message } } }",
                {
                    "i": {
                        "companyId": company["id"],
                        "name": f"Ti Kaz {i}",
                        "siret": make_siret(siren, f"{i:04d}"),
                        "address": address,
                    }
                },
            ),
            "createShop",
        )["shop"]
        shop_ids.append(shop["id"])

    # Not approved yet: no contract.
    body = await seller.post(
        CREATE,
        {"i": {"companyId": company["id"], "shopIds": shop_ids, "serviceKinds": ["PAY_ON_SITE"]}},
    )
    assert body["data"]["createContract"]["contract"] is None
    assert body["data"]["createContract"]["userErrors"][0]["code"] == "INVALID_TRANSITION"

    request = ok(
        await seller.post(
            "mutation($i: RequestEvaluationInput!) { requestEvaluation(input: $i) {"
            " request { id } userErrors { field code message } } }",
            {"i": {"companyId": company["id"]}},
        ),
        "requestEvaluation",
    )["request"]
    ok(await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}}), "approveRequest")

    # Create: a numbered DRAFT with one shop, fee version 1 effective today.
    counter_before = (
        await scalar(
            owner_engine,
            "SELECT value FROM tenant_counters WHERE tenant_id = :t AND name = :n",
            t=graph.tenant_id,
            n=f"contract_number:{dt.datetime.now(dt.UTC).year}",
        )
        or 0
    )
    contract = ok(
        await seller.post(
            CREATE,
            {
                "i": {
                    "companyId": company["id"],
                    "shopIds": [shop_ids[0]],
                    "serviceKinds": ["PAY_ON_SITE"],
                    "fees": FEES,
                }
            },
        ),
        "createContract",
    )["contract"]
    year = dt.datetime.now(dt.UTC).year
    assert contract["number"] == f"MP-{year}-{counter_before + 1:06d}"
    assert contract["status"] == "DRAFT"
    assert contract["serviceKinds"] == ["PAY_ON_SITE"]
    assert [s["id"] for s in contract["shops"]] == [shop_ids[0]]
    fees = contract["currentFees"]
    assert fees["versionNumber"] == 1 and fees["effectiveFrom"] == today().isoformat()
    assert fees["terminalRentalMonthly"] == 2500
    assert {
        (ln["scheme"], ln["region"], ln["rateBps"], ln["fixedFee"]) for ln in fees["lines"]
    } == {
        ("CB", "DOMESTIC", 30, 5),
        ("VISA", "EEA", 120, 10),
    }

    # Edit the draft: both shops, both services, new fees (version 1 replaced in place):
    # CB repriced, VISA EEA removed by name (a line left out would be kept).
    new_fees = {
        **FEES,
        "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 25, "fixedFee": 4}],
        "removeLines": [{"scheme": "VISA", "region": "EEA"}],
    }
    edited = ok(
        await seller.post(
            UPDATE,
            {
                "i": {
                    "id": contract["id"],
                    "expectedVersion": contract["version"],
                    "shopIds": shop_ids,
                    "serviceKinds": ["PAY_ON_SITE", "PAYWISH_SOFTPOS"],
                    "fees": new_fees,
                }
            },
        ),
        "updateContractDraft",
    )["contract"]
    assert edited["version"] == contract["version"] + 1
    assert sorted(s["id"] for s in edited["shops"]) == sorted(shop_ids)
    assert edited["serviceKinds"] == ["PAY_ON_SITE", "PAYWISH_SOFTPOS"]
    assert len(edited["feeHistory"]) == 1
    assert edited["currentFees"]["lines"] == [
        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 25, "fixedFee": 4}
    ]

    # A stale version is a conflict.
    body = await seller.post(
        SIGN,
        {
            "i": {
                "id": contract["id"],
                "expectedVersion": contract["version"],
                "signatoryName": "M",
                "documentSha256": NO_DOCUMENT,
            }
        },
    )
    assert body["data"]["signContract"]["userErrors"][0]["code"] == "CONFLICT"

    signed = ok(
        await seller.post(
            SIGN,
            {
                "i": {
                    "id": contract["id"],
                    "expectedVersion": edited["version"],
                    "signatoryName": "Maryse Célestine",
                    "documentSha256": await document_sha(seller, contract["id"]),
                }
            },
        ),
        "signContract",
    )["contract"]
    assert signed["status"] == "SIGNED"
    assert signed["signatoryName"] == "Maryse Célestine" and signed["signedAt"]

    events = await journal(supervisor, contract["id"])
    assert [e["action"] for e in events] == [
        "contract.signed",
        "contract.draft_updated",
        "contract.created",
    ]
    assert all(e["actor"]["email"] == users["SELLER"] for e in events)
    signed_event, updated_event, created_event = events
    assert signed_event["before"] == {"status": "DRAFT"}
    assert signed_event["after"]["status"] == "SIGNED"
    assert created_event["after"]["number"] == contract["number"]
    assert created_event["after"]["fees"]["version"] == 1
    assert updated_event["before"]["serviceKinds"] == ["PAY_ON_SITE"]
    assert updated_event["after"]["serviceKinds"] == ["PAY_ON_SITE", "PAYWISH_SOFTPOS"]
    assert updated_event["before"]["fees"]["lines"][0]["rateBps"] == 30
    assert updated_event["after"]["fees"]["lines"] == new_fees["lines"]
    assert len(updated_event["after"]["shopIds"]) == 2
    rows_left = await scalar(
        owner_engine,
        "SELECT count(*) FROM fee_lines l JOIN fee_schedules s ON s.tenant_id = l.tenant_id"
        " AND s.id = l.fee_schedule_id WHERE s.tenant_id = :t AND s.contract_id = :c",
        t=graph.tenant_id,
        c=uuid.UUID(relay.GlobalID.from_id(contract["id"]).node_id),
    )
    assert rows_left == 1


async def test_draft_and_signature_rules(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    merchant = await add_merchant(owner_engine, graph, "APPROVED")
    other = await add_merchant(owner_engine, graph, "APPROVED")
    company = gid("Company", merchant.company)
    before = await fingerprint(owner_engine, graph.tenant_id)

    # Every mistake at once, with its field; nothing written (no number used either).
    body = await seller.post(
        CREATE,
        {
            "i": {
                "companyId": company,
                "shopIds": [gid("Shop", merchant.shops[0]), "bm9wZQ=="],
                "serviceKinds": [],
                "currency": "EURO",
                "fees": {
                    **FEES,
                    "lines": [
                        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 10001, "fixedFee": -1}
                    ],
                    "effectiveFrom": (today() - dt.timedelta(days=1)).isoformat(),
                },
            }
        },
    )
    payload = body["data"]["createContract"]
    assert payload["contract"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "shopIds", "1"],
            "code": "INVALID_REFERENCE",
            "message": payload["userErrors"][0]["message"],
        }
    ]
    body = await seller.post(
        CREATE,
        {
            "i": {
                "companyId": company,
                "shopIds": [gid("Shop", merchant.shops[0])],
                "serviceKinds": [],
                "currency": "EURO",
                "fees": {
                    **FEES,
                    "lines": [
                        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 10001, "fixedFee": -1}
                    ],
                    "effectiveFrom": (today() - dt.timedelta(days=1)).isoformat(),
                },
            }
        },
    )
    errors = {(tuple(e["field"]), e["code"]) for e in body["data"]["createContract"]["userErrors"]}
    assert errors == {
        (("input", "serviceKinds"), "REQUIRED"),
        (("input", "currency"), "INVALID_CURRENCY"),
        (("input", "fees", "lines", "0", "rateBps"), "OUT_OF_RANGE"),
        (("input", "fees", "lines", "0", "fixedFee"), "OUT_OF_RANGE"),
        (("input", "fees", "effectiveFrom"), "INVALID"),
    }

    # A shop of another company, a closed shop, a shop of another tenant.
    foreign = await make_tenant_graph(owner_engine)
    body = await seller.post(
        CREATE,
        {
            "i": {
                "companyId": company,
                "shopIds": [
                    gid("Shop", other.shops[0]),
                    gid("Shop", merchant.closed_shop),
                    gid("Shop", foreign.ids["shop"]),
                ],
                "serviceKinds": ["PAY_ON_SITE"],
            }
        },
    )
    errors = body["data"]["createContract"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "shopIds", "0"], "INVALID"),
        (["input", "shopIds", "1"], "INVALID"),
        (["input", "shopIds", "2"], "NOT_FOUND"),
    ]
    assert "n'appartient pas" in errors[0]["message"]
    # Fees in another currency than the contract's.
    body = await seller.post(
        CREATE,
        {
            "i": {
                "companyId": company,
                "serviceKinds": ["PAY_ON_SITE"],
                "currency": "XPF",
                "fees": FEES,
            }
        },
        **{"Accept-Language": "en"},
    )
    error = body["data"]["createContract"]["userErrors"][0]
    assert error["field"] == ["input", "fees", "currency"]
    assert error["message"] == "The fee schedule is in EUR; the contract is in XPF."
    assert await fingerprint(owner_engine, graph.tenant_id) == before

    # A bare draft cannot be signed: every missing piece is named.
    draft = ok(
        await seller.post(CREATE, {"i": {"companyId": company, "serviceKinds": ["PAY_ON_SITE"]}}),
        "createContract",
    )["contract"]
    assert draft["currentFees"] is None
    ok(
        await seller.post(UPDATE, {"i": {"id": draft["id"], "serviceKinds": ["PAYWISH_SOFTPOS"]}}),
        "updateContractDraft",
    )
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await seller.post(
        SIGN,
        {"i": {"id": draft["id"], "signatoryName": "Léa", "documentSha256": NO_DOCUMENT}},
        **{"Accept-Language": "en"},
    )
    messages = [e["message"] for e in body["data"]["signContract"]["userErrors"]]
    assert messages == [
        "The contract must cover at least one shop before it is signed.",
        "The contract needs a fee schedule before it is signed.",
    ]
    # Shops and fees added on the draft (no fee version yet: version 1 is created); signable.
    edited = ok(
        await seller.post(
            UPDATE,
            {
                "i": {
                    "id": draft["id"],
                    "shopIds": [gid("Shop", s) for s in merchant.shops],
                    "fees": FEES,
                    "signatoryName": "Léa Jean-Baptiste",
                }
            },
        ),
        "updateContractDraft",
    )["contract"]
    assert edited["currentFees"]["versionNumber"] == 1
    assert edited["signatoryName"] == "Léa Jean-Baptiste"
    # Nothing to change is refused.
    body = await seller.post(UPDATE, {"i": {"id": draft["id"]}})
    assert body["data"]["updateContractDraft"]["userErrors"][0]["code"] == "INVALID"
    # A shop closed after the draft was made blocks the signature.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE shops SET status = 'CLOSED' WHERE tenant_id = :t AND id = :s"),
            {"t": graph.tenant_id, "s": merchant.shops[1]},
        )
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await seller.post(
        SIGN, {"i": {"id": draft["id"], "signatoryName": "Léa", "documentSha256": NO_DOCUMENT}}
    )
    assert body["data"]["signContract"]["userErrors"][0]["code"] == "INVALID"
    assert "fermé" in body["data"]["signContract"]["userErrors"][0]["message"]
    assert await fingerprint(owner_engine, graph.tenant_id) == before
    # Empty signatory is a user error.
    body = await seller.post(
        SIGN, {"i": {"id": draft["id"], "signatoryName": "  ", "documentSha256": NO_DOCUMENT}}
    )
    assert body["data"]["signContract"]["userErrors"][0]["field"] == ["input", "signatoryName"]


async def test_contract_numbers_are_sequential_per_tenant_and_year(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    year = dt.datetime.now(dt.UTC).year
    graphs = [await make_tenant_graph(owner_engine) for _ in range(2)]
    numbers: dict[int, list[str]] = {}
    for n, graph in enumerate(graphs):
        email = await add_user(owner_engine, graph, "SUPERVISOR")
        supervisor = GraphQLClient(client.http)
        await supervisor.login(email, PASSWORD)
        merchant = await add_merchant(owner_engine, graph, "ACTIVE")
        other = await add_merchant(owner_engine, graph, "ACTIVE")
        start = (
            await scalar(
                owner_engine,
                "SELECT value FROM tenant_counters WHERE tenant_id = :t AND name = :n",
                t=graph.tenant_id,
                n=f"contract_number:{year}",
            )
            or 0
        )
        variables = {
            "i": {
                "companyId": gid("Company", merchant.company),
                "shopIds": [gid("Shop", merchant.shops[0])],
                "serviceKinds": ["PAY_ON_SITE"],
            }
        }
        first = ok(await supervisor.post(CREATE, variables), "createContract")["contract"]
        # A refused creation uses no number: numbering stays gapless.
        refused = await supervisor.post(
            CREATE,
            {"i": {**variables["i"], "shopIds": [gid("Shop", other.shops[0])]}},
        )
        assert refused["data"]["createContract"]["contract"] is None
        # Concurrent creations get distinct consecutive numbers.
        results = await asyncio.gather(*(supervisor.post(CREATE, variables) for _ in range(6)))
        later = [ok(r, "createContract")["contract"]["number"] for r in results]
        numbers[n] = [first["number"], *sorted(later)]
        assert numbers[n] == [f"MP-{year}-{start + i:06d}" for i in range(1, 8)]
    # Each tenant has its own sequence (both started from the same counter value).
    assert numbers[0] == numbers[1]


# --------------------------------------------------------------------------- supervisor's steps


async def test_supervisor_changes_fees_as_a_new_version_with_its_effective_date(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    contract = gid("Contract", contract_uuid)
    before = await fingerprint(owner_engine, graph.tenant_id)

    # The reason is required; a date in the past is refused; nothing written.
    body = await supervisor.post(
        CHANGE_FEES,
        {
            "i": {
                "id": contract,
                "reason": " ",
                "fees": {**FEES, "effectiveFrom": "2020-01-01"},
            }
        },
    )
    errors = {
        (tuple(e["field"]), e["code"]) for e in body["data"]["changeContractFees"]["userErrors"]
    }
    assert errors == {
        (("input", "reason"), "REQUIRED"),
        (("input", "fees", "effectiveFrom"), "INVALID"),
    }
    assert await fingerprint(owner_engine, graph.tenant_id) == before

    # A version from next month: today's fees stay in force until then.
    later = today() + dt.timedelta(days=20)
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {
                "i": {
                    "id": contract,
                    "expectedVersion": 1,
                    "reason": "Renégociation annuelle",
                    "fees": {**FEES, "effectiveFrom": later.isoformat()},
                }
            },
        ),
        "changeContractFees",
    )["contract"]
    assert changed["status"] == "ACTIVE"
    assert changed["version"] == 2
    assert [v["versionNumber"] for v in changed["feeHistory"]] == [2, 1]
    assert changed["feeHistory"][0]["effectiveFrom"] == later.isoformat()
    assert changed["feeHistory"][0]["reason"] == "Renégociation annuelle"
    assert changed["currentFees"]["versionNumber"] == 1
    # A version from today (the default) is in force at once.
    now_fees = {
        **FEES,
        "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 22, "fixedFee": 3}],
    }
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {"i": {"id": contract, "reason": "Geste commercial", "fees": now_fees}},
        ),
        "changeContractFees",
    )["contract"]
    assert changed["currentFees"]["versionNumber"] == 3
    assert changed["currentFees"]["effectiveFrom"] == today().isoformat()
    assert len(changed["feeHistory"]) == 3

    events = [
        e for e in await journal(supervisor, contract) if e["action"] == "contract.fee_changed"
    ]
    assert len(events) == 2
    latest = events[0]
    assert latest["reason"] == "Geste commercial"
    assert latest["before"]["version"] == 1  # the version in force when it changed
    assert latest["before"]["lines"] == [
        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 30, "fixedFee": 5}
    ]
    assert latest["after"]["version"] == 3
    assert latest["after"]["lines"] == now_fees["lines"]
    assert latest["actor"]["email"] == users["SUPERVISOR"]

    # Fees of a SUSPENDED or SIGNED contract may change too.
    for status in ("SUSPENDED", "SIGNED"):
        other = gid("Contract", await add_contract(owner_engine, graph, merchant, status))
        body = await supervisor.post(
            CHANGE_FEES, {"i": {"id": other, "reason": "Ajustement", "fees": FEES}}
        )
        assert ok(body, "changeContractFees")["contract"]["status"] == status


async def test_suspend_resume_terminate_with_services_terminals_and_company_following(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    contract = gid("Contract", contract_uuid)
    shop = merchant.shops[0]
    live = [
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAY_ON_SITE",
            status="ACTIVE",
            terminal_status="ACTIVE",
        ),
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAYWISH_SOFTPOS",
            status="PENDING",
            terminal_status="ASSIGNED",
        ),
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAY_ON_SITE",
            status="BLOCKED",
            terminal_status="BLOCKED",
        ),
    ]
    gone = await add_service(
        owner_engine,
        graph,
        contract_uuid,
        shop,
        kind="PAY_ON_SITE",
        status="DEACTIVATED",
        terminal_status="RETURNED",
    )

    async def company_status() -> str:
        return await scalar(
            owner_engine,
            "SELECT status FROM companies WHERE tenant_id = :t AND id = :c",
            t=graph.tenant_id,
            c=merchant.company,
        )

    body = await supervisor.post(SUSPEND, {"i": {"id": contract, "reason": ""}})
    assert body["data"]["suspendContract"]["userErrors"][0]["code"] == "REQUIRED"
    suspended = ok(
        await supervisor.post(
            SUSPEND, {"i": {"id": contract, "expectedVersion": 1, "reason": "Impayés"}}
        ),
        "suspendContract",
    )["contract"]
    assert suspended["status"] == "SUSPENDED" and suspended["statusReason"] == "Impayés"
    assert suspended["suspendedAt"]
    assert await company_status() == "SUSPENDED"

    resumed = ok(
        await supervisor.post(RESUME, {"i": {"id": contract, "expectedVersion": 2}}),
        "resumeContract",
    )["contract"]
    assert resumed["status"] == "ACTIVE" and resumed["suspendedAt"] is None
    assert await company_status() == "ACTIVE"

    terminated = ok(
        await supervisor.post(
            TERMINATE,
            {"i": {"id": contract, "expectedVersion": 3, "reason": "Cessation d'activité"}},
        ),
        "terminateContract",
    )["contract"]
    assert terminated["status"] == "TERMINATED" and terminated["terminatedAt"]
    assert terminated["statusReason"] == "Cessation d'activité"
    assert await company_status() == "CLOSED"

    services = {
        r["id"]: r
        for r in await rows(
            owner_engine,
            "SELECT id, status, deactivated_at, blocked_until, activation_code_hash, version"
            " FROM services WHERE tenant_id = :t AND contract_id = :c",
            t=graph.tenant_id,
            c=contract_uuid,
        )
    }
    for service_id, _ in live:
        service = services[service_id]
        assert service["status"] == "DEACTIVATED" and service["deactivated_at"] is not None
        assert service["blocked_until"] is None and service["activation_code_hash"] is None
    assert services[gone[0]]["version"] == 1  # already deactivated: left alone
    terminals = {
        r["id"]: r
        for r in await rows(
            owner_engine,
            "SELECT id, status, shop_id, version FROM terminals WHERE tenant_id = :t",
            t=graph.tenant_id,
        )
    }
    for _, terminal_id in live:
        assert terminals[terminal_id]["status"] == "RETURNED"
        assert terminals[terminal_id]["shop_id"] is None
    assert terminals[gone[1]]["version"] == 1

    journal_rows = await rows(
        owner_engine,
        "SELECT action, entity_id, reason, actor_label, before, after FROM audit_events"
        " WHERE tenant_id = :t AND request_id = ("
        " SELECT request_id FROM audit_events WHERE tenant_id = :t AND entity_id = :c"
        " AND action = 'contract.terminated')",
        t=graph.tenant_id,
        c=contract_uuid,
    )
    actions = sorted(r["action"] for r in journal_rows)
    assert actions == sorted(
        ["contract.terminated", "company.closed"]
        + ["service.deactivated"] * 3
        + ["terminal.returned"] * 3
    )
    for r in journal_rows:
        assert r["actor_label"] == users["SUPERVISOR"]
        if r["action"] in ("service.deactivated", "terminal.returned", "contract.terminated"):
            assert r["reason"] == "Cessation d'activité"
        if r["action"] == "contract.terminated":
            assert r["before"] == {"status": "ACTIVE"} and r["after"] == {"status": "TERMINATED"}
    contract_events = [e["action"] for e in await journal(supervisor, contract)]
    assert contract_events[:3] == [
        "contract.terminated",
        "contract.resumed",
        "contract.suspended",
    ]


async def test_a_failed_termination_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """A failure after the first writes (here: a terminal whose row breaks a constraint when
    returned) rolls the whole termination back: no contract, service or journal change."""
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    await add_service(
        owner_engine,
        graph,
        contract_uuid,
        merchant.shops[0],
        kind="PAY_ON_SITE",
        status="ACTIVE",
        terminal_status="ACTIVE",
    )
    # A trigger makes returning a terminal fail, after the contract and services were written.
    trigger = f"fail_return_{uuid.uuid4().hex[:8]}"
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                f" IF NEW.status = 'RETURNED' AND NEW.tenant_id = '{graph.tenant_id}' THEN"
                " RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER {trigger} BEFORE UPDATE ON terminals"
                f" FOR EACH ROW EXECUTE FUNCTION {trigger}()"
            )
        )
    try:
        before = await fingerprint(owner_engine, graph.tenant_id)
        body = await supervisor.post(
            TERMINATE, {"i": {"id": gid("Contract", contract_uuid), "reason": "Fin"}}
        )
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "boom" not in str(body)
        assert await fingerprint(owner_engine, graph.tenant_id) == before
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {trigger} ON terminals"))
            await conn.execute(text(f"DROP FUNCTION {trigger}()"))


# --------------------------------------------------------------------------- lifecycle table


def _mutation_for(action: str, contract: str, version: int) -> tuple[str, str, dict[str, Any]]:
    base = {"id": contract, "expectedVersion": version}
    if action == "editDraft":
        return UPDATE, "updateContractDraft", {**base, "serviceKinds": ["PAY_ON_SITE"]}
    if action == "sign":
        return SIGN, "signContract", {**base, "signatoryName": "Léa", "documentSha256": NO_DOCUMENT}
    if action == "changeFees":
        return CHANGE_FEES, "changeContractFees", {**base, "reason": "Ajustement", "fees": FEES}
    if action == "suspend":
        return SUSPEND, "suspendContract", {**base, "reason": "Impayés"}
    if action == "resume":
        return RESUME, "resumeContract", base
    if action == "terminate":
        return TERMINATE, "terminateContract", {**base, "reason": "Fin"}
    raise AssertionError(action)


async def test_every_contract_transition_of_the_table(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """Allowed (state, action) pairs succeed; every other pair is INVALID_TRANSITION and
    writes nothing (rows and journal unchanged)."""
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    states = [s.value for s in CONTRACT.states]
    tried = 0
    for transition in CONTRACT.transitions:
        if transition.operation is None:
            continue  # done by the system (activation with the first active service)
        # A merchant per action, so that earlier actions cannot change its status.
        merchant = await add_merchant(owner_engine, graph, "ACTIVE")
        for state in states:
            contract = gid("Contract", await add_contract(owner_engine, graph, merchant, state))
            query, field, variables = _mutation_for(transition.action, contract, 1)
            if transition.action == "sign":
                variables["documentSha256"] = await document_sha(supervisor, contract)
            before = await fingerprint(owner_engine, graph.tenant_id)
            body = await supervisor.post(query, {"i": variables})
            payload = body["data"][field]
            tried += 1
            if any(s.value == state for s in transition.sources):
                assert payload["userErrors"] == [], (state, transition.action, payload)
                # As the table says (docs/lifecycles.md follows it): no target, no change.
                expected = state if transition.target is None else transition.target.value
                assert payload["contract"]["status"] == expected
            else:
                assert payload["contract"] is None
                [error] = payload["userErrors"]
                assert error["code"] == "INVALID_TRANSITION", (state, transition.action)
                assert state in error["message"]
                assert await fingerprint(owner_engine, graph.tenant_id) == before, (
                    state,
                    transition.action,
                )
    assert tried == 6 * len(states)


# --------------------------------------------------------------------------- permissions


OPERATIONS = {
    "createContract": (CREATE, "createContract"),
    "updateContractDraft": (UPDATE, "updateContractDraft"),
    "signContract": (SIGN, "signContract"),
    "changeContractFees": (CHANGE_FEES, "changeContractFees"),
    "suspendContract": (SUSPEND, "suspendContract"),
    "resumeContract": (RESUME, "resumeContract"),
    "terminateContract": (TERMINATE, "terminateContract"),
}


async def test_each_operation_is_forbidden_to_the_roles_the_policy_denies(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    clients = {role: await signed_in(client, users[role]) for role in users}
    drafts = gid("Contract", await add_contract(owner_engine, graph, merchant, "DRAFT"))
    active = gid("Contract", await add_contract(owner_engine, graph, merchant, "ACTIVE"))
    suspended = gid("Contract", await add_contract(owner_engine, graph, merchant, "SUSPENDED"))
    inputs = {
        "createContract": {
            "companyId": gid("Company", merchant.company),
            "shopIds": [gid("Shop", merchant.shops[0])],
            "serviceKinds": ["PAY_ON_SITE"],
        },
        "updateContractDraft": {"id": drafts, "serviceKinds": ["PAYWISH_SOFTPOS"]},
        "signContract": {"id": drafts, "signatoryName": "Léa", "documentSha256": NO_DOCUMENT},
        "changeContractFees": {"id": active, "reason": "x", "fees": FEES},
        "suspendContract": {"id": active, "reason": "x"},
        "resumeContract": {"id": suspended},
        "terminateContract": {"id": active, "reason": "x"},
    }
    checked = 0
    for operation, (query, field) in OPERATIONS.items():
        allowed_roles = policy.OPERATIONS[operation]
        for role in users:
            if Role(role) in allowed_roles:
                continue
            before = await fingerprint(owner_engine, graph.tenant_id)
            body = await clients[role].post(query, {"i": inputs[operation]})
            assert body["data"][field] is None, (operation, role)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (operation, role)
            assert await fingerprint(owner_engine, graph.tenant_id) == before
            checked += 1
    # Sellers may not change fees on a signed contract, nor suspend/resume/terminate.
    assert checked >= 7 * 3 + 4
    body = await clients["TECHNICIAN"].post(
        SIMULATE,
        {
            "i": {
                "contractId": active,
                "transactions": [{"scheme": "CB", "region": "DOMESTIC", "amount": 100}],
            }
        },
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --------------------------------------------------------------------------- requests


async def test_a_seller_fee_change_request_approved_by_a_supervisor_applies_the_fees(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    contract = gid("Contract", contract_uuid)
    proposed = {
        **FEES,
        "effectiveFrom": (today() + dt.timedelta(days=3)).isoformat(),
        "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 25, "fixedFee": 5}],
    }
    request = ok(
        await seller.post(
            CREATE_REQUEST,
            {
                "i": {
                    "type": "FEE_CHANGE",
                    "companyId": gid("Company", merchant.company),
                    "contractId": contract,
                    "subject": "Baisse du taux CB",
                    "proposedFees": proposed,
                }
            },
        ),
        "createRequest",
    )["request"]
    ok(
        await supervisor.post(APPROVE, {"i": {"requestId": request["id"], "comment": "Accordé"}}),
        "approveRequest",
    )
    body = await supervisor.post(
        "query($id: ID!) { node(id: $id) { ... on Contract { status version feeHistory {"
        " versionNumber effectiveFrom reason lines { scheme region rateBps fixedFee } } } } }",
        {"id": contract},
    )
    node = body["data"]["node"]
    assert node["status"] == "ACTIVE"
    assert [v["versionNumber"] for v in node["feeHistory"]] == [2, 1]
    new = node["feeHistory"][0]
    assert new["effectiveFrom"] == proposed["effectiveFrom"]
    assert new["lines"] == proposed["lines"]
    linked = await scalar(
        owner_engine,
        "SELECT r.reference FROM fee_schedules s JOIN requests r ON r.tenant_id = s.tenant_id"
        " AND r.id = s.request_id WHERE s.tenant_id = :t AND s.contract_id = :c"
        " AND s.version_number = 2",
        t=graph.tenant_id,
        c=contract_uuid,
    )
    assert linked == request["reference"]
    [event] = [
        e for e in await journal(supervisor, contract) if e["action"] == "contract.fee_changed"
    ]
    assert event["actor"]["email"] == users["SUPERVISOR"]
    assert event["after"]["request"] == request["reference"]
    assert event["before"]["version"] == 1

    # A second approval of the same request is refused (request lifecycle), nothing written.
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}})
    assert body["data"]["approveRequest"]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert await fingerprint(owner_engine, graph.tenant_id) == before


async def test_a_fee_change_request_on_a_terminated_contract_cannot_be_approved(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    ask = {
        "i": {
            "type": "FEE_CHANGE",
            "companyId": gid("Company", merchant.company),
            "contractId": gid("Contract", contract_uuid),
            "subject": "Baisse",
            "proposedFees": FEES,
        }
    }
    request = ok(await seller.post(CREATE_REQUEST, ask), "createRequest")["request"]
    # The contract is terminated while the request waits.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE contracts SET status = 'TERMINATED' WHERE id = :c"), {"c": contract_uuid}
        )
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}})
    assert body["data"]["approveRequest"]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert await fingerprint(owner_engine, graph.tenant_id) == before
    # And no new request can be opened on it.
    body = await seller.post(CREATE_REQUEST, ask)
    assert body["data"]["createRequest"]["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert await fingerprint(owner_engine, graph.tenant_id) == before


async def test_an_approved_termination_request_terminates_the_contract(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    hotline = await signed_in(client, users["HOTLINE"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    service, terminal = await add_service(
        owner_engine,
        graph,
        contract_uuid,
        merchant.shops[0],
        kind="PAY_ON_SITE",
        status="ACTIVE",
        terminal_status="ACTIVE",
    )
    contract = gid("Contract", contract_uuid)
    request = ok(
        await hotline.post(
            CREATE_REQUEST,
            {
                "i": {
                    "type": "TERMINATION",
                    "companyId": gid("Company", merchant.company),
                    "contractId": contract,
                    "subject": "Fermeture définitive du commerce",
                }
            },
        ),
        "createRequest",
    )["request"]
    ok(await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}}), "approveRequest")
    state = (
        await rows(
            owner_engine,
            "SELECT c.status, c.status_reason, s.status AS service, t.status AS terminal,"
            " co.status AS company FROM contracts c"
            " JOIN services s ON s.tenant_id = c.tenant_id AND s.id = :s"
            " JOIN terminals t ON t.tenant_id = c.tenant_id AND t.id = :term"
            " JOIN companies co ON co.tenant_id = c.tenant_id AND co.id = c.company_id"
            " WHERE c.tenant_id = :t AND c.id = :c",
            t=graph.tenant_id,
            c=contract_uuid,
            s=service,
            term=terminal,
        )
    )[0]
    assert dict(state) == {
        "status": "TERMINATED",
        "status_reason": "Fermeture définitive du commerce",
        "service": "DEACTIVATED",
        "terminal": "RETURNED",
        "company": "CLOSED",
    }
    [event] = [
        e for e in await journal(supervisor, contract) if e["action"] == "contract.terminated"
    ]
    assert event["after"]["request"] == request["reference"]
    assert event["actor"]["email"] == users["SUPERVISOR"]


# --------------------------------------------------------------------------- fee simulation


def test_transaction_fee_rounds_half_up_in_integers() -> None:
    assert transaction_fee(12_345, 30, 5) == 37 + 5  # 37.035 → 37
    assert transaction_fee(5_000, 1, 0) == 1  # 0.5 → 1
    assert transaction_fee(4_999, 1, 0) == 0  # 0.4999 → 0
    assert transaction_fee(15_000, 30, 0) == 45
    assert transaction_fee(0, 10_000, 7) == 7
    assert transaction_fee(10**12, 10_000, 0) == 10**12


async def test_simulate_fees_under_a_draft_schedule_and_a_contract(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    sample = [
        {"scheme": "CB", "region": "DOMESTIC", "amount": 12_345},  # 37.035 → 37, + 5 = 42
        {"scheme": "CB", "region": "DOMESTIC", "amount": 50},  # 0.15 → 0, + 5 = 5
        {"scheme": "VISA", "region": "EEA", "amount": 10_000},  # 120 + 10 = 130
        {"scheme": "VISA", "region": "EEA", "amount": 1_250},  # 15 + 10 = 25
        {"scheme": "AMEX", "region": "INTERNATIONAL", "amount": 9_900},  # no line
    ]
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await seller.post(SIMULATE, {"i": {"fees": FEES, "transactions": sample}})
    assert "errors" not in body, body
    result = body["data"]["simulateFees"]
    assert [ln["fee"] for ln in result["lines"]] == [42, 5, 130, 25, None]
    assert [ln["missing"] for ln in result["lines"]] == [False] * 4 + [True]
    assert result["lines"][0] == {
        "scheme": "CB",
        "region": "DOMESTIC",
        "amount": 12_345,
        "rateBps": 30,
        "fixedFee": 5,
        "fee": 42,
        "missing": False,
    }
    assert result["lines"][4]["rateBps"] is None and result["lines"][4]["fixedFee"] is None
    assert result["totals"] == {
        "count": 5,
        "amount": 33_545,
        "fees": 202,
        "missingCount": 1,
        "pricedAmount": 23_645,
        "effectiveRateBps": pytest.approx(202 * 10_000 / 23_645),
    }
    assert result["currency"] == "EUR"
    assert result["terminalRentalMonthly"] == 2500 and result["softposFeeMonthly"] == 990
    assert result["versionNumber"] is None and result["effectiveFrom"] is None

    # Under a contract: the version in force today (v1), or at a later date (v2).
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract = gid(
        "Contract",
        await add_contract(
            owner_engine, graph, merchant, "ACTIVE", versions=((-30, 30, 5), (10, 20, 5))
        ),
    )
    before = await fingerprint(owner_engine, graph.tenant_id)
    one = [sample[0]]
    body = await seller.post(SIMULATE, {"i": {"contractId": contract, "transactions": one}})
    result = body["data"]["simulateFees"]
    assert result["versionNumber"] == 1 and result["lines"][0]["fee"] == 42
    at = (today() + dt.timedelta(days=10)).isoformat()
    body = await seller.post(
        SIMULATE, {"i": {"contractId": contract, "transactions": one, "at": at}}
    )
    result = body["data"]["simulateFees"]
    assert result["versionNumber"] == 2 and result["effectiveFrom"] == at
    assert result["lines"][0]["fee"] == 25 + 5  # 24.69 → 25
    assert await fingerprint(owner_engine, graph.tenant_id) == before

    # Bad input: a top-level BAD_USER_INPUT with a clear message.
    too_many = [sample[0]] * 501
    cases = [
        ({"transactions": one}, "contractId"),
        ({"contractId": contract, "fees": FEES, "transactions": one}, "contractId"),
        ({"fees": FEES, "transactions": []}, "1"),
        ({"fees": FEES, "transactions": too_many}, "500"),
        ({"fees": FEES, "transactions": [{**sample[0], "amount": -1}]}, "amount"),
        (
            {
                "fees": {**FEES, "lines": [{**FEES["lines"][0], "rateBps": 20_000}]},
                "transactions": one,
            },
            "rateBps",
        ),
        ({"contractId": "bm9wZQ==", "transactions": one}, "contractId"),
        ({"contractId": gid("Contract", uuid.uuid4()), "transactions": one}, "Contract"),
    ]
    for variables, needle in cases:
        body = await seller.post(SIMULATE, {"i": variables}, **{"Accept-Language": "en"})
        assert body["data"]["simulateFees"] is None, variables
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (variables, error)
        assert needle in error["message"], (needle, error["message"])


async def test_a_fee_change_approved_after_its_proposed_date_applies_from_the_approval_day(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """Fees are never retroactive: a proposed date that passed while the request waited
    becomes the day of the approval."""
    graph, users = tenant
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "SIGNED")
    request = ok(
        await seller.post(
            CREATE_REQUEST,
            {
                "i": {
                    "type": "FEE_CHANGE",
                    "companyId": gid("Company", merchant.company),
                    "contractId": gid("Contract", contract_uuid),
                    "subject": "Baisse",
                    "proposedFees": {**FEES, "effectiveFrom": today().isoformat()},
                }
            },
        ),
        "createRequest",
    )["request"]
    # The request waited: its proposed date is now a week ago.
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE requests SET payload = jsonb_set(payload, '{proposedFees,effectiveFrom}',"
                " to_jsonb(CAST(:d AS text))) WHERE tenant_id = :t AND reference = :r"
            ),
            {
                "d": (today() - dt.timedelta(days=7)).isoformat(),
                "t": graph.tenant_id,
                "r": request["reference"],
            },
        )
    ok(await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}}), "approveRequest")
    effective = await scalar(
        owner_engine,
        "SELECT effective_from FROM fee_schedules WHERE tenant_id = :t AND contract_id = :c"
        " AND version_number = 2",
        t=graph.tenant_id,
        c=contract_uuid,
    )
    assert effective == today()
