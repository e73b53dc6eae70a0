"""A fee change never loses a line without saying so (issue 12, item 13).

Every path that writes a fee schedule from an input (changeContractFees, a FEE_CHANGE request's
approval, updateContractDraft) keeps the lines the input does not name, and the monthly fees it
leaves out; a line goes only when `removeLines` names it. Before, a new version was exactly the
lines given: leaving one out silently removed its price.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import (
    APPROVE,
    CHANGE_FEES,
    CREATE,
    CREATE_REQUEST,
    FEES,
    UPDATE,
    add_contract,
    add_merchant,
    fingerprint,
    journal,
    ok,
    today,
)
from tests.factories import TenantGraph, add_user, make_tenant_graph

#: What add_contract's version 1 prices (CB/DOMESTIC at 30 bps + 5).
CB = {"scheme": "CB", "region": "DOMESTIC", "rateBps": 30, "fixedFee": 5}
VISA_EEA = {"scheme": "VISA", "region": "EEA", "rateBps": 120, "fixedFee": 10}
MC_INTL = {"scheme": "MASTERCARD", "region": "INTERNATIONAL", "rateBps": 190, "fixedFee": 12}


@pytest.fixture(scope="module")
async def team(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {role: await add_user(owner_engine, graph, role) for role in ("SELLER", "SUPERVISOR")}
    return graph, users


FEES_OF = """query($id: ID!) { node(id: $id) { ... on Contract { version currentFees {
  versionNumber terminalRentalMonthly softposFeeMonthly currency
  lines { scheme region rateBps fixedFee } } feeHistory { versionNumber } } } }"""


async def _fees(client: GraphQLClient, contract: str) -> dict:
    body = await client.post(FEES_OF, {"id": contract})
    assert "errors" not in body, body
    return body["data"]["node"]


def _errors(body: dict, field: str) -> set[tuple[tuple[str, ...], str]]:
    return {(tuple(e["field"] or ()), e["code"]) for e in body["data"][field]["userErrors"]}


async def _two_line_contract(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph, supervisor: GraphQLClient
) -> tuple[object, str]:
    """An ACTIVE contract whose grid prices CB/DOMESTIC and VISA/EEA (version 2)."""
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract = gid("Contract", await add_contract(owner_engine, graph, merchant, "ACTIVE"))
    ok(
        await supervisor.post(
            CHANGE_FEES,
            {"i": {"id": contract, "reason": "Ajout VISA", "fees": {"lines": [VISA_EEA]}}},
        ),
        "changeContractFees",
    )
    return merchant, contract


async def test_a_fee_change_keeps_the_lines_it_does_not_name(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    supervisor = await signed_in(client, users["SUPERVISOR"])
    _, contract = await _two_line_contract(client, owner_engine, graph, supervisor)
    fees = (await _fees(supervisor, contract))["currentFees"]
    # The line added by a change that named only it: version 1's CB line carried over, and so
    # did its monthly fees (the input left them out).
    assert fees["versionNumber"] == 2
    assert fees["lines"] == [CB, VISA_EEA]
    assert (fees["terminalRentalMonthly"], fees["softposFeeMonthly"]) == (2500, 990)

    # Repricing one line keeps the other.
    cheaper_cb = {**CB, "rateBps": 25}
    ok(
        await supervisor.post(
            CHANGE_FEES,
            {"i": {"id": contract, "reason": "Geste", "fees": {"lines": [cheaper_cb]}}},
        ),
        "changeContractFees",
    )
    fees = (await _fees(supervisor, contract))["currentFees"]
    assert fees["versionNumber"] == 3
    assert fees["lines"] == [cheaper_cb, VISA_EEA]

    # Removing is explicit, and the journal shows the line before and not after.
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {
                "i": {
                    "id": contract,
                    "reason": "VISA EEA retiré",
                    "fees": {
                        "lines": [MC_INTL],
                        "removeLines": [{"scheme": "VISA", "region": "EEA"}],
                        "terminalRentalMonthly": 2000,
                    },
                }
            },
        ),
        "changeContractFees",
    )["contract"]
    assert changed["currentFees"]["lines"] == [cheaper_cb, MC_INTL]
    assert changed["currentFees"]["terminalRentalMonthly"] == 2000
    assert changed["currentFees"]["softposFeeMonthly"] == 990
    latest = next(
        e for e in await journal(supervisor, contract) if e["action"] == "contract.fee_changed"
    )
    assert latest["before"]["lines"] == [cheaper_cb, VISA_EEA]
    assert latest["after"]["lines"] == [cheaper_cb, MC_INTL]


async def test_a_removal_that_does_not_fit_the_grid_is_refused_and_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    supervisor = await signed_in(client, users["SUPERVISOR"])
    _, contract = await _two_line_contract(client, owner_engine, graph, supervisor)
    before = await fingerprint(owner_engine, graph.tenant_id)
    cases = [
        # A line the grid does not price.
        (
            {"removeLines": [{"scheme": "AMEX", "region": "DOMESTIC"}]},
            {(("input", "fees", "removeLines", "0"), "NOT_FOUND")},
        ),
        # The same line priced and removed.
        (
            {"lines": [CB], "removeLines": [{"scheme": "CB", "region": "DOMESTIC"}]},
            {(("input", "fees", "removeLines", "0"), "CONFLICT")},
        ),
        # Every line removed: a grid keeps one at least.
        (
            {
                "removeLines": [
                    {"scheme": "CB", "region": "DOMESTIC"},
                    {"scheme": "VISA", "region": "EEA"},
                ]
            },
            {(("input", "fees", "lines"), "REQUIRED")},
        ),
    ]
    for fees, expected in cases:
        body = await supervisor.post(
            CHANGE_FEES, {"i": {"id": contract, "reason": "Essai", "fees": fees}}
        )
        assert _errors(body, "changeContractFees") == expected, fees
        assert await fingerprint(owner_engine, graph.tenant_id) == before

    # A first version has nothing to remove.
    merchant = await add_merchant(owner_engine, graph, "APPROVED")
    body = await supervisor.post(
        CREATE,
        {
            "i": {
                "companyId": gid("Company", merchant.company),
                "serviceKinds": ["PAY_ON_SITE"],
                "fees": {**FEES, "removeLines": [{"scheme": "CB", "region": "EEA"}]},
            }
        },
    )
    assert _errors(body, "createContract") == {(("input", "fees", "removeLines", "0"), "NOT_FOUND")}


async def test_an_approved_fee_change_request_keeps_the_lines_it_does_not_name(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    seller = await signed_in(client, users["SELLER"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant, contract = await _two_line_contract(client, owner_engine, graph, supervisor)

    def ask(fees: dict) -> dict:
        return {
            "i": {
                "type": "FEE_CHANGE",
                "companyId": gid("Company", merchant.company),
                "contractId": contract,
                "subject": "Nouvelle grille",
                "proposedFees": fees,
            }
        }

    # Asking to remove a line the grid does not price is refused when asked.
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await seller.post(
        CREATE_REQUEST, ask({"removeLines": [{"scheme": "AMEX", "region": "EEA"}]})
    )
    assert _errors(body, "createRequest") == {
        (("input", "proposedFees", "removeLines", "0"), "NOT_FOUND")
    }
    assert await fingerprint(owner_engine, graph.tenant_id) == before

    # The request names one repriced line and one removal; the third line carries over.
    ok(
        await supervisor.post(
            CHANGE_FEES, {"i": {"id": contract, "reason": "MC", "fees": {"lines": [MC_INTL]}}}
        ),
        "changeContractFees",
    )
    cheaper_cb = {**CB, "rateBps": 22}
    request = ok(
        await seller.post(
            CREATE_REQUEST,
            ask(
                {
                    "lines": [cheaper_cb],
                    "removeLines": [{"scheme": "VISA", "region": "EEA"}],
                    "effectiveFrom": today().isoformat(),
                }
            ),
        ),
        "createRequest",
    )["request"]
    ok(
        await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}}),
        "approveRequest",
    )
    fees = (await _fees(supervisor, contract))["currentFees"]
    assert fees["versionNumber"] == 4
    assert fees["lines"] == [cheaper_cb, MC_INTL]
    assert (fees["terminalRentalMonthly"], fees["softposFeeMonthly"]) == (2500, 990)

    # A request whose removal no longer fits when it is decided is refused, nothing written.
    request = ok(
        await seller.post(
            CREATE_REQUEST,
            ask({"removeLines": [{"scheme": "MASTERCARD", "region": "INTERNATIONAL"}]}),
        ),
        "createRequest",
    )["request"]
    ok(
        await supervisor.post(
            CHANGE_FEES,
            {
                "i": {
                    "id": contract,
                    "reason": "MC retiré",
                    "fees": {"removeLines": [{"scheme": "MASTERCARD", "region": "INTERNATIONAL"}]},
                }
            },
        ),
        "changeContractFees",
    )
    before = await fingerprint(owner_engine, graph.tenant_id)
    body = await supervisor.post(APPROVE, {"i": {"requestId": request["id"]}})
    assert [e["code"] for e in body["data"]["approveRequest"]["userErrors"]] == ["NOT_FOUND"]
    assert await fingerprint(owner_engine, graph.tenant_id) == before


async def test_a_draft_fee_edit_keeps_the_lines_it_does_not_name(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    seller = await signed_in(client, users["SELLER"])
    merchant = await add_merchant(owner_engine, graph, "APPROVED")
    contract = ok(
        await seller.post(
            CREATE,
            {
                "i": {
                    "companyId": gid("Company", merchant.company),
                    "serviceKinds": ["PAY_ON_SITE"],
                    "fees": FEES,
                }
            },
        ),
        "createContract",
    )["contract"]
    cheaper_cb = {**CB, "rateBps": 28}
    edited = ok(
        await seller.post(
            UPDATE,
            {
                "i": {
                    "id": contract["id"],
                    "fees": {"lines": [cheaper_cb], "softposFeeMonthly": 500},
                }
            },
        ),
        "updateContractDraft",
    )["contract"]
    assert edited["currentFees"]["versionNumber"] == 1
    assert edited["currentFees"]["lines"] == [cheaper_cb, VISA_EEA]
    assert edited["currentFees"]["terminalRentalMonthly"] == FEES["terminalRentalMonthly"]
    assert edited["currentFees"]["softposFeeMonthly"] == 500


async def test_a_change_dated_later_changes_the_version_in_force_on_that_date(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    supervisor = await signed_in(client, users["SUPERVISOR"])
    _, contract = await _two_line_contract(client, owner_engine, graph, supervisor)
    later = (today() + dt.timedelta(days=10)).isoformat()
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {
                "i": {
                    "id": contract,
                    "reason": "Plus tard",
                    "fees": {"lines": [MC_INTL], "effectiveFrom": later},
                }
            },
        ),
        "changeContractFees",
    )["contract"]
    assert changed["currentFees"]["versionNumber"] == 2  # still today's
    body = await supervisor.post(
        "query($id: ID!) { node(id: $id) { ... on Contract { feeHistory {"
        " versionNumber lines { scheme region rateBps fixedFee } } } } }",
        {"id": contract},
    )
    planned = body["data"]["node"]["feeHistory"][0]
    assert planned["versionNumber"] == 3
    assert sorted(planned["lines"], key=str) == sorted([CB, VISA_EEA, MC_INTL], key=str)
