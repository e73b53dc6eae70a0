"""Commands to terminals: staff queue them, the terminal gateway collects and acknowledges them.

- `send_terminal_command` / `send_terminal_commands` (staff): a QUEUED command for a terminal
  that is at a merchant's (ASSIGNED, ACTIVE or BLOCKED), journaled with who asked.
- `collect_pending` (the gateway, `pendingTerminalCommands`): the QUEUED commands, marked SENT
  in the same transaction: a reading that writes, so each command is handed out once.
- `acknowledge` (inside `recordTerminalEvents`): the terminal's PARAMETERS_DOWNLOADED, REBOOT
  or APP_UPDATED event carrying the command's id makes it DONE, or FAILED with a reason.
- `expire_commands` (the periodic sweep): a command unanswered past `expires_at` is EXPIRED.

Every change of a command's state is announced on the terminal-status topic, so
`terminalStatusChanged` subscribers see it (the command is read through `Terminal.commands`).
The lifecycle is `resolvers.lifecycles.TERMINAL_COMMAND`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    TerminalCommandKind,
    TerminalCommandStatus,
    TerminalEventKind,
    TerminalKind,
    TerminalStatus,
)
from db.session import Database
from resolvers import journal
from resolvers.errors import UserErrorCode as C
from resolvers.errors import UserErrorData
from resolvers.lifecycles import TERMINAL_COMMAND, check_transition, state_label
from resolvers.listing import orderings
from resolvers.pagination import ChildList
from resolvers.usecase import Actor, Problems, Refused, refuse
from subscriptions.publisher import announce
from subscriptions.topics import Topic
from tenancy.principal import platform_claims, tenant_claims

log = logging.getLogger("spring.commands")

#: At most this many terminals in one `sendTerminalCommands`.
MAX_TERMINALS = 100
#: At most this many commands handed out by one `pendingTerminalCommands`.
MAX_PENDING = 100

#: Terminals that are at a merchant's: the ones a command can reach.
COMMANDABLE_STATES = (TerminalStatus.ASSIGNED, TerminalStatus.ACTIVE, TerminalStatus.BLOCKED)
#: Commands still waiting for their answer.
OPEN_STATES = (TerminalCommandStatus.QUEUED, TerminalCommandStatus.SENT)

#: The terminal event that answers each command.
ANSWERED_BY: dict[TerminalCommandKind, TerminalEventKind] = {
    TerminalCommandKind.DOWNLOAD_PARAMETERS: TerminalEventKind.PARAMETERS_DOWNLOADED,
    TerminalCommandKind.REBOOT: TerminalEventKind.REBOOT,
    TerminalCommandKind.UPDATE_APP: TerminalEventKind.APP_UPDATED,
}
ANSWER_KINDS = frozenset(ANSWERED_BY.values())


COMMAND_ORDERINGS = orderings(
    {"CREATED_AT": (m.TerminalCommand.created_at, m.TerminalCommand.id)}, "terminalCommands"
)
#: A terminal's commands, newest first (`Terminal.commands`).
TERMINAL_COMMANDS = ChildList(
    m.TerminalCommand, m.TerminalCommand.terminal_id, COMMAND_ORDERINGS[("CREATED_AT", True)]
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _label(state: TerminalCommandStatus, locale: str) -> str:
    return state_label(TERMINAL_COMMAND, state, locale)


# --------------------------------------------------------------------------- staff


async def _queue(
    session: AsyncSession,
    actor: Actor,
    terminal_id: uuid.UUID,
    kind: TerminalCommandKind,
    path: list[str],
    expiry: dt.timedelta,
) -> m.TerminalCommand:
    """Check and queue one command in the caller's transaction (Refused: nothing written)."""
    terminal = (
        await session.execute(
            select(m.Terminal)
            .where(m.Terminal.id == terminal_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if terminal is None:  # absent, or another tenant's (row-level security hides it)
        raise refuse(actor.locale, path, C.NOT_FOUND, "not_found", kind="Terminal")
    if terminal.status not in COMMANDABLE_STATES:
        raise refuse(
            actor.locale,
            path,
            C.INVALID_TRANSITION,
            "command_terminal_state",
            expected=" / ".join(s.value for s in COMMANDABLE_STATES),
            state=terminal.status.value,
        )
    if kind is TerminalCommandKind.DOWNLOAD_PARAMETERS and terminal.kind is TerminalKind.SOFTPOS:
        raise refuse(actor.locale, path, C.INVALID, "command_softpos_parameters")
    now = _now()
    waiting = (
        await session.execute(
            select(m.TerminalCommand)
            .where(
                m.TerminalCommand.terminal_id == terminal.id,
                m.TerminalCommand.kind == kind,
                m.TerminalCommand.status.in_(OPEN_STATES),
                m.TerminalCommand.expires_at > now,
            )
            .limit(1)
        )
    ).scalar_one_or_none()
    if waiting is not None:
        raise refuse(
            actor.locale,
            path,
            C.DUPLICATE,
            "command_already_waiting",
            kind=kind.value,
            at=waiting.created_at.isoformat(timespec="seconds"),
            status=_label(waiting.status, actor.locale),
        )
    principal = actor.principal
    command = m.TerminalCommand(
        tenant_id=terminal.tenant_id,
        id=uuid.uuid4(),
        terminal_id=terminal.id,
        kind=kind,
        status=TERMINAL_COMMAND.initial,
        requested_by=None if principal.is_platform else principal.user_id,
        requested_by_label=actor.label,
        created_at=now,
        expires_at=now + expiry,
    )
    session.add(command)
    await session.flush()
    journal.record(
        session,
        actor,
        tenant_id=terminal.tenant_id,
        action="terminal.command_sent",
        entity_type="Terminal",
        entity_id=terminal.id,
        after={
            "command": kind.value,
            "commandId": str(command.id),
            "expiresAt": command.expires_at.isoformat(),
        },
    )
    await session.flush()
    return command


async def _expiry(session: AsyncSession, tenant_id: uuid.UUID) -> dt.timedelta:
    minutes = await session.scalar(
        select(m.Tenant.command_expiry_minutes).where(m.Tenant.id == tenant_id)
    )
    return dt.timedelta(minutes=minutes or 60)


async def send_terminal_command(
    actor: Actor, terminal_id: uuid.UUID, kind: TerminalCommandKind
) -> m.TerminalCommand:
    """Queue one command for one terminal (journaled, announced to live screens)."""
    async with actor.scope() as session:
        expiry = await _expiry(session, actor.tenant_id)
        command = await _queue(
            session,
            actor,
            terminal_id,
            TerminalCommandKind(kind.value),
            ["input", "terminalId"],
            expiry,
        )
        await announce(session, Topic.TERMINAL_STATUS, actor.tenant_id, ids=[terminal_id])
    return command


@dataclass(frozen=True)
class Outcome:
    """What became of the command for one terminal of a `sendTerminalCommands`."""

    terminal_id: uuid.UUID | None
    command: m.TerminalCommand | None
    errors: list[UserErrorData]


async def send_terminal_commands(
    actor: Actor,
    terminal_ids: Sequence[uuid.UUID | list[UserErrorData]],
    kind: TerminalCommandKind,
) -> list[Outcome]:
    """The same command to many terminals (a fleet's options push), each on its own: a
    terminal refused writes nothing and does not stop the others. When every terminal is
    refused, so is the whole input (Refused with every terminal's errors). `terminal_ids`:
    each terminal's id, or the user errors its reference already earned (a malformed id)."""
    problems = Problems(actor.locale)
    if not terminal_ids:
        problems.add(["input", "terminalIds"], C.REQUIRED, "required")
    elif len(terminal_ids) > MAX_TERMINALS:
        problems.add(
            ["input", "terminalIds"], C.TOO_MANY, "command_too_many_terminals", max=MAX_TERMINALS
        )
    problems.raise_if_any()
    kind = TerminalCommandKind(kind.value)
    outcomes: list[Outcome] = []
    queued: list[uuid.UUID] = []
    async with actor.scope() as session:
        expiry = await _expiry(session, actor.tenant_id)
    for i, item in enumerate(terminal_ids):
        if isinstance(item, list):
            outcomes.append(Outcome(None, None, item))
            continue
        async with actor.scope() as session:
            savepoint = await session.begin_nested()
            try:
                command = await _queue(
                    session, actor, item, kind, ["input", "terminalIds", str(i)], expiry
                )
            except Refused as refused:
                await savepoint.rollback()
                outcomes.append(Outcome(item, None, refused.errors))
                continue
            await savepoint.commit()
        queued.append(item)
        outcomes.append(Outcome(item, command, []))
    if not queued:
        # Every terminal refused: the input as a whole is (each error names its terminal's
        # place in `terminalIds`), and nothing was written.
        raise Refused([error for outcome in outcomes for error in outcome.errors])
    if queued:
        async with actor.scope() as session:
            await announce(session, Topic.TERMINAL_STATUS, actor.tenant_id, ids=sorted(queued))
    return outcomes


# --------------------------------------------------------------------------- the gateway


async def collect_pending(
    actor: Actor, first: int | None, tids: Sequence[str] | None
) -> list[m.TerminalCommand]:
    """The queued commands (oldest first, `first` at most, of the terminals `tids` when
    given), marked SENT in this transaction: each is handed out once, to one gateway, even
    with several gateways asking at once (SKIP LOCKED). Unexpired only."""
    problems = Problems(actor.locale)
    limit = MAX_PENDING if first is None else first
    if limit < 1 or limit > MAX_PENDING:
        problems.add(["first"], C.OUT_OF_RANGE, "first_range", max=MAX_PENDING)
    problems.raise_if_any()
    now = _now()
    async with actor.scope() as session:
        query = (
            select(m.TerminalCommand)
            .where(
                m.TerminalCommand.status == TerminalCommandStatus.QUEUED,
                m.TerminalCommand.expires_at > now,
            )
            .order_by(m.TerminalCommand.created_at, m.TerminalCommand.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=m.TerminalCommand)
            .execution_options(populate_existing=True)
        )
        if tids is not None:
            wanted = [t.strip().upper() for t in tids]
            query = query.where(
                m.TerminalCommand.terminal_id.in_(
                    select(m.Terminal.id).where(m.Terminal.tid.in_(wanted))
                )
            )
        commands = list((await session.execute(query)).scalars())
        if not commands:
            return []
        send = TERMINAL_COMMAND.find("send")
        for command in commands:
            command.status = send.target  # type: ignore[assignment]
            command.sent_at = now
        await session.flush()
        await announce(
            session,
            Topic.TERMINAL_STATUS,
            actor.tenant_id,
            ids=sorted({c.terminal_id for c in commands}),
        )
    return commands


@dataclass(frozen=True)
class Answer:
    """One event of a `recordTerminalEvents` batch that answers a command."""

    index: int
    command_id: uuid.UUID
    terminal_id: uuid.UUID
    kind: TerminalEventKind
    failure_reason: str | None
    event_id: uuid.UUID
    occurred_at: dt.datetime


async def check_answers(
    session: AsyncSession, problems: Problems, answers: Sequence[Answer]
) -> dict[uuid.UUID, m.TerminalCommand]:
    """Lock the commands the answers name and check each answer (errors added to
    `problems`); returns the commands by id. One statement whatever the batch's size."""
    if not answers:
        return {}
    commands = {
        c.id: c
        for c in (
            await session.execute(
                select(m.TerminalCommand)
                .where(m.TerminalCommand.id.in_({a.command_id for a in answers}))
                .order_by(m.TerminalCommand.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalars()
    }
    now = _now()
    seen: set[uuid.UUID] = set()
    for answer in answers:
        p = ["input", "events", str(answer.index), "commandId"]
        command = commands.get(answer.command_id)
        if command is None or command.terminal_id != answer.terminal_id:
            problems.add(p, C.NOT_FOUND, "command_unknown")
            continue
        if answer.command_id in seen:
            problems.add(p, C.DUPLICATE, "command_acknowledged_twice")
            continue
        seen.add(answer.command_id)
        expected = ANSWERED_BY[command.kind]
        if answer.kind is not expected:
            problems.add(
                ["input", "events", str(answer.index), "kind"],
                C.INVALID,
                "command_event_kind",
                kind=command.kind.value,
                expected=expected.value,
                given=answer.kind.value,
            )
            continue
        state = command.status
        if state in OPEN_STATES and command.expires_at <= now:
            state = TerminalCommandStatus.EXPIRED  # the sweep has not recorded it yet
        if state not in OPEN_STATES:
            problems.add(
                p,
                C.INVALID_TRANSITION,
                "command_finished",
                state=_label(state, problems.locale),
            )
    return commands


def apply_answers(
    commands: dict[uuid.UUID, m.TerminalCommand], answers: Sequence[Answer], locale: str
) -> set[uuid.UUID]:
    """DONE, or FAILED with the reason, for each checked answer; returns the terminals."""
    now = _now()
    touched: set[uuid.UUID] = set()
    for answer in answers:
        command = commands[answer.command_id]
        action = "fail" if answer.failure_reason else "complete"
        transition = check_transition(TERMINAL_COMMAND, command.status, action, locale)
        command.status = transition.target  # type: ignore[assignment]
        command.finished_at = now
        command.failure_reason = answer.failure_reason
        command.event_id = answer.event_id
        touched.add(command.terminal_id)
    return touched


# --------------------------------------------------------------------------- expiry


async def _expire_in_tenant(db: Database, tenant_id: uuid.UUID, now: Any) -> int:
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        rows = (
            await session.execute(
                sa.update(m.TerminalCommand)
                .where(
                    m.TerminalCommand.status.in_(OPEN_STATES),
                    m.TerminalCommand.expires_at <= now,
                )
                .values(
                    status=TERMINAL_COMMAND.find("expire").target,
                    finished_at=sa.func.now(),
                    updated_at=sa.func.now(),
                )
                .returning(m.TerminalCommand.terminal_id)
            )
        ).scalars()
        terminals = sorted(set(rows))
        if terminals:
            await announce(session, Topic.TERMINAL_STATUS, tenant_id, ids=terminals)
        return len(terminals)


async def expire_commands(db: Database, now: dt.datetime | None = None) -> int:
    """EXPIRED for every command unanswered past its `expires_at`; returns how many terminals
    had one. One transaction per tenant; an UPDATE re-checks the state, so several
    processes may sweep at once. A failing tenant is logged and the others still swept."""
    cutoff: Any = now if now is not None else sa.func.now()
    async with db.session(platform_claims()) as session:
        tenant_ids = list((await session.scalars(select(m.Tenant.id))).all())
        await session.rollback()
    total = 0
    for tenant_id in tenant_ids:
        try:
            total += await _expire_in_tenant(db, tenant_id, cutoff)
        except Exception:
            log.exception("command expiry failed for tenant %s", tenant_id)
    return total
