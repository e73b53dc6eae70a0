"""The fast completion path (engine/completion.py) answers exactly as graphql-core's normal path.

Two halves:
- on the demo data over HTTP, for every role, many documents (aliases, fragments, inline
  fragments, __typename, @include/@skip, denied and masked fields, nulls, enums, Long, JSON,
  DateTime, nested connections, abstract types): the response bytes with the fast path on
  are the bytes with it off, and the fast path did run (its counters moved);
- on a small synthetic schema, the rare cases real data does not produce: a null in a
  non-null field, an attribute that raises, an object of the wrong type, a relation that
  fails, errors that propagate to the list or stop at a nullable parent.
"""

from __future__ import annotations

import asyncio
import enum
import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import httpx
import pytest
import strawberry
from starlette.applications import Starlette
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from engine import completion as execution
from engine.completion import STATS, SpringExecutor
from resolvers.relations import to_one
from schema.guards import guarded
from tenancy.principal import Principal
from tenancy.roles import Role

ROLES = ("seller", "hotline", "technician", "supervisor")

PAGE = """
query($n: Int!) { transactions(first: $n) { edges { node {
  id externalId type amount currency scheme entryMode status occurredAt maskedPan
  authorizationCode responseCode terminal { tid shop { name company { legalName } } }
} } } }
"""

EVERYTHING_ON_A_TRANSACTION = """
query($n: Int!, $withPan: Boolean!, $skipTid: Boolean!, $after: String) {
  transactions(first: $n, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      again: cursor
      node {
        __typename
        ...Tx
        ... on Transaction { sum: amount status __typename }
        terminal {
          __typename id tid @skip(if: $skipTid) kind status lastSeenAt appliedOptionsVersion
          shop { id name status closedAt company { legalName iban bic siren status } }
        }
      }
    }
  }
}
fragment Tx on Transaction {
  id externalId maskedPan @include(if: $withPan) authorizationCode responseCode
  responseMessage { code labelEn category retryable }
  occurredAt recordedAt amount currency scheme entryMode type
  contract { number status serviceKinds currentFees { id currency lines { scheme rateBps } } }
  service { kind status blockedUntil terminal { tid } }
  originalTransaction { id amount type }
  shop { name siret address { city country } }
  company { legalName iban }
}
"""

NESTED_CONNECTIONS = """
{
  companies(first: 8) {
    edges { node {
      id legalName iban bic status address { line1 city }
      shops(first: 3) { totalCount edges { cursor node {
        name company { id legalName }
        terminals(first: 2) { edges { node {
          tid connectivity optionsStatus
          options { versionNumber receiptMode settlementTime language }
          events(first: 2) { edges { node { kind code occurredAt terminal { tid } } } }
          transactions(first: 2) { edges { node {
            amount maskedPan responseCode terminal { tid }
          } } }
        } } }
      } } }
      contracts(first: 2) { edges { node {
        number serviceKinds currentFees { currency lines { scheme region rateBps fixedFee } }
        feeHistory { versionNumber terminalRentalMonthly }
        company { legalName }
        services(first: 3) { edges { node { kind status shop { name } terminal { tid } } } }
      } } }
    } }
  }
}
"""

TERMINALS_AND_JOURNAL = """
{
  terminals(first: 30) { edges { node {
    id kind tid serialNumber model status blockedReason blockedUntil lastHeartbeatAt
    optionsAppliedAt createdAt version
    shop { name company { legalName } }
    services { kind status contract { number } }
    optionsHistory { versionNumber acknowledgedAt }
    auditEvents(first: 2) { edges { node { action before after actor { email role } } } }
  } } }
  auditEvents(first: 40) { edges { node {
    id actorKind actorLabel action entityType entityId reason occurredAt before after
    actor { email fullName lastLoginAt }
  } } }
  terminalEvents(first: 30) { edges { node { kind code message terminal { tid shop { name } } } } }
  responseCodes { code labelEn labelFr category retryable }
}
"""

SHOPS_CONTRACTS_SERVICES = """
{
  shops(first: 25) { edges { node {
    __typename name siret mcc status closedAt company { legalName contactEmail iban }
    transactions(last: 3) { pageInfo { hasPreviousPage } edges { node { amount status } } }
  } } }
  contracts(first: 15) { edges { node {
    number status signedAt company { legalName } shops { name }
    currentFees { id versionNumber effectiveFrom lines { scheme fixedFee } }
  } } }
  services(first: 25) { edges { node {
    kind status blockedReason activatedAt contract { number } shop { name } terminal { tid }
  } } }
  requests(first: 10) { edges { node {
    reference type status payload company { legalName } author { email } assignee { email }
  } } }
}
"""

