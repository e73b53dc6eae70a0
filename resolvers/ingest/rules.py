"""What the ingestion accepts: batch and clock limits, the input shapes, and the refusal
of card data (a full PAN anywhere, sensitive keys in a free-form payload, a masked PAN's
shape).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from db import models as m
from db.enums import (
    CardScheme,
    EntryMode,
    TerminalEventKind,
    TransactionStatus,
    TransactionType,
)
from db.identifiers import contains_pan
from resolvers.errors import UserErrorCode as C
from resolvers.validation import Validator

MAX_BATCH = 500
#: The shape the database accepts (transactions.masked_pan_format): at most the first 6 and
#: the last 4 digits, 2 to 9 masking characters in between.
MASKED_PAN = re.compile(r"^([0-9]{0,6})([*X]{2,9})([0-9]{0,4})$")
#: Digits and masking characters only, the digits anywhere: what a masked PAN may look like
#: before its shape is checked.
MASK_LIKE = re.compile(r"^[0-9*X]+$")
AUTH_CODE = re.compile(r"^[A-Z0-9]{6}$")
RESPONSE_CODE = re.compile(r"^[0-9A-Z]{2}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
#: Keys that betray sensitive authentication data in a free-form payload, compared
#: lower-cased without separators (`Card-Number` is `cardnumber`).
FORBIDDEN_KEYS = frozenset(
    {
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cid",
        "csc",
        "cav2",
        "track",
        "track1",
        "track2",
        "trackdata",
        "pan",
        "cardnumber",
        "pin",
        "pinblock",
        "securitycode",
        "cardsecuritycode",
        "cardverificationcode",
        "cardverificationvalue",
    }
)
#: Fragments that betray card data wherever they appear in a key (`card_cvv`, `track2Data`);
#: short words such as `pin` or `cid` only count as whole keys (`pinPadConnected` and a
#: cell's `cid` are harmless).
FORBIDDEN_KEY_PARTS = (
    "cvv",
    "cvc",
    "track1",
    "track2",
    "trackdata",
    "pinblock",
    "cardnumber",
    "securitycode",
    "cardverification",
)
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_AGE = dt.timedelta(days=400)


@dataclass(frozen=True)
class TransactionData:
    external_id: str
    tid: str
    type: TransactionType
    amount: int
    currency: str
    scheme: CardScheme
    entry_mode: EntryMode
    status: TransactionStatus
    response_code: str
    occurred_at: dt.datetime
    masked_pan: str | None = None
    authorization_code: str | None = None
    original_external_id: str | None = None


@dataclass(frozen=True)
class TerminalEventData:
    tid: str
    kind: TerminalEventKind
    occurred_at: dt.datetime
    code: str | None = None
    message: str | None = None
    payload: dict[str, Any] | None = None
    #: The command this event answers (resolvers/commands.py), and why it failed if it did.
    command_id: uuid.UUID | None = None
    failure_reason: str | None = None


@dataclass
class Placement:
    """Where a terminal takes payments, and whether it may approve them now."""

    terminal: m.Terminal
    shop_id: uuid.UUID | None
    company_id: uuid.UUID | None
    contract_id: uuid.UUID | None
    service_id: uuid.UUID | None
    blocked: bool


@dataclass
class Recorded:
    transactions: list[m.Transaction] = field(default_factory=list)
    created: int = 0


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def card_number_in(text: str) -> bool:
    """A card number in `text`, under the one rule of `db.identifiers.find_pans` (any whole
    groups of a run of digit groups holding 13 to 19 digits that start like a card of that
    length and pass Luhn: "tx-4970…", "5-4970…", "A920 5351 1073 9224 3694" too)."""
    return contains_pan(text)


def _forbidden_key(key: str) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", key.lower())
    return compact in FORBIDDEN_KEYS or any(part in compact for part in FORBIDDEN_KEY_PARTS)


#: How deep a terminal event's JSON payload may nest (deeper is refused, not walked).
MAX_PAYLOAD_DEPTH = 16


def _depth(value: Any, limit: int = MAX_PAYLOAD_DEPTH) -> int:
    """Nesting depth of a JSON-like value, counting no further than `limit` + 1."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        children: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list | tuple):
                children.extend(item)
        level = children
    return depth if not level else depth + 1


def _card_data_in(value: Any) -> bool:
    """A forbidden key or a card number anywhere in a JSON-like value (keys included).

    Call it on values whose depth was checked (`_depth`): it recurses."""
    if isinstance(value, dict):
        return any(
            _forbidden_key(str(k)) or card_number_in(str(k)) or _card_data_in(v)
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return any(_card_data_in(v) for v in value)
    if isinstance(value, bool):
        return False
    if isinstance(value, str | int | float):
        return card_number_in(str(value))
    return False


def check_masked_pan(v: Validator, path: list[str], value: str | None) -> str | None:
    """The masked PAN as stored (spaces and dashes dropped, `x` as `X`), or None.

    A full card number, or a mask showing more than the first 6 and the last 4 digits, is
    card data (CARD_DATA_REFUSED); a mask of another shape is INVALID.
    """
    if value is None or not value.strip():
        return None
    if MASKED_PAN.fullmatch(value):
        # Already in the stored shape (at most 10 digits: no card number): nothing to drop.
        return value
    if card_number_in(value):
        v.add(path, C.CARD_DATA_REFUSED, "card_data")
        return None
    compact = re.sub(r"[\s\-]", "", value).replace("x", "X")
    if not MASK_LIKE.match(compact):
        v.add(path, C.INVALID, "masked_pan_format")
        return None
    shown = re.fullmatch(r"([0-9]*)[*X]+([0-9]*)", compact)
    if shown is None or len(shown.group(1)) > 6 or len(shown.group(2)) > 4:
        # Digits inside the mask, or more than the first 6 or the last 4: too much shown.
        v.add(path, C.CARD_DATA_REFUSED, "masked_pan")
        return None
    if not MASKED_PAN.match(compact):
        v.add(path, C.INVALID, "masked_pan_format")
        return None
    return compact
