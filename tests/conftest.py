"""Test infrastructure: one real PostgreSQL per test session, migrated once.

Without TEST_DATABASE_URL an embedded PostgreSQL starts in a temporary folder (and is deleted at
the end). With TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) the suite
creates fresh databases on that server and drops them at the end.

Tests are isolated by tenant: each test makes its own tenants (see `make_tenant`), and row-level
security keeps them from seeing each other's rows.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from starlette.applications import Starlette

from db.embedded import EmbeddedPostgres
from db.migrate import migrate
from db.session import Database, async_url
from spring.app import create_app
from spring.settings import Environment, Settings
from tests.card_scan import SERVER_LOG, ServerLog, card_data_in_database

APP_ROLE = "spring_app"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `after_suite` run after all the others, whatever their files' names: they
    scan what the rest of the suite wrote (journal references, card data)."""
    items.sort(key=lambda item: item.get_closest_marker("after_suite") is not None)


@dataclass
class PgServer:
    """A PostgreSQL server the tests may create databases on."""

    admin_url: str
    databases: list[str] = field(default_factory=list)

    def url_for(self, database: str, user: str | None = None) -> str:
        url = make_url(self.admin_url).set(database=database)
        if user is not None:
            url = url.set(username=user, password=None)
        return url.render_as_string(hide_password=False)

    async def create_database(self, prefix: str = "spring_test") -> str:
        """Create an empty database; return its owner (admin) URL. Dropped at session end."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        engine = create_async_engine(async_url(self.admin_url), isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()
        self.databases.append(name)
        return self.url_for(name)

    async def drop_all(self) -> None:
        engine = create_async_engine(async_url(self.admin_url), isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            for name in self.databases:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield PgServer(admin_url=external)
        return
    folder = tempfile.mkdtemp(prefix="spring-test-pg-")
    embedded = EmbeddedPostgres(folder, cleanup_mode="delete").start()
    try:
        yield PgServer(admin_url=embedded.url())
    finally:
        embedded.stop()


@pytest.fixture(scope="session")
async def pg(pg_server: PgServer) -> AsyncIterator[PgServer]:
    """The server, whose databases are scanned for card data, then dropped, at session end."""
    yield pg_server
    try:
        found = await card_data_in_databases(pg_server)
    finally:
        await pg_server.drop_all()
    assert not found, "card data in the databases after the test session:\n" + "\n".join(found[:20])


async def card_data_in_databases(server: PgServer) -> list[str]:
    """Card data in any database the session made (`tests.card_scan`), as `db: table.column`."""
    found: list[str] = []
    for name in server.databases:
        engine = create_async_engine(async_url(server.url_for(name)))
        try:
            found += [f"{name}: {hit}" for hit in await card_data_in_database(engine)]
        except DBAPIError as exc:
            if "does not exist" not in str(exc):  # dropped by the test that made it
                raise
        finally:
            await engine.dispose()
    return found


@pytest.fixture(scope="session", autouse=True)
def server_log() -> Iterator[ServerLog]:
    """Every log record of the session, formatted as the server's log and scanned for card
    data (`tests.card_scan`); a card number in any of them fails the session at its end."""
    root = logging.getLogger()
    level = root.level
    root.addHandler(SERVER_LOG)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    try:
        yield SERVER_LOG
    finally:
        root.removeHandler(SERVER_LOG)
        root.setLevel(level)
    assert not SERVER_LOG.found, "card data in the server log of the test session:\n" + (
        "\n".join(SERVER_LOG.found[:20])
    )


@pytest.fixture(scope="session")
async def owner_url(pg: PgServer) -> str:
    """The URL of the suite's migrated database, as its owner (migrations, fixtures' set-up)."""
    url = await pg.create_database()
    await migrate(url, app_role=APP_ROLE)
    return url


@pytest.fixture(scope="session")
def app_url(owner_url: str) -> str:
    """The same database as the application role (NOSUPERUSER, NOBYPASSRLS, owns nothing)."""
    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(False)


@pytest.fixture(scope="session")
async def owner_engine(owner_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(owner_url))
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def app_db(app_url: str) -> AsyncIterator[Database]:
    database = Database(app_url, pool_size=5, max_overflow=5)
    yield database
    await database.dispose()


TEST_SECRET = "test-secret-0123456789-0123456789-0123456789"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(env=Environment.DEVELOPMENT, secret_key=TEST_SECRET, database_url=None)


@pytest.fixture(scope="session")
async def app(settings: Settings, app_url: str) -> AsyncIterator[Starlette]:
    application = create_app(settings, app_url)
    yield application
    await application.state.database.dispose()


@pytest.fixture(autouse=True)
def _the_session_app_keeps_serving(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that uses the session's app must leave it serving: `with TestClient(app)` or
    `running(app)` runs its lifespan, whose end drains it (every later /readyz answered 503)."""
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        assert not app.state.draining, (
            "this test shut the session's app down (its lifespan ran: `with TestClient(app)`"
            " or `running(app)`); build an app of your own for that"
        )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://spring.test"
    ) as http:
        yield GraphQLClient(http)


class GraphQLClient:
    """A small GraphQL-over-HTTP client for tests."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.token: str | None = None
        self.tenant: str | None = None

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        sent = {}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.tenant:
            sent["X-Tenant"] = self.tenant
        sent.update(headers)
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def login(self, email: str, password: str) -> dict[str, Any]:
        body = await self.post(
            "mutation($i: LoginInput!) { login(input: $i) {"
            " token expiresAt user { email role } userErrors { field code message } } }",
            {"i": {"email": email, "password": password}},
        )
        payload = body["data"]["login"]
        if payload["token"]:
            self.token = payload["token"]
        return payload


@pytest.fixture(scope="session")
async def demo_owner_url(pg: PgServer) -> str:
    """A separate database with the demo data (seeded once per test session)."""
    from spring.demo import seed_demo

    url = await pg.create_database("spring_demo_data")
    await migrate(url, app_role=APP_ROLE)
    await seed_demo(url)
    return url


@pytest.fixture(scope="session")
async def demo_app(settings: Settings, demo_owner_url: str) -> AsyncIterator[Starlette]:
    url = make_url(demo_owner_url).set(username=APP_ROLE, password=None)
    application = create_app(settings, url.render_as_string(False))
    yield application
    await application.state.database.dispose()


@pytest.fixture(autouse=True)
def _fresh_login_throttle() -> Iterator[None]:
    """Failed logins of one test must not lock another test's account or address out."""
    from resolvers.throttle import LOGIN_THROTTLE

    LOGIN_THROTTLE.reset()
    yield
