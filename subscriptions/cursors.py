"""Commit-order cursors of live feeds: (xid, id) of the last row delivered.

A row's `xid` is the id of the transaction that recorded it. Feeds deliver rows in (xid, id)
order and only rows whose xid is below the oldest transaction still running (the snapshot's
xmin): every transaction with a smaller xid has then ended, so no row can later appear behind
a cursor already handed out. Two writers committing out of order are delivered once both have
ended, in xid order, and a subscriber resuming from its cursor misses nothing (docs/live.md).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

PREFIX = "live1"


class InvalidCursor(ValueError):
    """Not a live-feed cursor."""


@dataclass(frozen=True, order=True, slots=True)
class FeedCursor:
    xid: int
    id: uuid.UUID

    def encode(self) -> str:
        raw = f"{PREFIX}:{self.xid}:{self.id.hex}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> FeedCursor:
        try:
            padded = value + "=" * (-len(value) % 4)
            prefix, xid, hex_id = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
            if prefix != PREFIX:
                raise ValueError(prefix)
            cursor = cls(int(xid), uuid.UUID(hex=hex_id))
            if cursor.xid < 0:
                raise ValueError(xid)
            return cursor
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidCursor("not a live-feed cursor") from exc

    @classmethod
    def of(cls, row: object) -> FeedCursor:
        return cls(int(row.xid), row.id)  # type: ignore[attr-defined]


#: Before every row.
ORIGIN = FeedCursor(0, uuid.UUID(int=0))
