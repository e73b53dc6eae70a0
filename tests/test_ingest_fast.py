"""The ingestion fast path (issue 7, P5): what it skips, and that it still refuses and stores
exactly what the generic path did.

- recordTransactions' batch goes from graphql-core's coerced input straight to the use
  case's items (`RecordTransactionsInput`'s `from_input`), never through strawberry's
  per-item conversion; literal inputs and omitted optional fields included.
- The list-input limit measures a list of input objects that cannot hold lists by its length
  only, and still walks the items of those that can (recursive input types included).
- `DateTime` input reads with `datetime.fromisoformat`, falling back to strawberry's parser:
  the same values, the same refusals.
- `may_contain_pan` (the card-number pre-check) never says no to a text the full checks
  find a card number in; a masked PAN already in its stored shape is taken as is.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from graphql import build_schema, parse
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition

from db.identifiers import contains_pan, looks_like_pan, may_contain_pan
from resolvers import ingest
from resolvers.validation import Validator
from schema.limits.config import Limits
from schema.limits.lists import _holds_lists, list_excess
from schema.limits.walks import fragments_of
from schema.live import mutations
from schema.scalars import _datetime
from tests.conftest import GraphQLClient
from tests.ingest.conftest import service, world  # noqa: F401 (fixtures)
from tests.ingest.helpers import PAN, RECORD, letters, problems, record, stored, tx

# --------------------------------------------------------------------------- from_input


async def test_the_batch_never_goes_through_strawberrys_per_item_conversion(
    service: GraphQLClient,  # noqa: F811
    world: dict,  # noqa: F811
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No `TransactionInput` is built: the items reach the use case as `TransactionData`."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("TransactionInput built: the fast path was bypassed")

    monkeypatch.setattr(mutations.TransactionInput, "__init__", refuse)
    seen: list[list[Any]] = []
    original = ingest.record_transactions

    async def spy(actor: Any, items: Any) -> Any:
        seen.append(list(items))
        return await original(actor, items)

    monkeypatch.setattr(ingest, "record_transactions", spy)
    batch = [tx(world["tid"], amount=500 + i) for i in range(3)]
    payload = await record(service, batch)
    assert payload["userErrors"] == [] and payload["created"] == 3
    assert [type(item) for item in seen[0]] == [ingest.TransactionData] * 3
    rows = await stored(owner_engine, world["graph"].tenant_id, [t["externalId"] for t in batch])
    assert sorted(r.amount for r in rows.values()) == [500, 501, 502]


async def test_a_literal_batch_with_omitted_optional_fields_is_stored_as_sent(
    service: GraphQLClient,  # noqa: F811
    world: dict,  # noqa: F811
    owner_engine: AsyncEngine,
) -> None:
    """Inline literals (not variables) and absent maskedPan/authorizationCode/original."""
    sale, undo = f"lit-{letters()}", f"lit-{letters()}"
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    common = (
        f'tid: "{world["tid"]}", amount: 4200, currency: "eur", scheme: VISA, '
        f'entryMode: CHIP, status: APPROVED, responseCode: "00", occurredAt: "{when}"'
    )
    body = await service.post(
        "mutation { recordTransactions(input: {transactions: ["
        f'{{externalId: "{sale}", type: PURCHASE, {common}}}, '
        f'{{externalId: "{undo}", type: REVERSAL, originalExternalId: "{sale}", {common}}}'
        "]}) { created transactions { externalId currency scheme entryMode amount"
        " originalTransaction { externalId } }"
        " userErrors { field code } } }"
    )
    assert "errors" not in body, body
    payload = body["data"]["recordTransactions"]
    assert payload["userErrors"] == [] and payload["created"] == 2
    first, second = payload["transactions"]
    assert first == {
        "externalId": sale,
        "currency": "EUR",
        "scheme": "VISA",
        "entryMode": "CHIP",
        "amount": 4200,
        "originalTransaction": None,
    }
    assert second["originalTransaction"] == {"externalId": sale}
    rows = await stored(owner_engine, world["graph"].tenant_id, [sale, undo])
    assert rows[undo].original_transaction_id == rows[sale].id
    assert (rows[sale].masked_pan, rows[sale].authorization_code) == (None, None)


async def test_bad_items_are_refused_at_their_index_as_before(
    service: GraphQLClient,  # noqa: F811
    world: dict,  # noqa: F811
    owner_engine: AsyncEngine,
) -> None:
    tid = world["tid"]
    batch = [
        tx(tid),
        tx(tid, maskedPan=PAN),
        tx(tid, externalId=f"ref {PAN}"),
        tx(tid, currency="XXX", responseCode="toolong"),
        tx(tid, maskedPan="4970 10** **** 1234\n"),
    ]
    payload = await record(service, batch)
    assert problems(payload) == [
        (["input", "transactions", "1", "maskedPan"], "CARD_DATA_REFUSED"),
        (["input", "transactions", "2", "externalId"], "CARD_DATA_REFUSED"),
        (["input", "transactions", "3", "currency"], "INVALID_CURRENCY"),
        (["input", "transactions", "3", "responseCode"], "INVALID"),
    ]
    assert await stored(owner_engine, world["graph"].tenant_id, [batch[0]["externalId"]]) == {}


@pytest.mark.parametrize(
    ("masked", "expected"),
    [
        ("497010******1234", "497010******1234"),
        ("497010******1234\n", "497010******1234"),
        ("497010xxxxxx1234", "497010XXXXXX1234"),
        ("4970 10** **** 1234", "497010******1234"),
        ("**1234", "**1234"),
    ],
)
def test_masked_pans_are_stored_compact(masked: str, expected: str) -> None:
    v = Validator("en")
    assert ingest.check_masked_pan(v, ["maskedPan"], masked) == expected
    assert not v.errors


# --------------------------------------------------------------------------- list limits

NESTED = build_schema(
    """
    input Leaf { name: String, tags: [String] }
    input Flat { name: String, amount: Int }
    input Loop { next: Loop, flat: Flat }
    input A { b: B, tags: [String] }
    input B { a: A }
    type Query {
      flats(items: [Flat]): Int
      leaves(items: [Leaf]): Int
      bs(items: [B]): Int
    }
    """
)


def test_only_input_types_that_can_hold_lists_are_walked_into() -> None:
    types = NESTED.type_map
    assert _holds_lists(types["Leaf"])  # type: ignore[arg-type]
    assert not _holds_lists(types["Flat"])  # type: ignore[arg-type]
    assert not _holds_lists(types["Loop"])  # type: ignore[arg-type]
    # Through a cycle: B holds an A, which holds a list (whichever is asked first).
    _holds_lists.cache_clear()
    assert _holds_lists(types["A"]) and _holds_lists(types["B"])  # type: ignore[arg-type]
    _holds_lists.cache_clear()
    assert _holds_lists(types["B"]) and _holds_lists(types["A"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "item", "where"),
    [
        ("leaves", {"tags": ["t"] * 101}, "Leaf.tags"),
        ("bs", {"a": {"tags": ["t"] * 101}}, "A.tags"),
    ],
)
def test_a_long_list_inside_a_listed_item_is_still_refused(
    field: str, item: dict[str, Any], where: str
) -> None:
    type_name = {"leaves": "Leaf", "bs": "B"}[field]
    document = parse(f"query($x: [{type_name}]) {{ {field}(items: $x) }}")
    operation = document.definitions[0]
    items = [{}, item]
    error = list_excess(NESTED, operation, fragments_of(document), {"x": items}, Limits())  # type: ignore[arg-type]
    assert error is not None and error.extensions["argument"] == where  # type: ignore[index]
    fine = list_excess(NESTED, operation, fragments_of(document), {"x": [{}] * 100}, Limits())  # type: ignore[arg-type]
    assert fine is None


def test_a_list_of_flat_items_is_measured_by_its_length() -> None:
    document = parse("query($x: [Flat]) { flats(items: $x) }")
    operation = document.definitions[0]
    limits = Limits()
    error = list_excess(NESTED, operation, fragments_of(document), {"x": [{}] * 101}, limits)  # type: ignore[arg-type]
    assert error is not None and error.extensions["measured"] == 101  # type: ignore[index]
    # Items are not looked at: a malformed item is coercion's business, not this check's.
    assert (
        list_excess(NESTED, operation, fragments_of(document), {"x": [[1] * 500] * 100}, limits)  # type: ignore[arg-type]
        is None
    )


# --------------------------------------------------------------------------- DateTime


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-28T04:00:00+00:00",
        "2026-11-28T04:00:00Z",
        "2026-11-28T04:00:00.123456789Z",
        "2026-11-28T04:00:00,5+01:00",
        "2026-11-28T04:00",
        "2026-11-28",
        "20261128T040000Z",
        "2026-11-28T04:00:00-0530",
        "2026-W48-6",
        "2026-11-28T24:00:00",  # fromisoformat refuses it: strawberry's parser reads it
    ],
)
def test_datetime_input_reads_what_strawberrys_parser_reads(text: str) -> None:
    expected = DateTimeDefinition.parse_value(text)  # type: ignore[misc]
    value = _datetime(text)
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["", "yesterday", " 2026-11-28T04:00:00Z", "2026-13-01", 12])
def test_datetime_input_refuses_what_strawberrys_parser_refuses(bad: Any) -> None:
    with pytest.raises(StrawberryInputCoercionError) as ours:
        _datetime(bad)
    with pytest.raises(StrawberryInputCoercionError) as theirs:
        DateTimeDefinition.parse_value(bad)  # type: ignore[misc]
    assert str(ours.value) == str(theirs.value)


# --------------------------------------------------------------------------- card numbers


def _texts(rng: random.Random) -> list[str]:
    pans = [PAN, "4111111111111111", "378282246310005", "6011000990139424", "5555555555554444"]
    texts = []
    for pan in pans:
        texts += [
            pan,
            f"tx-{pan}",
            f"5-{pan}-x",
            " ".join(pan[i : i + 4] for i in range(0, len(pan), 4)),
            "-".join(pan[i : i + 4] for i in range(0, len(pan), 4)),
            f"{pan[:6]}******{pan[-4:]}",
        ]
    alphabet = "0123456789 -*xX/._:٣\n"
    for _ in range(3000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(12, 19)))
        texts.append(digits)
    return texts


def test_the_card_number_precheck_never_hides_a_card_number() -> None:
    rng = random.Random(7)
    found = 0
    for text in _texts(rng):
        full = ingest.card_number_in(text) or contains_pan(text) or looks_like_pan(text)
        found += full
        if full:
            assert may_contain_pan(text), text
        if not may_contain_pan(text):
            assert not full, text
    assert found > 50  # the sample does hold card numbers
    assert not may_contain_pan("bench-ghijklmn-123456789012")  # 12 digits
    assert may_contain_pan("bench-ghijklmn-1234567890123")


# --------------------------------------------------------------------------- coerced once


async def test_the_batch_is_coerced_once_per_request(
    service: GraphQLClient,  # noqa: F811
    world: dict,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QueryLimits coerces the variables before execution; execution reuses its values."""
    import graphql.execution.executor as executor_module

    import engine.variables as limits_module

    coerced: list[str] = []

    def counting(where: str, real: Any) -> Any:
        def wrapper(schema: Any, definitions: Any, inputs: Any, **kwargs: Any) -> Any:
            if definitions:
                coerced.append(where)
            return real(schema, definitions, inputs, **kwargs)

        return wrapper

    for module, where in ((limits_module, "limits"), (executor_module, "executor")):
        monkeypatch.setattr(
            module, "get_variable_values", counting(where, module.get_variable_values)
        )
    quick = limits_module.coerce_variables_quickly

    def counting_quick(*args: Any) -> Any:
        found = quick(*args)
        coerced.append("limits, quickly" if found is not None else "limits, stepped aside")
        return found

    monkeypatch.setattr(limits_module, "coerce_variables_quickly", counting_quick)
    payload = await record(service, [tx(world["tid"]) for _ in range(3)])
    assert payload["userErrors"] == [] and payload["created"] == 3
    assert coerced == ["limits, quickly"]
    # A variable coercion error is still reported before execution, once.
    coerced.clear()
    body = await service.post(RECORD, {"i": {"transactions": [tx(world["tid"], scheme="NOPE")]}})
    assert body.get("data") is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert coerced == ["limits, stepped aside", "limits"]


