"""The login throttle and the spent refresh tokens are shared by every instance (DESIGN §8).

Two "instances" here are two connection pools on the same database, each with its own
handle on the throttle and the spent tokens, as two processes would have: nothing passes
between them but PostgreSQL. (tests/test_instances.py runs two real `spring serve`.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.session import Database
from resolvers import auth
from resolvers import throttle as rt
from resolvers.errors import UserErrorCode
from resolvers.throttle import (
    Attempt,
    LoginThrottle,
    SpentTokens,
    Throttled,
    ThrottlePolicy,
    prune_auth_state,
)
from spring.unblocker import Unblocker
from tenancy.principal import ANONYMOUS_CLAIMS
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

LIFETIME = dt.timedelta(minutes=5)


@pytest.fixture(scope="module")
async def graph(owner_engine: AsyncEngine) -> TenantGraph:
    return await make_tenant_graph(owner_engine)


@pytest.fixture
async def two_pools(app_url: str) -> AsyncIterator[tuple[Database, Database]]:
    first, second = Database(app_url, pool_size=5), Database(app_url, pool_size=5)
    yield first, second
    await first.dispose()
    await second.dispose()


def two_instances() -> tuple[tuple[LoginThrottle, SpentTokens], tuple[LoginThrottle, SpentTokens]]:
    """Two processes' handles: separate objects, the same (production-like) namespace."""
    namespace = os.urandom(16)  # this test's own, so other tests' failures do not count
    return (
        (LoginThrottle(namespace=namespace), SpentTokens(namespace=namespace)),
        (LoginThrottle(namespace=namespace), SpentTokens(namespace=namespace)),
    )


async def login(
    db: Database, throttle: LoginThrottle, email: str, password: str = PASSWORD
) -> auth.LoginOutcome:
    return await auth.login(
        db,
        email=email,
        password=password,
        tenant_slug=None,
        secret=TEST_SECRET,
        lifetime=LIFETIME,
        throttle=throttle,
        address="10.9.8.7",
    )


async def refresh(db: Database, spent: SpentTokens, token: str) -> auth.LoginOutcome:
    return await auth.refresh(
        db, refresh_token=token, secrets=[TEST_SECRET], lifetime=LIFETIME, spent=spent
    )


def codes(outcome: auth.LoginOutcome) -> list[UserErrorCode]:
    return [e.code for e in outcome.errors]


