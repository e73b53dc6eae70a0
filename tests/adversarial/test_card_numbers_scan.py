"""After the adversarial suites (which sent card numbers, CVVs and track data into every input
field): no full card number and no CVV/track data in any text or JSON column of any table
(read as the owner, through no policy), nor in any line of the server's log so far.

These tests run after every other test (the `after_suite` mark, tests/conftest.py); the same
scan runs again when the session ends, over every database the session made and every line
the server logged (tests/card_scan.py).
"""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.card_scan import (
    SERVER_LOG,
    ServerLog,
    card_data_in,
    card_data_in_database,
    card_data_in_logs,
    holds_card_data,
)
from tests.factories import make_tenant_graph

pytestmark = pytest.mark.after_suite


async def test_no_card_data_in_the_database(owner_engine: AsyncEngine) -> None:
    found = await card_data_in_database(owner_engine)
    assert not found, "\n".join(found[:20])


def test_the_server_log_is_captured_as_the_server_writes_it() -> None:
    """Every record reaches the session's handler, formatted as the server's log (JSON lines,
    with the redaction of spring/logs.py: a card number logged by mistake is masked), and a
    line that still held one would be kept as found."""
    marker = uuid.uuid4().hex[:12]
    logging.getLogger("spring.test").warning("marker %s: card 5351 1073 9224 3694", marker)
    (line,) = [line for line in SERVER_LOG.latest if marker in line]
    assert '"logger": "spring.test"' in line and "535110******3694" in line, line
    assert not holds_card_data(line)
    control = ServerLog()
    control.setFormatter(logging.Formatter("%(message)s"))  # a log without the redaction
    control.emit(logging.makeLogRecord({"msg": "card 5351 1073 9224 3694"}))
    assert control.found == ["card 5351 1073 9224 3694"]


def test_no_card_data_in_the_server_log(server_log: ServerLog) -> None:
    assert server_log is SERVER_LOG
    assert server_log.count > 0, "nothing was captured: the scan would prove nothing"
    assert not server_log.found, "\n".join(server_log.found[:20])


def test_the_scan_does_find_card_data() -> None:
    """The control: the scan sees a card number and a CVV where they would be, under the rule
    of the API (inside a longer run of digits too), and leaves ordinary identifiers alone."""
    assert holds_card_data("paid with 4970 1012 3456 7893 yesterday")
    assert holds_card_data('{"body": "TPE A920 5351 1073 9224 3694"}')
    assert holds_card_data('{"cvv": "123"}')
    assert not holds_card_data("SIRET 73282932000074, order 8d6ea31c-63d8-4361-8d85-f3655092c5c8")
    assert card_data_in_logs(["a", "caisse 2 5351-1073-9224-3694"]) == [
        "caisse 2 5351-1073-9224-3694"
    ]


async def test_the_database_scan_reads_every_text_and_json_column(
    owner_engine: AsyncEngine,
) -> None:
    tenant = (await make_tenant_graph(owner_engine)).tenant_id
    async with owner_engine.connect() as conn:
        columns = await conn.scalar(
            text(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                " AND data_type IN ('text', 'character varying', 'jsonb')"
            )
        )
        assert columns >= 30
        # A card number written where no input check looks (as the owner, in a transaction
        # rolled back) is found in a text column and in a JSON one.
        await conn.execute(
            text(
                "INSERT INTO audit_events (tenant_id, id, entity_type, entity_id, action,"
                " actor_kind, actor_label, reason, after)"
                " VALUES (:t, :id, 'Company', :id, 'company.updated', 'SYSTEM', 'scan test',"
                " 'TPE A920 5351 1073 9224 3694', '{\"note\": \"5351-1073-9224-3694\"}')"
            ),
            {"t": tenant, "id": uuid.uuid4()},
        )
        found = await card_data_in(conn)
        await conn.rollback()
    assert any(hit.startswith("audit_events.reason:") for hit in found), found
    assert any(hit.startswith("audit_events.after:") for hit in found), found
