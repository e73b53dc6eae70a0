"""The policy on every path to a value, checked by walking the schema as every role.

For each role, on a tenant of its own where every field holds a value (one row in every
table, a journal with company, fee and request values in it):
- every mutation the role may run is called with plausible inputs, its payload selected to
  depth 4 (every field that takes no required argument; a type is not re-entered below
  itself);
- every root query the role may run is read the same way (`node` once per Node type);
- every subscription the role may run is opened, an event is caused, and its payload read.
Every value that comes back is checked against `tenancy.policy`, by the type and field it
belongs to, whatever the path that reached it: a field the role may not read is null with a
FORBIDDEN error at its path; a masked one is masked; a journal value's keys are those the
role may read; nothing else fails. A search finds nothing by a value the role may not read.

Nothing here lists fields or paths: a field, a type, a mutation or a journal action added
later is walked and checked without anyone touching this file.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from spring.app import create_app
from spring.settings import Environment, Settings
from tenancy import policy
from tenancy.masking import MASKERS
from tenancy.principal import Principal
from tenancy.roles import Role
from tests.adversarial.conftest import (
    API,
    MUTATIONS,
    NODE_TYPES,
    QUERIES,
    ROLES,
    Inputs,
    Party,
    World,
    _login,
    gid,
    make_party,
    may_run,
    operation,
    required,
)
from tests.conftest import TEST_SECRET
from tests.live import PATIENCE, PROTOCOL, Subscription, running, until

DEPTH = 4
FIRST = 2
SUBSCRIPTIONS: dict[str, GraphQLField] = dict(API.subscription_type.fields)  # type: ignore[union-attr]
#: Mutations that end or take away what later mutations of the walk work on: called last.
LAST = ("reject", "suspend", "terminate", "deactivate", "block")
#: Mutations that end the caller's own session: walked on a fresh login of the same account,
#: so the walk's own session (and the platform administrator's shared one) goes on.
ENDS_SESSION = ("logout",)


# --------------------------------------------------------------------------- selections


@dataclass
class Sel:
    """A selection set being built: (field text, sub-selection) pairs, and its field count."""

    head: str  # "{ __typename" or an inline fragment's opening
    parts: list[tuple[str, Sel | None]]

    def count(self) -> int:
        return 1 + sum(1 + (sub.count() if sub else 0) for _, sub in self.parts)

    def render(self) -> str:
        inner = " ".join(text + (" " + sub.render() if sub else "") for text, sub in self.parts)
        return f"{{ __typename {inner} }}"


def walk(type_: Any, depth: int = DEPTH, above: frozenset[str] = frozenset()) -> Sel:
    """Every field taking no required argument, objects down to `depth`, `__typename` in
    every object; a type is not entered again below itself (no cycles)."""
    named = get_named_type(type_)
    if is_abstract_type(named):
        # Any Node (a notification's `subject`): each possible type by its id only. Their
        # fields of one name but different types (`status`) cannot share a selection, and
        # each type is walked in full from its own fields and root queries.
        return Sel(
            "",
            [
                (f"... on {possible.name}", Sel("", [("id", None)]))
                for possible in API.get_possible_types(named)  # type: ignore[arg-type]
            ],
        )
    above = above | {named.name}
    parts: list[tuple[str, Sel | None]] = []
    for name, field_ in named.fields.items():  # type: ignore[union-attr]
        if any(required(a) for a in field_.args.values()):
            continue
        child = get_named_type(field_.type)
        if is_leaf_type(child):
            parts.append((name, None))
        elif depth > 0 and child.name not in above:
            arguments = f"(first: {FIRST})" if "first" in field_.args else ""
            parts.append((f"{name}{arguments}", walk(field_.type, depth - 1, above)))
    return Sel("", parts)


def walk_selection(type_: Any) -> str:
    return walk(type_).render()


#: Fields per document, below the service's limit (1,000).
BUDGET = 900


def split(sel: Sel, budget: int = BUDGET) -> list[Sel]:
    """Selections of at most `budget` fields that together select what `sel` does."""
    if sel.count() <= budget:
        return [sel]
    pieces: list[Sel] = []
    current: list[tuple[str, Sel | None]] = []
    size = 1
    for text, sub in sel.parts:
        cost = 1 + (sub.count() if sub else 0)
        if cost + 1 > budget and sub is not None:
            pieces += [Sel("", [(text, part)]) for part in split(sub, budget - 2)]
            continue
        if size + cost > budget:
            pieces.append(Sel("", current))
            current, size = [], 1
        current.append((text, sub))
        size += cost
    if current:
        pieces.append(Sel("", current))
    return pieces


# --------------------------------------------------------------------------- checking


def _uuid_of(global_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(base64.b64decode(global_id).decode().partition(":")[2])
    except (ValueError, UnicodeDecodeError):
        return None


@dataclass
class Seen:
    """What the walk met, across roles: to show it was not vacuous."""

    values: set[str] = field(default_factory=set)  # "Type.field" read with a value
    denied: dict[str, set[str]] = field(default_factory=lambda: collections.defaultdict(set))
    journal_keys: set[tuple[str, str]] = field(default_factory=set)  # (entity type, key)
    operations: collections.Counter[str] = field(default_factory=collections.Counter)


SEEN = Seen()


class Checker:
    """Checks one response against the policy for one role."""

    def __init__(self, role: str, principal: Principal, where: str, body: dict) -> None:
        self.role = role
        self.principal = principal
        self.where = where
        self.problems: list[str] = []
        self.forbidden: set[tuple[Any, ...]] = set()
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            if code == "FORBIDDEN" and error.get("path"):
                self.forbidden.add(tuple(error["path"]))
            elif code in (
                "INTERNAL_SERVER_ERROR",
                "QUERY_TOO_COMPLEX",
                "GRAPHQL_VALIDATION_FAILED",
            ):
                self.problems.append(f"{where}: {code}: {error.get('message')}")

    def access(self, type_name: str, name: str, value: dict) -> policy.Access | None:
        owner = _uuid_of(value["id"]) if type_name == "User" and "id" in value else None
        return policy.field_access(self.principal, f"{type_name}.{name}", owner_id=owner)

    def check(self, value: Any, type_: Any, path: tuple[Any, ...]) -> None:
        if value is None:
            return
        nullable = get_nullable_type(type_) if hasattr(type_, "of_type") else type_
        if isinstance(nullable, GraphQLList):
            for index, item in enumerate(value):
                self.check(item, nullable.of_type, (*path, index))
            return
        named = get_named_type(type_)
        if is_leaf_type(named):
            return
        concrete = API.get_type(value.get("__typename", named.name))
        assert isinstance(concrete, GraphQLObjectType), (self.where, path, value)
        for key, item in value.items():
            if key == "__typename":
                continue
            here = (*path, key)
            fq = f"{concrete.name}.{key}"
            access = self.access(concrete.name, key, value)
            if access is None:
                SEEN.denied[fq].add(self.role)
                if item is not None:
                    self.problems.append(f"{self.where}: {self.role} read {fq} at {here}")
                elif here not in self.forbidden:
                    self.problems.append(f"{self.where}: {fq} null without FORBIDDEN at {here}")
                continue
            if item is not None and item != [] and item != {}:
                SEEN.values.add(fq)
            if access is policy.Access.MASKED and item is not None:
                masked = MASKERS[policy.MASKS[fq]](item)
                if masked != item:
                    self.problems.append(f"{self.where}: {fq} unmasked for {self.role}: {item}")
            if concrete.name == "AuditEvent" and key in ("before", "after"):
                self.check_journal(value.get("entityType"), item, here)
                continue
            self.check(item, concrete.fields[key].type, here)

    def check_journal(self, entity_type: str | None, snapshot: Any, path: tuple) -> None:
        """A key is shown if the role may read the field it copies, or (a key that copies
        no field) every field of the entity's type."""
        if not isinstance(snapshot, dict) or not snapshot:
            return
        declared = API.get_type(entity_type or "")
        fields = tuple(getattr(declared, "fields", None) or ())
        whole = bool(fields) and all(
            policy.field_access(self.principal, f"{entity_type}.{f}") is not None for f in fields
        )
        for key, value in snapshot.items():
            SEEN.journal_keys.add((entity_type or "?", key))
            name = policy.journal_field(key, fields)
            if name is None:
                if not whole:
                    self.problems.append(
                        f"{self.where}: {self.role} read journal key {entity_type}.{key} "
                        f"(copies no field; only readers of every {entity_type} field may)"
                    )
                continue
            fq = f"{entity_type}.{name}"
            access = policy.field_access(self.principal, fq)
            if access is None:
                self.problems.append(f"{self.where}: {self.role} read journal {fq} at {path}")
            elif access is policy.Access.MASKED and fq in policy.MASKS:
                if MASKERS[policy.MASKS[fq]](value) != value:
                    self.problems.append(f"{self.where}: journal {fq} unmasked: {value}")


