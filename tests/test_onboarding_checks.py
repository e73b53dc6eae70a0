"""`validateCompany` and `validateShop`: the onboarding's checks as the user types.

Walked from one table of cases, every rule of `createCompany` and `createShop` (formats,
lengths, card data, uniqueness, the company's state, the policy's state limit, IDs): the check
answers exactly the user errors the mutation answers for the same input and role (fields,
codes, messages, in French and English), and writes nothing anywhere (every table's row count
is unchanged after it). A test keeps the table covering every field of both inputs. The checks
are refused to the roles that may not create, and `me.permissions` lists them as the policy
does.
"""

from __future__ import annotations

import copy
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
)
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.identifiers import make_siren, make_siret
from schema.schema import schema
from spring.logs import REQUEST_LOGGER
from tenancy import policy
from tests import api
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph

ERRORS = "userErrors { field code message }"
VALIDATE_COMPANY = f"""
query($i: CreateCompanyInput!) {{ validateCompany(input: $i) {{ valid {ERRORS} }} }}"""
CREATE_COMPANY = f"""
mutation($i: CreateCompanyInput!) {{ createCompany(input: $i) {{ company {{ id }} {ERRORS} }} }}"""
VALIDATE_SHOP = f"""
query($i: CreateShopInput!) {{ validateShop(input: $i) {{ valid {ERRORS} }} }}"""
CREATE_SHOP = f"""
mutation($i: CreateShopInput!) {{ createShop(input: $i) {{ shop {{ id }} {ERRORS} }} }}"""

#: The graph's ACTIVE company and its shop (tests/factories.py).
TAKEN_SIREN = "732829320"
TAKEN_SIRET = "73282932000074"
#: A Mastercard number (the card rule of every input, and Validator.text's).
CARD = "TPE A920 5351 1073 9224 3694"


def fresh_siren() -> str:
    return make_siren(f"{uuid.uuid4().int % 10**8:08d}")


@dataclass
class World:
    graph: TenantGraph
    users: dict[str, str]
    prospect_id: uuid.UUID  # a PROSPECT company: a seller adds its shops
    prospect_siren: str
    closed_id: uuid.UUID  # a CLOSED company (its SIREN too: `siren_closed`)
    closed_siren: str
    clients: dict[str, GraphQLClient] = field(default_factory=dict)


async def add_company(
    engine: AsyncEngine, graph: TenantGraph, status: str
) -> tuple[uuid.UUID, str]:
    company_id, siren = uuid.uuid4(), fresh_siren()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=graph.tenant_id,
                id=company_id,
                legal_name=f"Société {status.title()}",
                siren=siren,
                legal_form="SARL",
                mcc="5411",
                contact_name="A",
                contact_email="a@b.fr",
                contact_phone="+590590000000",
                status=status,
                address_line1="1 rue Schoelcher",
                postal_code="97110",
                city="Pointe-à-Pitre",
            )
        )
    return company_id, siren


@pytest.fixture(scope="module")
async def world(owner_engine: AsyncEngine) -> World:
    graph = await make_tenant_graph(owner_engine)
    users = {
        role: await add_user(owner_engine, graph, role)
        for role in ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE")
    }
    prospect_id, prospect_siren = await add_company(owner_engine, graph, "PROSPECT")
    closed_id, closed_siren = await add_company(owner_engine, graph, "CLOSED")
    return World(graph, users, prospect_id, prospect_siren, closed_id, closed_siren)


