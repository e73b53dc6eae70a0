"""Time-ordered ids: the order of a batch's rows in live feeds."""

from __future__ import annotations

import uuid

from db.ids import uuid7


def test_uuid7_is_strictly_increasing_and_well_formed() -> None:
    ids = [uuid7() for _ in range(50_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