# --------------------------------------------------------------------------- the walk


#: The walk's server's live broker (to know when subscriptions are held, not to guess).
SERVED: dict[str, Any] = {}

#: The row feed each subscription reads (subscriptions/broker.py); terminalStatusChanged
#: subscribers are held in `statuses` instead.
FEED_OF = {
    "transactionRecorded": "transactions",
    "terminalEventRecorded": "terminal_events",
    "notificationReceived": "notifications",
}


async def _held(tenant_id: uuid.UUID, keys: list[str]) -> None:
    """Wait until the server holds every subscription opened (each feed started, at its
    position, with a subscriber per document): events made before would be missed."""
    broker = SERVED["broker"]
    wanted = collections.Counter(key.partition("#")[0] for key in keys)

    def holding() -> bool:
        held = True
        for name, count in wanted.items():
            if name == "terminalStatusChanged":
                held &= len(broker.statuses.get(tenant_id) or ()) >= count
                continue
            feed = broker.feeds.get((FEED_OF[name], tenant_id))
            held &= feed is not None and feed._ready.is_set() and len(feed.subscribers) >= count
        return held

    await until(holding, f"the server to hold the subscriptions {sorted(wanted)}")


@pytest.fixture(scope="module")
async def server(app_url: str) -> AsyncIterator[str]:
    """A real server; its cost limit is raised so one document can walk a whole payload."""
    settings = Settings(
        env=Environment.DEVELOPMENT,
        secret_key=TEST_SECRET,
        max_query_cost=1_000_000,
        live_poll_interval_s=0.5,
    )
    app = create_app(settings, app_url)
    SERVED["broker"] = app.state.live
    async with running(app) as base:
        yield base


