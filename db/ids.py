"""Time-ordered identifiers (UUID version 7, RFC 9562) for append-only rows.

Rows recorded in one transaction share its xid; their ids then give the order within it, so
live feeds hand them out in the order they were sent.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

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
