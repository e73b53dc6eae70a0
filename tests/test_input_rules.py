"""Rules every mutation input obeys whatever its field (schema/inputs.py), and card numbers in
refused input (issue 12, items 5, 6 and 8).

- Generated from the schema: every string reachable in every mutation's arguments refuses a
  card number inside a longer run of digits (CARD_DATA_REFUSED), every required string
  refuses a blank (REQUIRED), every JSON value refuses a card number, and ordinary text with
  dates, a SIRET, a phone number and a UUID passes.
- Through the API: such inputs write nothing; a card number in a value graphql-core refuses
  (`amount: "caisse 2 5351 1073 9224 3694"`) is masked in the error and in the server log.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.identifiers import contains_pan
from db.session import READ_ONLY, Database
from resolvers import terminals as rt
from resolvers.errors import BadUserInput
from resolvers.usecase import Problems
from schema.extensions import clean_errors
from schema.inputs import check_value
from schema.mutations import READ_ONLY_SQLSTATE
from schema.schema import schema
from tenancy.principal import tenant_claims
from tests.api import gid, signed_in
from tests.card_scan import SERVER_LOG, holds_card_data
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph, add_user, make_tenant_graph
from tests.fleet.helpers import add_service, in_hours, merchant

CARD = "TPE A920 5351 1073 9224 3694"  # a Mastercard number after a terminal model
DASHED = "caisse 2 5351-1073-9224-3694"
ORDINARY = (
    "Ouvert le 2026-12-04, SIRET 73282932000074, tél. +590690123456,"
    " dossier 8d6ea31c-63d8-4361-8d85-f3655092c5c8"
)

Leaf = tuple[tuple[str, ...], str, bool]  # path, scalar name, required


def leaves(type_: GraphQLInputType, path: tuple[str, ...], seen: frozenset) -> Iterator[Leaf]:
    """Every String and JSON value reachable in a value of `type_` (a list's first item)."""
    required = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if required else type_
    if isinstance(inner, GraphQLList):
        yield from leaves(inner.of_type, (*path, "0"), seen)
    elif isinstance(inner, GraphQLInputObjectType) and inner.name not in seen:
        for name, field in inner.fields.items():
            yield from leaves(field.type, (*path, name), seen | {inner.name})
    elif isinstance(inner, GraphQLScalarType) and inner.name in ("String", "JSON"):
        yield path, inner.name, required


def value_at(type_: GraphQLInputType, path: tuple[str, ...], leaf: Any) -> Any:
    """A coerced value of `type_` holding `leaf` at `path` (and nothing else)."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if not path:
        return leaf
    if isinstance(inner, GraphQLList):
        return [value_at(inner.of_type, path[1:], leaf)]
    assert isinstance(inner, GraphQLInputObjectType)
    field = inner.fields[path[0]]
    return {field.out_name or path[0]: value_at(field.type, path[1:], leaf)}


def every_leaf() -> list[tuple[str, str, Leaf]]:
    mutations = schema._schema.mutation_type
    assert mutations is not None
    found = []
    for operation, field in mutations.fields.items():
        for name, argument in field.args.items():
            for leaf in leaves(argument.type, (name,), frozenset()):
                found.append((operation, name, leaf))
    return found


LEAVES = every_leaf()


def problems_of(operation: str, argument: str, path: tuple[str, ...], leaf: Any) -> list:
    field = schema._schema.mutation_type.fields[operation]  # type: ignore[union-attr]
    type_ = field.args[argument].type
    problems = Problems("en")
    check_value(problems, [argument], type_, value_at(type_, path[1:], leaf))
    return [(tuple(e.field or ()), e.code.value) for e in problems.errors]


def test_the_rules_reach_every_string_of_every_mutation() -> None:
    ids = {(op, ".".join(path)) for op, _, (path, _, _) in LEAVES}
    assert len(ids) > 100
    # The fields issue 12 found accepting card numbers or blanks are among them.
    for expected in (
        ("commentRequest", "input.body"),
        ("updateCompany", "input.tradeName"),
        ("registerTerminal", "input.model"),
        ("blockService", "input.reason"),
        ("enrollSoftposDevice", "input.device.osVersion"),
        ("recordTerminalEvents", "input.events.0.payload"),
    ):
        assert expected in ids, expected


@pytest.mark.parametrize(
    ("operation", "argument", "leaf"),
    LEAVES,
    ids=[f"{op}.{'.'.join(path)}" for op, _, (path, _, _) in LEAVES],
)
def test_every_string_refuses_card_numbers_and_every_required_one_blanks(
    operation: str, argument: str, leaf: Leaf
) -> None:
    path, scalar, required = leaf
    if scalar == "JSON":
        for value in ({"note": CARD}, [DASHED], {CARD: 1}, 5351107392243694):
            assert problems_of(operation, argument, path, value) == [(path, "CARD_DATA_REFUSED")]
        assert problems_of(operation, argument, path, {"note": ORDINARY}) == []
        return
    for value in (CARD, DASHED, "5351 1073 9224 3694"):
        assert problems_of(operation, argument, path, value) == [(path, "CARD_DATA_REFUSED")]
    assert problems_of(operation, argument, path, ORDINARY) == []
    blank = problems_of(operation, argument, path, "  ")
    assert blank == ([(path, "REQUIRED")] if required else [])


def test_a_batch_reports_each_item_in_order_and_passes_ordinary_items() -> None:
    """Lists of input objects are checked column by column (thousands of items per
    ingestion batch): the problems still come item by item, field by field."""
    item = {"externalId": "SIM-ABCDEF-AAB4", "tid": "GP123456", "currency": "EUR"}
    batch = [
        {**item, "currency": " "},
        dict(item),
        {**item, "maskedPan": "5351 1073 9224 3694", "externalId": "tx-4970101234567893"},
        {**item, "authorizationCode": ""},
    ]
    problems = Problems("en")
    field = schema._schema.mutation_type.fields["recordTransactions"]  # type: ignore[union-attr]
    check_value(problems, ["input"], field.args["input"].type, {"transactions": batch})
    assert [(e.field, e.code.value) for e in problems.errors] == [
        (["input", "transactions", "0", "currency"], "REQUIRED"),
        (["input", "transactions", "2", "externalId"], "CARD_DATA_REFUSED"),
        (["input", "transactions", "2", "maskedPan"], "CARD_DATA_REFUSED"),
    ]


# --------------------------------------------------------------------------- through the API

ERRORS = "userErrors { field code message }"
COMMENT = f"""mutation($i: CommentRequestInput!) {{ commentRequest(input: $i) {{
  comment {{ id body }} {ERRORS} }} }}"""
ENROLL = f"""mutation($i: EnrollSoftposDeviceInput!) {{ enrollSoftposDevice(input: $i) {{
  service {{ id status }} terminal {{ id }} {ERRORS} }} }}"""
RECORD = f"""mutation($i: RecordTransactionsInput!) {{ recordTransactions(input: $i) {{
  created {ERRORS} }} }}"""
SIMULATE = """query($i: SimulateFeesInput!) { simulateFees(input: $i) {
  totals { count fees } } }"""


@pytest.fixture(scope="module")
async def tenant(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {role: await add_user(owner_engine, graph, role) for role in ("SUPERVISOR", "SERVICE")}
    return graph, users


async def rows(engine: AsyncEngine, tenant_id: uuid.UUID) -> dict[str, int]:
    counts = {}
    async with engine.connect() as conn:
        for table in ("request_comments", "audit_events", "terminals"):
            counts[table] = await conn.scalar(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id}
            )
    return counts


def errors(body: dict[str, Any], operation: str) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in body["data"][operation]["userErrors"]]


@pytest.mark.parametrize("body", [CARD, DASHED, "Ticket\n4970-1012-3456-7893\nà rappeler"])
async def test_a_comment_holding_a_card_number_is_refused_and_nothing_is_written(
    client: GraphQLClient,
    owner_engine: AsyncEngine,
    tenant: tuple[TenantGraph, dict[str, str]],
    body: str,
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    before = await rows(owner_engine, graph.tenant_id)
    answer = await supervisor.post(
        COMMENT, {"i": {"requestId": gid("Request", graph.ids["request"]), "body": body}}
    )
    assert errors(answer, "commentRequest") == [(["input", "body"], "CARD_DATA_REFUSED")]
    assert not holds_card_data(json.dumps(answer))
    assert await rows(owner_engine, graph.tenant_id) == before
    # The same comment without the card number is taken.
    answer = await supervisor.post(
        COMMENT,
        {"i": {"requestId": gid("Request", graph.ids["request"]), "body": "TPE A920 en panne"}},
    )
    assert errors(answer, "commentRequest") == []


async def test_a_softpos_device_without_an_os_version_is_not_enrolled(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    code = rt.new_activation_code()
    service_id = await add_service(
        owner_engine,
        graph,
        status="PENDING",
        kind="PAYWISH_SOFTPOS",
        code_hash=rt.hash_activation_code(code),
        code_expires_at=in_hours(1),
        contract_id=ids["contract"],
        shop_id=ids["shop"],
    )
    service = await signed_in(client, users["SERVICE"])
    device = {"model": "Pixel 8", "osVersion": "", "appVersion": "3.2.0"}
    before = await rows(owner_engine, graph.tenant_id)
    for blank in ("", "   "):
        answer = await service.post(
            ENROLL, {"i": {"activationCode": code, "device": {**device, "osVersion": blank}}}
        )
        assert errors(answer, "enrollSoftposDevice") == [
            (["input", "device", "osVersion"], "REQUIRED")
        ]
        assert answer["data"]["enrollSoftposDevice"]["service"] is None
    assert await rows(owner_engine, graph.tenant_id) == before
    # The code was not spent: the same device with its OS version enrolls.
    answer = await service.post(
        ENROLL, {"i": {"activationCode": code, "device": {**device, "osVersion": "Android 15"}}}
    )
    assert errors(answer, "enrollSoftposDevice") == []
    assert answer["data"]["enrollSoftposDevice"]["service"] == {
        "id": gid("Service", service_id),
        "status": "ACTIVE",
    }


def log_lines_since(mark: int) -> list[str]:
    return list(SERVER_LOG.latest)[-(SERVER_LOG.count - mark) :] if SERVER_LOG.count > mark else []


@pytest.mark.parametrize("spoiled", [CARD.replace("TPE A920", "caisse 2"), DASHED])
async def test_a_card_number_graphql_core_refuses_is_masked_in_the_error_and_the_log(
    client: GraphQLClient, tenant: tuple[TenantGraph, dict[str, str]], spoiled: str
) -> None:
    graph, users = tenant
    service = await signed_in(client, users["SERVICE"])
    supervisor = await signed_in(client, users["SUPERVISOR"])
    transaction = {
        "externalId": f"t-{uuid.uuid4().hex[:12]}",
        "tid": "ABCD1234",
        "type": "PURCHASE",
        "amount": spoiled,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "occurredAt": "2026-12-04T10:00:00Z",
    }
    literal = json.dumps(spoiled)
    cases = [
        (service, RECORD, {"i": {"transactions": [transaction]}}),
        (
            service,
            'mutation { recordTransactions(input: {transactions: [{externalId: "x-1",'
            f' tid: "ABCD1234", type: PURCHASE, amount: {literal}, currency: "EUR",'
            ' scheme: CB, entryMode: CONTACTLESS, status: APPROVED, responseCode: "00",'
            ' occurredAt: "2026-12-04T10:00:00Z"}]}) { created } }',
            None,
        ),
        (
            supervisor,
            SIMULATE,
            {
                "i": {
                    "contractId": gid("Contract", graph.ids["contract"]),
                    "transactions": [{"scheme": "CB", "region": "DOMESTIC", "amount": spoiled}],
                }
            },
        ),
        (
            supervisor,
            "{ simulateFees(input: {transactions: [{scheme: CB, region: DOMESTIC,"
            f" amount: {literal}}}]}}) {{ totals {{ count }} }} }}",
            None,
        ),
    ]
    for caller, query, variables in cases:
        mark = SERVER_LOG.count
        answer = await caller.post(query, variables)
        assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", answer
        assert not contains_pan(json.dumps(answer)), answer
        logged = log_lines_since(mark)
        assert logged, "the refusal was logged"
        assert not any(holds_card_data(line) for line in logged), logged


def test_error_messages_mask_card_numbers_whoever_wrote_them() -> None:
    """ErrorHygiene masks card numbers in every error it lets through: graphql-core's own
    (no original error) and Spring's (an expected error quoting what it refused)."""
    result = ExecutionResult(
        data=None,
        errors=[
            GraphQLError(f'Expected value of type "Long!", found "{CARD}".'),
            GraphQLError(f"Refused: {DASHED}", original_error=BadUserInput(f"Refused: {DASHED}")),
        ],
    )
    clean_errors(result, context=None)
    assert [e.message for e in result.errors or ()] == [
        'Expected value of type "Long!", found "TPE A920 535110******3694".',
        "Refused: caisse 2 535110******3694",
    ]
    assert [(e.extensions or {})["code"] for e in result.errors or ()] == ["BAD_USER_INPUT"] * 2


async def test_while_a_refused_input_is_examined_every_new_transaction_is_read_only(
    app_db: Database, tenant: tuple[TenantGraph, dict[str, str]]
) -> None:
    """`attempt` lets the use case run on a refused input only read-only: its own session's
    savepoint, and any session it opens (createTenant opens one), refuse every write."""
    graph, _ = tenant
    insert = text(
        "INSERT INTO audit_events (tenant_id, id, entity_type, action, actor_kind, actor_label)"
        " VALUES (:t, :id, 'Tenant', 'tenant.created', 'SYSTEM', 'read-only test')"
    )
    token = READ_ONLY.set(True)
    try:
        async with app_db.session(tenant_claims(graph.tenant_id)) as session:
            with pytest.raises(DBAPIError) as refused:
                async with session.begin():
                    await session.execute(insert, {"t": graph.tenant_id, "id": uuid.uuid4()})
        assert refused.value.orig.sqlstate == READ_ONLY_SQLSTATE  # type: ignore[union-attr]
    finally:
        READ_ONLY.reset(token)
    async with app_db.session(tenant_claims(graph.tenant_id)) as session, session.begin():
        await session.execute(insert, {"t": graph.tenant_id, "id": uuid.uuid4()})