@dataclass
class Caller:
    role: str
    party: Party
    http: httpx.AsyncClient
    headers: dict[str, str]
    principal: Principal
    token: str

    async def post(self, query: str, variables: dict | None = None) -> dict:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return response.json()


async def _caller(role: str, party: Party, world: World, http: httpx.AsyncClient) -> Caller:
    if role == "PLATFORM_ADMIN":
        token, headers = world.admin_token, {"X-Tenant": party.graph.slug}
    else:
        token, headers = party.tokens[role], {}
    headers["Authorization"] = f"Bearer {token}"
    response = await http.post("/graphql", json={"query": "{ me { id } }"}, headers=headers)
    me = response.json()["data"]["me"]
    principal = Principal(
        user_id=_uuid_of(me["id"]),  # type: ignore[arg-type]
        email="",
        full_name="",
        role=Role(role),
        tenant_id=party.tenant_id,
    )
    return Caller(role, party, http, headers, principal, token)


async def _fresh_session(caller: Caller) -> Caller:
    """The same account, logged in again: a session of its own to end."""
    body = await caller.post("{ me { email } }")
    token = await _login(caller.http, body["data"]["me"]["email"])
    headers = {**caller.headers, "Authorization": f"Bearer {token}"}
    return dataclasses.replace(caller, headers=headers, token=token)


def _call(name: str, input_type: str) -> str:
    return (
        f"mutation($i: {input_type}!) {{ {name}(input: $i) {{ userErrors {{ code message }} }} }}"
    )


