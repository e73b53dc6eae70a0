"""Commit-order cursors of live feeds: (xid, id) of the last row delivered.

A row's `xid` is the id of the transaction that recorded it. Feeds deliver rows in (xid, id)
order and only rows whose xid is below the oldest transaction still running (the snapshot's
xmin): every transaction with a smaller xid has then ended, so no row can later appear behind
a cursor already handed out. Two writers committing out of order are delivered once both have
ended, in xid order, and a subscriber resuming from its cursor misses nothing (docs/live.md).
"""

from __future__ import annotations

import base64
import struct
import uuid
from dataclasses import dataclass

#: Format version byte, then the xid (8 bytes) and the id (16 bytes): 34 characters encoded,
#: short enough to travel in a WebSocket close reason (123 bytes at most).
VERSION = 1
_LAYOUT = struct.Struct(">BQ16s")


class InvalidCursor(ValueError):
    """Not a live-feed cursor."""


@dataclass(frozen=True, order=True, slots=True)
class FeedCursor:
    xid: int
    id: uuid.UUID

    def encode(self) -> str:
        raw = _LAYOUT.pack(VERSION, self.xid, self.id.bytes)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> FeedCursor:
        try:
            padded = value + "=" * (-len(value) % 4)
            version, xid, raw_id = _LAYOUT.unpack(base64.urlsafe_b64decode(padded.encode()))
            if version != VERSION:
                raise ValueError(version)
            return cls(xid, uuid.UUID(bytes=raw_id))
        except (ValueError, struct.error, TypeError) as exc:
            raise InvalidCursor("not a live-feed cursor") from exc

    @classmethod
    def of(cls, row: object) -> FeedCursor:
        return cls(int(row.xid), row.id)  # type: ignore[attr-defined]


#: Before every row.
ORIGIN = FeedCursor(0, uuid.UUID(int=0))