async def signed_in(client: GraphQLClient, world: World, role: str) -> GraphQLClient:
    return await api.signed_in(client, world.users[role])


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows of every table of the database: a check that wrote anything anywhere shows here."""
    async with engine.connect() as conn:
        tables = (
            await conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                )
            )
        ).scalars()
        union = " UNION ALL ".join(
            f"SELECT '{t}' AS name, count(*) AS n FROM \"{t}\"" for t in tables
        )
        return {name: n for name, n in (await conn.execute(text(union))).all()}


# --------------------------------------------------------------------------- drafts


def company_draft(world: World) -> dict[str, Any]:
    return {
        "legalName": "Épicerie du Morne",
        "siren": fresh_siren(),
        "legalForm": "SARL",
        "mcc": "5411",
        "address": {"line1": "3 rue Nozières", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "contactName": "Rose Morne",
        "contactEmail": "rose@morne.test",
        "contactPhone": "0690 12 34 56",
        "tradeName": "Chez Rose",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "AGRIFRPP",
    }


def shop_draft(world: World) -> dict[str, Any]:
    return {
        "companyId": gid("Company", world.prospect_id),
        "name": "Épicerie du Morne — Darse",
        "siret": make_siret(world.prospect_siren, f"{uuid.uuid4().int % 10**4:04d}"),
        "address": {"line1": "1 quai de la Darse", "postalCode": "97110", "city": "Pointe-à-Pitre"},
        "mcc": "5411",
    }


def changed(draft: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The draft with the value at `path` ("address.postalCode") replaced."""
    result = copy.deepcopy(draft)
    *parents, last = path.split(".")
    target = result
    for part in parents:
        target = target[part]
    target[last] = value
    return result


@dataclass(frozen=True)
class Case:
    """One rule: `path` of the input set to `value` (a callable of the world, or a value),
    answered by `code` at `field` (the path itself unless said: None for the whole input)."""

    path: str
    value: Any
    code: str
    role: str = "SELLER"
    field: tuple[str, ...] | str | None = "same"

    def expected_field(self) -> list[str] | None:
        if self.field == "same":
            return ["input", *self.path.split(".")]
        return None if self.field is None else list(self.field)

    def draft(self, base: dict[str, Any], world: World) -> dict[str, Any]:
        value = self.value(world) if callable(self.value) else self.value
        return changed(base, self.path, value)


LONG = "x" * 201
COMPANY_CASES: dict[str, Case] = {
    "legal name blank": Case("legalName", "  ", "REQUIRED"),
    "legal name too long": Case("legalName", LONG, "INVALID"),
    "legal name control characters": Case("legalName", "Épicerie\x07", "INVALID"),
    "legal name holds a card number": Case("legalName", CARD, "CARD_DATA_REFUSED"),
    "trade name too long": Case("tradeName", LONG, "INVALID"),
    "siren blank": Case("siren", "", "REQUIRED"),
    "siren not a SIREN": Case("siren", "123456789", "INVALID_SIREN"),
    "siren taken": Case("siren", TAKEN_SIREN, "DUPLICATE"),
    "siren of a closed merchant": Case("siren", lambda w: w.closed_siren, "DUPLICATE"),
    "legal form too long": Case("legalForm", "x" * 41, "INVALID"),
    "mcc blank": Case("mcc", "", "REQUIRED"),
    "mcc not 4 digits": Case("mcc", "58", "INVALID_MCC"),
    "address line blank": Case("address.line1", "", "REQUIRED"),
    "address second line too long": Case("address.line2", LONG, "INVALID"),
    "postal code blank": Case("address.postalCode", " ", "REQUIRED"),
    "postal code not one": Case("address.postalCode", "9", "INVALID"),
    "postal code letters in France": Case("address.postalCode", "ABC", "INVALID"),
    "postal code of four digits in France": Case("address.postalCode", "9711", "INVALID"),
    "city too long": Case("address.city", "x" * 121, "INVALID"),
    "country not a code": Case("address.country", "FRA", "INVALID"),
    "contact name blank": Case("contactName", "", "REQUIRED"),
    "contact e-mail not one": Case("contactEmail", "rose@", "INVALID_EMAIL"),
    "contact phone not one": Case("contactPhone", "12", "INVALID_PHONE"),
    "iban mod-97 wrong": Case("iban", "FR76 3000 6000 0112 3456 7890 188", "INVALID_IBAN"),
    "bic not one": Case("bic", "AGRI", "INVALID_BIC"),
}
SHOP_CASES: dict[str, Case] = {
    "company id malformed": Case("companyId", "nope", "INVALID_REFERENCE"),
    "company id of a shop": Case(
        "companyId", lambda w: gid("Shop", uuid.uuid4()), "INVALID_REFERENCE"
    ),
    "company unknown": Case("companyId", lambda w: gid("Company", uuid.uuid4()), "NOT_FOUND"),
    "company closed": Case(
        "companyId",
        lambda w: gid("Company", w.closed_id),
        "INVALID_TRANSITION",
        role="SUPERVISOR",
    ),
    "seller after the company is active": Case(
        "companyId",
        lambda w: gid("Company", w.graph.ids["company"]),
        "INVALID_TRANSITION",
        field=None,
    ),
    "name blank": Case("name", "", "REQUIRED"),
    "name holds a card number": Case("name", CARD, "CARD_DATA_REFUSED"),
    "siret blank": Case("siret", "", "REQUIRED"),
    "siret not a SIRET": Case("siret", "12345678901234", "INVALID_SIRET"),
    "siret of another company": Case(
        "siret", lambda w: make_siret(fresh_siren(), "0001"), "INVALID_SIRET"
    ),
    "siret taken": Case(
        "siret",
        TAKEN_SIRET,
        "DUPLICATE",
        role="SUPERVISOR",
    ),
    "mcc not 4 digits": Case("mcc", "5", "INVALID_MCC"),
    "address line blank": Case("address.line1", " ", "REQUIRED"),
    "address second line control characters": Case("address.line2", "Bât.\x00B", "INVALID"),
    "postal code not one": Case("address.postalCode", "97 110 !", "INVALID"),
    "postal code of six digits in Guadeloupe": Case("address.postalCode", "971100", "INVALID"),
    "city blank": Case("address.city", "", "REQUIRED"),
    "country not a code": Case("address.country", "9Z", "INVALID"),
}


