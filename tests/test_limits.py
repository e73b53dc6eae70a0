"""Limits before execution (depth, aliases, tokens, root fields, cost, list inputs, batches)
and error hygiene (suggestions, introspection, card numbers, quiet logs)."""

from __future__ import annotations

import importlib
import logging
import time
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import get_introspection_query
from sqlalchemy.ext.asyncio import AsyncEngine

from engine.documents import count_tokens
from resolvers.errors import Unauthenticated
from schema.limits.config import Limits
from schema.limits.messages import sanitize_message
from schema.schema import build_schema, schema
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


@pytest.fixture
async def hotline(client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph) -> Any:
    caller = GraphQLClient(client.http)
    payload = await caller.login(await add_user(owner_engine, graph, "HOTLINE"), PASSWORD)
    assert payload["userErrors"] == []
    return caller


def statements(client: GraphQLClient) -> int:
    return client.http._transport.app.state.database.statements  # type: ignore[attr-defined]


async def run_counting(caller: GraphQLClient, query: str, variables: Any = None) -> tuple:
    before = statements(caller)
    body = await caller.post(query, variables)
    return body, statements(caller) - before


def refusal(body: dict, limit: str, code: str = "QUERY_TOO_COMPLEX") -> dict:
    assert body.get("data") is None, body
    (error,) = [e for e in body["errors"] if e["extensions"].get("limit") == limit]
    assert error["extensions"]["code"] == code, error
    assert error["extensions"]["measured"] > error["extensions"]["maximum"]
    return error


class FakeContext(SimpleNamespace):
    """What the schema's extensions and guards read; nobody is signed in."""

    def require_principal(self) -> Any:
        raise Unauthenticated("Authentication required: log in first.")

    async def finish(self, *, commit: bool) -> None:
        self.finished = commit


# --------------------------------------------------------------------------- depth


async def test_too_deep_a_query_is_refused_before_any_sql(hotline: GraphQLClient) -> None:
    baseline, auth_only = await run_counting(hotline, "{ __typename }")
    assert "errors" not in baseline
    query = (
        "{ companies { edges { node { shops { edges { node { terminals { edges { node {"
        " transactions { edges { node { id } } } } } } } } } } } } }"
    )
    body, sql = await run_counting(hotline, query)
    error = refusal(body, "depth")
    assert error["extensions"]["maximum"] == 10 and error["extensions"]["measured"] == 13
    assert "13 niveaux" in error["message"] and "10" in error["message"]  # French by default
    assert sql == auth_only  # only the bearer token's check ran
    # A query within the limit does reach the database: the count above means something.
    body, sql = await run_counting(hotline, "{ companies { edges { node { id } } } }")
    assert "errors" not in body and sql > auth_only


async def test_depth_counts_through_fragments_and_ten_levels_pass() -> None:
    context = FakeContext(request_id="req-depth-01", principal=None)
    ten = (
        "fragment F on Company { shops { edges { node { company { shops { edges { node {"
        ' company { id } } } } } } } } } { node(id: "Q29tcGFueTox") { ... on Company { ...F } } }'
    )
    result = await schema.execute(ten, context_value=context)
    assert [e.extensions["code"] for e in result.errors] == ["UNAUTHENTICATED"]
    eleven = ten.replace("company { id }", "company { shops { totalCount } }")
    result = await schema.execute(eleven, context_value=context)
    (error,) = result.errors
    assert error.extensions["limit"] == "depth" and error.extensions["measured"] == 11


async def test_introspection_is_exempt_from_the_depth_limit(client: GraphQLClient) -> None:
    body = await client.post(get_introspection_query(descriptions=True))
    assert "errors" not in body, body["errors"]
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    assert body["extensions"]["cost"] < Limits().max_cost


# --------------------------------------------------------------------------- aliases, roots, tokens


async def test_too_many_aliases_are_refused(client: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    error = refusal(await client.post(query), "aliases")
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "aliases",
        "maximum": 30,
        "measured": 31,
        "requestId": error["extensions"]["requestId"],
    }
    # Aliases in a fragment count each time it is spread.
    fragment = "fragment F on Query { " + " ".join(f"x{i}: __typename" for i in range(8)) + " }"
    query = fragment + " { ...F ...F ...F ...F }"
    error = refusal(await client.post(query), "aliases")
    assert error["extensions"]["measured"] == 32


async def test_too_many_root_fields_are_refused(client: GraphQLClient) -> None:
    body = await client.post("{ " + "me { id } " * 21 + "}")
    assert refusal(body, "rootFields")["extensions"]["measured"] == 21


