"""Time-ordered identifiers (UUID version 7, RFC 9562) for append-only rows.

Rows recorded in one transaction share its xid; their ids then give the order within it, so
live feeds hand them out in the order they were sent.
"""

from __future__ import annotations

import base64
import os
import re
import threading
import time
import uuid
from typing import Any

_lock = threading.Lock()
_last_millis = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A UUIDv7: 48 bits of Unix milliseconds, then 74 bits that only grow within one
    millisecond (random start, +1 per id), so ids are strictly increasing in this process."""
    global _last_millis, _counter
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis > _last_millis:
            _last_millis = millis
            _counter = int.from_bytes(os.urandom(10), "big") >> 7  # 73 bits: room to count
        else:
            _counter += 1
        millis, counter = _last_millis, _counter
    high, low = counter >> 62, counter & ((1 << 62) - 1)
    number = (millis << 80) | (0x7 << 76) | ((high & 0xFFF) << 64) | (0b10 << 62) | low
    return uuid.UUID(int=number)


# --------------------------------------------------------------------------- global ids

#: What an `...Id` / `...Ids` key of a JSON value (journal snapshots, diagnosis details) refers
#: to: the part before `Id` → the GraphQL type whose node it is.
REFERENCE_TYPES: dict[str, str] = {
    "company": "Company",
    "shop": "Shop",
    "contract": "Contract",
    "service": "Service",
    "terminal": "Terminal",
    "feeSchedule": "FeeSchedule",
    "request": "Request",
    "user": "User",
    "assignee": "User",
    "author": "User",
    "command": "TerminalCommand",
}
_REFERENCE_KEY = re.compile(r"^(?P<name>[a-z][A-Za-z0-9]*?)Ids?$")


def global_id(type_name: str, value: uuid.UUID | str) -> str:
    """The Relay global id of a node, as `node(id:)` takes it: base64 of `Type:uuid`
    (strawberry's relay.GlobalID form)."""
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def _as_uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def reference_type(key: str) -> str | None:
    """The node type an `...Id(s)` key refers to, None for any other key."""
    match = _REFERENCE_KEY.match(key)
    return REFERENCE_TYPES.get(match["name"]) if match else None


def encode_references(value: Any) -> Any:
    """`value` with every reference to a row under an `...Id(s)` key given as a global id, so a
    client can follow it with `node(id:)`. Nested dicts and lists are walked; a value that is
    already a global id (or not a uuid) is left as it is, and so is any other key (an
    `externalId` is the sender's, not a node). A new reference key goes in REFERENCE_TYPES
    (tests/test_journal_references.py finds a raw uuid left in the journal).
    """
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            type_name = reference_type(key)
            if type_name is None:
                out[key] = encode_references(item)
            elif isinstance(item, list | tuple):
                out[key] = [_encode_one(type_name, v) for v in item]
            else:
                out[key] = _encode_one(type_name, item)
        return out
    if isinstance(value, list | tuple):
        return [encode_references(v) for v in value]
    return value


def _encode_one(type_name: str, value: Any) -> Any:
    found = _as_uuid(value)
    return global_id(type_name, found) if found is not None else value
