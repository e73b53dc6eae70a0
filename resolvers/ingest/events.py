"""`recordTerminalEvents`: heartbeats, errors, options acknowledgements and command
results, inserted in one statement; the terminals' last-seen, options versions and commands
follow in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    TerminalEventKind,
)
from db.ids import uuid7
from resolvers import commands
from resolvers.errors import UserErrorCode as C
from resolvers.ingest.rules import (
    MAX_AGE,
    MAX_BATCH,
    MAX_CLOCK_SKEW,
    MAX_PAYLOAD_DEPTH,
    TerminalEventData,
    _aware,
    _card_data_in,
    _depth,
    card_number_in,
)
from resolvers.usecase import Actor
from resolvers.validation import Validator
from subscriptions.publisher import announce
from subscriptions.topics import Topic

INSERT_EVENTS = sa.text(
    """
    INSERT INTO terminal_events (tenant_id, id, terminal_id, kind, code, message, payload,
        occurred_at)
    SELECT CAST(:tenant AS uuid), * FROM unnest(
        CAST(:id AS uuid[]), CAST(:terminal_id AS uuid[]), CAST(:kind AS text[]),
        CAST(:code AS text[]), CAST(:message AS text[]), CAST(:payload AS jsonb[]),
        CAST(:occurred_at AS timestamptz[]))
    """
)
#: Last-seen, last heartbeat and reported versions of every terminal of a batch: one UPDATE.
#: Clocks only move forward (GREATEST ignores NULLs); the row version is left alone, so staff
#: editing a terminal do not trip over its heartbeats.
TOUCH_TERMINALS = sa.text(
    """
    UPDATE terminals AS t SET
        last_seen_at = GREATEST(t.last_seen_at, u.seen),
        last_heartbeat_at = GREATEST(t.last_heartbeat_at, u.beat),
        app_version = COALESCE(u.app_version, t.app_version),
        firmware_version = COALESCE(u.firmware_version, t.firmware_version),
        updated_at = CASE WHEN u.app_version IS NULL AND u.firmware_version IS NULL
                          THEN t.updated_at ELSE now() END
    FROM unnest(CAST(:id AS uuid[]), CAST(:seen AS timestamptz[]), CAST(:beat AS timestamptz[]),
                CAST(:app_version AS text[]), CAST(:firmware_version AS text[]))
         AS u(id, seen, beat, app_version, firmware_version)
    WHERE t.id = u.id
    """
)
#: Every options version up to the acknowledged one is no longer pending on the device.
ACKNOWLEDGE_OPTIONS = sa.text(
    """
    UPDATE terminal_options AS o SET acknowledged_at = u.at
    FROM unnest(CAST(:id AS uuid[]), CAST(:version AS integer[]), CAST(:at AS timestamptz[]))
         AS u(id, version, at)
    WHERE o.terminal_id = u.id AND o.version_number <= u.version AND o.acknowledged_at IS NULL
    """
)
APPLY_OPTIONS = sa.text(
    """
    UPDATE terminals AS t SET applied_options_version = u.version, options_applied_at = u.at
    FROM unnest(CAST(:id AS uuid[]), CAST(:version AS integer[]), CAST(:at AS timestamptz[]))
         AS u(id, version, at)
    WHERE t.id = u.id
      AND (t.applied_options_version IS NULL OR t.applied_options_version < u.version)
    RETURNING t.id
    """
)


@dataclass
class EventsRecorded:
    events: list[m.TerminalEvent] = field(default_factory=list)
    heartbeats: int = 0
    acknowledged: int = 0
    #: Commands answered (DONE or FAILED).
    commands: int = 0


def _validate_events(v: Validator, items: Sequence[TerminalEventData]) -> list[str | None]:
    """Checks every event; returns each one's normalised TID (None where invalid)."""
    now = dt.datetime.now(dt.UTC)
    if not items:
        v.add(["input", "events"], C.REQUIRED, "required")
    if len(items) > MAX_BATCH:
        v.add(["input", "events"], C.TOO_MANY, "too_many", max=MAX_BATCH)
        v.raise_if_any()
    tids = []
    for i, item in enumerate(items):
        p = ["input", "events", str(i)]
        tids.append(v.tid([*p, "tid"], item.tid))
        for name, value, max_length in (("code", item.code, 32), ("message", item.message, 2000)):
            if value is not None and card_number_in(value):
                v.add([*p, name], C.CARD_DATA_REFUSED, "card_data")
            else:
                v.text(
                    [*p, name],
                    value,
                    required=False,
                    max_length=max_length,
                    multiline=name == "message",
                )
        if item.payload is not None and _depth(item.payload) > MAX_PAYLOAD_DEPTH:
            v.add([*p, "payload"], C.INVALID, "payload_too_deep", max=MAX_PAYLOAD_DEPTH)
        elif item.payload is not None and _card_data_in(item.payload):
            v.add([*p, "payload"], C.CARD_DATA_REFUSED, "card_data")
        occurred = _aware(item.occurred_at)
        if occurred > now + MAX_CLOCK_SKEW or occurred < now - MAX_AGE:
            v.add([*p, "occurredAt"], C.OUT_OF_RANGE, "occurred_at")
        failed = item.failure_reason is not None
        if failed and item.command_id is None:
            v.add([*p, "failureReason"], C.INVALID, "failure_reason_without_command")
        elif failed:
            v.reason([*p, "failureReason"], item.failure_reason, required=True)
        answered_failure = failed and item.command_id is not None
        if item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED and not (
            item.code and item.code.strip().isdigit() and len(item.code.strip()) <= 9
        ):
            # A failed download has no version to acknowledge.
            if not (answered_failure and not item.code):
                v.add([*p, "code"], C.INVALID, "options_version_code")
    return tids


