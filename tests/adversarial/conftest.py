"""The adversarial suites' machinery, all derived from the schema by introspection.

- `API`: the schema as a client sees it (the introspection query's answer), so a field, an
  argument or a type added later is probed without anyone listing it here.
- `world`: two tenants made by `make_tenant_graph` (one row in every table): the caller's `a`
  and the victim `b`, a caller of every role in `a`, and a platform administrator.
- `Inputs`: plausible values for any input type, with the IDs of a chosen tenant's objects.
- `selection`: a selection set for any output type.
- `fingerprint`: a digest of every row of some tenants (as the owner, through no policy),
  to show that nothing was written.
- the card-number scan (tests/card_scan.py): every log record of the session is captured
  and scanned, and at the end of the session every database is (tests/conftest.py);
  tests/adversarial/test_card_numbers_scan.py scans them after the suite, too.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    graphql_sync,
    is_abstract_type,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from db.identifiers import make_siren, make_siret
from resolvers.accounts import create_user
from resolvers.throttle import LOGIN_THROTTLE, SPENT_REFRESH_TOKENS
from schema.schema import schema
from tenancy import policy
from tenancy.principal import Principal
from tenancy.roles import Role
from tests.api import gid
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

# --------------------------------------------------------------------------- the API

API: GraphQLSchema = build_client_schema(
    graphql_sync(schema._schema, get_introspection_query()).data  # type: ignore[arg-type]
)
NODE_TYPES: tuple[str, ...] = tuple(
    sorted(t.name for t in API.get_possible_types(API.get_type("Node")))  # type: ignore[arg-type]
)
QUERIES: dict[str, GraphQLField] = dict(API.query_type.fields)  # type: ignore[union-attr]
MUTATIONS: dict[str, GraphQLField] = dict(API.mutation_type.fields)  # type: ignore[union-attr]

#: Node type → the key of its row in `TenantGraph.ids` (make_tenant_graph makes one of each).
#: A Node type missing here fails test_cross_tenant's coverage test: add it with its row.
OBJECT_KEYS: dict[str, str] = {
    "AuditEvent": "audit",
    "Company": "company",
    "Contract": "contract",
    "FeeSchedule": "fee",
    "Notification": "notification",
    "Request": "request",
    "RequestComment": "comment",
    "Service": "service",
    "Shop": "shop",
    "Tenant": "tenant",
    "Terminal": "terminal",
    "TerminalEvent": "event",
    "TerminalCommand": "command",
    "Transaction": "tx",
    "User": "user",
}
#: ID arguments whose name does not say the type they designate.
ID_ALIASES = {"author": "User", "assignee": "User", "actor": "User", "entity": "Company"}

#: Roles as callers: every role of the policy; the platform administrator acts in tenant `a`
#: (X-Tenant), "PLATFORM" is the same person without X-Tenant, and "ANONYMOUS" has no token.
ROLES = ("SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE", "PLATFORM_ADMIN")
CALLERS = (*ROLES, "PLATFORM", "ANONYMOUS")


def required(field_: Any) -> bool:
    """A non-null argument or input field without a default value (graphql-core 3.3 keeps
    an introspected default in `.default`, 3.2 in `.default_value`)."""
    default = getattr(field_, "default", None)
    has_default = default not in (None, Undefined) or field_.default_value is not Undefined
    return is_non_null_type(field_.type) and not has_default


def may_run(caller: str, operation: str, tenant_id: uuid.UUID) -> bool:
    """What tenancy.policy (and schema/permissions.py) decide for a caller."""
    if operation in policy.PUBLIC_OPERATIONS:
        return True
    if caller == "ANONYMOUS":
        return False
    role = Role.PLATFORM_ADMIN if caller == "PLATFORM" else Role(caller)
    principal = Principal(
        user_id=uuid.uuid4(),
        email="",
        full_name="",
        role=role,
        tenant_id=None if caller == "PLATFORM" else tenant_id,
    )
    if principal.is_platform and principal.tenant_id is None:
        if operation not in policy.PLATFORM_LEVEL_OPERATIONS:
            return False
    return policy.may_run(principal, operation)


def id_type(name: str, context: str) -> str:
    """The Node type an ID argument designates: from its name (`companyId`, `shopIds`,
    `terminal`), or for a bare `id` from the operation's name (`blockService` → Service)."""
    base = re.sub(r"Ids?$", "", name)
    if base and base != "id":
        candidate = ID_ALIASES.get(base) or base[0].upper() + base[1:]
        if candidate in OBJECT_KEYS:
            return candidate
    matches = [t for t in OBJECT_KEYS if t.lower() in context.lower()]
    return max(matches, key=len) if matches else "Company"


