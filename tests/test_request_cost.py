"""The fixed per-request cost of an operation: what is measured once per document.

`QueryLimits` (schema/limits/extension.py) keeps, per parsed document and operation name, what it
measured that does not depend on the variables (structure, validation, list literals, the
cost when no variable sets a page size or a list length): the document's next requests skip
those walks. Whatever depends on the variables is measured again on every request, and a
refusal is never kept. These tests count the walks, and send the same document with variables
that change the verdict.
"""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest

import engine.documents
from resolvers.errors import Unauthenticated
from schema.limits import extension as limits_extension
from schema.limits.config import Limits
from schema.schema import build_schema


class FakeContext(SimpleNamespace):
    """What the schema's extensions and guards read; nobody is signed in."""

    def require_principal(self) -> Any:
        raise Unauthenticated("Authentication required: log in first.")

    async def finish(self, *, commit: bool) -> None:
        self.finished = commit


class Counted:
    """Wraps a function where the limits extension (or the engine) looks it up, counting its
    calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.calls = 0
        original = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


def context() -> FakeContext:
    return FakeContext(request_id="req-cost-0001", principal=None)


NODE = (
    "query($id: ID!) { node(id: $id) { ... on Terminal { id tid kind model serialNumber"
    " status firmwareVersion lastSeenAt } } }"
)


async def test_a_document_is_measured_once_when_its_variables_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = build_schema()
    structure = Counted(monkeypatch, limits_extension, "structure_errors")
    validate = Counted(monkeypatch, engine.documents, "_cached_validate")
    lists = Counted(monkeypatch, limits_extension, "list_excess")
    costs = []
    for n in range(4):
        terminal = base64.b64encode(f"Terminal:{n}".encode()).decode()
        result = await schema.execute(NODE, {"id": terminal}, context_value=context())
        assert [e.extensions["code"] for e in result.errors or []] == ["UNAUTHENTICATED"]
        costs.append(result.extensions["cost"])
    assert costs == [1 + 8] * 4
    assert (structure.calls, validate.calls, lists.calls) == (1, 1, 1)


async def test_a_page_size_in_a_variable_is_costed_on_every_request() -> None:
    schema = build_schema(Limits(max_cost=500))
    query = "query($n: Int) { companies(first: $n) { edges { node { id legalName } } } }"
    small = await schema.execute(query, {"n": 5}, context_value=context())
    assert small.extensions["cost"] == 1 + 1 + 5 * 3
    big = await schema.execute(query, {"n": 400}, context_value=context())
    (error,) = big.errors
    assert error.extensions["limit"] == "cost" and error.extensions["measured"] == 1 + 1 + 400 * 3
    assert big.data is None
    again = await schema.execute(query, {"n": 5}, context_value=context())
    assert again.extensions["cost"] == small.extensions["cost"]
    assert not any(e.extensions.get("limit") for e in again.errors or [])


async def test_a_list_in_a_variable_is_measured_on_every_request() -> None:
    schema = build_schema()
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    short = await schema.execute(query, {"ids": ["x"] * 3}, context_value=context())
    assert not any(e.extensions.get("limit") for e in short.errors or [])
    assert short.extensions["cost"] == 1 + 3 * 1
    long = await schema.execute(query, {"ids": ["x"] * 150}, context_value=context())
    (error,) = long.errors
    assert error.extensions["limit"] == "listItems" and error.extensions["measured"] == 150
    # Inside an input object too.
    query = "query($f: CompanyFilter) { companies(filter: $f) { totalCount } }"
    fine = await schema.execute(query, {"f": {"status": ["ACTIVE"]}}, context_value=context())
    assert not any(e.extensions.get("limit") for e in fine.errors or [])
    refused = await schema.execute(
        query, {"f": {"status": ["ACTIVE"] * 101}}, context_value=context()
    )
    (error,) = refused.errors
    assert error.extensions["argument"] == "CompanyFilter.status"


async def test_a_refused_document_is_refused_the_same_way_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = build_schema()
    structure = Counted(monkeypatch, limits_extension, "structure_errors")
    deep = (
        "{ companies { edges { node { shops { edges { node { terminals { edges { node {"
        " transactions { edges { node { id } } } } } } } } } } } } }"
    )
    ids = ", ".join('"x"' for _ in range(101))
    literal = f"{{ nodes(ids: [{ids}]) {{ id }} }}"
    unknown = "{ companies { edges { node { nope } } } }"
    for _ in range(3):
        (error,) = (await schema.execute(deep, context_value=context())).errors
        assert error.extensions["limit"] == "depth" and error.extensions["measured"] == 13
        (error,) = (await schema.execute(literal, context_value=context())).errors
        assert error.extensions["limit"] == "listItems" and error.extensions["measured"] == 101
        result = await schema.execute(unknown, context_value=context())
        assert result.data is None
        assert [e.extensions["code"] for e in result.errors] == ["BAD_USER_INPUT"]
    assert structure.calls == 9  # every refusal measured again, the same way
    # A bad variable is refused on each request, after the document was kept as valid.
    query = "query($id: ID!) { node(id: $id) { id } }"
    await schema.execute(query, {"id": "x"}, context_value=context())
    for _ in range(2):
        result = await schema.execute(query, {"id": None}, context_value=context())
        assert result.data is None
        assert [e.extensions["code"] for e in result.errors] == ["BAD_USER_INPUT"]


# --------------------------------------------------------------------------- strawberry's execute


class Recorder(SimpleNamespace):
    """A context whose guards raise what it is given and whose transaction end is recorded."""

    def require_principal(self) -> Any:
        raise self.raises

    async def finish(self, *, commit: bool) -> None:
        self.finished.append(commit)
        if self.commit_fails:
            raise RuntimeError("connection lost at commit")


QTC = "QUERY_TOO_COMPLEX"
BAD = "BAD_USER_INPUT"
GUARD = "UNAUTHENTICATED"  # a guarded resolver ran and raised what the context was given

#: (query, variables, operation name, the codes of its errors; None: strawberry raises)
CASES: list[tuple[str, dict | None, str | None, list[str] | None]] = [
    (NODE, {"id": base64.b64encode(b"Terminal:1").decode()}, None, [GUARD]),
    ("{ __typename }", None, None, []),
    ("{ companies { edges { node { nope } } } }", None, None, [BAD]),
    ("{ companies(first: 5 { id } }", None, None, [BAD]),
    ("query A { __typename } query B { companies { totalCount } }", None, "B", [GUARD]),
    ("query A { __typename }", None, "Nope", None),
    ("query($id: ID!) { node(id: $id) { id } }", {"id": None}, None, [BAD]),
    (
        "query($n: Int) { companies(first: $n) { totalCount } }",
        {"n": "4111111111111111"},
        None,
        [BAD],
    ),
    ("{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }", None, None, [QTC, QTC]),
    (
        "{ companies { edges { node { shops { edges { node { terminals { edges { node {"
        " transactions { edges { node { id } } } } } } } } } } } } }",
        None,
        None,
        [QTC],
    ),
    ("{ " + "__typename " * 20_000 + "}", None, None, [QTC]),
]


@pytest.mark.parametrize("raises", ["user", "unexpected"])
@pytest.mark.parametrize("commit_fails", [False, True])
async def test_every_operation_ends_its_transaction_once_with_coded_errors(
    raises: str, commit_fails: bool
) -> None:
    """strawberry's own `Schema.execute` with Spring's extensions (no copy of it: issue 13):
    every refusal, failure and success answers with coded errors, masks the unexpected, and
    ends the request's transaction exactly once (rolled back after an unexpected failure; a
    failed commit nulls the data)."""
    schema = build_schema()
    for query, variables, name, codes in CASES:
        error = (
            Unauthenticated("Authentication required: log in first.")
            if raises == "user"
            else RuntimeError("secret internals")
        )
        context = Recorder(
            request_id="req-exec-0001", raises=error, finished=[], commit_fails=commit_fails
        )
        if codes is None:  # an unknown operation name: the view answers 400
            with pytest.raises(Exception, match="Nope"):
                await schema.execute(query, variables, context, operation_name=name)
            assert context.finished == []
            continue
        result = await schema.execute(query, variables, context, operation_name=name)
        failed = raises == "unexpected" and GUARD in codes
        expected = ["INTERNAL_SERVER_ERROR" if failed and c == GUARD else c for c in codes]
        if commit_fails:
            expected.append("INTERNAL_SERVER_ERROR")
            assert result.data is None, query[:60]
        got = [e.extensions["code"] for e in result.errors or []]
        assert got == expected, query[:60]
        assert context.finished == [not failed], query[:60]
        for e in result.errors or []:
            assert e.extensions["requestId"] == "req-exec-0001"
            assert "secret" not in e.message and "connection lost" not in e.message
            if e.extensions["code"] == "INTERNAL_SERVER_ERROR":
                assert e.extensions["errorId"] in e.message
        if codes and codes[0] == QTC:
            assert result.errors[0].extensions["limit"] in ("aliases", "depth", "tokens")


# --------------------------------------------------------------------------- the claims statement


async def test_the_claims_statement_is_counted_and_its_errors_are_sqlalchemys(
    app_url: str,
) -> None:
    """db/session.py runs the transaction's set_config on the DBAPI cursor: the statement
    counter still counts it, its driver errors are SQLAlchemy's, and the connection is
    usable again afterwards."""
    from sqlalchemy import exc, text

    from db.session import Database
    from tenancy.principal import ANONYMOUS_CLAIMS

    database = Database(app_url, pool_size=1, max_overflow=0)
    try:
        before = database.statements
        async with database.session(ANONYMOUS_CLAIMS) as session:
            timeout = (await session.execute(text("SHOW statement_timeout"))).scalar_one()
            await session.commit()
        assert database.statements - before == 2  # set_config, then the SHOW
        assert timeout == "15s"  # the default 15,000 ms, set by the claims statement
        session = database.session(ANONYMOUS_CLAIMS)
        session.info["settings"] = {"statement_timeout": "not a duration"}
        with pytest.raises(exc.DBAPIError, match="statement_timeout"):
            await session.connection()
        await session.close()
        async with database.session(ANONYMOUS_CLAIMS) as session:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await database.dispose()
