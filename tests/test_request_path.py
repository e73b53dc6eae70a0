"""The per-request path made cheaper for issue 7 (P3): the account check as one Core
statement, verified tokens kept until they expire, `node(id:)` on a terminal without its
shop and company when the selection does not ask for them, and pooled connections the
server closed replaced without a ping. Each cheaper path must refuse exactly what the old
one refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from strawberry import relay

from db.session import Database
from resolvers.auth import VerifiedTokens
from tenancy.principal import ANONYMOUS_CLAIMS
from tenancy.roles import Role
from tenancy.tokens import ExpiredToken, InvalidToken, issue_token
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph
from tests.live import until

ME = "{ me { email role fullName tenant { slug } } }"
TERMINAL = """query($id: ID!) { node(id: $id) { ... on Terminal {
  id tid kind model serialNumber status firmwareVersion lastSeenAt } } }"""
TERMINAL_WITH_SHOP = """query($id: ID!) { node(id: $id) { ...T } }
fragment T on Terminal { tid shop { name company { legalName } } }"""


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


async def _signed_in(client: GraphQLClient, email: str) -> GraphQLClient:
    other = GraphQLClient(client.http)
    payload = await other.login(email, PASSWORD)
    assert payload["userErrors"] == [], payload
    return other


def _database(client: GraphQLClient) -> Database:
    app: Starlette = client.http._transport.app  # type: ignore[attr-defined]
    return app.state.database


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def _refused(body: dict[str, Any]) -> bool:
    return body.get("errors", [{}])[0].get("extensions", {}).get("code") == "UNAUTHENTICATED"


# ---------------------------------------------------------------- the account check (Core)


async def test_the_account_check_rides_along_with_the_claims_and_answers_me(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    caller = await _signed_in(client, await add_user(owner_engine, graph, "HOTLINE"))
    body = await caller.post(ME)
    assert body["data"]["me"]["role"] == "HOTLINE"
    assert body["data"]["me"]["tenant"]["slug"] == graph.slug
    with _statements(_database(client)) as seen:
        body = await caller.post("{ __typename }")
    assert body["data"] == {"__typename": "Query"}
    # Authenticating costs one statement: it sets the claims, then reads the account
    # (under those claims' row-level security).
    assert len(seen) == 1, seen
    assert seen[0].startswith("SELECT set_config("), seen
    assert seen[0].index("set_config") < seen[0].index("FROM users u JOIN tenants t")
    # The columns the check needs, not the whole row (no password hash read per request).
    assert "password_hash" not in seen[0]


async def test_the_account_check_also_works_inside_a_transaction_already_begun(
    app_db: Database, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    from resolvers.auth import load_principal
    from tenancy.principal import claims_for
    from tenancy.tokens import decode_token

    email = await add_user(owner_engine, graph, "TECHNICIAN")
    async with owner_engine.begin() as conn:
        row = (
            await conn.execute(
                text("SELECT id, tenant_id, password_changed_at FROM users WHERE email = :e"),
                {"e": email},
            )
        ).one()
        session_id = await conn.scalar(
            text(
                "INSERT INTO user_sessions (tenant_id, user_id, expires_at)"
                " VALUES (:t, :u, now() + interval '1 hour') RETURNING id"
            ),
            {"t": row.tenant_id, "u": row.id},
        )
    token, _ = issue_token(
        secret=TEST_SECRET,
        user_id=row.id,
        tenant_id=row.tenant_id,
        role=Role.TECHNICIAN,
        password_changed_at=row.password_changed_at,
        lifetime=dt.timedelta(minutes=5),
        session_id=session_id,
    )
    claims = decode_token(token, secrets=[TEST_SECRET])
    async with app_db.session(claims_for(row.id, Role.TECHNICIAN, row.tenant_id)) as session:
        await session.execute(text("SELECT 1"))  # the transaction has begun
        principal = await load_principal(session, claims)
    assert principal is not None and principal.email == email
    assert principal.tenant_slug == graph.slug


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE users SET status = 'DEACTIVATED' WHERE email = :e",
        "UPDATE users SET role = 'SELLER' WHERE email = :e",
        "UPDATE users SET password_changed_at = password_changed_at + interval '1 second'"
        " WHERE email = :e",
        "UPDATE tenants SET status = 'SUSPENDED' WHERE id = (SELECT tenant_id FROM users"
        " WHERE email = :e)",
    ],
    ids=["deactivated", "role-changed", "password-changed", "tenant-suspended"],
)
async def test_the_next_request_after_an_account_change_is_refused(
    client: GraphQLClient, owner_engine: AsyncEngine, change: str
) -> None:
    graph = await make_tenant_graph(owner_engine)  # its own tenant: one may be suspended
    email = await add_user(owner_engine, graph, "HOTLINE")
    caller = await _signed_in(client, email)
    assert (await caller.post(ME))["data"]["me"]["email"] == email
    async with owner_engine.begin() as conn:
        await conn.execute(text(change), {"e": email})
    assert _refused(await caller.post(ME))


async def test_a_deactivated_platform_admin_is_refused_on_the_next_request(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine
) -> None:
    from resolvers.accounts import create_user

    email = f"admin-{uuid.uuid4().hex[:8]}@example.test"
    await create_user(
        app_db,
        tenant_slug=None,
        email=email,
        full_name="Platform Person",
        role=Role.PLATFORM_ADMIN,
        password=PASSWORD,
        actor="test",
    )
    caller = await _signed_in(client, email)
    body = await caller.post(ME)
    assert body["data"]["me"] == {
        "email": email,
        "role": "PLATFORM_ADMIN",
        "fullName": "Platform Person",
        "tenant": None,
    }
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("UPDATE platform_users SET status = 'DEACTIVATED' WHERE email = :e"),
            {"e": email},
        )
    assert _refused(await caller.post(ME))


async def test_a_token_claiming_another_role_than_the_account_has_is_refused(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    async with owner_engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT id, tenant_id, password_changed_at FROM users WHERE email = :e"),
                {"e": email},
            )
        ).one()
    forged = GraphQLClient(client.http)
    forged.token, _ = issue_token(
        secret=TEST_SECRET,
        user_id=row.id,
        tenant_id=row.tenant_id,
        role=Role.SUPERVISOR,  # signed with our key, but the account is a SELLER
        password_changed_at=row.password_changed_at,
        lifetime=dt.timedelta(minutes=5),
    )
    assert _refused(await forged.post(ME))


# ---------------------------------------------------------------- verified tokens


def _token(*, lifetime: dt.timedelta, secret: str = TEST_SECRET) -> str:
    token, _ = issue_token(
        secret=secret,
        user_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        role=Role.HOTLINE,
        password_changed_at=dt.datetime.now(dt.UTC),
        lifetime=lifetime,
    )
    return token


async def test_a_verified_token_is_refused_once_it_expires() -> None:
    tokens = VerifiedTokens()
    # `exp` is in whole seconds: this one ends within the next one to two seconds.
    token = _token(lifetime=dt.timedelta(seconds=2))
    claims = tokens.decode(token, [TEST_SECRET])
    assert tokens.decode(token, [TEST_SECRET]) is claims  # kept: verified once
    # not a wait: the token's lifetime passing is what is tested
    await asyncio.sleep(max(0.0, (claims.expires_at - dt.datetime.now(dt.UTC)).total_seconds()))
    with pytest.raises(ExpiredToken):
        tokens.decode(token, [TEST_SECRET])


def test_a_token_verified_with_one_key_is_not_accepted_under_other_keys() -> None:
    tokens = VerifiedTokens()
    token = _token(lifetime=dt.timedelta(minutes=5))
    tokens.decode(token, [TEST_SECRET])
    with pytest.raises(InvalidToken):
        tokens.decode(token, ["another-secret-0123456789-0123456789-01234"])
    # A tampered copy is its own string: verified (and refused) on its own.
    with pytest.raises(InvalidToken):
        tokens.decode(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), [TEST_SECRET])


def test_verified_tokens_stay_bounded() -> None:
    tokens = VerifiedTokens(max_tokens=3)
    for _ in range(10):
        tokens.decode(_token(lifetime=dt.timedelta(minutes=5)), [TEST_SECRET])
    assert len(tokens._claims) <= 3


# ---------------------------------------------------------------- node(id:) on a terminal


async def test_node_on_a_terminal_loads_no_shop_or_company_it_was_not_asked_for(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    caller = await _signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    terminal_id = str(relay.GlobalID("Terminal", str(graph.ids["terminal"])))
    with _statements(_database(client)) as seen:
        body = await caller.post(TERMINAL, {"id": terminal_id})
    assert body["data"]["node"]["id"] == terminal_id, body
    terminals = [s for s in seen if "FROM terminals" in s]
    assert len(terminals) == 1, seen
    assert "shops" not in terminals[0] and "companies" not in terminals[0]
    assert "= ANY (" in terminals[0], terminals  # one array parameter, not an expanding IN
    # set_config with the account, then the terminal.
    assert len(seen) == 2, seen


async def test_node_on_a_terminal_with_its_shop_still_takes_one_statement_for_all_three(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    caller = await _signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    terminal_id = str(relay.GlobalID("Terminal", str(graph.ids["terminal"])))
    with _statements(_database(client)) as seen:
        body = await caller.post(TERMINAL_WITH_SHOP, {"id": terminal_id})
    node = body["data"]["node"]
    assert node["shop"]["name"] and node["shop"]["company"]["legalName"], body
    # The fragment reaches `shop`: the terminal comes with its shop and company (primed).
    assert len(seen) == 2, seen
    assert "JOIN shops" in seen[-1] and "JOIN companies" in seen[-1]


async def test_nodes_on_several_terminals_answer_each_in_order(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """Several ids in one batch (one array parameter): each answers, missing ones null."""
    other = await make_tenant_graph(owner_engine)
    caller = await _signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    mine = str(relay.GlobalID("Terminal", str(graph.ids["terminal"])))
    theirs = str(relay.GlobalID("Terminal", str(other.ids["terminal"])))
    missing = str(relay.GlobalID("Terminal", str(uuid.uuid4())))
    body = await caller.post(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Terminal { id } } }",
        {"ids": [mine, theirs, missing, mine]},
    )
    assert body["data"]["nodes"] == [{"id": mine}, None, None, {"id": mine}], body


# ---------------------------------------------------------------- the pool


async def test_a_pooled_connection_the_server_closed_is_replaced_before_use(
    app_url: str, owner_engine: AsyncEngine
) -> None:
    database = Database(app_url, pool_size=1, max_overflow=0)  # no pre-ping: the default
    try:
        async with database.session(ANONYMOUS_CLAIMS) as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            driver = (await (await session.connection()).get_raw_connection()).driver_connection
        async with owner_engine.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

        async def gone() -> bool:
            async with owner_engine.connect() as conn:
                return (
                    await conn.execute(
                        text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :p"),
                        {"p": pid},
                    )
                ).scalar_one()

        await until(gone, "the terminated backend to exit")
        # asyncpg sees the close when the event loop reads the socket.
        await until(driver.is_closed, "the pooled connection to see that it was closed")
        async with database.session(ANONYMOUS_CLAIMS) as session:
            again = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert again != pid
    finally:
        await database.dispose()


# ---------------------------------------------------------------- request log and metrics


def _run(name: str | None, *fields: str) -> Any:
    from schema.outcome import OperationRun, OperationShape

    return OperationRun(OperationShape(name, "query", fields), "ok")


def test_metrics_count_every_request_even_when_the_log_line_is_not_made(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging
    from types import SimpleNamespace

    from schema.outcome import OperationOutcomes
    from spring.logs import REQUEST_LOGGER, RequestLog, RequestRecord
    from spring.metrics import Metrics

    metrics = Metrics()
    request_log = RequestLog(None, observe=metrics.observe_request)
    outcomes = OperationOutcomes()
    outcomes.runs.append(_run("Named", "node"))
    scope = {"spring.context": SimpleNamespace(principal=None, outcomes=outcomes)}
    for level, lines in ((logging.WARNING, 0), (logging.INFO, 1)):
        caplog.clear()
        with caplog.at_level(level, logger=REQUEST_LOGGER):
            record = RequestRecord(request_id="r" * 12, method="POST", path="/graphql")
            record.status = 200
            request_log._finish(record, scope)
        assert len([r for r in caplog.records if r.name == REQUEST_LOGGER]) == lines
    rendered = metrics.render().decode()
    assert 'spring_graphql_requests_total{operation="Named",outcome="ok"} 2.0' in rendered


def test_operation_labels_are_remembered_but_still_bounded() -> None:
    from graphql import parse

    from schema.outcome import OperationRun, shape_of
    from spring.logs import RequestRecord
    from spring.metrics import MAX_OPERATION_LABELS, Metrics

    metrics = Metrics()

    def label(query: str) -> str:
        record = RequestRecord(request_id="r" * 12, method="POST", path="/graphql")
        record.operations.append(OperationRun(shape_of(parse(query), None), "ok"))
        return metrics.operation_label(record)

    assert label("query A { me { email } }") == "A"
    assert label("{ me { email } }") == "me"
    assert label("query A { me { email } }") == "A"
    assert label("query Bad { me { email } } query Bad2 { me { email } }") == "unknown"
    for i in range(MAX_OPERATION_LABELS + 5):
        label(f"query Op{i} {{ me {{ email }} }}")
    assert label("query Late { me { email } }") == "other"
    assert label("query A { me { email } }") == "A"


TERMINAL_FIELDS = """fragment F on Terminal { id kind tid serialNumber model osVersion
  firmwareVersion appVersion status blockedReason blockedUntil lastSeenAt lastHeartbeatAt
  appliedOptionsVersion optionsAppliedAt createdAt updatedAt version connectivity
  optionsStatus }"""


async def test_node_on_a_terminal_answers_what_the_terminal_list_answers(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    """The node's terminal (a Core row, no ORM) reads exactly as the list's (ORM) does."""
    caller = await _signed_in(client, await add_user(owner_engine, graph, "SUPERVISOR"))
    listed = await caller.post(
        "{ terminals(first: 5) { edges { node { ...F } } } }" + TERMINAL_FIELDS
    )
    nodes = [edge["node"] for edge in listed["data"]["terminals"]["edges"]]
    assert nodes, listed
    for expected in nodes:
        body = await caller.post(
            "query($id: ID!) { node(id: $id) { ...F } }" + TERMINAL_FIELDS, {"id": expected["id"]}
        )
        assert body["data"] == {"node": expected}, body
