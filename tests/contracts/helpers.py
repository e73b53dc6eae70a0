"""What the contract tests share: the documents, the merchant and contract factories
(tests/test_languages.py uses them too).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.identifiers import make_siren, make_siret
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph

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