def shop_case_draft(world: World, case: Case) -> dict[str, Any]:
    """The case's shop draft; its SIRET fits the company it names, so that the rule at hand,
    not the SIRET's, is the one found."""
    draft = shop_draft(world)
    if case.path == "siret" and case.value == TAKEN_SIRET:
        draft["companyId"] = gid("Company", world.graph.ids["company"])  # its own SIREN
    draft = case.draft(draft, world)
    sirens = {
        gid("Company", world.graph.ids["company"]): TAKEN_SIREN,
        gid("Company", world.closed_id): world.closed_siren,
    }
    if case.path == "companyId" and draft["companyId"] in sirens:
        draft["siret"] = make_siret(sirens[draft["companyId"]], "0042")
    return draft


async def check_then_mutate(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    world: World,
    case: Case,
    draft: dict[str, Any],
    check: str,
    mutation: str,
    language: str,
) -> None:
    user = await signed_in(client, world, case.role)
    before = await row_counts(owner_engine)
    body = await user.post(check, {"i": draft}, **{"Accept-Language": language})
    assert "errors" not in body, body
    checked = next(iter(body["data"].values()))
    assert await row_counts(owner_engine) == before, "the check wrote something"
    body = await user.post(mutation, {"i": draft}, **{"Accept-Language": language})
    assert "errors" not in body, body
    answered = next(iter(body["data"].values()))
    assert checked["userErrors"] == answered["userErrors"]
    assert checked["valid"] is False
    assert {"field": case.expected_field(), "code": case.code} in [
        {"field": e["field"], "code": e["code"]} for e in checked["userErrors"]
    ], checked["userErrors"]
    assert await row_counts(owner_engine) == before, "a refused mutation wrote something"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", list(COMPANY_CASES))
async def test_validate_company_answers_what_create_company_answers(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World, name: str, language: str
) -> None:
    case = COMPANY_CASES[name]
    draft = case.draft(company_draft(world), world)
    await check_then_mutate(
        client, owner_engine, world, case, draft, VALIDATE_COMPANY, CREATE_COMPANY, language
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", list(SHOP_CASES))
async def test_validate_shop_answers_what_create_shop_answers(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World, name: str, language: str
) -> None:
    case = SHOP_CASES[name]
    draft = shop_case_draft(world, case)
    await check_then_mutate(
        client, owner_engine, world, case, draft, VALIDATE_SHOP, CREATE_SHOP, language
    )


def leaf_paths(type_: GraphQLInputType, prefix: str = "") -> list[str]:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLInputObjectType):
        return [prefix]
    return [p for name, f in type_.fields.items() for p in leaf_paths(f.type, f"{prefix}{name}.")]


