"""What a new password must be: long enough, not a common one, not the user's own name or e-mail.

The common passwords are the 20,000 that Django ships (tenancy/common-passwords.txt.gz,
lowercased, most common first; its licence is beside it), loaded once on first use. A
password is refused when, lowercased, it is one of them, or when what is left after taking
the digits and punctuation off both ends is one ("Password2024!" is "password"), or when it
contains the user's e-mail (its part before the @) or a part of their name of 3 letters or
more. Nothing here looks anything up on a network.
"""

from __future__ import annotations

import enum
import functools
import gzip
import re
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).parent / "common-passwords.txt.gz"

_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORDS = re.compile(r"[^\W\d_]{3,}")


class Weakness(enum.StrEnum):
    TOO_SHORT = "password_short"
    TOO_LONG = "too_long"
    COMMON = "password_common"
    PERSONAL = "password_personal"


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def weakness(password: str, *, email: str = "", full_name: str = "") -> Weakness | None:
    """Why `password` may not be chosen by this user, or None when it may."""
    if len(password) < MIN_LENGTH:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        # Argon2 would hash anything: a bound keeps a huge input from costing CPU and memory.
        return Weakness.TOO_LONG
    lowered = password.lower().strip()
    common = common_passwords()
    if lowered in common or _EDGES.sub("", lowered) in common:
        return Weakness.COMMON
    compact = re.sub(r"[\W_]+", "", lowered)
    local = email.lower().partition("@")[0]
    personal = [local, *re.split(r"[\W_]+", local)]
    personal += [w.lower() for w in _WORDS.findall(full_name)]
    for part in personal:
        squeezed = re.sub(r"[\W_]+", "", part)
        if (len(part) >= 3 and part in lowered) or (len(squeezed) >= 3 and squeezed in compact):
            return Weakness.PERSONAL
    return None
