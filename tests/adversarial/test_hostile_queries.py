"""Hostile queries, generated from the schema: deep, wide, aliased, duplicated, costly, huge
pages, huge documents, oversized list inputs (every list argument and list input field of
every root field), fragment cycles, batches. Each is refused before any SQL runs: an
authenticated caller's request runs only its token's check, an anonymous one runs nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
)

from schema.limits.config import Limits
from tests.adversarial.conftest import (
    API,
    MUTATIONS,
    QUERIES,
    Inputs,
    World,
    operation,
    required,
    selection,
    statements,
)
from tests.adversarial.test_bad_input import _place
from tests.conftest import GraphQLClient

LIMITS = Limits()


# --------------------------------------------------------------------------- generators


def _heights(limit: int) -> dict[str, int]:
    """How deep a selection can go below each object type (capped at `limit`)."""
    heights = {name: 0 for name, t in API.type_map.items() if is_object_type(t)}
    for _ in range(limit):
        for name in heights:
            type_ = API.get_type(name)
            below = [
                heights.get(get_named_type(f.type).name, 0)
                for f in type_.fields.values()  # type: ignore[union-attr]
                if not is_leaf_type(get_named_type(f.type))
                and not any(required(a) for a in f.args.values())
                and not name.startswith("__")
            ]
            heights[name] = min(limit, 1 + max(below, default=0))
    return heights


def deep_query(depth: int) -> str:
    """A query `depth` fields deep, following the schema's object fields from Query."""
    heights = _heights(depth + 1)
    type_: Any = API.query_type
    opened: list[str] = []
    for level in range(depth - 1):
        need = depth - level - 2
        for name, field_ in type_.fields.items():
            child = get_named_type(field_.type)
            if (
                is_object_type(child)
                and not any(required(a) for a in field_.args.values())
                and heights[child.name] >= need + 1
            ):
                opened.append(name)
                type_ = child
                break
        else:  # pragma: no cover - the schema always has cycles (Company.shops → Shop.company)
            raise AssertionError(f"no way down from {type_.name}")
    leaf = next(n for n, f in type_.fields.items() if is_leaf_type(get_named_type(f.type)))
    return "{ " + " { ".join([*opened, leaf]) + " }" * len(opened) + " }"


def list_positions(field_: Any) -> list[tuple[Any, ...]]:
    """Paths to every list in a root field's arguments (input objects walked)."""
    found: list[tuple[Any, ...]] = []

    def walk(path: tuple[Any, ...], type_: Any, seen: frozenset[str]) -> None:
        nullable = get_nullable_type(type_) if is_non_null_type(type_) else type_
        if isinstance(nullable, GraphQLList):
            found.append(path)
            item = get_named_type(nullable.of_type)
            if isinstance(item, GraphQLInputObjectType) and item.name not in seen:
                for name, f in item.fields.items():
                    walk((*path, 0, name), f.type, seen | {item.name})
        elif isinstance(nullable, GraphQLInputObjectType) and nullable.name not in seen:
            for name, f in nullable.fields.items():
                walk((*path, name), f.type, seen | {nullable.name})

    for name, arg in field_.args.items():
        walk((name,), arg.type, frozenset())
    return found


def _cap(field_: Any, path: tuple[Any, ...]) -> int:
    """The cap of the list at `path`: "InputType.field" or "ParentType.field(argument)"."""
    type_: Any = field_.args[path[0]].type
    owner = None
    for key in path[1:]:
        nullable = get_nullable_type(type_) if is_non_null_type(type_) else type_
        if isinstance(key, int):
            type_ = nullable.of_type
        else:
            owner = get_named_type(type_).name
            type_ = get_named_type(type_).fields[key].type  # type: ignore[union-attr]
    return LIMITS.list_cap(f"{owner}.{path[-1]}") if owner else LIMITS.max_list_items


HOSTILE: dict[str, Callable[[], tuple[str, dict]]] = {
    "deep": lambda: (deep_query(LIMITS.max_depth + 1), {}),
    "very deep": lambda: (deep_query(60), {}),
    "deep through fragments": lambda: (
        "fragment A on Company { shops { edges { node { company { ...B } } } } }"
        " fragment B on Company { shops { edges { node { company { id } } } } }"
        " { companies { edges { node { ...A } } } }",
        {},
    ),
    "wide": lambda: (
        "{ " + " ".join(f"f{i}: me {{ id }}" for i in range(LIMITS.max_root_fields + 1)) + " }",
        {},
    ),
    "aliased": lambda: (
        "{ me { " + " ".join(f"a{i}: id" for i in range(LIMITS.max_aliases + 1)) + " } }",
        {},
    ),
    "alias bomb through fragments": lambda: (
        "fragment F on User { " + " ".join(f"a{i}: id" for i in range(10)) + " }"
        " { me { ...F tenant { id } } u: me { ...F } v: me { ...F } w: me { ...F } }",
        {},
    ),
    "duplicated object fields": lambda: (
        "{ me { " + " ".join("tenant { id slug name }" for _ in range(300)) + " } }",
        {},
    ),
    "costly": lambda: (
        "{ companies(first: 100) { edges { node { shops(first: 100) { edges { node {"
        " terminals(first: 100) { edges { node { id } } } } } } } } } }",
        {},
    ),
    "costly through variables": lambda: (
        "query($n: Int) { transactions(first: $n) { edges { node { id amount } } } }",
        {"n": 2**31 - 1},
    ),
    "huge document": lambda: ("{ " + "__typename " * (LIMITS.max_tokens + 10) + "}", {}),
    "huge document of directives": lambda: (
        "{ me @include(if: true)" + " @skip(if: false)" * 3000 + " { id } }",
        {},
    ),
    "fragment cycle": lambda: (
        "fragment A on Query { me { id } ...B } fragment B on Query { ...A } { ...A }",
        {},
    ),
}


