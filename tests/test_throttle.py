"""Authentication hardening: login throttling per account and per address, refresh tokens."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import jwt
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers.throttle import (
    LOGIN_THROTTLE,
    SPENT_REFRESH_TOKENS,
    Attempt,
    LoginThrottle,
    SpentTokens,
    Throttled,
    ThrottlePolicy,
)
from tenancy.principal import ANONYMOUS_CLAIMS
from tenancy.roles import Role
from tenancy.tokens import (
    InvalidToken,
    decode_refresh_token,
    decode_token,
    issue_refresh_token,
    issue_token,
)
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

LOGIN = """
mutation($i: LoginInput!) { login(input: $i) {
  token expiresAt refreshToken refreshExpiresAt retryAfter
  user { email } userErrors { field code message } } }
"""
REFRESH = """
mutation($i: RefreshTokenInput!) { refreshToken(input: $i) {
  token expiresAt refreshToken refreshExpiresAt user { email } userErrors { field code message } } }
"""
ME = "{ me { email } }"


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    """The app's throttle and spent tokens: start and leave them empty (fresh namespaces)."""
    LOGIN_THROTTLE.reset()
    SPENT_REFRESH_TOKENS.reset()
    yield
    LOGIN_THROTTLE.reset()
    SPENT_REFRESH_TOKENS.reset()


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


# --------------------------------------------------------------------------- the throttle alone


