"""Requests that move between colleagues: assigned, taken, closed, cancelled, ended.

Each use case checks everything first (the request, its state in the lifecycle table, who may
hold or move it, the optimistic version), then writes the change and its journal entry in the
request's transaction; a refusal writes nothing. The tenant's due time per request type lives
here too: a request's `due_at` is fixed when it opens.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CompanyStatus, RequestStatus, RequestType, UserStatus
from resolvers import journal, notifications
from resolvers.errors import UserErrorCode as C
from resolvers.lifecycles import COMPANY, REQUEST, check_transition
from resolvers.messages import message
from resolvers.pagination import SessionScope
from resolvers.usecase import Actor, check_version, load_for_update, refuse
from resolvers.validation import Validator
from tenancy import policy

#: Requests still waiting for a decision: the ones that move, fall due and end.
UNDECIDED = (RequestStatus.OPEN, RequestStatus.IN_REVIEW)
#: The longest due time a tenant may set (one year), as the table's CHECK says.
MAX_DUE_HOURS = 8760

_PATH = ["input", "requestId"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- due times


@dataclass(frozen=True)
class DueTime:
    """The hours within which a request of one type should be handled, in one tenant."""

    type: RequestType
    hours: int
    #: True when the tenant has not set it (the product's default applies).
    is_default: bool


async def due_at_for(
    session: AsyncSession, request_type: RequestType, opened_at: dt.datetime
) -> dt.datetime:
    """When a request of this type opened at `opened_at` falls due (the tenant's hours)."""
    hours = await session.scalar(
        select(m.RequestDueTime.hours).where(m.RequestDueTime.type == request_type)
    )
    return opened_at + dt.timedelta(hours=hours or m.REQUEST_DUE_HOURS[request_type])


async def list_due_times(scope: SessionScope) -> list[DueTime]:
    """Every request type with its due time in the caller's tenant."""
    async with scope() as session:
        rows = (await session.execute(select(m.RequestDueTime.type, m.RequestDueTime.hours))).all()
    chosen = {t: h for t, h in rows}
    return [
        DueTime(type=t, hours=chosen.get(t, default), is_default=t not in chosen)
        for t, default in m.REQUEST_DUE_HOURS.items()
    ]


async def set_due_time(actor: Actor, request_type: RequestType, hours: int) -> list[DueTime]:
    """Set the tenant's due time of one request type (requests opened from now on)."""
    if not 1 <= hours <= MAX_DUE_HOURS:
        raise refuse(
            actor.locale, ["input", "hours"], C.OUT_OF_RANGE, "due_hours", max=MAX_DUE_HOURS
        )
    async with actor.scope() as session:
        before = await session.scalar(
            select(m.RequestDueTime.hours)
            .where(m.RequestDueTime.type == request_type)
            .with_for_update()
        )
        previous = before or m.REQUEST_DUE_HOURS[request_type]
        if previous != hours or before is None:
            await session.execute(
                insert(m.RequestDueTime)
                .values(tenant_id=actor.tenant_id, type=request_type, hours=hours)
                .on_conflict_do_update(
                    index_elements=["tenant_id", "type"],
                    set_={"hours": hours, "updated_at": _now()},
                )
            )
            journal.record(
                session,
                actor,
                tenant_id=actor.tenant_id,
                action="tenant.request_due_time_set",
                entity_type="Tenant",
                entity_id=actor.tenant_id,
                before={"type": request_type.value, "hours": previous},
                after={"type": request_type.value, "hours": hours},
            )
            await session.flush()
    return await list_due_times(actor.scope)


# --------------------------------------------------------------------------- moves


async def _load(actor: Actor, session: AsyncSession, request_id: uuid.UUID) -> m.Request:
    request: m.Request = await load_for_update(
        session, m.Request, request_id, locale=actor.locale, path=_PATH, kind="Request"
    )
    return request


def _journal_move(
    session: AsyncSession,
    actor: Actor | None,
    request: m.Request,
    action: str,
    before: dict[str, object],
    after: dict[str, object],
    reason: str | None = None,
) -> None:
    journal.record(
        session,
        actor,
        tenant_id=request.tenant_id,
        action=action,
        entity_type="Request",
        entity_id=request.id,
        before=before,
        after=after,
        reason=reason,
    )


def _holder_id(user_id: uuid.UUID | None) -> str | None:
    return str(user_id) if user_id is not None else None


async def assign_request(
    actor: Actor,
    request_id: uuid.UUID,
    assignee_id: uuid.UUID,
    expected_version: int | None,
) -> m.Request:
    """Give an undecided request to an active colleague whose role may hold its type."""
    async with actor.scope() as session:
        request = await _load(actor, session, request_id)
        check_version(request, expected_version, actor.locale)
        check_transition(REQUEST, request.status, "assign", actor)
        path = ["input", "assigneeId"]
        # Another tenant's account is invisible here (row-level security): not found.
        assignee = await session.get(m.User, (actor.tenant_id, assignee_id))
        if assignee is None:
            raise refuse(actor.locale, path, C.NOT_FOUND, "not_found", kind="User")
        if assignee.status is not UserStatus.ACTIVE:
            raise refuse(
                actor.locale,
                path,
                C.ACCOUNT_DISABLED,
                "assignee_deactivated",
                name=assignee.full_name,
            )
        if not policy.may_hold_request(assignee.role, request.type.value):
            raise refuse(
                actor.locale,
                path,
                C.INVALID,
                "assignee_role",
                type=request.type.value,
                role=assignee.role.value,
            )
        if request.assignee_id == assignee.id:
            raise refuse(actor.locale, path, C.INVALID, "already_assignee", name=assignee.full_name)
        before = {"assigneeId": _holder_id(request.assignee_id)}
        request.assignee_id = assignee.id
        await session.flush()
        _journal_move(
            session, actor, request, "request.assigned", before, {"assigneeId": str(assignee.id)}
        )
        await notifications.request_assigned(session, actor, request)
        await session.flush()
    return request


async def take_request(
    actor: Actor, request_id: uuid.UUID, expected_version: int | None
) -> m.Request:
    """The caller takes an undecided request for themselves: it is in review, theirs."""
    me = actor.principal.user_id
    async with actor.scope() as session:
        request = await _load(actor, session, request_id)
        check_version(request, expected_version, actor.locale)
        transition = check_transition(REQUEST, request.status, "take", actor)
        role = policy.effective_role(actor.principal)
        if not policy.may_hold_request(role, request.type.value):
            raise refuse(
                actor.locale,
                _PATH,
                C.INVALID,
                "assignee_role",
                type=request.type.value,
                role=role.value,
            )
        if request.assignee_id == me:
            raise refuse(actor.locale, _PATH, C.INVALID, "already_assignee", name=actor.label)
        before = {"status": request.status.value, "assigneeId": _holder_id(request.assignee_id)}
        request.assignee_id = me
        request.status = transition.target  # type: ignore[assignment]
        await session.flush()
        after = {"status": request.status.value, "assigneeId": _holder_id(me)}
        _journal_move(session, actor, request, "request.taken", before, after)
        await session.flush()
    return request


async def close_request(
    actor: Actor, request_id: uuid.UUID, comment: str | None, expected_version: int | None
) -> m.Request:
    """Its assignee marks a SUPPORT request done (a comment says what was done)."""
    v = Validator(actor.locale)
    comment = v.text(["input", "comment"], comment, required=False, max_length=2000, multiline=True)
    v.raise_if_any()
    async with actor.scope() as session:
        request = await _load(actor, session, request_id)
        if request.type is not RequestType.SUPPORT:
            raise refuse(
                actor.locale, _PATH, C.INVALID, "close_support_only", type=request.type.value
            )
        check_version(request, expected_version, actor.locale)
        transition = check_transition(REQUEST, request.status, "close", actor)
        if request.assignee_id is None or request.assignee_id != actor.principal.user_id:
            raise refuse(actor.locale, _PATH, C.NOT_YOURS, "not_assignee")
        before = {"status": request.status.value}
        request.status = transition.target  # type: ignore[assignment]
        request.decided_by = actor.principal.user_id
        request.decided_at = _now()
        request.decision_comment = comment
        await session.flush()
        _journal_move(
            session,
            actor,
            request,
            "request.closed",
            before,
            {"status": request.status.value},
            comment,
        )
        await notifications.request_closed(session, actor, request, comment, [request.author_id])
        await session.flush()
    return request


async def cancel_request(
    actor: Actor, request_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Request:
    """Its author withdraws an undecided request. A withdrawn evaluation returns its company
    to PROSPECT (it may be asked for again)."""
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=False)
    v.raise_if_any()
    async with actor.scope() as session:
        request = await _load(actor, session, request_id)
        check_version(request, expected_version, actor.locale)
        transition = check_transition(REQUEST, request.status, "cancel", actor)
        if request.author_id != actor.principal.user_id:
            raise refuse(actor.locale, _PATH, C.NOT_YOURS, "not_author")
        if request.type is RequestType.EVALUATION:
            company = await load_for_update(
                session,
                m.Company,
                request.company_id,
                locale=actor.locale,
                path=_PATH,
                kind="Company",
            )
            step = check_transition(COMPANY, company.status, "withdrawEvaluation", actor)
            company_before = company.status
            company.status = step.target  # type: ignore[assignment]
            journal.record(
                session,
                actor,
                tenant_id=company.tenant_id,
                action="company.evaluation_withdrawn",
                entity_type="Company",
                entity_id=company.id,
                before={"status": company_before.value},
                after={"status": company.status.value, "request": request.reference},
                reason=reason,
            )
        before = {"status": request.status.value}
        request.status = transition.target  # type: ignore[assignment]
        request.decided_by = actor.principal.user_id
        request.decided_at = _now()
        request.decision_comment = reason
        await session.flush()
        _journal_move(
            session,
            actor,
            request,
            "request.cancelled",
            before,
            {"status": request.status.value},
            reason,
        )
        await notifications.request_closed(session, actor, request, reason, [request.assignee_id])
        await session.flush()
    return request


async def end_requests_about(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    reason: str | None,
    keep: m.Request | None = None,
) -> list[m.Request]:
    """A terminated contract ends the undecided requests about it; if its company closed
    with it, every undecided request about the company too. CANCELLED, with the reason, each
    journaled, in the terminating transaction. `keep`: the request whose approval terminates
    the contract (it is decided, not ended)."""
    company = await session.get(m.Company, (contract.tenant_id, contract.company_id))
    closed = company is not None and company.status is CompanyStatus.CLOSED
    about = [m.Request.contract_id == contract.id]
    if closed:
        about.append(m.Request.company_id == contract.company_id)
    stmt = (
        select(m.Request)
        .where(or_(*about), m.Request.status.in_(UNDECIDED))
        .order_by(m.Request.created_at, m.Request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if keep is not None:
        stmt = stmt.where(m.Request.id != keep.id)
    requests = list((await session.execute(stmt)).scalars())
    if not requests:
        return []
    # The request keeps why it ended in the terminating person's language (its decision
    # comment, as any decision's); the people told read it in theirs (notifications.VARIANTS).
    if closed and company is not None:
        text = message(
            "request_ended_company", actor.locale, name=company.legal_name, reason=reason or "—"
        )
        ended = {"variant": "company_closed", "company": company.legal_name}
    else:
        text = message(
            "request_ended_contract", actor.locale, number=contract.number, reason=reason or "—"
        )
        ended = {"variant": "contract_ended", "contract": contract.number}
    now = _now()
    befores = []
    for request in requests:
        transition = check_transition(REQUEST, request.status, "end", actor)
        befores.append(request.status)
        request.status = transition.target  # type: ignore[assignment]
        request.decided_by = None if actor.principal.is_platform else actor.principal.user_id
        request.decided_at = now
        request.decision_comment = text
    await session.flush()
    for request, before in zip(requests, befores, strict=True):
        _journal_move(
            session,
            actor,
            request,
            "request.ended",
            {"status": before.value},
            {"status": request.status.value},
            text,
        )
        await notifications.request_closed(
            session,
            actor,
            request,
            reason,
            [request.author_id, request.assignee_id],
            ended=ended,
        )
    await session.flush()
    return requests