async def _every_field_holds_a_value(supervisor: Caller, service: Caller) -> None:
    """Beyond the tenant graph's rows: journal entries holding guarded values (a bank
    account change, a fee change, a fee change request), and a declined transaction (top
    response codes), all through the API, as the use cases write them."""
    party = supervisor.party
    declined = {
        "externalId": f"walk-{uuid.uuid4().hex[:12]}",
        "tid": party.tid,
        "type": "PURCHASE",
        "amount": 990,
        "currency": "EUR",
        "scheme": "VISA",
        "entryMode": "CHIP",
        "status": "DECLINED",
        "responseCode": "51",
        "maskedPan": "497010******1234",
        "occurredAt": _now(),
    }
    body = await service.post(
        "mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {"
        " userErrors { code message } } }",
        {"i": {"transactions": [declined]}},
    )
    assert body["data"]["recordTransactions"]["userErrors"] == [], body
    fees = {"lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 31, "fixedFee": 6}]}
    calls = [
        (
            _call("updateCompany", "UpdateCompanyInput"),
            {"id": party.gid("Company"), "iban": "FR7630006000011234567890189", "bic": "BNPAFRPP"},
        ),
        (
            _call("changeContractFees", "ChangeContractFeesInput"),
            {"id": party.gid("Contract"), "fees": fees, "reason": "Renégociation annuelle"},
        ),
        (
            _call("createRequest", "CreateRequestInput"),
            {
                "type": "FEE_CHANGE",
                "companyId": party.gid("Company"),
                "contractId": party.gid("Contract"),
                "subject": "Baisse du taux CB",
                "proposedFees": fees,
            },
        ),
    ]
    for query, values in calls:
        body = await supervisor.post(query, {"i": values})
        payload = next(iter(body["data"].values()))
        assert payload["userErrors"] == [], body


def _order(name: str) -> tuple[bool, str]:
    return (name.startswith(LAST), name)


async def _walk_mutations(caller: Caller) -> list[str]:
    problems = []
    for name in sorted(MUTATIONS, key=_order):
        if (
            not may_run(caller.role, name, caller.party.tenant_id)
            or name in policy.PUBLIC_OPERATIONS
        ):
            continue
        field_ = MUTATIONS[name]
        values = Inputs(caller.party).arguments(field_, name)
        query = operation("mutation", name, field_, values, walk_selection(field_.type))
        on = await _fresh_session(caller) if name in ENDS_SESSION else caller
        body = await on.post(query, values)
        SEEN.operations[name] += 1
        checker = Checker(caller.role, caller.principal, f"mutation {name}", body)
        checker.check((body.get("data") or {}).get(name), field_.type, (name,))
        problems += checker.problems
    return problems


def _query_documents(caller: Caller, name: str, field_: GraphQLField) -> list[tuple[str, dict]]:
    """The documents that walk one root query (several when one would be too large)."""
    if name in ("node", "nodes"):
        documents = []
        for type_name in NODE_TYPES:
            argument = "id: $v" if name == "node" else "ids: [$v]"
            fragment = Sel("", [(f"... on {type_name}", walk(API.get_type(type_name)))])
            for piece in split(fragment):
                documents.append(
                    (
                        f"query($v: ID!) {{ {name}({argument}) {piece.render()} }}",
                        {"v": caller.party.gid(type_name)},
                    )
                )
        return documents
    values = Inputs(caller.party).arguments(field_, name)
    if "first" in field_.args:
        values["first"] = FIRST
    if name == "search":
        values["text"] = caller.party.graph.slug[:6]
    return [
        (operation("query", name, field_, values, piece.render()), values)
        for piece in split(walk(field_.type))
    ]


async def _walk_queries(caller: Caller) -> list[str]:
    problems = []
    for name, field_ in QUERIES.items():
        if not may_run(caller.role, name, caller.party.tenant_id):
            continue
        for query, values in _query_documents(caller, name, field_):
            body = await caller.post(query, values)
            SEEN.operations[name] += 1
            checker = Checker(caller.role, caller.principal, f"query {name}", body)
            checker.check((body.get("data") or {}).get(name), field_.type, (name,))
            problems += checker.problems
    return problems


async def _walk_search(caller: Caller, supervisor: Caller) -> list[str]:
    """Every value of a searchable type that the role may not read finds nothing."""
    problems = []
    if not may_run(caller.role, "search", caller.party.tenant_id):
        return problems
    result_types = API.get_type("SearchResult").types  # type: ignore[union-attr]
    for type_ in result_types:
        leaves = [
            n
            for n, f in type_.fields.items()
            if is_leaf_type(get_named_type(f.type)) and not f.args
        ]
        readable = [n for n in leaves if policy.field_access(caller.principal, f"{type_.name}.{n}")]
        hidden = [n for n in leaves if n not in readable]
        if not hidden:
            continue
        body = await supervisor.post(
            f"query($v: ID!) {{ node(id: $v) {{ ... on {type_.name} {{ {' '.join(leaves)} }} }} }}",
            {"v": caller.party.gid(type_.name)},
        )
        truth = body["data"]["node"]
        for name in hidden:
            text = truth.get(name)
            if not isinstance(text, str) or len(text) < 2:
                continue
            if any(text == truth.get(n) for n in readable):
                continue
            found = await caller.post(
                "query($t: String!) { search(text: $t, first: 50) { node { __typename"
                f" ... on {type_.name} {{ id }} }} }} }}",
                {"t": text},
            )
            hits = [h["node"] for h in (found.get("data") or {}).get("search") or []]
            if any(h.get("id") == caller.party.gid(type_.name) for h in hits):
                problems.append(f"search: {caller.role} found a {type_.name} by its {name}")
            SEEN.operations["search by a hidden value"] += 1
    return problems


async def _walk_subscriptions(caller: Caller, service: Caller, base: str) -> list[str]:
    problems: list[str] = []
    allowed = [n for n in SUBSCRIPTIONS if may_run(caller.role, n, caller.party.tenant_id)]
    if not allowed:
        return problems
    party = caller.party
    async with contextlib_multi(base, caller, allowed) as subscriptions:
        await _held(party.tenant_id, list(subscriptions))
        tx = {
            "externalId": f"walk-{uuid.uuid4().hex[:12]}",
            "tid": party.tid,
            "type": "PURCHASE",
            "amount": 1250,
            "currency": "EUR",
            "scheme": "CB",
            "entryMode": "CONTACTLESS",
            "status": "APPROVED",
            "responseCode": "00",
            "authorizationCode": "Z9Y8X7",
            "maskedPan": "497010******1234",
            "occurredAt": _now(),
        }
        body = await service.post(
            "mutation($i: RecordTransactionsInput!) { recordTransactions(input: $i) {"
            " userErrors { code message } } }",
            {"i": {"transactions": [tx]}},
        )
        assert body["data"]["recordTransactions"]["userErrors"] == [], body
        events = [
            {
                "tid": party.tid,
                "kind": "ERROR",
                "code": "E42",
                "message": "Lecteur",
                "occurredAt": _now(),
            },
            {"tid": party.tid, "kind": "HEARTBEAT", "occurredAt": _now()},
        ]
        body = await service.post(
            "mutation($i: RecordTerminalEventsInput!) { recordTerminalEvents(input: $i) {"
            " userErrors { code message } } }",
            {"i": {"events": events}},
        )
        assert body["data"]["recordTerminalEvents"]["userErrors"] == [], body
        bell = [key for key in subscriptions if key.startswith("notificationReceived#")]
        # A colleague assigns the caller a request: a notification for the caller alone
        # (every subscription is held by now: one is enough).
        colleague = "HOTLINE" if caller.role == "SUPERVISOR" else "SUPERVISOR"
        if bell:
            response = await caller.http.post(
                "/graphql",
                json={
                    "query": _call("createRequest", "CreateRequestInput"),
                    "variables": {
                        "i": {
                            "type": "SUPPORT",
                            "companyId": party.gid("Company"),
                            "subject": "Walk",
                            "assigneeId": gid("User", caller.principal.user_id),
                        }
                    },
                },
                headers={"Authorization": f"Bearer {party.tokens[colleague]}"},
            )
            assert response.json()["data"]["createRequest"]["userErrors"] == [], response.text
        for key, subscription in subscriptions.items():
            name = key.partition("#")[0]
            try:
                message = await subscription.next(timeout=PATIENCE)
            except TimeoutError:
                problems.append(f"subscription {key}: nothing arrived within {PATIENCE:g} s")
                continue
            assert message["type"] == "next", (name, message)
            payload = message["payload"]
            SEEN.operations[name] += 1
            checker = Checker(caller.role, caller.principal, f"subscription {name}", payload)
            checker.check((payload.get("data") or {}).get(name), SUBSCRIPTIONS[name].type, (name,))
            problems += checker.problems
    return problems


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat()


class contextlib_multi:
    """Open one subscription per name (each on its own connection); a payload too big for
    one document (a notification's `subject`: any Node) is walked by several, `name#i`."""

    def __init__(self, base: str, caller: Caller, names: list[str]) -> None:
        self.base, self.caller, self.names = base, caller, names
        self.stack: Any = None

    async def __aenter__(self) -> dict[str, Subscription]:

        self.stack = contextlib.AsyncExitStack()
        opened = {}
        for name in self.names:
            field_ = SUBSCRIPTIONS[name]
            values = Inputs(self.caller.party).arguments(field_, name)
            for index, piece in enumerate(split(walk(field_.type))):
                query = operation("subscription", name, field_, values, piece.render())
                opened[f"{name}#{index}"] = await self.stack.enter_async_context(
                    Subscription.open(self.base, self.caller.token, query, values)
                )
        return opened

    async def __aexit__(self, *exc: Any) -> None:
        await self.stack.aclose()


assert PROTOCOL  # the WebSocket protocol the walk speaks (graphql-transport-ws)


@pytest.mark.parametrize("role", ROLES)
async def test_every_value_reaches_each_role_as_the_policy_says(
    server: str, world: World, owner_engine: AsyncEngine, role: str
) -> None:
    async with httpx.AsyncClient(base_url=f"http://{server}", timeout=60) as http:
        party = await make_party(owner_engine, http)
        supervisor = await _caller("SUPERVISOR", party, world, http)
        service = await _caller("SERVICE", party, world, http)
        await _every_field_holds_a_value(supervisor, service)
        caller = await _caller(role, party, world, http)
        problems = []
        # Subscriptions first, while the terminal still takes payments (the mutations end
        # services and return terminals); they take no X-Tenant: staff of the tenant only.
        if role != "PLATFORM_ADMIN":
            problems += await _walk_subscriptions(caller, service, server)
        problems += await _walk_mutations(caller)
        problems += await _walk_queries(caller)
        problems += await _walk_search(caller, supervisor)
    assert problems == [], "\n".join(problems[:40])


def test_the_walk_met_every_rule() -> None:
    """Not vacuous: every guarded field was read with a value by a role allowed to, and
    refused to one that is not; the machine account met fields it may not read in its own
    payloads; journal values with guarded keys were met."""
    assert SEEN.operations, "the walk did not run"
    for fq, rules in policy.FIELDS.items():
        assert fq in SEEN.values, f"{fq}: never read with a value"
        denied = {r.value for r in Role if r not in rules} & set(ROLES)
        if denied:
            assert SEEN.denied.get(fq, set()) & denied, f"{fq}: never refused ({denied})"
    assert "SERVICE" in set().union(*SEEN.denied.values())
    keys = {key for _, key in SEEN.journal_keys}
    assert {"iban", "lines"} <= keys or {"iban", "currentFees"} <= keys, sorted(keys)
    for name in MUTATIONS:
        if name not in policy.PUBLIC_OPERATIONS and name != "createTenant":
            assert SEEN.operations[name], f"mutation {name} never walked"
    for name in SUBSCRIPTIONS:
        assert SEEN.operations[name], f"subscription {name} never walked"
