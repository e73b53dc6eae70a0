"""After the adversarial suites (which sent card numbers, CVVs and track data into every input
field): no full card number and no CVV/track data in any text or JSON column of any table
(read as the owner, through no policy), nor in any log record of the session so far.

This file runs last in the package (pytest collects files by name); the same scan runs again
at the very end of the test session (tests/adversarial/conftest.py), over what every other
test wrote and logged.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.adversarial.conftest import (
    Captured,
    card_data_in_database,
    card_data_in_logs,
    holds_card_data,
)


async def test_no_card_data_in_the_database(owner_engine: AsyncEngine) -> None:
    found = await card_data_in_database(owner_engine)
    assert not found, "\n".join(found[:20])


def test_no_card_data_in_the_logs(capture_logs: Captured) -> None:
    assert capture_logs.lines, "nothing was captured: the scan would prove nothing"
    found = card_data_in_logs(capture_logs.lines)
    assert not found, "\n".join(found[:20])


async def test_the_scan_does_find_card_data(owner_engine: AsyncEngine) -> None:
    """The control: the scan sees a card number and a CVV where they would be."""
    assert holds_card_data("paid with 4970 1012 3456 7893 yesterday")
    assert holds_card_data('{"cvv": "123"}')
    assert not holds_card_data("SIRET 73282932000074, order 8d6ea31c-63d8-4361-8d85-f3655092c5c8")
    async with owner_engine.connect() as conn:
        columns = await conn.scalar(
            text(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                " AND data_type IN ('text', 'character varying', 'jsonb')"
            )
        )
    assert columns >= 30