async def test_failures_on_one_instance_count_on_the_other(
    two_pools: tuple[Database, Database], owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    (a, b), ((throttle_a, _), (throttle_b, _)) = two_pools, two_instances()
    email = await add_user(owner_engine, graph, "HOTLINE")
    for i in range(5):
        db, throttle = (a, throttle_a) if i % 2 else (b, throttle_b)
        assert codes(await login(db, throttle, email, "wrong")) == [
            UserErrorCode.INVALID_CREDENTIALS
        ]
    # Five failures in all, spread over both: each instance refuses even the right password.
    for db, throttle in ((a, throttle_a), (b, throttle_b)):
        refused = await login(db, throttle, email)
        assert codes(refused) == [UserErrorCode.TOO_MANY_ATTEMPTS]
        assert refused.retry_at is not None


async def test_a_right_password_on_one_instance_forgives_on_the_other(
    two_pools: tuple[Database, Database], owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    (a, b), ((throttle_a, _), (throttle_b, _)) = two_pools, two_instances()
    email = await add_user(owner_engine, graph, "HOTLINE")
    for _ in range(4):
        await login(a, throttle_a, email, "wrong")
    assert (await login(b, throttle_b, email)).token
    async with a.session(ANONYMOUS_CLAIMS) as session:
        assert await throttle_a.failures(session, account=email) == 0
        assert await throttle_a.failures(session, address="10.9.8.7") == 4


async def test_concurrent_attempts_on_two_instances_never_exceed_the_maximum(
    two_pools: tuple[Database, Database],
) -> None:
    (a, b), ((throttle_a, _), (throttle_b, _)) = two_pools, two_instances()

    async def attempt(db: Database, throttle: LoginThrottle) -> Attempt | Throttled:
        async with db.session(ANONYMOUS_CLAIMS) as session, session.begin():
            started = await throttle.begin(session, "target@x.test", None)
            # not a wait: the time a password takes to verify, the locks held meanwhile
            await asyncio.sleep(0.01)
            return started

    results = await asyncio.gather(
        *(attempt(a, throttle_a) if i % 2 else attempt(b, throttle_b) for i in range(12))
    )
    assert sum(isinstance(r, Attempt) for r in results) == 5
    assert sum(isinstance(r, Throttled) for r in results) == 7


async def test_a_refresh_token_spent_on_one_instance_is_refused_on_the_other(
    two_pools: tuple[Database, Database], owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    (a, b), ((throttle_a, spent_a), (_, spent_b)) = two_pools, two_instances()
    email = await add_user(owner_engine, graph, "SELLER")
    first = await login(a, throttle_a, email)
    assert first.refresh_token
    second = await refresh(a, spent_a, first.refresh_token)
    assert second.errors == [] and second.refresh_token
    # Replayed on the other instance: refused, and the whole session with it.
    replay = await refresh(b, spent_b, first.refresh_token)
    assert replay.token is None and replay.errors == [auth.session_invalid("fr")]
    assert (await refresh(b, spent_b, second.refresh_token)).errors == [auth.session_invalid("fr")]
    assert (await refresh(a, spent_a, second.refresh_token)).errors == [auth.session_invalid("fr")]


async def test_concurrent_refreshes_with_one_token_have_exactly_one_winner(
    two_pools: tuple[Database, Database], owner_engine: AsyncEngine, graph: TenantGraph
) -> None:
    (a, b), ((throttle_a, spent_a), (_, spent_b)) = two_pools, two_instances()
    email = await add_user(owner_engine, graph, "SELLER")
    token = (await login(a, throttle_a, email)).refresh_token
    assert token
    outcomes = await asyncio.gather(
        *(refresh(a, spent_a, token) if i % 2 else refresh(b, spent_b, token) for i in range(8))
    )
    assert sum(1 for o in outcomes if o.token) == 1
    assert all(o.errors == [auth.session_invalid("fr")] for o in outcomes if not o.token)


async def test_expired_state_is_pruned(
    app_db: Database, owner_engine: AsyncEngine, owner_url: str
) -> None:
    namespace = os.urandom(16)
    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    old = LoginThrottle(clock=lambda: hour_ago, namespace=namespace)
    current = LoginThrottle(namespace=namespace)
    spent = SpentTokens(namespace=namespace)
    async with app_db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        for _ in range(3):
            await old.begin(session, "old@x.test", None)
        await current.begin(session, "new@x.test", None)
        assert await spent.spend(session, "expired", "fam-1", hour_ago)
        assert await spent.spend(session, "valid", "fam-2", hour_ago + dt.timedelta(hours=2))
        assert not await spent.spend(session, "expired", "fam-1", hour_ago)  # revokes fam-1

    async def stored() -> dict[str, int]:
        async with owner_engine.connect() as conn:
            return {
                "old": await conn.scalar(
                    text("SELECT count(*) FROM spring_auth.login_failures WHERE key = :k"),
                    {"k": old.digest("account", "old@x.test")},
                ),
                "new": await conn.scalar(
                    text("SELECT count(*) FROM spring_auth.login_failures WHERE key = :k"),
                    {"k": current.digest("account", "new@x.test")},
                ),
                "tokens": await conn.scalar(
                    text(
                        "SELECT count(*) FROM spring_auth.spent_refresh_tokens"
                        " WHERE token = ANY(:t)"
                    ),
                    {"t": [spent.digest("refresh-token", t) for t in ("expired", "valid")]},
                ),
                "families": await conn.scalar(
                    text(
                        "SELECT count(*) FROM spring_auth.revoked_refresh_families"
                        " WHERE family = :f"
                    ),
                    {"f": spent.digest("refresh-family", "fam-1")},
                ),
            }

    assert await stored() == {"old": 3, "new": 1, "tokens": 2, "families": 1}

    # The periodic task (spring/unblocker.py) prunes what has expired, and only that.
    async def no_blocks(_db: Database) -> int:
        return 0

    await Unblocker(app_db, sweep=no_blocks).run_once()
    assert await stored() == {"old": 0, "new": 1, "tokens": 1, "families": 0}
    assert await prune_auth_state(app_db) == 0

    # The write path prunes a key's expired failures too.
    async with app_db.session(ANONYMOUS_CLAIMS) as session, session.begin():
        for _ in range(2):
            await old.begin(session, "old@x.test", None)
        await current.begin(session, "old@x.test", None)
    assert (await stored())["old"] == 1


async def test_the_application_role_cannot_read_the_shared_state(app_db: Database) -> None:
    for table in ("login_failures", "spent_refresh_tokens", "revoked_refresh_families"):
        async with app_db.session(ANONYMOUS_CLAIMS) as session:
            with pytest.raises(DBAPIError, match="permission denied"):
                await session.execute(text(f"SELECT count(*) FROM spring_auth.{table}"))


def test_the_process_keeps_no_security_state() -> None:
    """The module's handles hold a policy and a namespace, nothing that grows."""
    immutable = (bytes, str, int, float, bool, type(None), ThrottlePolicy, dt.timedelta)
    for handle in (rt.LOGIN_THROTTLE, rt.SPENT_REFRESH_TOKENS):
        for name, value in vars(handle).items():
            assert isinstance(value, immutable) or callable(value), (name, value)
    for name, value in vars(rt).items():
        if name.startswith("__") or value is ANONYMOUS_CLAIMS:  # (imported, not kept)
            continue
        assert not isinstance(value, dict | list | set | bytearray), name