async def record_terminal_events(
    actor: Actor, items: Sequence[TerminalEventData]
) -> EventsRecorded:
    """Heartbeats move last-seen; PARAMETERS_DOWNLOADED acknowledges an options version (its
    number in `code`); APP_UPDATED/FIRMWARE_UPDATED carry the new version in `code`; every
    event but heartbeats goes to the technical journal. A constant number of statements per
    batch, whatever its size and however many terminals it names."""
    v = Validator(actor.locale)
    now = dt.datetime.now(dt.UTC)
    tids = _validate_events(v, items)
    v.raise_if_any()
    async with actor.scope() as session:
        terminals = {
            t.tid: t
            for t in (
                await session.execute(sa.select(m.Terminal).where(m.Terminal.tid.in_(set(tids))))
            ).scalars()
        }
        for i, tid in enumerate(tids):
            if tid not in terminals:
                v.add(["input", "events", str(i), "tid"], C.NOT_FOUND, "not_found", kind="Terminal")
        v.raise_if_any()

        outcome = EventsRecorded()
        last_seen: dict[uuid.UUID, dt.datetime] = {}
        last_beat: dict[uuid.UUID, dt.datetime] = {}
        acks: dict[uuid.UUID, tuple[int, dt.datetime]] = {}
        versions: dict[uuid.UUID, dict[str, str]] = {}
        answers: list[commands.Answer] = []
        columns: dict[str, list[Any]] = {
            k: []
            for k in ("id", "terminal_id", "kind", "code", "message", "payload", "occurred_at")
        }
        for i, item in enumerate(items):
            terminal = terminals[tids[i]]  # type: ignore[index]
            occurred = _aware(item.occurred_at)
            last_seen[terminal.id] = max(occurred, last_seen.get(terminal.id, occurred))
            event_id = uuid7()
            if item.command_id is not None:
                answers.append(
                    commands.Answer(
                        index=i,
                        command_id=item.command_id,
                        terminal_id=terminal.id,
                        kind=item.kind,
                        failure_reason=(item.failure_reason or "").strip() or None,
                        event_id=event_id,
                        occurred_at=occurred,
                    )
                )
            if item.kind is TerminalEventKind.HEARTBEAT:
                outcome.heartbeats += 1
                last_beat[terminal.id] = max(occurred, last_beat.get(terminal.id, occurred))
                continue
            code = item.code.strip() if item.code else None
            if item.command_id is not None and item.failure_reason:
                pass  # a failed command: nothing was downloaded or updated
            elif item.kind is TerminalEventKind.PARAMETERS_DOWNLOADED and code:
                version = int(code)
                best = acks.get(terminal.id)
                if best is None or version > best[0]:
                    acks[terminal.id] = (version, occurred)
            elif item.kind is TerminalEventKind.APP_UPDATED and code:
                versions.setdefault(terminal.id, {})["app_version"] = code
            elif item.kind is TerminalEventKind.FIRMWARE_UPDATED and code:
                versions.setdefault(terminal.id, {})["firmware_version"] = code
            columns["id"].append(event_id)
            columns["terminal_id"].append(terminal.id)
            columns["kind"].append(item.kind.value)
            columns["code"].append(code)
            columns["message"].append(item.message.strip() if item.message else None)
            columns["payload"].append(json.dumps(item.payload) if item.payload else None)
            columns["occurred_at"].append(occurred)

        if acks:
            # Only a version the terminal has can be acknowledged, and only once it exists:
            # a device cannot have downloaded options before staff made them.
            made = {
                (terminal_id, version): created_at
                for terminal_id, version, created_at in (
                    await session.execute(
                        sa.select(
                            m.TerminalOptions.terminal_id,
                            m.TerminalOptions.version_number,
                            m.TerminalOptions.created_at,
                        ).where(m.TerminalOptions.terminal_id.in_(list(acks)))
                    )
                ).all()
            }
            for i, item in enumerate(items):
                terminal = terminals[tids[i]]  # type: ignore[index]
                if (
                    item.kind is not TerminalEventKind.PARAMETERS_DOWNLOADED
                    or not (item.code and item.code.strip())
                    or (item.command_id is not None and item.failure_reason)
                ):
                    continue
                version = int(item.code.strip())
                created_at = made.get((terminal.id, version))
                if created_at is None:
                    v.add(
                        ["input", "events", str(i), "code"],
                        C.NOT_FOUND,
                        "options_version_unknown",
                        version=version,
                    )
                elif _aware(item.occurred_at) < created_at.replace(microsecond=0):
                    # (to the second: devices date their events to the second)
                    v.add(
                        ["input", "events", str(i), "occurredAt"],
                        C.OUT_OF_RANGE,
                        "options_acknowledged_before_made",
                        version=version,
                        created=created_at.isoformat(timespec="seconds"),
                    )
            v.raise_if_any()

        # Commands answered: each checked (its terminal, the event that answers its kind,
        # still waiting) before anything is written; then DONE or FAILED.
        answered = await commands.check_answers(session, v, answers)
        v.raise_if_any()

        changed_status: set[uuid.UUID] = set()
        heartbeat_s = await session.scalar(
            sa.select(m.Tenant.heartbeat_interval_s).where(m.Tenant.id == actor.tenant_id)
        )
        interval = dt.timedelta(seconds=2 * (heartbeat_s or 60))
        by_id = {t.id: t for t in terminals.values()}
        touch: dict[str, list[Any]] = {
            k: [] for k in ("id", "seen", "beat", "app_version", "firmware_version")
        }
        for terminal_id, seen in last_seen.items():
            beat = last_beat.get(terminal_id)
            if beat is not None:
                previous = by_id[terminal_id].last_heartbeat_at
                was_online = previous is not None and now - previous <= interval
                if not was_online and now - beat <= interval:
                    changed_status.add(terminal_id)
            reported = versions.get(terminal_id, {})
            touch["id"].append(terminal_id)
            touch["seen"].append(seen)
            touch["beat"].append(beat)
            touch["app_version"].append(reported.get("app_version"))
            touch["firmware_version"].append(reported.get("firmware_version"))
        await session.execute(TOUCH_TERMINALS, touch)
        if acks:
            ack = {
                "id": list(acks),
                "version": [version for version, _ in acks.values()],
                "at": [at for _, at in acks.values()],
            }
            acknowledged = await session.execute(ACKNOWLEDGE_OPTIONS, ack)
            outcome.acknowledged = acknowledged.rowcount or 0
            changed_status.update((await session.execute(APPLY_OPTIONS, ack)).scalars())
        if columns["id"]:
            await session.execute(INSERT_EVENTS, {"tenant": actor.tenant_id, **columns})
            if answers:
                changed_status |= commands.apply_answers(answered, answers, actor.locale)
                outcome.commands = len(answers)
                await session.flush()
            await announce(session, Topic.TERMINAL_EVENTS, actor.tenant_id)
            outcome.events = list(
                (
                    await session.execute(
                        sa.select(m.TerminalEvent)
                        .where(m.TerminalEvent.id.in_(columns["id"]))
                        .order_by(m.TerminalEvent.occurred_at, m.TerminalEvent.id)
                    )
                ).scalars()
            )
        if changed_status:
            await announce(
                session, Topic.TERMINAL_STATUS, actor.tenant_id, ids=sorted(changed_status)
            )
    return outcome


async def terminals_gone_offline(
    session: AsyncSession, since: dt.datetime, until: dt.datetime
) -> list[uuid.UUID]:
    """Terminals whose last heartbeat became older than twice the interval in (since, until]."""
    interval = (
        sa.select(m.Tenant.heartbeat_interval_s)
        .where(m.Tenant.id == m.Terminal.tenant_id)
        .scalar_subquery()
    )
    deadline = m.Terminal.last_heartbeat_at + sa.func.make_interval(0, 0, 0, 0, 0, 0, 2 * interval)
    rows = await session.execute(
        sa.select(m.Terminal.id).where(deadline > since, deadline <= until)
    )
    return list(rows.scalars())
