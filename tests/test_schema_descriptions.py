"""GraphiQL's documentation pane is the API's manual: every element of the built schema that is
ours (types, fields, arguments, input fields, enum values, directives) has a description, and
the description says more than the element's name."""

from __future__ import annotations

import enum
import re

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    specified_directives,
    specified_scalar_types,
)

from schema.descriptions import described_enum
from schema.schema import schema

BUILT: GraphQLSchema = schema._schema


def _words(name: str) -> str:
    """`expectedVersion`, `EXPECTED_VERSION`, `ExpectedVersion` → "expected version"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return " ".join(spaced.lower().split())


def _problem(name: str, description: str | None) -> str | None:
    text = (description or "").strip()
    if not text:
        return "no description"
    if " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) == _words(name):
        return "a description that only repeats the name"
    return None


def undescribed_elements(built: GraphQLSchema) -> list[str]:
    """Every element of ours without a useful description, as `Type.field(argument)` paths."""
    found: list[str] = []

    def check(path: str, name: str, description: str | None) -> None:
        problem = _problem(name, description)
        if problem is not None:
            found.append(f"{path}: {problem}")

    for type_name, type_ in sorted(built.type_map.items()):
        if type_name.startswith("__") or type_name in specified_scalar_types:
            continue  # introspection and graphql's own scalars (String, Int, ...)
        check(type_name, type_name, type_.description)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                path = f"{type_name}.{field_name}"
                check(path, field_name, field.description)
                for arg_name, arg in field.args.items():
                    check(f"{path}({arg_name})", arg_name, arg.description)
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                check(f"{type_name}.{field_name}", field_name, input_field.description)
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                check(f"{type_name}.{value_name}", value_name, value.description)
        elif isinstance(type_, GraphQLUnionType):
            pass  # its members are types of their own, checked above
    ours = [d for d in built.directives if d.name not in {s.name for s in specified_directives}]
    for directive in ours:
        check(f"@{directive.name}", directive.name, directive.description)
        for arg_name, arg in directive.args.items():
            check(f"@{directive.name}({arg_name})", arg_name, arg.description)
    return found


def test_every_element_of_the_schema_is_described() -> None:
    missing = undescribed_elements(BUILT)
    assert not missing, f"{len(missing)} schema elements need a description:\n" + "\n".join(missing)


def test_the_walk_covers_every_kind_of_element() -> None:
    """The check cannot pass by looking at nothing: it reaches each kind of element."""
    ours = [t for n, t in BUILT.type_map.items() if not n.startswith("__")]
    for kind in (GraphQLObjectType, GraphQLInputObjectType, GraphQLEnumType):
        assert any(isinstance(t, kind) for t in ours), kind
    assert BUILT.query_type is not None
    assert BUILT.query_type.fields["companies"].args["first"].description
    assert BUILT.get_type("UserErrorCode").values["CONFLICT"].description  # type: ignore[union-attr]


def test_an_undescribed_element_is_reported() -> None:
    from graphql import build_schema

    built = build_schema(
        '"Q" type Query { "a field" ok(x: Int): Int plain: Int }\n'
        '"An enum." enum E { "The first." ONE TWO }\n'
        '"An input." input I { "the field" a: Int b: Int }\n'
        '"A bird." type Parrot { "Name" name: String }\n'
        "type Extra { q: Query e: E i: Int p: Parrot }\n"
        "type Mutation { m(i: I): Int }\n"
    )
    assert undescribed_elements(built) == [
        "E.TWO: no description",
        "Extra: no description",
        "Extra.q: no description",
        "Extra.e: no description",
        "Extra.i: no description",
        "Extra.p: no description",
        "I.b: no description",
        "Mutation: no description",
        "Mutation.m: no description",
        "Mutation.m(i): no description",
        "Parrot.name: a description that only repeats the name",
        "Query.ok(x): no description",
        "Query.plain: no description",
    ]


def test_described_enum_refuses_an_undescribed_or_unknown_value() -> None:
    class Light(enum.Enum):
        RED = "RED"
        GREEN = "GREEN"

    with pytest.raises(TypeError, match=r"\['GREEN'\]"):
        described_enum(Light, description="A light.", values={"RED": "Stop."})
    with pytest.raises(TypeError, match="BLUE"):
        described_enum(
            Light, description="A light.", values={"RED": "Stop.", "GREEN": "Go.", "BLUE": "?"}
        )
    with pytest.raises(TypeError, match="no description"):
        described_enum(Light, description=" ", values={"RED": "Stop.", "GREEN": "Go."})
    wrapped = described_enum(
        Light, name="Light", description="A light.", values={"RED": "Stop.", "GREEN": "Go."}
    )
    values = {v.name: v.description for v in wrapped.__strawberry_definition__.values}
    assert values == {"RED": "Stop.", "GREEN": "Go."}
