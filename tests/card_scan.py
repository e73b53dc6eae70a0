"""The card-number scan of issue 12: after the whole test suite, no text or JSON column of any
database the suite made (the demo's included) and no line of the server's log holds a full
card number (under the API's own rule, `db.identifiers.find_pans`) or CVV/track data.

- `SERVER_LOG` is a logging handler that tests/conftest.py installs on the root logger for
  the whole session: it formats every record exactly as the server writes its log
  (`spring.logs.formatter("json")`) and scans each line as it is written (keeping the
  offending ones, a count, and the latest lines for the controls).
- `card_data_in_database` reads every text, JSON and array column of a database as its
  owner (through no policy); tests/conftest.py runs it on every database of the session
  before dropping them.
"""

from __future__ import annotations

import collections
import logging
import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.identifiers import contains_pan
from spring.logs import formatter

#: Keys that would hold sensitive authentication data (PCI DSS 3.3) in a JSON document.
SENSITIVE_KEY = re.compile(r'"(cvv2?|cvc2?|cav2|cid|track[12]?|trackdata|pin|pinblock)"\s*:', re.I)
#: The same key, as a PostgreSQL regular expression (a prefilter: Python decides).
_SENSITIVE_KEY_SQL = '"(cvv2?|cvc2?|cav2|cid|track[12]?|trackdata|pin|pinblock)"[[:space:]]*:'
#: Thirteen digits with at most one separator between two of them: what every card number
#: has (a prefilter, wider than the rule: Python decides).
_THIRTEEN_DIGITS_SQL = "[0-9]([^0-9A-Za-z_]?[0-9]){12}"


def holds_card_data(value: str) -> bool:
    """A full card number (the API's rule) or a CVV/track/PIN key in `value`."""
    return contains_pan(value) or bool(SENSITIVE_KEY.search(value))


class ServerLog(logging.Handler):
    """Every log record, formatted as the server's log, scanned as it is written."""

    def __init__(self, keep: int = 2000) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(formatter("json"))
        self.count = 0
        self.found: list[str] = []
        self.latest: collections.deque[str] = collections.deque(maxlen=keep)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a record the formatter cannot render is still scanned
            line = f"{record.name} {record.levelname} {record.msg!r}"
        self.count += 1
        self.latest.append(line)
        if holds_card_data(line):
            self.found.append(line[:2000])


SERVER_LOG = ServerLog()


async def card_data_in_database(engine: AsyncEngine) -> list[str]:
    """Every text, JSON or array value of every table holding a card number or CVV/track
    data, as `table.column: value`."""
    async with engine.connect() as conn:
        return await card_data_in(conn)


async def card_data_in(conn: AsyncConnection) -> list[str]:
    """`card_data_in_database` on an open connection (what its transaction sees)."""
    columns = (
        await conn.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public'"
                " AND data_type IN ('text', 'character varying', 'character', 'json',"
                " 'jsonb', 'ARRAY')"
                " ORDER BY table_name, column_name"
            )
        )
    ).all()
    found: list[str] = []
    for table, column in columns:
        rows = await conn.execute(
            text(
                f'SELECT "{column}"::text FROM "{table}"'
                f" WHERE \"{column}\"::text ~ '{_THIRTEEN_DIGITS_SQL}'"
                f" OR \"{column}\"::text ~* '{_SENSITIVE_KEY_SQL}'"
            )
        )
        for (value,) in rows:
            if value and holds_card_data(value):
                found.append(f"{table}.{column}: {value[:200]}")
    return found


def card_data_in_logs(lines: list[str]) -> list[str]:
    return [line[:2000] for line in lines if holds_card_data(line)]