# --------------------------------------------------------------------------- parties


@dataclass
class Party:
    """One tenant: its graph, the IDs of its objects, and its callers' tokens."""

    graph: TenantGraph
    tid: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.graph.tenant_id

    def uuid_of(self, type_name: str) -> uuid.UUID:
        key = OBJECT_KEYS[type_name]
        return self.graph.tenant_id if key == "tenant" else self.graph.ids[key]

    def gid(self, type_name: str) -> str:
        return gid(type_name, self.uuid_of(type_name))


@dataclass
class World:
    a: Party
    b: Party
    admin_token: str

    def caller(self, client: GraphQLClient, caller: str, party: Party | None = None) -> Any:
        party = party or self.a
        other = GraphQLClient(client.http)
        if caller in ("PLATFORM_ADMIN", "PLATFORM"):
            other.token = self.admin_token
            other.tenant = party.graph.slug if caller == "PLATFORM_ADMIN" else None
        elif caller != "ANONYMOUS":
            other.token = party.tokens[caller]
        return other


async def _login(http: httpx.AsyncClient, email: str) -> str:
    caller = GraphQLClient(http)
    payload = await caller.login(email, PASSWORD)
    assert payload["userErrors"] == [], payload
    assert caller.token
    return caller.token


async def make_party(
    owner_engine: AsyncEngine, http: httpx.AsyncClient, roles: tuple[str, ...] = ROLES[:5]
) -> Party:
    graph = await make_tenant_graph(owner_engine)
    async with owner_engine.connect() as conn:
        tid = await conn.scalar(
            text("SELECT tid FROM terminals WHERE id = :id"), {"id": graph.ids["terminal"]}
        )
    party = Party(graph=graph, tid=tid)
    for role in roles:
        party.emails[role] = await add_user(owner_engine, graph, role)
        party.tokens[role] = await _login(http, party.emails[role])
    return party


@pytest.fixture(scope="session")
async def adversarial_http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
    ) as http:
        yield http


