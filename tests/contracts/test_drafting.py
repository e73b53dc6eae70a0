"""Drafting and signing a contract: the seller's happy path, the draft and signature rules,
the contract numbers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db.identifiers import make_siren, make_siret
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import (
    APPROVE,
    CREATE,
    FEES,
    NO_DOCUMENT,
    SIGN,
    UPDATE,
    add_merchant,
    document_sha,
    fingerprint,
    journal,
    ok,
    scalar,
    today,
)
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph


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