# --------------------------------------------------------------------------- quick coercion


def _sample(type_: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value for an input type: mostly valid, sometimes not (wrong kind, null, missing or
    unknown field, a single value for a list), to compare both coercions on."""
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLList,
        GraphQLNonNull,
        GraphQLScalarType,
    )

    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.05:
        return rng.choice([{"x": 1}, [1, 2], "nope", 3.5, True, -1, 2**70])
    if isinstance(type_, GraphQLNonNull):
        return _sample(type_.of_type, rng, depth)
    if isinstance(type_, GraphQLList):
        if rng.random() < 0.1:
            return _sample(type_.of_type, rng, depth + 1)
        return [_sample(type_.of_type, rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if isinstance(type_, GraphQLInputObjectType):
        value = {}
        for name, field in type_.fields.items():
            if depth > 4 or rng.random() < 0.15:
                continue
            value[name] = _sample(field.type, rng, depth + 1)
        if rng.random() < 0.03:
            value["unknownField"] = 1
        return value
    if isinstance(type_, GraphQLEnumType):
        return rng.choice([*type_.values, "NOT_A_VALUE"])
    assert isinstance(type_, GraphQLScalarType)
    by_name = {
        "String": ["text", "", "4970101234567893", 12],
        "Int": [0, 7, -3, 2**40, "7", 1.0, 1.5],
        "Float": [0.5, 3, "x"],
        "Boolean": [True, False, 0, "true"],
        "ID": ["abc", 12, 1.5],
        "Long": [5, -(2**63), 2**63, "12", True, 1.5],
        "DateTime": ["2026-11-28T04:00:00Z", "2026-11-28", "yesterday", 5],
        "Date": ["2026-11-28", "2026-13-01", 5],
        "Time": ["04:00", "25:00"],
        "JSON": [{"a": [1, {"b": None}]}, [1, 2], "x", None],
        "UUID": ["0b0e4a4e-6f6e-4c8e-9a0e-3f2b4c5d6e7f", "nope"],
        "Decimal": ["1.5", 2, "x"],
    }
    return rng.choice(by_name.get(type_.name, ["anything", 1, None]))


def _input_types() -> list[Any]:
    from graphql import GraphQLInputObjectType

    from schema.schema import schema

    return [
        t
        for name, t in schema._schema.type_map.items()
        if isinstance(t, GraphQLInputObjectType) and not name.startswith("__")
    ]


def test_quick_coercion_gives_what_graphql_core_gives_or_steps_aside() -> None:
    """For every input type of the schema, on mostly valid and some invalid values: the
    quick path returns exactly graphql-core's coerced values, or None where graphql-core
    would report an error (it then reports it, as before)."""
    from graphql.execution.values import get_variable_values

    from engine.variables import coerce_variables_quickly
    from schema.schema import schema

    rng = random.Random(11)
    graphql_schema = schema._schema
    quick_ok = refused = 0
    for input_type in _input_types():
        for declared in (f"{input_type.name}!", f"[{input_type.name}!]", input_type.name):
            document = parse(f"query($v: {declared}) {{ __typename }}")
            operation = document.definitions[0]
            for _ in range(40):
                value = _sample(graphql_schema.get_type(input_type.name), rng)
                if declared.startswith("[") and rng.random() < 0.8:
                    value = [value, _sample(input_type, rng)]
                inputs = {"v": value}
                ours = coerce_variables_quickly(graphql_schema, operation, inputs)  # type: ignore[arg-type]
                theirs = get_variable_values(graphql_schema, operation.variable_definitions, inputs)
                if isinstance(theirs, list):
                    assert ours is None, (input_type.name, value)
                    refused += 1
                elif ours is not None:
                    assert ours.coerced == theirs.coerced, (input_type.name, value)
                    assert [(k, s.value) for k, s in ours.sources.items()] == [
                        (k, s.value) for k, s in theirs.sources.items()
                    ]
                    quick_ok += 1
    assert quick_ok > 500 and refused > 200, (quick_ok, refused)


def test_quick_coercion_steps_aside_for_missing_variables_and_defaults() -> None:
    from graphql.execution.values import get_variable_values

    from engine.variables import coerce_variables_quickly
    from schema.schema import schema

    document = parse("query($n: Int = 5, $s: String) { __typename }")
    operation = document.definitions[0]
    assert coerce_variables_quickly(schema._schema, operation, {"s": "x"}) is None  # type: ignore[arg-type]
    both = coerce_variables_quickly(schema._schema, operation, {"n": 1, "s": None})  # type: ignore[arg-type]
    assert both is not None and both.coerced == {"n": 1, "s": None}
    reference = get_variable_values(
        schema._schema, operation.variable_definitions, {"n": 1, "s": None}
    )
    assert both.coerced == reference.coerced  # type: ignore[union-attr]


def test_quick_coercion_of_a_recursive_input_type_checks_its_nesting() -> None:
    from graphql.execution.values import get_variable_values

    from engine.variables import coerce_variables_quickly

    document = parse("query($x: B) { bs(items: [$x]) }")
    operation = document.definitions[0]
    deep: dict[str, Any] = {"tags": ["t"]}
    for _ in range(300):
        deep = {"b": {"a": deep}}
    assert coerce_variables_quickly(NESTED, operation, {"x": {"a": deep}}) is None  # type: ignore[arg-type]
    assert isinstance(
        get_variable_values(NESTED, operation.variable_definitions, {"x": {"a": deep}}), list
    )
    shallow = {"a": {"b": {"a": {"tags": ["t", None]}}}}
    ours = coerce_variables_quickly(NESTED, operation, {"x": shallow})  # type: ignore[arg-type]
    theirs = get_variable_values(NESTED, operation.variable_definitions, {"x": shallow})
    assert ours is not None and ours.coerced == theirs.coerced  # type: ignore[union-attr]


async def test_new_rows_come_back_from_the_insert_and_only_repeats_are_read_back(
    service: GraphQLClient,  # noqa: F811
    world: dict,  # noqa: F811
) -> None:
    transport = service.http._transport
    database = transport.app.state.database  # type: ignore[attr-defined]
    batch = [tx(world["tid"], amount=i) for i in range(10)]
    before = database.statements
    first = await record(service, batch)
    new_batch = database.statements - before
    before = database.statements
    again = await record(service, batch)
    repeated = database.statements - before
    assert first["created"] == 10 and again["created"] == 0
    assert [t["id"] for t in again["transactions"]] == [t["id"] for t in first["transactions"]]
    # The repeat reads its rows back; the new batch had them from INSERT … RETURNING (and
    # sends its one NOTIFY, which the repeat does not).
    assert repeated == new_batch
