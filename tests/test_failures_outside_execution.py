"""Failures outside any field (before execution starts) are masked too, with a logged id."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import transport.context
from spring.app import create_app
from spring.logs import RequestLog
from spring.settings import Environment, Settings
from tenancy.roles import Role
from tenancy.tokens import issue_token
from tests.api import http_scope
from tests.conftest import TEST_SECRET
from tests.live import free_port

QUERY = {"query": "{ terminals(first: 1) { edges { node { tid } } } }"}


def _token() -> str:
    token, _ = issue_token(
        secret=TEST_SECRET,
        user_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        role=Role.HOTLINE,
        password_changed_at=dt.datetime.now(dt.UTC),
        lifetime=dt.timedelta(minutes=5),
        session_id=uuid.uuid4(),  # a token with a session: checked against the database
    )
    return token


def _settings() -> Settings:
    return Settings(env=Environment.PRODUCTION, secret_key=TEST_SECRET)


async def _post(app: object, caplog: pytest.LogCaptureFixture) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://spring.test") as http:
        with caplog.at_level(logging.INFO, logger="spring.graphql"):
            return await http.post(
                "/graphql", json=QUERY, headers={"Authorization": f"Bearer {_token()}"}
            )


def _check_masked(response: httpx.Response, caplog: pytest.LogCaptureFixture) -> str:
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "INTERNAL_SERVER_ERROR"
    error_id = extensions["errorId"]
    assert error_id in error["message"]
    assert extensions["requestId"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text and "File " not in response.text
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None, "the error id is logged with its traceback"
    return error["message"]


async def test_an_unreachable_database_answers_503_with_a_logged_error_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(_settings(), f"postgresql+asyncpg://spring_app@127.0.0.1:{free_port()}/x")
    try:
        response = await _post(app, caplog)
    finally:
        await app.state.database.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "réessayez" in _check_masked(response, caplog)


async def test_a_bug_before_execution_answers_500_masked(
    app_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("secret internals: /srv/spring/transport/context.py line 100")

    monkeypatch.setattr(transport.context, "authenticate", broken)
    app = create_app(_settings(), app_url)
    try:
        response = await _post(app, caplog)
    finally:
        await app.state.database.dispose()
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert _check_masked(response, caplog).startswith("Erreur interne du serveur (identifiant")


@pytest.mark.parametrize("path", ["/graphql", "/auth/session"])
async def test_a_client_that_leaves_mid_body_is_logged_499_not_as_our_error(
    app: Starlette, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    """A client that goes away while sending its body (a closed tab, its own timeout) is not an
    unexpected failure: nobody is answered, the line says 499, and no error id or traceback is
    written (bench F1 once logged "unexpected error ... ClientDisconnect" with a traceback)."""
    body = json.dumps(QUERY).encode()
    scope = http_scope(
        "POST",
        path,
        [
            (b"host", b"spring.test"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {_token()}".encode()),
            (b"x-spring-console", b"1"),  # /auth/session's same-site rule
        ],
    )
    messages = [
        {"type": "http.request", "body": body[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, object]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with caplog.at_level(logging.DEBUG):
        await app(scope, receive, send)
    assert sent == []  # nobody to answer
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
    ]
    (line,) = [r.msg for r in caplog.records if r.name == "spring.request"]
    assert isinstance(line, dict)
    assert (line["status"], line["outcome"], line["path"]) == (499, "user_error", path)


async def test_a_failure_after_the_client_left_is_still_our_error() -> None:
    """499 is for a client that left, not for a bug that happened after it did."""
    seen: list[object] = []

    async def broken(scope: object, receive: Any, send: object) -> None:
        await receive()  # the client is gone
        raise RuntimeError("a bug after the disconnect")

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        return None

    log = RequestLog(broken, observe=seen.append)
    scope = {"type": "http", "method": "POST", "path": "/auth/session", "headers": []}
    with pytest.raises(RuntimeError):
        await log(scope, receive, send)
    (record,) = seen
    assert (record.status, record.outcome) == (500, "error")  # type: ignore[attr-defined]