class FakeClock:
    """Now, to the minute, moved by the tests (the window slides without waiting)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        self.start = self.now

    def __call__(self) -> dt.datetime:
        return self.now


def fresh_throttle_handle(clock: FakeClock, **policy: int) -> LoginThrottle:
    """A throttle of its own (a fresh namespace in the shared tables)."""
    return LoginThrottle(ThrottlePolicy(**policy), clock=clock, namespace=os.urandom(16))


async def begin(
    db: Database, throttle: LoginThrottle, account: str | None, address: str | None
) -> Attempt | Throttled:
    async with db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        return await throttle.begin(session, account, address)


async def failures(db: Database, throttle: LoginThrottle, **key: str) -> int:
    async with db.session(ANONYMOUS_CLAIMS) as session:
        return await throttle.failures(session, **key)


async def test_five_failures_lock_the_account_for_the_rest_of_the_window(app_db: Database) -> None:
    clock = FakeClock()
    throttle = fresh_throttle_handle(clock)
    for _ in range(5):
        assert not isinstance(await begin(app_db, throttle, "A@x.test ", "10.0.0.1"), Throttled)
        clock.now += dt.timedelta(minutes=1)
    refused = await begin(app_db, throttle, "a@x.test", "10.0.0.2")
    assert isinstance(refused, Throttled) and refused.scope == "account"
    # The oldest failure was at the start: it leaves the 15-minute window 15 minutes later.
    assert refused.retry_at == clock.start + dt.timedelta(minutes=15)
    assert refused.retry_after_seconds == 10 * 60
    # Another account from another address is not affected.
    assert not isinstance(await begin(app_db, throttle, "b@x.test", "10.0.0.2"), Throttled)
    clock.now = clock.start + dt.timedelta(minutes=15, seconds=1)
    assert not isinstance(await begin(app_db, throttle, "a@x.test", "10.0.0.3"), Throttled)


async def test_twenty_failures_from_one_address_lock_the_address_for_every_account(
    app_db: Database,
) -> None:
    throttle = fresh_throttle_handle(FakeClock())
    for i in range(20):
        assert not isinstance(await begin(app_db, throttle, f"u{i}@x.test", "10.0.0.9"), Throttled)
    refused = await begin(app_db, throttle, "new@x.test", "10.0.0.9")
    assert isinstance(refused, Throttled) and refused.scope == "address"
    assert not isinstance(await begin(app_db, throttle, "new@x.test", "10.0.0.10"), Throttled)


async def test_a_right_password_forgives_the_attempt_and_the_accounts_earlier_failures(
    app_db: Database,
) -> None:
    throttle = fresh_throttle_handle(FakeClock())
    for _ in range(4):
        await begin(app_db, throttle, "a@x.test", "10.0.0.1")
    attempt = await begin(app_db, throttle, "a@x.test", "10.0.0.1")
    assert isinstance(attempt, Attempt)
    assert await failures(app_db, throttle, account="a@x.test") == 5
    async with app_db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        await throttle.forgive(session, attempt)
    assert await failures(app_db, throttle, account="a@x.test") == 0
    # The address keeps its four failures: a valid account does not launder an address.
    assert await failures(app_db, throttle, address="10.0.0.1") == 4


async def test_concurrent_attempts_count_before_their_passwords_are_checked(
    app_db: Database,
) -> None:
    throttle = fresh_throttle_handle(FakeClock())
    started = [await begin(app_db, throttle, "a@x.test", None) for _ in range(5)]
    assert all(isinstance(a, Attempt) for a in started)
    assert isinstance(await begin(app_db, throttle, "a@x.test", None), Throttled)


async def test_a_spent_refresh_token_revokes_its_family(app_db: Database) -> None:
    spent = SpentTokens(namespace=os.urandom(16))
    until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    async def spend(token_id: str, family: str) -> bool:
        async with app_db.session(ANONYMOUS_CLAIMS) as session, session.begin():
            return await spent.spend(session, token_id, family, until)

    assert await spend("t1", "fam")
    assert await spend("t2", "fam")
    assert not await spend("t1", "fam")  # replayed
    assert not await spend("t3", "fam")  # the family is revoked
    assert await spend("u1", "other")


# --------------------------------------------------------------------------- tokens


def test_access_and_refresh_tokens_are_not_interchangeable() -> None:
    now = dt.datetime.now(dt.UTC)
    common = {
        "secret": TEST_SECRET,
        "user_id": uuid.uuid4(),
        "tenant_id": uuid.uuid4(),
        "role": Role.HOTLINE,
        "password_changed_at": now,
    }
    access, _ = issue_token(**common, lifetime=dt.timedelta(minutes=5))
    refresh, expires, family = issue_refresh_token(
        **common, expires_at=now + dt.timedelta(hours=12)
    )
    assert decode_token(access, secrets=[TEST_SECRET]).role is Role.HOTLINE
    with pytest.raises(InvalidToken):
        decode_token(refresh, secrets=[TEST_SECRET])
    with pytest.raises(InvalidToken):
        decode_refresh_token(access, secrets=[TEST_SECRET])
    verified = decode_refresh_token(refresh, secrets=[TEST_SECRET])
    assert verified.family == family and verified.claims.expires_at == expires
    # A refreshed access token never outlives the session it comes from.
    _, capped = issue_token(
        **common, lifetime=dt.timedelta(hours=1), not_after=now + dt.timedelta(minutes=10)
    )
    assert capped == now + dt.timedelta(minutes=10)


# --------------------------------------------------------------------------- through the API


async def _login(client: GraphQLClient, email: str, password: str = PASSWORD) -> dict:
    body = await client.post(LOGIN, {"i": {"email": email, "password": password}})
    assert "errors" not in body, body
    return body["data"]["login"]


async def _refresh(client: GraphQLClient, token: str | None) -> dict:
    body = await client.post(REFRESH, {"i": {"refreshToken": token}})
    assert "errors" not in body, body
    return body["data"]["refreshToken"]


async def test_login_is_refused_after_five_failures_with_the_time_to_retry(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    for _ in range(5):
        payload = await _login(client, email, "wrong password")
        assert payload["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # Even the right password is refused now: guessing cannot go on.
    response = await client.http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"i": {"email": email, "password": PASSWORD}}},
        headers={"Accept-Language": "en"},
    )
    payload = response.json()["data"]["login"]
    assert payload["token"] is None and payload["refreshToken"] is None
    (error,) = payload["userErrors"]
    assert error["code"] == "TOO_MANY_ATTEMPTS"
    assert "try again in 15 min" in error["message"]
    retry_after = dt.datetime.fromisoformat(payload["retryAfter"])
    assert (
        dt.timedelta(minutes=14) < retry_after - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)
    )
    assert 14 * 60 <= int(response.headers["Retry-After"]) <= 15 * 60
    # Another account from the same address still logs in.
    other = await add_user(owner_engine, graph, "HOTLINE")
    assert (await _login(client, other))["token"]


async def test_a_refused_login_looks_nothing_up(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    for _ in range(5):
        await _login(client, email, "wrong")
    database = client.http._transport.app.state.database  # type: ignore[attr-defined]
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        payload = await _login(client, email, PASSWORD)
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    assert payload["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    # The transaction's claims, then the shared throttle's check: no account is looked up.
    assert len(sent) == 2, sent
    assert "spring_login_attempt" in sent[1]
    assert not any("spring_login_candidates" in s for s in sent)


async def test_the_address_is_throttled_after_twenty_failures(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    for i in range(20):
        payload = await _login(client, f"nobody-{i}@{graph.slug}.test", "wrong")
        assert payload["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    email = await add_user(owner_engine, graph, "HOTLINE")
    payload = await _login(client, email)
    assert payload["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"


async def test_login_returns_a_refresh_token_that_rotates(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "TECHNICIAN")
    first = await _login(client, email)
    assert first["token"] and first["refreshToken"]
    lifetime = dt.datetime.fromisoformat(first["refreshExpiresAt"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11, minutes=59) < lifetime <= dt.timedelta(hours=12)
    # A refresh token is not a bearer token.
    client.token = first["refreshToken"]
    assert (await client.post(ME))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    client.token = None

    second = await _refresh(client, first["refreshToken"])
    assert second["userErrors"] == []
    assert second["user"] == {"email": email}
    assert second["token"] and second["refreshToken"] != first["refreshToken"]
    # The session keeps its login's end: rotation does not extend it.
    assert second["refreshExpiresAt"] == first["refreshExpiresAt"]
    client.token = second["token"]
    assert (await client.post(ME))["data"]["me"] == {"email": email}
    client.token = None

    third = await _refresh(client, second["refreshToken"])
    assert third["userErrors"] == [] and third["token"]


async def test_a_replayed_refresh_token_revokes_the_whole_session(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SELLER")
    first = await _login(client, email)
    second = await _refresh(client, first["refreshToken"])
    assert second["userErrors"] == []
    replay = await _refresh(client, first["refreshToken"])
    assert replay["token"] is None
    assert replay["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # The thief's replay also ends the legitimate descendant.
    after = await _refresh(client, second["refreshToken"])
    assert after["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    # A new login starts a new session.
    assert (await _refresh(client, (await _login(client, email))["refreshToken"]))["token"]


@pytest.mark.parametrize("change", ["deactivate", "password", "role"])
async def test_refresh_is_refused_once_the_account_changed(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph, change: str
) -> None:
    email = await add_user(owner_engine, graph, "HOTLINE")
    first = await _login(client, email)
    statement = {
        "deactivate": "UPDATE users SET status = 'DEACTIVATED' WHERE email = :e",
        "password": "UPDATE users SET password_changed_at = now() WHERE email = :e",
        "role": "UPDATE users SET role = 'SELLER' WHERE email = :e",
    }[change]
    async with owner_engine.begin() as conn:
        await conn.execute(text(statement), {"e": email})
    payload = await _refresh(client, first["refreshToken"])
    assert payload["token"] is None and payload["refreshToken"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "refreshToken"],
            "code": "INVALID_CREDENTIALS",
            "message": "Cette session n'est plus valide : reconnectez-vous.",
        }
    ]


async def test_expired_forged_and_access_tokens_are_refused_by_refresh(
    client: GraphQLClient, owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    email = await add_user(owner_engine, graph, "SUPERVISOR")
    first = await _login(client, email)
    async with owner_engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT id, tenant_id, password_changed_at FROM users WHERE email = :e"),
                {"e": email},
            )
        ).one()
    now = dt.datetime.now(dt.UTC)
    expired, _, _ = issue_refresh_token(
        secret=TEST_SECRET,
        user_id=row.id,
        tenant_id=row.tenant_id,
        role=Role.SUPERVISOR,
        password_changed_at=row.password_changed_at,
        expires_at=now - dt.timedelta(seconds=5),
        now=now - dt.timedelta(hours=12),
    )
    payload = await _refresh(client, expired)
    assert payload["userErrors"][0]["code"] == "EXPIRED"
    forged = jwt.encode(
        {**jwt.decode(first["refreshToken"], options={"verify_signature": False})},
        "another-secret-0123456789-0123456789-01234",
        algorithm="HS256",
    )
    for bad in (forged, first["token"], "", "not-a-jwt", "x" * 5000):
        payload = await _refresh(client, bad)
        assert payload["token"] is None
        assert payload["userErrors"][0]["code"] == "INVALID_CREDENTIALS", bad
    # None of these spent the real one.
    assert (await _refresh(client, first["refreshToken"]))["token"]