@pytest.fixture(scope="session")
async def admin_token(app: Starlette, adversarial_http: httpx.AsyncClient) -> str:
    email = f"admin-{uuid.uuid4().hex[:6]}@platform.test"
    await create_user(
        app.state.database,
        tenant_slug=None,
        email=email,
        full_name="Adversarial Admin",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    return await _login(adversarial_http, email)


@pytest.fixture(scope="session")
async def world(
    owner_engine: AsyncEngine, adversarial_http: httpx.AsyncClient, admin_token: str
) -> World:
    a = await make_party(owner_engine, adversarial_http)
    b = await make_party(owner_engine, adversarial_http, roles=())
    return World(a=a, b=b, admin_token=admin_token)


@pytest.fixture(autouse=True)
def fresh_auth_state() -> Iterator[None]:
    """Failed logins of one test must not throttle the next (they share one address)."""
    LOGIN_THROTTLE.reset()
    SPENT_REFRESH_TOKENS.reset()
    yield
    LOGIN_THROTTLE.reset()


def statements(client: GraphQLClient) -> int:
    return client.http._transport.app.state.database.statements  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- inputs


class Inputs:
    """Plausible values for input types, naming the objects of one tenant (`party`).

    Values are valid where a field's name says what it holds (a SIREN, an IBAN, an e-mail, a
    TID...), so a use case gets past its first checks and the field under test is what decides.
    """

    def __init__(self, party: Party, *, ids: Party | None = None) -> None:
        self.party = party
        self.ids = ids or party

    @staticmethod
    def fresh(n: int = 8) -> str:
        return uuid.uuid4().hex[:n]

    def string(self, name: str, context: str) -> Any:
        now = dt.datetime.now(dt.UTC)
        lowered = name.lower()
        table: dict[str, Any] = {
            "siren": make_siren(str(uuid.uuid4().int)[:8]),
            "siret": make_siret("732829320", str(uuid.uuid4().int)[:4]),
            "iban": "FR7630006000011234567890189",
            "bic": "AGRIFRPP",
            "mcc": "5411",
            "legalform": "SARL",
            "currency": "EUR",
            "country": "FR",
            "postalcode": "97110",
            "city": "Pointe-à-Pitre",
            "line1": "1 rue Schoelcher",
            "contactphone": "+590590000000",
            "phone": "+590590000000",
            "password": "a much longer secret",
            "slug": f"adv-{self.fresh()}",
            "externalid": f"adv-{self.fresh(16)}",
            "originalexternalid": None,
            "responsecode": "00",
            "authorizationcode": "A1B2C3",
            "maskedpan": "497010******1234",
            "settlementtime": "23:30",
            "language": "fr",
            "activationcode": "ABCD-EFGH-1234",
            "refreshtoken": "not-a-real-refresh-token",
            "occurredat": now.isoformat(),
        }
        if lowered in table:
            return table[lowered]
        if lowered.endswith("email"):
            if context == "login":
                return self.party.emails.get("SUPERVISOR", f"x{self.fresh()}@example.test")
            return f"adv-{self.fresh()}@example.test"
        if lowered == "tid":
            if context in ("registerTerminal",):
                return self.fresh(8).upper()
            return self.ids.tid
        if lowered == "tenant" and context == "login":
            return None
        return "Test value"

    def value(self, type_: GraphQLInputType, name: str, context: str, *, all_ids: bool) -> Any:
        nullable = get_nullable_type(type_) if is_non_null_type(type_) else type_
        if isinstance(nullable, GraphQLList):
            item = self.value(nullable.of_type, name, context, all_ids=all_ids)
            return [] if item is None else [item]
        if isinstance(nullable, GraphQLInputObjectType):
            return self.object(nullable, context, all_ids=all_ids)
        if isinstance(nullable, GraphQLEnumType):
            preferred = {
                "TerminalKind": "PAX",
                "ServiceKind": "PAY_ON_SITE",
                "Role": "SELLER",
                "RequestType": "SUPPORT",
                "TerminalEventKind": "HEARTBEAT",
                "TransactionType": "PURCHASE",
                "TransactionStatus": "APPROVED",
                "EntryMode": "CONTACTLESS",
                "CardScheme": "CB",
                "FeeRegion": "DOMESTIC",
            }
            return preferred.get(nullable.name, next(iter(nullable.values)))
        assert isinstance(nullable, GraphQLScalarType), nullable
        kind = nullable.name
        if kind == "ID":
            return self.ids.gid(id_type(name, context))
        if kind == "String":
            return self.string(name, context)
        if kind == "Int":
            return {"heartbeatIntervalSeconds": 60, "rateBps": 30}.get(name, 1)
        if kind == "Long":
            return {"amount": 1250, "fixedFee": 5}.get(name, 0)
        if kind == "Float":
            return 1.0
        if kind == "Boolean":
            return True
        if kind == "DateTime":
            if name == "until":
                return (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
            return dt.datetime.now(dt.UTC).isoformat()
        if kind == "Date":
            return dt.date.today().isoformat()
        if kind == "JSON":
            return {"battery": 81}
        return "Test value"

    def object(
        self, type_: GraphQLInputObjectType, context: str, *, all_ids: bool = False
    ) -> dict[str, Any]:
        """The required fields; with `all_ids`, every ID field too, and the first optional
        text or flag (an update that changes nothing is refused before its ID is looked at)."""
        built: dict[str, Any] = {}
        change = None
        for name, input_field in type_.fields.items():
            needed = required(input_field)
            named = get_named_type(input_field.type).name
            if needed or (all_ids and named == "ID"):
                value = self.value(input_field.type, name, context, all_ids=all_ids)
                if value is not None or not needed:
                    built[name] = value
            elif change is None and named in ("String", "Boolean") and name != "reason":
                change = name
        if all_ids and change is not None:
            built[change] = self.value(type_.fields[change].type, change, context, all_ids=False)
        return built

    def arguments(self, field_: GraphQLField, context: str, *, all_ids: bool = False) -> dict:
        built = {}
        for name, arg in field_.args.items():
            is_id = get_named_type(arg.type).name == "ID"
            if required(arg) or (all_ids and is_id):
                built[name] = self.value(arg.type, name, context, all_ids=all_ids)
        return built


def ids_inside(type_: GraphQLInputType, context: str = "") -> bool:
    """Does this input type designate existing objects (an ID, or a terminal's TID, except
    in a registration, where the TID is a new one)?"""
    seen: set[str] = set()
    tid_is_reference = not context.startswith("register")

    def walk(t: Any, name: str = "") -> bool:
        named = get_named_type(t)
        if named.name == "ID" or (named.name == "String" and name == "tid" and tid_is_reference):
            return True
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            seen.add(named.name)
            return any(walk(f.type, n) for n, f in named.fields.items())
        return False

    return walk(type_)


def operation(kind: str, name: str, field_: GraphQLField, values: dict, body: str) -> str:
    """`mutation($input: T!) { name(input: $input) <body> }` for the arguments given."""
    definitions = ", ".join(f"${a}: {field_.args[a].type}" for a in values)
    arguments = ", ".join(f"{a}: ${a}" for a in values)
    head = f"{kind}({definitions})" if definitions else kind
    call = f"{name}({arguments})" if arguments else name
    return f"{head} {{ {call} {body} }}"


# --------------------------------------------------------------------------- selections


def selection(type_: Any, depth: int, *, first: int = 5) -> str:
    """Every leaf field (taking no required argument), and object fields down to `depth`."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if is_abstract_type(named):
        parts = ["__typename"]
        for possible in API.get_possible_types(named):  # type: ignore[arg-type]
            if "id" in possible.fields:
                parts.append(f"... on {possible.name} {{ id }}")
        return "{ " + " ".join(parts) + " }"
    assert is_object_type(named)
    parts = []
    for name, field_ in named.fields.items():  # type: ignore[union-attr]
        if any(required(a) for a in field_.args.values()):
            continue
        child = get_named_type(field_.type)
        if is_leaf_type(child):
            parts.append(name)
        elif depth > 0:
            sub = selection(field_.type, depth - 1, first=first)
            arguments = f"(first: {first})" if "first" in field_.args else ""
            parts.append(f"{name}{arguments} {sub}")
    return "{ " + (" ".join(parts) or "__typename") + " }"


def payload_selection(field_: GraphQLField) -> str:
    """A mutation payload: its user errors, and its objects' leaves."""
    return selection(field_.type, 1)


# --------------------------------------------------------------------------- leaks


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def traces_of(owner_engine: AsyncEngine, party: Party) -> set[str]:
    """Strings that only the party's rows hold: every id of its rows, its slug, its TID,
    its terminal's serial number, its e-mails and its transactions' external ids."""
    found: set[str] = {party.graph.slug, party.tid}
    async with owner_engine.connect() as conn:
        for table in await tenant_tables(owner_engine):
            rows = await conn.execute(
                text(f"SELECT t::text FROM {table} t WHERE tenant_id = :t"),
                {"t": party.tenant_id},
            )
            for (row,) in rows:
                found.update(UUID.findall(row))
        serial = await conn.scalar(
            text("SELECT serial_number FROM terminals WHERE id = :id"),
            {"id": party.graph.ids["terminal"]},
        )
        found.add(serial)
        found.update(
            (
                await conn.execute(
                    text("SELECT external_id FROM transactions WHERE tenant_id = :t"),
                    {"t": party.tenant_id},
                )
            ).scalars()
        )
        found.update(
            (
                await conn.execute(
                    text("SELECT email FROM users WHERE tenant_id = :t"), {"t": party.tenant_id}
                )
            ).scalars()
        )
    found.add(str(party.tenant_id))
    return {t for t in found if t}


def _without_user_errors(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_user_errors(v) for k, v in value.items() if k != "userErrors"}
    if isinstance(value, list):
        return [_without_user_errors(v) for v in value]
    return value


def leaks(body: dict, traces: set[str]) -> list[str]:
    """The victim's traces found in a response's data (user errors, which may echo the
    caller's own input, and top-level errors are not data)."""
    data = _without_user_errors(body.get("data"))
    text_ = json.dumps(data)
    found = [t for t in traces if t in text_]
    for candidate in re.findall(r'"([A-Za-z0-9+/=]{16,})"', text_):
        try:
            decoded = base64.b64decode(candidate, validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            continue
        found.extend(u for u in UUID.findall(decoded) if u in traces)
    return found


def codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


# --------------------------------------------------------------------------- fingerprints

_TABLES: list[str] = []


async def tenant_tables(owner_engine: AsyncEngine) -> list[str]:
    if not _TABLES:
        async with owner_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns"
                    " WHERE table_schema = 'public' AND column_name = 'tenant_id'"
                    " ORDER BY table_name"
                )
            )
            _TABLES.extend(r[0] for r in rows)
    return _TABLES


async def fingerprint(owner_engine: AsyncEngine, *tenant_ids: uuid.UUID) -> dict[str, str]:
    """A digest of every row of these tenants, and of the tenants and platform users."""
    parts = [
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        f" FROM {table} t WHERE tenant_id = ANY(:ids)"
        for table in await tenant_tables(owner_engine)
    ]
    parts += [
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        f" FROM {table} t"
        for table in ("tenants", "platform_users")
    ]
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text(" UNION ALL ".join(parts)), {"ids": list(tenant_ids)})
        return dict(rows.all())


# --------------------------------------------------------------------------- card numbers

# The scan (tests/card_scan.py) runs for the whole session from tests/conftest.py;
# test_card_numbers_scan.py runs it again after the suite.
