"""Ingestion from the acquiring platform (role SERVICE): transactions and terminal events.

- One statement per batch (a multi-row INSERT from arrays), not one per row; terminal events
  too (one INSERT, one UPDATE of the terminals named), however many rows and terminals.
- Idempotent by (tenant, externalId): the database decides (ON CONFLICT DO NOTHING), so
  concurrent duplicates still make one row; the same id with other content is refused. Rows
  go in in external-id order, so overlapping batches wait for each other, never deadlock.
  A repeat is answered with the stored row (`created: 0`) before anything is checked about
  where its terminal is now: a terminal moved, returned or restocked since does not make a
  re-sent transaction fail.
- Card data never gets in: a full PAN anywhere (ids, masked PAN, event code, message and
  payload, its keys included), CVV/track/PIN keys in a payload, or a masked PAN showing more
  than the first 6 and last 4 digits, refuses the batch. Nothing refused is echoed or logged.
- A transaction from a blocked service or terminal, a suspended or terminated contract, or a
  suspended or closed company, is recorded DECLINED with the blocked-merchant response code
  and no authorization code, whatever the input said.
- One NOTIFY per committed batch and topic tells every process's live feeds.

| module | holds |
|---|---|
| `rules` | limits, input shapes, the refusal of card data |
| `transactions` | `recordTransactions` |
| `events` | `recordTerminalEvents`, and the terminals gone offline |

This package exports the public names of each (`from resolvers import ingest`);
modules of resolvers/ import from the submodule itself.
"""

from resolvers.ingest.events import (
    ACKNOWLEDGE_OPTIONS,
    APPLY_OPTIONS,
    INSERT_EVENTS,
    TOUCH_TERMINALS,
    EventsRecorded,
    record_terminal_events,
    terminals_gone_offline,
)
from resolvers.ingest.rules import (
    AUTH_CODE,
    EXTERNAL_ID,
    FORBIDDEN_KEY_PARTS,
    FORBIDDEN_KEYS,
    MASK_LIKE,
    MASKED_PAN,
    MAX_AGE,
    MAX_BATCH,
    MAX_CLOCK_SKEW,
    MAX_PAYLOAD_DEPTH,
    RESPONSE_CODE,
    Placement,
    Recorded,
    TerminalEventData,
    TransactionData,
    card_number_in,
    check_masked_pan,
)
from resolvers.ingest.transactions import (
    INSERT_TRANSACTIONS,
    placements,
    record_transactions,
)

__all__ = [
    "ACKNOWLEDGE_OPTIONS",
    "APPLY_OPTIONS",
    "AUTH_CODE",
    "EXTERNAL_ID",
    "FORBIDDEN_KEYS",
    "FORBIDDEN_KEY_PARTS",
    "INSERT_EVENTS",
    "INSERT_TRANSACTIONS",
    "MASKED_PAN",
    "MASK_LIKE",
    "MAX_AGE",
    "MAX_BATCH",
    "MAX_CLOCK_SKEW",
    "MAX_PAYLOAD_DEPTH",
    "RESPONSE_CODE",
    "TOUCH_TERMINALS",
    "EventsRecorded",
    "Placement",
    "Recorded",
    "TerminalEventData",
    "TransactionData",
    "card_number_in",
    "check_masked_pan",
    "placements",
    "record_terminal_events",
    "record_transactions",
    "terminals_gone_offline",
]
