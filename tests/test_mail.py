"""E-mail of notifications through a real SMTP server (aiosmtpd) that the test starts.

A mail is written to the outbox with the notification and sent after commit; a server that
is down loses nothing: the mail waits (backoff) and is sent once the server is back.
"""

from __future__ import annotations

import datetime as dt
import email
import uuid
from collections.abc import Iterator
from email.message import Message
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from db.session import Database
from spring.notifier import Mailer, SmtpServer
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_user, make_tenant_graph
from tests.live import free_port

BLOCK = """mutation($i: BlockServiceInput!) { blockService(input: $i) {
  service { id } userErrors { code } } }"""
PREFS = """mutation($i: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $i) { userErrors { code } } }"""


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


class SmtpUnderTest:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()  # returns once the server answers

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpUnderTest]:
    server = SmtpUnderTest()
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def _outbox(engine: AsyncEngine, tenant_id: uuid.UUID) -> list[Any]:
    async with engine.connect() as conn:
        return list(
            (
                await conn.execute(
                    text(
                        "SELECT id, attempts, sent_at, next_attempt_at, last_error"
                        " FROM notification_outbox"
                        " WHERE tenant_id = :t AND kind = 'SERVICE_BLOCKED' ORDER BY created_at"
                    ),
                    {"t": tenant_id},
                )
            ).all()
        )


async def _a_block_wanted_by_email(
    client: GraphQLClient, owner_engine: AsyncEngine
) -> tuple[uuid.UUID, str]:
    """A technician who wants blocks by e-mail, and a block by the hotline."""
    graph = await make_tenant_graph(owner_engine)
    technician = await add_user(owner_engine, graph, "TECHNICIAN")
    hotline = await add_user(owner_engine, graph, "HOTLINE")
    tech = GraphQLClient(client.http)
    await tech.login(technician, PASSWORD)
    body = await tech.post(
        PREFS, {"i": {"preferences": [{"kind": "SERVICE_BLOCKED", "email": True}]}}
    )
    assert body["data"]["updateNotificationPreferences"]["userErrors"] == [], body
    blocker = GraphQLClient(client.http)
    await blocker.login(hotline, PASSWORD)
    service = str(relay.GlobalID("Service", str(graph.ids["service"])))
    body = await blocker.post(BLOCK, {"i": {"id": service, "reason": "Fraude suspectée"}})
    assert body["data"]["blockService"]["userErrors"] == [], body
    return graph.tenant_id, technician


async def test_a_notification_is_mailed_after_commit(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, smtp: SmtpUnderTest
) -> None:
    tenant_id, technician = await _a_block_wanted_by_email(client, owner_engine)
    pending = await _outbox(owner_engine, tenant_id)
    assert len(pending) == 1 and pending[0].sent_at is None
    mailer = Mailer(app_db, SmtpServer("127.0.0.1", smtp.port), "Spring <spring@test.invalid>")
    assert await mailer.run_once() >= 1
    mine = [m for m in smtp.inbox.messages if m["To"] == technician]
    assert len(mine) == 1
    message = mine[0]
    assert message["Subject"].startswith("Service bloqué")
    assert "Fraude suspectée" in message.get_content()  # type: ignore[attr-defined]
    sent = await _outbox(owner_engine, tenant_id)
    assert len(sent) == 1 and sent[0].sent_at is not None and sent[0].attempts == 1
    # Sent once: another round sends nothing more.
    await mailer.run_once()
    assert len([m for m in smtp.inbox.messages if m["To"] == technician]) == 1


async def test_a_mail_server_that_is_down_loses_nothing(
    client: GraphQLClient, app_db: Database, owner_engine: AsyncEngine, smtp: SmtpUnderTest
) -> None:
    tenant_id, technician = await _a_block_wanted_by_email(client, owner_engine)
    smtp.stop()  # the mail server is down
    mailer = Mailer(app_db, SmtpServer("127.0.0.1", smtp.port, timeout_s=2), "spring@test")
    now = dt.datetime.now(dt.UTC)
    await mailer.run_once(now)
    rows = await _outbox(owner_engine, tenant_id)
    assert len(rows) == 1
    assert rows[0].sent_at is None and rows[0].attempts == 1
    assert rows[0].last_error
    first_wait = rows[0].next_attempt_at - now
    assert dt.timedelta(seconds=5) <= first_wait <= dt.timedelta(seconds=15)
    # Still down at the retry: the wait doubles (exponential backoff).
    retry = rows[0].next_attempt_at
    await mailer.run_once(retry)
    rows = await _outbox(owner_engine, tenant_id)
    assert rows[0].attempts == 2 and rows[0].sent_at is None
    assert rows[0].next_attempt_at - retry == first_wait * 2
    # Not yet due: nothing is tried.
    await mailer.run_once(retry + first_wait)
    assert (await _outbox(owner_engine, tenant_id))[0].attempts == 2
    # The server is back: the mail is sent at its next attempt.
    smtp.start()
    assert await mailer.run_once(rows[0].next_attempt_at) >= 1
    assert [m["To"] for m in smtp.inbox.messages].count(technician) == 1
    rows = await _outbox(owner_engine, tenant_id)
    assert rows[0].sent_at is not None and rows[0].attempts == 3


def test_the_smtp_url_is_read_as_documented() -> None:
    server = SmtpServer.from_url("smtp://user%40x:p%3Ass@mail.example:587?starttls=true")
    assert (server.host, server.port, server.user, server.password) == (
        "mail.example",
        587,
        "user@x",
        "p:ss",
    )
    assert server.starttls and not server.tls
    assert SmtpServer.from_url("smtps://mail.example").port == 465
    with pytest.raises(ValueError, match="SPRING_SMTP_URL"):
        SmtpServer.from_url("http://mail.example")