def _too_many_fields() -> tuple[str, dict]:
    """More fields than allowed, without aliases, copies or excessive depth: every root list
    with everything below it, four levels down (about 1,500 fields)."""
    parts = []
    for name, field_ in QUERIES.items():
        if "first" in field_.args and not any(required(a) for a in field_.args.values()):
            parts.append(f"{name}(first: 1) {selection(field_.type, 4, first=1)}")
    return "{ " + " ".join(parts) + " }", {}


HOSTILE["too many fields"] = _too_many_fields


# --------------------------------------------------------------------------- the tests


async def _auth_only(who: GraphQLClient) -> int:
    before = statements(who)
    body = await who.post("{ __typename }")
    assert body["data"] == {"__typename": "Query"}
    return statements(who) - before


def _refused(body: dict) -> list[str]:
    assert body.get("data") is None, str(body)[:500]
    return [e["extensions"]["code"] for e in body["errors"]]


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("caller", ["SUPERVISOR", "ANONYMOUS"])
async def test_hostile_queries_are_refused_before_any_sql(
    client: GraphQLClient, world: World, kind: str, caller: str
) -> None:
    who = world.caller(client, caller)
    allowance = await _auth_only(who)
    assert allowance == (0 if caller == "ANONYMOUS" else allowance)
    query, variables = HOSTILE[kind]()
    before = statements(who)
    body = await who.post(query, variables)
    found = _refused(body)
    assert set(found) <= {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT"}, body["errors"]
    if kind != "fragment cycle":
        assert "QUERY_TOO_COMPLEX" in found, body["errors"]
        error = next(e for e in body["errors"] if e["extensions"]["code"] == "QUERY_TOO_COMPLEX")
        assert error["extensions"]["measured"] > error["extensions"]["maximum"]
    assert statements(who) - before == allowance, kind


@pytest.mark.parametrize("kind", ["Query", "Mutation"])
async def test_every_list_input_of_the_schema_is_capped_before_any_sql(
    client: GraphQLClient, world: World, kind: str
) -> None:
    who = world.caller(client, "SUPERVISOR")
    allowance = await _auth_only(who)
    fields = QUERIES if kind == "Query" else MUTATIONS
    checked = []
    problems = []
    for name, field_ in fields.items():
        for path in list_positions(field_):
            inputs = Inputs(world.a)
            cap = _cap(field_, path)
            values = _place(
                inputs.arguments(field_, name, all_ids=True),
                path,
                ("repeat", cap + 1),
                inputs,
                field_,
            )
            query = operation(kind.lower(), name, field_, values, "{ __typename }")
            before = statements(who)
            body = await who.post(query, values)
            where = f"{name}:{'.'.join(map(str, path))}"
            checked.append(where)
            errors = body.get("errors") or []
            limits = [
                e["extensions"] for e in errors if e["extensions"].get("limit") == "listItems"
            ]
            if body.get("data") is not None or not limits:
                problems.append(f"{where}: not refused: {str(body)[:300]}")
            elif limits[0]["maximum"] != cap or limits[0]["measured"] != cap + 1:
                problems.append(f"{where}: {limits[0]}")
            if statements(who) - before != allowance:
                problems.append(f"{where}: SQL ran")
    assert not problems, "\n".join(problems)
    assert len(checked) >= (5 if kind == "Query" else 10), checked


async def test_batched_operations_are_refused_before_any_sql(
    client: GraphQLClient, world: World
) -> None:
    who = world.caller(client, "SUPERVISOR")
    before = statements(who)
    response = await who.http.post(
        "/graphql",
        json=[{"query": "{ companies { totalCount } }"}] * 50,
        headers={"Authorization": f"Bearer {who.token}"},
    )
    assert response.status_code == 400
    assert statements(who) - before <= await _auth_only(who)


async def test_introspection_stays_within_the_limits(client: GraphQLClient) -> None:
    from graphql import get_introspection_query

    body = await client.post(
        get_introspection_query(descriptions=True, input_value_deprecation=True)
    )
    assert "errors" not in body
    assert body["extensions"]["cost"] < LIMITS.max_cost


async def test_a_request_refused_by_the_transport_returns_its_connection(
    client: GraphQLClient, world: World
) -> None:
    """get_context opens the caller's transaction (the token's check) before strawberry reads
    the body: a request refused then (a batch, no query) must still give its connection back."""
    who = world.caller(client, "SUPERVISOR")
    pool = who.http._transport.app.state.database.engine.pool  # type: ignore[attr-defined]
    await _auth_only(who)
    before = pool.checkedout()
    for body in ([{"query": "{ __typename }"}] * 2, {"variables": {}}):
        response = await who.http.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {who.token}"}
        )
        assert response.status_code == 400
    assert pool.checkedout() == before