@pytest.mark.parametrize(
    ("input_type", "cases"),
    [("CreateCompanyInput", COMPANY_CASES), ("CreateShopInput", SHOP_CASES)],
)
def test_the_table_has_a_rule_for_every_field_of_the_inputs(
    input_type: str, cases: dict[str, Case]
) -> None:
    """A field added to an input without a case here fails: the table walks every field."""
    fields = {p.rstrip(".") for p in leaf_paths(schema._schema.type_map[input_type])}
    covered = {case.path for case in cases.values()}
    assert fields - covered == set()
    assert covered - fields == set()


async def test_several_mistakes_come_back_together_as_the_mutation_says_them(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World
) -> None:
    draft = company_draft(world)
    for path, value in (("iban", "FR00"), ("bic", "X"), ("address.postalCode", "9"), ("mcc", "")):
        draft = changed(draft, path, value)
    seller = await signed_in(client, world, "SELLER")
    checked = (await seller.post(VALIDATE_COMPANY, {"i": draft}))["data"]["validateCompany"]
    answered = (await seller.post(CREATE_COMPANY, {"i": draft}))["data"]["createCompany"]
    assert checked["userErrors"] == answered["userErrors"]
    assert {tuple(e["field"]) for e in checked["userErrors"]} == {
        ("input", "iban"),
        ("input", "bic"),
        ("input", "address", "postalCode"),
        ("input", "mcc"),
    }


async def test_a_valid_draft_is_valid_and_nothing_is_written_until_the_mutation(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World
) -> None:
    seller = await signed_in(client, world, "SELLER")
    company = company_draft(world)
    before = await row_counts(owner_engine)
    body = await seller.post(VALIDATE_COMPANY, {"i": company})
    assert body["data"]["validateCompany"] == {"valid": True, "userErrors": []}
    shop = shop_draft(world)
    body = await seller.post(VALIDATE_SHOP, {"i": shop})
    assert body["data"]["validateShop"] == {"valid": True, "userErrors": []}
    assert await row_counts(owner_engine) == before
    # The same inputs are then accepted: the check stopped at the write, and only there.
    created = (await seller.post(CREATE_COMPANY, {"i": company}))["data"]["createCompany"]
    assert created["userErrors"] == [] and created["company"]["id"]
    added = (await seller.post(CREATE_SHOP, {"i": shop}))["data"]["createShop"]
    assert added["userErrors"] == [] and added["shop"]["id"]
    # ... and now the same drafts are taken.
    body = await seller.post(VALIDATE_COMPANY, {"i": company})
    assert [e["code"] for e in body["data"]["validateCompany"]["userErrors"]] == ["DUPLICATE"]


async def test_postal_codes_follow_the_country(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World
) -> None:
    """Five digits in France and its overseas territories (spaces typed inside dropped), the
    loose rule elsewhere; the French message says what is expected."""
    seller = await signed_in(client, world, "SELLER")

    async def errors(postal: str, country: str | None) -> list[str]:
        draft = changed(company_draft(world), "address.postalCode", postal)
        if country is not None:
            draft = changed(draft, "address.country", country)
        body = await seller.post(VALIDATE_COMPANY, {"i": draft}, **{"Accept-Language": "fr"})
        return [
            e["message"]
            for e in body["data"]["validateCompany"]["userErrors"]
            if e["field"] == ["input", "address", "postalCode"]
        ]

    assert await errors("97 110", None) == []
    assert await errors("97200", "MQ") == []
    assert await errors("B-1000", "BE") == []
    assert await errors("ABC", "DE") == []  # three characters: the loose rule abroad
    assert await errors("ABC", None) == ["Code postal invalide : 5 chiffres (par ex. 97110)."]
    assert await errors("9720", "MQ") == ["Code postal invalide : 5 chiffres (par ex. 97110)."]
    draft = changed(company_draft(world), "address.postalCode", "97 110")
    created = (await seller.post(CREATE_COMPANY, {"i": draft}))["data"]["createCompany"]
    assert created["userErrors"] == []
    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT postal_code FROM companies WHERE siren = :s"), {"s": draft["siren"]}
        )
    assert stored == "97110"