ABSTRACT_AND_ROOT_LISTS = """
query($ids: [ID!]!, $text: String!) {
  nodes(ids: $ids) {
    __typename id
    ... on Transaction { amount maskedPan terminal { tid } }
    ... on Terminal { tid shop { name } }
    ... on Company { legalName iban }
  }
  search(text: $text) {
    score node { __typename ... on Company { legalName } ... on Shop { name } }
  }
  me { email role requests(first: 3) { edges { node { reference } } } }
}
"""

SKIPPED_LIST = """
query($skip: Boolean!) {
  transactions(first: 20) {
    edges @skip(if: $skip) { node { amount } }
    again: edges @include(if: true) { node { id __typename terminal @include(if: $skip) { tid } } }
  }
}
"""


async def _client(app: Starlette, role: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    response = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!) { login(input: {email: $e, password: "
            '"spring-demo"}) { token } }',
            "variables": {"e": f"{role}@alizes.demo"},
        },
    )
    http.headers["Authorization"] = f"Bearer {response.json()['data']['login']['token']}"
    http.headers["X-Request-Id"] = "fast-path-comparison"
    return http


@pytest.fixture
def fast_path() -> Iterator[None]:
    yield
    SpringExecutor.enabled = True


async def _both(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> bytes:
    """The response with the fast path off, then on; the bodies must be the same bytes."""
    payload = {"query": query, "variables": variables}
    SpringExecutor.enabled = False
    normal = await http.post("/graphql", json=payload)
    SpringExecutor.enabled = True
    fast = await http.post("/graphql", json=payload)
    assert normal.status_code == fast.status_code == 200
    assert fast.content == normal.content, (query[:80], variables)
    return fast.content


@pytest.mark.parametrize("role", ROLES)
async def test_fast_path_answers_as_the_normal_path(
    demo_app: Starlette, role: str, fast_path: None
) -> None:
    http = await _client(demo_app, role)
    try:
        ids = []
        for query in (
            "{ transactions(first: 2) { edges { node { id } } } }",
            "{ terminals(first: 2) { edges { node { id } } } }",
            "{ companies(first: 2) { edges { node { id } } } }",
        ):
            body = (await http.post("/graphql", json={"query": query})).json()
            connection = next(iter(body["data"].values()))
            ids += [edge["node"]["id"] for edge in connection["edges"]]
        ids.append("VHJhbnNhY3Rpb246bm9wZQ==")  # not an ID of anything

        cases: list[tuple[str, dict[str, Any]]] = [
            (PAGE, {"n": 100}),
            (EVERYTHING_ON_A_TRANSACTION, {"n": 40, "withPan": True, "skipTid": False}),
            (EVERYTHING_ON_A_TRANSACTION, {"n": 40, "withPan": False, "skipTid": True}),
            (NESTED_CONNECTIONS, {}),
            (TERMINALS_AND_JOURNAL, {}),
            (SHOPS_CONTRACTS_SERVICES, {}),
            (ABSTRACT_AND_ROOT_LISTS, {"ids": ids, "text": "a"}),
            (SKIPPED_LIST, {"skip": True}),
            (SKIPPED_LIST, {"skip": False}),
        ]
        first_page = await _both(http, EVERYTHING_ON_A_TRANSACTION, cases[1][1])
        end = json.loads(first_page)["data"]["transactions"]["pageInfo"]["endCursor"]
        cases.append(
            (
                EVERYTHING_ON_A_TRANSACTION,
                {"n": 30, "withPan": True, "skipTid": False, "after": end},
            )
        )
        STATS.reset()
        for query, variables in cases:
            await _both(http, query, variables)
        assert STATS.lists > 30, STATS
        assert STATS.items > 300, STATS
    finally:
        await http.aclose()


@pytest.mark.parametrize("role", ROLES)
async def test_the_page_of_100_is_wholly_on_the_fast_path(
    demo_app: Starlette, role: str, fast_path: None
) -> None:
    """Every field of the P2 page is completed by the plan: none goes the normal way."""
    http = await _client(demo_app, role)
    try:
        STATS.reset()
        body = (await http.post("/graphql", json={"query": PAGE, "variables": {"n": 100}})).json()
        assert len(body["data"]["transactions"]["edges"]) == 100
        assert (STATS.lists, STATS.items, STATS.normal_fields) == (1, 100, 0)
        if role == "seller":
            assert len(body["errors"]) == 300  # maskedPan, authorizationCode, responseCode
            assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
            assert body["errors"][0]["path"] == ["transactions", "edges", 0, "node", "maskedPan"]
        else:
            assert "errors" not in body
    finally:
        await http.aclose()


# ----------------------------------------------------------------------------- synthetic schema


class Row:
    """A plain row; `explode` raises when read."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @property
    def explode(self) -> str:
        raise RuntimeError("boom")


class RowLoader(DataLoader[int, Any]):
    ROWS: ClassVar[dict[int, Any]] = {}

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[Any]:
        await asyncio.sleep(0)  # not a wait: a real loader suspends (a database round trip)
        found: list[Any] = []
        for key in keys:
            row = self.ROWS.get(key)
            found.append(ValueError(f"no row {key}") if row == "fail" else row)
        return found


class Loaders:
    def __init__(self) -> None:
        self.made: dict[type, Any] = {}

    def get(self, cls: type) -> Any:
        return self.made.setdefault(cls, cls())


class Ctx:
    def __init__(self, role: Role) -> None:
        self.loaders = Loaders()
        self.principal = Principal(uuid.uuid4(), "a@b.c", "A", role, uuid.uuid4())

    def require_principal(self) -> Principal:
        return self.principal


@strawberry.enum
class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf:
    name: str
    maybe: str | None
    count: int


@strawberry.type
class Thing:
    name: str
    maybe: str | None
    number: int | None
    must: str
    explode: str | None
    leaf: Leaf
    maybe_leaf: Leaf | None
    leaves: list[Leaf]
    color: Color | None
    flag: bool | None
    iban: str | None = guarded("Company.iban")
    pan: str | None = guarded("Transaction.maskedPan")

    @strawberry.field
    @to_one(RowLoader, "parent_id")
    async def parent(self, info: Info) -> Thing | None: ...

    @strawberry.field
    def shout(self, word: str = "hey") -> str:
        return word.upper()

    @strawberry.field
    async def slow(self) -> int:
        await asyncio.sleep(0)  # not a wait: an async field that really suspends
        return 1


@strawberry.type
class Query:
    @strawberry.field
    def things(self, info: Info) -> list[Thing]:
        return info.context.things

    @strawberry.field
    def strict_things(self, info: Info) -> list[Thing] | None:
        return info.context.things


def _leaf(name: str = "l", count: int = 1, maybe: str | None = None) -> Row:
    return Row(name=name, maybe=maybe, count=count)


def _thing(n: int, **values: Any) -> Row:
    defaults: dict[str, Any] = {
        "name": f"t{n}",
        "maybe": None if n % 2 else f"m{n}",
        "number": n,
        "must": f"must{n}",
        "leaf": _leaf(f"leaf{n}", n),
        "maybe_leaf": None if n % 3 else _leaf("m"),
        "leaves": [_leaf("a"), _leaf("b", 2, "x")],
        "color": Color.RED if n % 2 else Color.BLUE,
        "flag": n % 2 == 0,
        "iban": "FR7630006000011234567890189",
        "pan": "497010******1234",
        "parent_id": None,
    }
    defaults.update(values)
    return Row(**defaults)


SYNTHETIC = strawberry.Schema(query=Query, execution_context_class=SpringExecutor)

SYNTHETIC_DOCUMENTS = [
    "{ things { name maybe number must leaf { name count } maybeLeaf { name } } }",
    "{ things { number color flag leaves { count } } }",
    "{ things { __typename n: name ...F leaves { name maybe } } } fragment F on Thing { iban pan }",
    "{ things { name explode } }",
    "{ things { name must } }",
    "{ strictThings { name must } }",
    "{ things { name leaf { name count } } }",
    "{ strictThings { name leaf { count } } }",
    '{ things { name shout loud: shout(word: "ho") slow } }',
    "{ things { name parent { name iban parent { name must pan } } } }",
    "{ things { name parent { name must } slow } }",
    "{ strictThings { parent { must leaf { count } } } }",
    "{ strictThings { name parent { name } leaf { count } must slow } }",
    "{ things { parent { name } must } }",
]


async def _execute(document: str, things: list[Any], role: Role, enabled: bool) -> Any:
    SpringExecutor.enabled = enabled
    context = Ctx(role)
    context.things = things  # type: ignore[attr-defined]
    result = await SYNTHETIC.execute(document, context_value=context)
    errors = [e.formatted for e in result.errors or []]
    return result.data, errors


def _datasets() -> list[tuple[str, list[Any]]]:
    parents = {1: _thing(100, parent_id=2), 2: _thing(200), 3: _thing(300, must=None)}
    RowLoader.ROWS = {**parents, 4: "fail", 5: _thing(500, leaf=None)}
    return [
        ("plain", [_thing(n, parent_id=1 + n % 3) for n in range(12)]),
        ("a null in a non-null field", [_thing(0), _thing(1, must=None), _thing(2)]),
        ("a null non-null object", [_thing(0), _thing(1, leaf=None), _thing(2)]),
        ("a wrong type", [_thing(0, leaf=object()), _thing(1, maybe_leaf=42)]),
        ("a failing relation", [_thing(0, parent_id=4), _thing(1, parent_id=3), _thing(2)]),
        ("a relation missing its row", [_thing(0, parent_id=99), _thing(1, parent_id=5)]),
        ("a wrong leaf", [_thing(0, number="x"), _thing(1, name=7), _thing(2, maybe=3.5)]),
        ("an int too big", [_thing(0, number=2**40), _thing(1, number=True), _thing(2)]),
        ("odd enums", [_thing(0, color="blue"), _thing(1, color=7), _thing(2, color="RED")]),
        ("odd booleans", [_thing(0, flag=1), _thing(1, flag="yes"), _thing(2, flag=0.0)]),
        ("empty", []),
    ]


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("role", [Role.SELLER, Role.HOTLINE, Role.TECHNICIAN])
async def test_synthetic_cases_answer_as_the_normal_path(role: Role, fast_path: None) -> None:
    STATS.reset()
    for label, things in _datasets():
        for document in SYNTHETIC_DOCUMENTS:
            normal = await _execute(document, things, role, enabled=False)
            fast = await _execute(document, things, role, enabled=True)
            assert fast == normal, (label, document)
    assert STATS.lists > 50


async def test_synthetic_plans_complete_without_the_normal_path(fast_path: None) -> None:
    STATS.reset()
    data, errors = await _execute(
        "{ things { name maybe iban pan parent { name leaf { count } } } }",
        [_thing(n, parent_id=1) for n in range(5)],
        Role.HOTLINE,
        enabled=True,
    )
    assert (STATS.lists, STATS.items, STATS.normal_fields) == (1, 5, 0)
    assert data["things"][0]["iban"] == "•" * 23 + "0189"  # HOTLINE reads it masked
    assert data["things"][0]["pan"] == "497010******1234"
    assert errors == []

    data, errors = await _execute(
        "{ things { name iban pan } }", [_thing(n) for n in range(3)], Role.SELLER, enabled=True
    )
    assert STATS.normal_fields == 0
    assert [t["pan"] for t in data["things"]] == [None, None, None]
    assert [e["path"] for e in errors] == [["things", n, "pan"] for n in range(3)]
    assert {e["message"] for e in errors} == {"Votre rôle ne peut pas lire Transaction.maskedPan."}


def test_the_schema_runs_the_fast_executor() -> None:
    from schema.schema import schema

    assert issubclass(schema.execution_context_class, execution.SpringExecutor)


async def test_items_run_as_tasks_only_when_they_wait() -> None:
    """_run_as_tasks: first steps in order, waiting items resumed by tasks (several on one
    future), a first-step failure raised after every item took its first step."""
    loop = asyncio.get_running_loop()
    steps: list[str] = []

    def items(future: asyncio.Future[str], fail: int | None = None) -> list[Any]:
        async def item(i: int) -> Any:
            steps.append(f"start {i}")
            if i == fail:
                raise ValueError(i)
            if i % 2:
                return f"now {i}"
            value = await future
            steps.append(f"resume {i}")
            return f"{value} {i}"

        return [item(i) for i in range(5)]

    future = loop.create_future()
    results = items(future)
    loop.call_soon(future.set_result, "later")
    await execution._run_as_tasks(results, list(range(5)))
    assert results == ["later 0", "now 1", "later 2", "now 3", "later 4"]
    assert steps == [f"start {i}" for i in range(5)] + [f"resume {i}" for i in (0, 2, 4)]

    steps.clear()
    results = items(loop.create_future(), fail=1)
    with pytest.raises(ValueError, match="1"):
        await execution._run_as_tasks(results, list(range(5)))
    assert steps == [f"start {i}" for i in range(5)]
