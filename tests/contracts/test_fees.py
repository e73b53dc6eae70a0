"""Fees: change and termination requests decided by a supervisor, and the fee simulation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.contracts.simulation import transaction_fee
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import (
    APPROVE,
    CREATE_REQUEST,
    FEES,
    SIMULATE,
    add_contract,
    add_merchant,
    add_service,
    fingerprint,
    journal,
    ok,
    rows,
    scalar,
    today,
)
from tests.factories import TenantGraph


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
