"""The broker's topics: NOTIFY channels and what their payloads carry (ids, never rows)."""

from __future__ import annotations

import enum


class Topic(enum.StrEnum):
    #: A batch of transactions was committed: {"t": tenant id}.
    TRANSACTIONS = "spring_transactions"
    #: A batch of terminal events was committed: {"t": tenant id}.
    TERMINAL_EVENTS = "spring_terminal_events"
    #: Terminals changed connectivity or options status: {"t": tenant, "ids": [terminal ids]}.
    TERMINAL_STATUS = "spring_terminal_status"
    #: An account was deactivated, or its password or role changed: {"t": tenant, "u": user}.
    ACCOUNTS = "spring_accounts"
    #: Notifications were made for people of the tenant: {"t": tenant}.
    NOTIFICATIONS = "spring_notifications"


#: PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
MAX_PAYLOAD = 7_900
