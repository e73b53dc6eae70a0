"""Search by what callers say: a contact's name, e-mail or phone (any French writing), and
"the card ending 1234" within a date range, under the permissions of reading those fields."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.relay import to_base64

from db import models as m
from resolvers import search as rsearch
from resolvers.validation import Validator, e164_phone
from tests.api import signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph
from tests.test_stats_and_search import insert_rows, tx

SEARCH = """
query($t: String, $c: CardSearch, $n: Int) {
  search(text: $t, card: $c, first: $n) {
    score node { __typename ... on Company { id legalName }
                 ... on Transaction { id externalId } } } }
"""

DAY = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0590 12 34 56", "+590590123456"),
        ("05.90.12.34.56", "+590590123456"),
        ("+590 590 12 34 56", "+590590123456"),
        ("00590 590 123 456", "+590590123456"),
        ("0696-11-22-33", "+596696112233"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("0262 11 22 33", "+262262112233"),
        ("12 34", None),
        ("bonjour", None),
    ],
)
def test_french_writings_of_a_phone_number(written: str, e164: str | None) -> None:
    assert e164_phone(written) == e164
    v = Validator("fr")
    assert v.phone(["p"], written) == e164  # the same rule when a phone is written
    assert bool(v.errors) == (e164 is None)


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> dict[str, Any]:
    g = await make_tenant_graph(owner_engine)
    other = await make_tenant_graph(owner_engine)
    async with owner_engine.begin() as conn:
        for graph, phone in ((g, "+590590123456"), (other, "+590590123456")):
            await conn.execute(
                text(
                    "UPDATE companies SET contact_name = 'Mylène Bapté',"
                    " contact_email = 'Mylene.Bapte@boulangerie-soleil.test',"
                    " contact_phone = :p WHERE tenant_id = :t"
                ),
                {"p": phone, "t": graph.tenant_id},
            )
    h = dt.timedelta(hours=1)
    rows = [
        {**tx(g, DAY + 10 * h, amount=1250), "masked_pan": "497010******1234"},
        {**tx(g, DAY + 15 * h, amount=800), "masked_pan": "513100******1234"},
        {**tx(g, DAY + 30 * h, amount=1250), "masked_pan": "497010******1234"},  # next day
        {**tx(g, DAY + 11 * h, amount=1250), "masked_pan": "497010******9999"},
        {**tx(g, DAY + 12 * h), "masked_pan": None},
        {**tx(other, DAY + 10 * h, amount=1250), "masked_pan": "497010******1234"},
    ]
    await insert_rows(owner_engine, m.Transaction, rows)
    users = {r: await add_user(owner_engine, g, r) for r in ("HOTLINE", "SELLER")}
    return {"g": g, "rows": rows, "users": users}


async def found(reader: GraphQLClient, **variables: Any) -> list[dict[str, Any]]:
    body = await reader.post(SEARCH, variables)
    assert "errors" not in body, body
    return [h["node"] for h in body["data"]["search"]]


async def test_the_hotline_finds_a_merchant_by_any_writing_of_the_callers_phone(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    g: TenantGraph = world["g"]
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    company = to_base64("Company", str(g.ids["company"]))
    for said in ("0590 12 34 56", "+590 590 12 34 56", "00590590123456", "05-90-12-34-56"):
        nodes = await found(hotline, t=said)
        # Only this tenant's company, though the other tenant's has the same number.
        assert [n["id"] for n in nodes] == [company], said
    assert await found(hotline, t="0590 12 34 57") == []
    by_mail = await found(hotline, t="mylene.bapte@BOULANGERIE-soleil.test")
    assert [n["id"] for n in by_mail] == [company]
    by_name = await found(hotline, t="Mylène Bapté")
    assert company in [n["id"] for n in by_name]


async def test_a_field_the_reader_may_not_read_is_not_searched(
    owner_engine: AsyncEngine, world: dict[str, Any], app_db: Any
) -> None:
    """The policy lets every role read a contact's phone today: the resolver is given the
    readable fields, so a policy that denied it would find nothing by it."""
    g: TenantGraph = world["g"]
    parsed = rsearch.parse_text("0590 12 34 56")
    everything = rsearch.SEARCH_FIELDS
    without = everything - {"Company.contactPhone"}
    from tenancy.principal import tenant_claims

    async with app_db.session(tenant_claims(g.tenant_id)) as session:
        hits = (
            await session.execute(rsearch.search_statement(parsed, 10, readable=everything))
        ).all()
        assert [r.id for r in hits] == [g.ids["company"]]
        statement = rsearch.search_statement(parsed, 10, readable=without)
        hits = (await session.execute(statement)).all() if statement is not None else []
        assert hits == []


async def test_the_card_ending_1234_within_a_day(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    g: TenantGraph = world["g"]
    rows = world["rows"]
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    day = {"occurredFrom": DAY.isoformat(), "occurredTo": (DAY + dt.timedelta(days=1)).isoformat()}
    nodes = await found(hotline, c={"lastFour": "1234", **day})
    # Newest first; the next day's and the other tenant's are not in it.
    assert [n["externalId"] for n in nodes] == [rows[1]["external_id"], rows[0]["external_id"]]
    nodes = await found(hotline, c={"lastFour": "1234", "amount": 1250, **day})
    assert [n["externalId"] for n in nodes] == [rows[0]["external_id"]]
    shop = to_base64("Shop", str(g.ids["shop"]))
    assert len(await found(hotline, c={"lastFour": "1234", "shop": shop, **day})) == 2
    other_shop = to_base64("Shop", str(uuid.uuid4()))
    assert await found(hotline, c={"lastFour": "1234", "shop": other_shop, **day}) == []

    # A seller may not read card numbers: it finds nothing by them.
    seller = await signed_in(client, world["users"]["SELLER"])
    assert await found(seller, c={"lastFour": "1234", **day}) == []


@pytest.mark.parametrize(
    "card",
    [
        {
            "lastFour": "1234",
            "occurredFrom": "2026-10-01T00:00:00Z",
            "occurredTo": "2026-11-02T00:00:01Z",
        },
        {
            "lastFour": "1234",
            "occurredFrom": "2026-11-02T00:00:00Z",
            "occurredTo": "2026-11-01T00:00:00Z",
        },
        {
            "lastFour": "12a4",
            "occurredFrom": "2026-11-01T00:00:00Z",
            "occurredTo": "2026-11-02T00:00:00Z",
        },
        {
            "lastFour": "123",
            "occurredFrom": "2026-11-01T00:00:00Z",
            "occurredTo": "2026-11-02T00:00:00Z",
        },
    ],
)
async def test_a_card_search_needs_a_short_range_and_four_digits(
    client: GraphQLClient, world: dict[str, Any], card: dict[str, Any]
) -> None:
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    body = await hotline.post(SEARCH, {"c": card})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert body["data"]["search"] is None


async def test_a_card_search_without_a_range_or_with_text_too_is_refused(
    client: GraphQLClient, world: dict[str, Any]
) -> None:
    hotline = await signed_in(client, world["users"]["HOTLINE"])
    body = await hotline.post(SEARCH, {"c": {"lastFour": "1234"}})
    assert body["errors"], body  # occurredFrom and occurredTo are required by the schema
    card = {"lastFour": "1234", "occurredFrom": DAY.isoformat(), "occurredTo": DAY.isoformat()}
    body = await hotline.post(SEARCH, {"c": card, "t": "1234"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await hotline.post(SEARCH, {})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