async def test_checks_next_to_other_fields_of_one_query(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World
) -> None:
    """Sibling fields of a query run concurrently: each check holds the request's session
    until its savepoint is rolled back, so the others never read in an aborted transaction,
    and the reads after it are not read-only leftovers."""
    seller = await signed_in(client, world, "SELLER")
    before = await row_counts(owner_engine)
    body = await seller.post(
        "query($c: CreateCompanyInput!, $bad: CreateCompanyInput!, $s: CreateShopInput!) {"
        " a: validateCompany(input: $c) { valid }"
        " b: validateCompany(input: $bad) { valid userErrors { code } }"
        " c: validateShop(input: $s) { valid }"
        " companies(first: 2) { edges { node { id } } }"
        " d: validateShop(input: $s) { valid } }",
        {
            "c": company_draft(world),
            "bad": changed(company_draft(world), "siren", TAKEN_SIREN),
            "s": shop_draft(world),
        },
    )
    assert "errors" not in body, body
    data = body["data"]
    assert data["a"]["valid"] and data["c"]["valid"] and data["d"]["valid"]
    assert data["b"] == {"valid": False, "userErrors": [{"code": "DUPLICATE"}]}
    assert data["companies"]["edges"]
    assert await row_counts(owner_engine) == before


@pytest.mark.parametrize("role", ["HOTLINE", "TECHNICIAN", "SERVICE"])
async def test_the_checks_are_refused_to_who_may_not_create(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World, role: str
) -> None:
    user = await signed_in(client, world, role)
    before = await row_counts(owner_engine)
    for query, draft in (
        (VALIDATE_COMPANY, company_draft(world)),
        (VALIDATE_SHOP, shop_draft(world)),
    ):
        body = await user.post(query, {"i": draft})
        assert next(iter(body["data"].values())) is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await row_counts(owner_engine) == before


def test_the_checks_follow_their_mutations_in_the_policy() -> None:
    for check, mutation in policy.CHECKS.items():
        assert policy.OPERATIONS[check] == policy.OPERATIONS[mutation]
        assert (check in policy.NOT_FOR_PLATFORM) == (mutation in policy.NOT_FOR_PLATFORM)


@pytest.mark.parametrize(("role", "listed"), [("SELLER", True), ("HOTLINE", False)])
async def test_me_permissions_lists_the_checks(
    client: GraphQLClient, world: World, role: str, listed: bool
) -> None:
    user = await signed_in(client, world, role)
    body = await user.post("{ me { permissions { operations } } }")
    operations = body["data"]["me"]["permissions"]["operations"]
    assert ("validateCompany" in operations) is listed
    assert ("validateShop" in operations) is listed
    assert ("createCompany" in operations) is listed


async def test_another_tenants_siren_is_free_here(
    client: GraphQLClient, owner_engine: AsyncEngine, world: World
) -> None:
    """Tenancy is RLS: another partner's merchant is no DUPLICATE here, in the check as at
    submit."""
    other = await make_tenant_graph(owner_engine)
    _, siren = await add_company(owner_engine, other, "PROSPECT")
    seller = await signed_in(client, world, "SELLER")
    draft = changed(company_draft(world), "siren", siren)
    body = await seller.post(VALIDATE_COMPANY, {"i": draft})
    assert body["data"]["validateCompany"] == {"valid": True, "userErrors": []}


async def test_a_check_that_finds_mistakes_is_logged_ok_and_the_mutation_refused(
    client: GraphQLClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The request log and the metrics count a refused mutation as `user_error`; a check
    that answers the same errors did its job (the console asks one per pause in typing)."""
    seller = await signed_in(client, world, "SELLER")
    draft = changed(company_draft(world), "siren", "123456789")
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        caplog.clear()
        checked = await seller.post(VALIDATE_COMPANY, {"i": draft})
        refused = await seller.post(CREATE_COMPANY, {"i": draft})
    assert checked["data"]["validateCompany"]["userErrors"]
    assert refused["data"]["createCompany"]["userErrors"]
    lines = [r.msg for r in caplog.records if r.name == REQUEST_LOGGER]
    assert [(line["fields"], line["outcome"]) for line in lines] == [  # type: ignore[index]
        (["validateCompany"], "ok"),
        (["createCompany"], "user_error"),
    ]
