"""What the journal records of an entity derives from its model (issue 14, item 3).

The journaled fields of each entity (`TERMINAL_FIELDS`, `COMPANY_FIELDS`, ...) used to be kept
by hand: a column left out of them passed every test and was silently missing from the journal.
They are now `journal.journaled(Model, exclude={column: reason})`: every column of the model but
the declared exclusions. Here: every column of every journaled model is either journaled or an
exclusion with its reason, secrets never are journaled, what the policy masks is journaled
masked, and a changed field shows in its entry's before/after through the API.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from resolvers import account, accounts, journal, merchants, requests
from resolvers.contracts import common as contracts
from resolvers.terminals import common as terminals
from tenancy import policy
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph

#: Every journaled view of a model the resolvers declare (a new one is added here).
DECLARED = {
    "TERMINAL_FIELDS": terminals.TERMINAL_FIELDS,
    "SERVICE_FIELDS": terminals.SERVICE_FIELDS,
    "OPTION_FIELDS": terminals.OPTION_FIELDS,
    "COMPANY_FIELDS": merchants.COMPANY_FIELDS,
    "SHOP_FIELDS": merchants.SHOP_FIELDS,
    "REQUEST_FIELDS": requests.REQUEST_FIELDS,
    "CONTRACT_FIELDS": contracts.CONTRACT_FIELDS,
    "USER_FIELDS": accounts.USER_FIELDS,
    **{f"PROFILE_FIELDS[{k.__name__}]": v for k, v in account.PROFILE_FIELDS.items()},
}
#: Column names that hold a secret: never journaled, whatever the model.
SECRET_MARKS = ("hash", "password", "secret", "token")


def test_every_declaration_is_known_here() -> None:
    assert sorted(j.name for j in journal.JOURNALED) == sorted(DECLARED)
    for j in journal.JOURNALED:
        assert DECLARED[j.name] == j.fields, j.name


def test_every_column_is_journaled_or_excluded_with_a_reason() -> None:
    for j in journal.JOURNALED:
        columns = journal.columns(j.model)
        assert set(j.fields) | set(j.excluded) == set(columns), (
            f"{j.name}: {sorted(set(columns) - set(j.fields) - set(j.excluded))} is neither"
            " journaled nor excluded"
        )
        assert not set(j.fields) & set(j.excluded), j.name
        for column, reason in j.excluded.items():
            assert isinstance(reason, str) and reason.strip(), (j.name, column)
        assert j.fields, j.name


def test_secrets_and_bookkeeping_are_never_journaled() -> None:
    for j in journal.JOURNALED:
        for column in j.fields:
            assert not any(mark in column for mark in SECRET_MARKS), (j.name, column)
            assert column not in journal.NEVER_JOURNALED, (j.name, column)
    assert "password_hash" not in accounts.USER_FIELDS
    assert "activation_code_hash" not in terminals.SERVICE_FIELDS


def test_a_new_column_is_journaled_by_default() -> None:
    class Base(DeclarativeBase):
        pass

    class Gadget(Base):
        __tablename__ = "gadgets"
        id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
        tenant_id: Mapped[uuid.UUID]
        name: Mapped[str] = mapped_column(sa.String(40))
        pin_hash: Mapped[str] = mapped_column(sa.String(64))
        colour: Mapped[str | None] = mapped_column(sa.String(20))  # the "new" column

    before = list(journal.JOURNALED)
    try:
        fields = journal.journaled(Gadget, name="GADGET", exclude={"pin_hash": "a secret"})
        assert fields == ("name", "colour")
        try:
            journal.journaled(Gadget, name="GADGET", exclude={"pin": "stale"})
        except ValueError as error:
            assert "pin" in str(error)
        else:
            raise AssertionError("an exclusion of a column the model lacks must fail")
    finally:
        journal.JOURNALED[:] = before


def test_what_the_policy_masks_is_journaled_masked() -> None:
    masked = 0
    for j in journal.JOURNALED:
        for column in j.fields:
            if f"{j.model.__name__}.{journal.camel(column)}" in policy.MASKS:
                masked += 1
    assert masked >= 1  # Company.iban
    row = type("Company", (), {"iban": "FR7630006000011234567890189", "trade_name": "X"})()
    snap = journal.snapshot(row, ("iban", "trade_name"))
    assert snap["iban"].endswith("0189") and "FR76" not in snap["iban"], snap
    assert snap["tradeName"] == "X"


def test_options_defaults_cover_every_journaled_option() -> None:
    assert set(terminals.DEFAULT_OPTIONS) == set(terminals.OPTION_FIELDS)
    assert set(terminals.OPTION_KEYS) == set(terminals.OPTION_FIELDS)


NEW_IBAN = "FR7630004000031234567890143"
UPDATE = """mutation($i: UpdateCompanyInput!) { updateCompany(input: $i) {
  company { id } userErrors { field code message } } }"""
JOURNAL = """query($id: ID!) { node(id: $id) { ... on Company {
  auditEvents(first: 10) { edges { node { action before after } } } } } }"""


async def test_a_changed_field_shows_in_the_entry(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> None:
    graph = await make_tenant_graph(owner_engine)
    supervisor = GraphQLClient(client.http)
    await supervisor.login(await add_user(owner_engine, graph, "SUPERVISOR"), PASSWORD)
    company = gid("Company", graph.ids["company"])
    body = await supervisor.post(
        UPDATE,
        {"i": {"id": company, "tradeName": "Nouvelle enseigne", "iban": NEW_IBAN}},
    )
    assert not body["data"]["updateCompany"]["userErrors"], body

    body = await supervisor.post(JOURNAL, {"id": company})
    assert "errors" not in body, body
    events = [e["node"] for e in body["data"]["node"]["auditEvents"]["edges"]]
    updated = next(e for e in events if e["action"] == "company.updated")
    assert updated["after"]["tradeName"] == "Nouvelle enseigne", updated
    assert updated["before"]["tradeName"] != "Nouvelle enseigne", updated
    # The IBAN is journaled as the policy masks it: its last four characters only.
    assert updated["after"]["iban"].endswith(NEW_IBAN[-4:]), updated
    assert updated["before"]["iban"].endswith("0189"), updated
    assert NEW_IBAN[4:-4] not in str(updated) and "3000600001" not in str(updated), updated
    # Only what changed, and nothing that is excluded.
    assert set(updated["after"]) == {"tradeName", "iban"}, updated