async def test_too_many_tokens_stop_the_parser(client: GraphQLClient) -> None:
    query = "{ " + "__typename " * 12_000 + "}"
    error = refusal(await client.post(query), "tokens")
    assert error["extensions"]["maximum"] == 10_000
    assert error["extensions"]["measured"] == 12_002
    assert "locations" not in error  # not the parser's error at some token: nothing was parsed
    assert count_tokens(query, 100) == 100


def test_tokens_are_counted_by_springs_own_code_as_graphql_core_counts_them() -> None:
    """count_tokens agrees with graphql-core's parser on where a document crosses the limit
    (comments count, as for its `max_tokens`), without reading any of its messages."""
    from graphql import GraphQLError, parse

    documents = [
        '{ a(x: "s\\"t", y: -1.5e3, z: [1, 2], w: {k: $v}) @d { ...F ... on T { b } } }',
        '# a comment\n{ a } # another\nfragment F on T { a(s: """block "" \\""" x""") }',
        "query Q($v: [Int!] = [1]) { a, b,, c }",
        "\ufeff{ a }",
    ]
    for document in documents:
        tokens = count_tokens(document, 10_000)
        parse(document, max_tokens=tokens)  # exactly its tokens: accepted
        with pytest.raises(GraphQLError):
            parse(document, max_tokens=tokens - 1)
    # Bounded: a document of a million comments costs the ceiling, not a parse.
    started = time.perf_counter()
    assert count_tokens("#\n" * 1_000_000, 10_001) == 10_001
    assert time.perf_counter() - started < 1.0


async def test_comments_count_toward_the_token_limit_with_its_own_error() -> None:
    """A comment-padded document is refused as QUERY_TOO_COMPLEX (tokens), as graphql-core's
    backstop would, but with Spring's error and whatever the parser's message says."""
    context = FakeContext(request_id="req-tokens-1", principal=None)
    padded = "{ __typename }\n" + "# padding\n" * 10_000
    result = await schema.execute(padded, context_value=context)
    (error,) = result.errors
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"
    assert error.extensions["limit"] == "tokens" and error.extensions["measured"] == 10_003
    assert error.message == "La requête compte 10003 jetons ; le maximum est 10000."
    just = "{ __typename }\n" + "# padding\n" * 9_997
    result = await schema.execute(just, context_value=context)
    assert result.errors is None and result.data == {"__typename": "Query"}


# --------------------------------------------------------------------------- cost


async def test_the_cost_is_reported_in_every_response(hotline: GraphQLClient) -> None:
    body = await hotline.post(
        "{ companies(first: 10) { totalCount edges { node { id legalName } } } }"
    )
    assert "errors" not in body
    # companies 1 + totalCount 1 + edges (1 + 10 x (node 1 + id 1 + legalName 1))
    assert body["extensions"] == {"cost": 33}
    body = await hotline.post("{ companies { edges { node { id } } } }")
    assert body["extensions"]["cost"] == 1 + 1 + 20 * 2  # the default page is 20
    body = await hotline.post("{ nope }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cost" in body["extensions"]


async def test_a_costly_query_is_refused_with_its_measured_cost(hotline: GraphQLClient) -> None:
    _, auth_only = await run_counting(hotline, "{ __typename }")
    query = """query($n: Int) { companies(first: $n) { edges { node {
      shops(first: 100) { edges { node { id name siret } } } } } } }"""
    body, sql = await run_counting(hotline, query, {"n": 100})
    error = refusal(body, "cost")
    assert error["extensions"]["maximum"] == 5_000
    assert error["extensions"]["measured"] == body["extensions"]["cost"] > 5_000
    assert sql == auth_only
    body = await hotline.post(query, {"n": 5})
    assert "errors" not in body and body["extensions"]["cost"] < 5_000


async def test_a_huge_first_is_refused_before_any_sql(hotline: GraphQLClient) -> None:
    _, auth_only = await run_counting(hotline, "{ __typename }")
    body, sql = await run_counting(
        hotline, "{ transactions(first: 1000000) { edges { node { id amount } } } }"
    )
    assert refusal(body, "cost")["extensions"]["measured"] > 1_000_000
    assert sql == auth_only


def test_fragments_on_different_types_count_the_dearest_only() -> None:
    from graphql import parse

    from schema.limits.walks import operation_cost

    document = parse(
        '{ node(id: "x") { id ... on Company { shops(first: 10) { edges { node { id } } } }'
        " ... on Shop { name } } }"
    )
    operation = document.definitions[0]
    cost = operation_cost(schema._schema, document, operation, {}, Limits())  # type: ignore[arg-type]
    # node 1 + id 1 + max(Company: shops 1 + edges (1 + 10 x 2), Shop: 1)
    assert cost == 1 + 1 + (1 + 1 + 10 * 2)


# --------------------------------------------------------------------------- list inputs


async def test_list_inputs_are_capped_before_execution(hotline: GraphQLClient) -> None:
    _, auth_only = await run_counting(hotline, "{ __typename }")
    ids = ", ".join('"x"' for _ in range(101))
    body, sql = await run_counting(hotline, f"{{ nodes(ids: [{ids}]) {{ id }} }}")
    error = refusal(body, "listItems", "BAD_USER_INPUT")
    assert error["extensions"]["argument"] == "Query.nodes(ids)"
    assert error["extensions"]["maximum"] == 100 and error["extensions"]["measured"] == 101
    assert sql == auth_only
    body, sql = await run_counting(
        hotline, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["x"] * 150}
    )
    assert refusal(body, "listItems", "BAD_USER_INPUT")["extensions"]["measured"] == 150
    assert sql == auth_only
    # Inside an input object, in a variable.
    body, sql = await run_counting(
        hotline,
        "query($f: CompanyFilter) { companies(filter: $f) { totalCount } }",
        {"f": {"status": ["ACTIVE"] * 101}},
    )
    error = refusal(body, "listItems", "BAD_USER_INPUT")
    assert error["extensions"]["argument"] == "CompanyFilter.status"
    assert sql == auth_only
    # 100 is fine.
    hundred = ", ".join('"x"' for _ in range(100))
    body = await hotline.post(f"{{ nodes(ids: [{hundred}]) {{ id }} }}")
    assert not any(e["extensions"].get("limit") for e in body.get("errors", []))


