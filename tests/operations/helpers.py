"""What the operations tests share (no fixtures: conftest.py holds those)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from spring.settings import Environment, Settings

GOOD_SECRET = "prod-secret-" + "x" * 40


RECORD = """
mutation Ingest($i: RecordTransactionsInput!) { recordTransactions(input: $i) {
  created userErrors { field code message } } }
"""


class Captured:
    """Every log record of the block, rendered as production renders it (JSON lines)."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self) -> list[dict[str, Any]]:
        return [
            line
            for line in self.lines
            if line.get("logger") == "spring.request" and line["event"] == "request"
        ]


def transaction(tid: str, **overrides: Any) -> dict[str, Any]:
    external = uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))
    values = {
        "externalId": f"ops-{external}",
        "tid": tid,
        "type": "PURCHASE",
        "amount": 990,
        "currency": "EUR",
        "scheme": "CB",
        "entryMode": "CONTACTLESS",
        "status": "APPROVED",
        "responseCode": "00",
        "authorizationCode": "A1B2C3",
        "maskedPan": "497010******1234",
        "occurredAt": dt.datetime.now(dt.UTC).isoformat(),
    }
    values.update(overrides)
    return values


def production(**values: Any) -> Settings:
    base: dict[str, Any] = {
        "env": Environment.PRODUCTION,
        "secret_key": GOOD_SECRET,
        "database_url": "postgresql://owner:ownerpw@db.internal/spring",
        "db_app_password": "app-password-123",
    }
    base.update(values)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]
