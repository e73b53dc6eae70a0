"""What the fleet's use cases share: the journaled fields of terminals, services and
options, the states an activation needs, SoftPOS activation codes (only their hash is kept),
and small helpers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from db import models as m
from db.enums import (
    CompanyStatus,
    ContractStatus,
    ReceiptMode,
    ServiceStatus,
)
from resolvers import journal
from resolvers.usecase import Actor

#: What the journal records of a terminal, a service and an options version: every column
#: but those named here (resolvers/journal.py `journaled`; a new column is journaled).
TERMINAL_FIELDS = journal.journaled(
    m.Terminal,
    name="TERMINAL_FIELDS",
    exclude={
        "blocked_reason": "the block entry's reason (the return entry records it too)",
        "blocked_until": "recorded by the block and return entries themselves",
        "last_seen_at": "telemetry, refreshed by every heartbeat",
        "last_heartbeat_at": "telemetry, refreshed by every heartbeat",
        "applied_options_version": "the terminal's acknowledgement (terminal.options_applied)",
        "options_applied_at": "the terminal's acknowledgement (terminal.options_applied)",
    },
)
SERVICE_FIELDS = journal.journaled(
    m.Service,
    name="SERVICE_FIELDS",
    exclude={
        "blocked_reason": "the block entry's reason (the ending entry records it too)",
        "blocked_at": "the block entry's occurred_at",
        "blocked_until": "recorded by the block and ending entries themselves",
        "blocked_by": "the block entry's actor",
        "activation_code_hash": "a secret: only its hash is kept, and never journaled",
        "activation_code_expires_at": "recorded by the code's (re)generation entries",
        "activated_at": "the activation entry's occurred_at",
        "deactivated_at": "the ending entry's occurred_at",
    },
)
OPTION_FIELDS = journal.journaled(
    m.TerminalOptions,
    name="OPTION_FIELDS",
    exclude={
        "terminal_id": "the entry's entity_id (the terminal)",
        "version_number": "recorded as the entry's `optionsVersion`",
        "created_by": "the entry's actor",
        "acknowledged_at": "the terminal's acknowledgement (terminal.options_applied)",
    },
)
#: Values of a PAX terminal's first options version, for the fields not given.
DEFAULT_OPTIONS: dict[str, Any] = {
    "contactless": True,
    "tipping": False,
    "cashback": False,
    "pre_authorization": False,
    "manual_entry": False,
    "receipt_mode": ReceiptMode.PRINT,
    "language": "fr",
    "settlement_time": dt.time(23, 0),
}

#: Services that still hold their terminal.
LIVE_SERVICE_STATES = (ServiceStatus.PENDING, ServiceStatus.ACTIVE, ServiceStatus.BLOCKED)


CONTRACT_STATES_FOR_ACTIVATION = (ContractStatus.SIGNED, ContractStatus.ACTIVE)
COMPANY_STATES_FOR_ACTIVATION = (CompanyStatus.APPROVED, CompanyStatus.ACTIVE)

#: SoftPOS activation codes: no I, L, O, 0 or 1, so a code read aloud cannot be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_LIFETIME = dt.timedelta(hours=24)
TID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

AUTO_UNBLOCK_LABEL = "auto-unblock"
AUTO_UNBLOCK_REASON = "block expired"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _user_id(actor: Actor | None) -> uuid.UUID | None:
    if actor is None or actor.principal.is_platform:
        return None
    return actor.principal.user_id


def _terminal_snapshot(terminal: m.Terminal) -> dict[str, Any]:
    return journal.snapshot(terminal, TERMINAL_FIELDS)


def _service_snapshot(service: m.Service) -> dict[str, Any]:
    return journal.snapshot(service, SERVICE_FIELDS)


#: Journal keys of the options (the API's field names).
OPTION_KEYS = {name: journal.camel(name) for name in OPTION_FIELDS}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _options_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, ReceiptMode):
            value = value.value
        snap[OPTION_KEYS[name]] = value
    return snap


def _states(*states: Any) -> str:
    return " / ".join(s.value for s in states)


def new_activation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_activation_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_activation_code(code: str) -> str:
    """SHA-256 (hex) of the normalized code: what the database keeps."""
    return hashlib.sha256(normalize_activation_code(code).encode()).hexdigest()


#: What a service's and a terminal's journal entries show of an ending.
_ENDING_SERVICE_FIELDS = ("status", "blocked_reason", "blocked_until")
_RETURNED_TERMINAL_FIELDS = ("status", "shop_id", "blocked_reason", "blocked_until")