async def test_ingestion_batches_keep_their_own_limit_and_a_backstop(client: GraphQLClient) -> None:
    """501 to 1000 items: the use case's TOO_MANY user error (tests/ingest/test_refusals.py); beyond
    1000 the batch is refused before a single item is coerced."""
    item = {"tid": "T", "kind": "HEARTBEAT", "occurredAt": "2026-01-01T00:00:00Z"}
    body = await client.post(
        "mutation($i: RecordTerminalEventsInput!) { recordTerminalEvents(input: $i) {"
        " userErrors { code } } }",
        {"i": {"events": [item] * 1001}},
    )
    error = refusal(body, "listItems", "BAD_USER_INPUT")
    assert error["extensions"]["argument"] == "RecordTerminalEventsInput.events"
    assert error["extensions"]["maximum"] == 1000


# --------------------------------------------------------------------------- batches, cycles


async def test_batched_operations_are_refused(client: GraphQLClient) -> None:
    response = await client.http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400
    assert "batch" in response.text.lower()


async def test_fragment_cycles_are_refused(client: GraphQLClient) -> None:
    body = await client.post("fragment A on Query { ...B } fragment B on Query { ...A } { ...A }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "within itself" in body["errors"][0]["message"]


# --------------------------------------------------------------------------- error hygiene


async def test_field_suggestions_are_off_by_default_and_on_in_development() -> None:
    context = FakeContext(request_id="req-suggest-1", principal=None)
    result = await schema.execute("{ compnies { id } }", context_value=context)
    assert result.errors[0].message == "Cannot query field 'compnies' on type 'Query'."
    result = await schema.execute(
        "mutation($i: LoginInput!) { login(input: $i) { token } }",
        {"i": {"emial": "a@b.c", "password": "x"}},
        context_value=context,
    )
    assert result.errors and all("Did you mean" not in e.message for e in result.errors)
    development = build_schema(suggestions=True)
    result = await development.execute("{ compnies { id } }", context_value=context)
    assert "Did you mean 'companies'?" in result.errors[0].message


async def test_suggestions_are_never_written_whatever_graphql_core_words_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Suggestions are off through graphql-core's own `hide_suggestions` switch, not removed
    from its messages afterwards: reworded upstream ("Perhaps: …"), they still do not appear,
    in validation (fields, arguments, input fields, enum values, types), in variables coerced
    before execution, and in variables coerced by the executor."""
    from graphql import parse as parse_document

    from engine.completion import SpringExecutor
    from engine.variables import reusing_measured_variables

    def reworded(suggestions: Any, sub_message: str | None = None) -> str:
        return f" Perhaps: {', '.join(suggestions)}." if suggestions else ""

    for module in (
        "graphql.validation.rules.fields_on_correct_type",
        "graphql.validation.rules.known_argument_names",
        "graphql.validation.rules.known_type_names",
        "graphql.utilities.validate_input_value",
        "graphql.type.definition",
    ):
        monkeypatch.setattr(importlib.import_module(module), "did_you_mean", reworded)
    context = FakeContext(request_id="req-suggest-2", principal=None)
    closed = build_schema()
    development = build_schema(suggestions=True)
    documents: list[tuple[str, Any]] = [
        ("{ compnies { id } }", None),
        ("{ companies(frist: 1) { totalCount } }", None),
        ("query($f: CompanyFiltr) { companies(filter: $f) { totalCount } }", None),
        ("{ companies(filter: { statuss: [ACTIVE] }) { totalCount } }", None),
        ("{ companies(filter: { status: [ACTIV] }) { totalCount } }", None),
        (
            "query($f: CompanyFilter) { companies(filter: $f) { totalCount } }",
            {"f": {"statuss": ["ACTIVE"]}},
        ),
        (
            "query($f: CompanyFilter) { companies(filter: $f) { totalCount } }",
            {"f": {"status": ["ACTIV"]}},
        ),
    ]
    for query, variables in documents:
        shown = await development.execute(query, variables, context_value=context)
        assert any("Perhaps" in e.message for e in shown.errors), query
        hidden = await closed.execute(query, variables, context_value=context)
        assert hidden.errors, query
        assert all("Perhaps" not in e.message for e in hidden.errors), query
        assert {e.extensions["code"] for e in hidden.errors} == {"BAD_USER_INPUT"}, query
    # The executor's own coercion (variables QueryLimits did not coerce): switched off too.
    document = parse_document("query($s: [CompanyStatus!]) { __typename }")
    for executor_class, suggests in (
        (reusing_measured_variables(SpringExecutor), False),
        (reusing_measured_variables(SpringExecutor, hide_suggestions=False), True),
    ):
        built = executor_class.build(closed._schema, document, raw_variable_values={"s": ["ACTIV"]})
        assert isinstance(built, list)
        assert ("Perhaps" in built[0].message) is suggests


async def test_introspection_can_be_switched_off() -> None:
    closed = build_schema(introspection=False)
    context = FakeContext(request_id="req-intro-01", principal=None)
    result = await closed.execute("{ __schema { types { name } } }", context_value=context)
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "introspection" in result.errors[0].message.lower()
    result = await closed.execute('{ __type(name: "Query") { name } }', context_value=context)
    assert result.errors
    result = await closed.execute("{ __typename }", context_value=context)
    assert result.errors is None and result.data == {"__typename": "Query"}


async def test_refused_values_are_not_echoed_and_card_numbers_never(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    pan = "4970101234567893"  # Luhn-valid
    with caplog.at_level(logging.INFO):
        body = await client.post(
            "mutation($i: LoginInput!) { login(input: $i) { token } }",
            {"i": {"email": int(pan), "password": "hunter2-secret"}},
        )
        body2 = await client.post(f"{{ transactions(first: 1, after: {pan}) {{ totalCount }} }}")
    text = str(body) + str(body2)
    assert pan not in text and "hunter2" not in text
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert pan not in logged and "hunter2" not in logged
    assert sanitize_message(f"card {pan} here") == "card 497010******7893 here"


async def test_refusals_are_logged_in_one_line_without_traceback(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="spring.graphql"):
        await client.post("{ " + "me { id } " * 21 + "}")
    records = [r for r in caplog.records if r.name == "spring.graphql"]
    assert records and all(r.exc_info is None for r in records)
    assert any("QUERY_TOO_COMPLEX" in r.getMessage() for r in records)


async def test_a_syntax_error_keeps_its_code_and_ends_the_transaction() -> None:
    """strawberry's ParserCache raised syntax errors out of the extension hooks: the error had
    no code and the request's transaction was never ended (a pooled connection leaked)."""
    context = FakeContext(request_id="req-syntax-1", principal=None)
    result = await schema.execute("{ me { id ", context_value=context)
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert result.errors[0].extensions["requestId"] == "req-syntax-1"
    assert context.finished is True


async def test_duplicated_fields_are_refused_before_graphql_core_compares_them(
    client: GraphQLClient,
) -> None:
    """Each pair of same-named fields is compared by graphql-core's validation (quadratic):
    250 copies took about a second of CPU; they are now refused before it runs."""
    query = "{ me { " + " ".join("tenant { id slug name }" for _ in range(250)) + " } }"
    started = time.perf_counter()
    body = await client.post(query)
    elapsed = time.perf_counter() - started
    error = refusal(body, "duplicateFields")
    assert error["extensions"]["maximum"] == 10 and error["extensions"]["measured"] == 250
    assert elapsed < 0.5, elapsed
    # Copies brought in by fragments count too.
    fragment = "fragment T on User { tenant { id } }"
    body = await client.post(fragment + " { me { " + "...T " * 11 + "} }")
    assert refusal(body, "duplicateFields")["extensions"]["measured"] == 11


def test_the_number_of_fields_is_limited_fragments_expanded() -> None:
    from graphql import parse

    from schema.limits.walks import structure_errors

    document = parse("fragment F on User { id email } { me { ...F tenant { id slug } } }")
    assert structure_errors(document, Limits(max_fields=6)) == []
    (error,) = structure_errors(document, Limits(max_fields=5))
    assert error.extensions["limit"] == "fields" and error.extensions["measured"] == 6
