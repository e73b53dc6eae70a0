"""A PAX terminal's options: each change is a new version, PENDING until the terminal
acknowledges it (its PARAMETERS_DOWNLOADED event, resolvers/ingest/events.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ReceiptMode,
    TerminalKind,
    TerminalStatus,
)
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.terminals.common import (
    DEFAULT_OPTIONS,
    OPTION_FIELDS,
    _now,
    _options_snapshot,
    _states,
    _user_id,
)
from resolvers.terminals.queries import options_status_of
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic


@dataclass(frozen=True)
class OptionsChange:
    """The options to change; None means "keep the latest version's value"."""

    contactless: bool | None = None
    tipping: bool | None = None
    cashback: bool | None = None
    pre_authorization: bool | None = None
    manual_entry: bool | None = None
    receipt_mode: ReceiptMode | None = None
    language: str | None = None
    settlement_time: str | None = None


async def latest_options(session: AsyncSession, terminal_id: uuid.UUID) -> m.TerminalOptions | None:
    return (
        await session.execute(
            select(m.TerminalOptions)
            .where(m.TerminalOptions.terminal_id == terminal_id)
            .order_by(m.TerminalOptions.version_number.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def update_terminal_options(
    actor: Actor, terminal_id: uuid.UUID, expected_version: int | None, change: OptionsChange
) -> tuple[m.Terminal, m.TerminalOptions | None]:
    """A new options version of a PAX terminal, PENDING until the device acknowledges it.

    Values not given are copied from the latest version (defaults for the first one). When
    nothing differs from the latest version, no version is made.
    """
    v = Validator(actor.locale)
    p = ["input"]
    given: dict[str, Any] = {
        name: getattr(change, name)
        for name in ("contactless", "tipping", "cashback", "pre_authorization", "manual_entry")
        if getattr(change, name) is not None
    }
    if change.receipt_mode is not None:
        given["receipt_mode"] = ReceiptMode(change.receipt_mode.value)
    if change.language is not None:
        given["language"] = v.language([*p, "language"], change.language)
    if change.settlement_time is not None:
        given["settlement_time"] = v.settlement_time([*p, "settlementTime"], change.settlement_time)
    if not given and not v.errors:
        v.add(p, C.INVALID, "nothing_to_change")
    v.raise_if_any()
    async with actor.scope() as session:
        terminal = await load_for_update(
            session, m.Terminal, terminal_id, locale=actor.locale, path=[*p, "id"], kind="Terminal"
        )
        check_version(terminal, expected_version, actor.locale)
        if terminal.kind is not TerminalKind.PAX:
            raise refuse(
                actor.locale,
                [*p, "id"],
                C.INVALID,
                "terminal_kind",
                expected=TerminalKind.PAX.value,
                kind=terminal.kind.value,
            )
        if terminal.status is TerminalStatus.RETURNED:
            raise refuse(
                actor.locale,
                [*p, "id"],
                C.INVALID_TRANSITION,
                "terminal_state",
                expected=_states(
                    TerminalStatus.IN_STOCK,
                    TerminalStatus.ASSIGNED,
                    TerminalStatus.ACTIVE,
                    TerminalStatus.BLOCKED,
                ),
                state=terminal.status.value,
            )
        latest = await latest_options(session, terminal.id)
        current = (
            {n: getattr(latest, n) for n in OPTION_FIELDS} if latest else dict(DEFAULT_OPTIONS)
        )
        values = {**current, **given}
        if latest is not None and values == current:
            return terminal, latest
        options = m.TerminalOptions(
            tenant_id=terminal.tenant_id,
            terminal_id=terminal.id,
            version_number=(latest.version_number + 1) if latest else 1,
            created_by=_user_id(actor),
            created_at=_now(),
            acknowledged_at=None,
            **values,
        )
        session.add(options)
        # The options belong to the terminal: its version moves (optimistic locking).
        terminal.updated_at = _now()
        await session.flush()
        # A new version is PENDING on the device: live screens hear of it (APPLIED -> PENDING,
        # or none -> PENDING), as they hear of the acknowledgement that applies it.
        applied = terminal.applied_options_version
        if options_status_of(
            latest.version_number if latest else None, applied
        ) is not options_status_of(options.version_number, applied):
            await announce(session, Topic.TERMINAL_STATUS, terminal.tenant_id, ids=[terminal.id])
        before = _options_snapshot(current) if latest else {}
        after = _options_snapshot(values)
        changed_before, changed_after = journal.changes(before, after)
        journal.record(
            session,
            actor,
            tenant_id=terminal.tenant_id,
            action="terminal.options_changed",
            entity_type="Terminal",
            entity_id=terminal.id,
            before={**changed_before, "optionsVersion": latest.version_number} if latest else None,
            after={**changed_after, "optionsVersion": options.version_number},
        )
        await session.flush()
    return terminal, options
