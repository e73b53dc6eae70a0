"""Making notifications: `notify` (one statement for every recipient, their preferences
applied in SQL), and what each use case tells (`request_created`, `contract_signed`,
`block_changed`...), in the use case's own transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import NotificationKind as K

#: How long notifications (and sent mails, and told episodes) are kept.
from resolvers.notifications.catalogue import RULES, audience
from resolvers.usecase import Actor
from subscriptions.topics import Topic

_NOTIFY = text(
    """
    WITH targets AS (
        SELECT u.id,
               coalesce(p.in_app, true) AS in_app,
               coalesce(p.email, CAST(:email_default AS boolean)) AS email
          FROM users u
          LEFT JOIN notification_preferences p
            ON p.tenant_id = u.tenant_id AND p.user_id = u.id AND p.kind = :kind
         WHERE u.status = 'ACTIVE'
           AND u.role = ANY (CAST(:audience AS text[]))
           AND (u.id = ANY (CAST(:users AS uuid[])) OR u.role = ANY (CAST(:roles AS text[])))
           AND u.id IS DISTINCT FROM CAST(:actor AS uuid)
    ), made AS (
        INSERT INTO notifications (tenant_id, id, recipient_id, kind, subject_type, subject_id,
                                   params)
        SELECT CAST(:tenant AS uuid), gen_random_uuid(), t.id, :kind, :subject_type,
               CAST(:subject_id AS uuid), CAST(:params AS jsonb)
          FROM targets t WHERE t.in_app
        RETURNING 1
    ), mailed AS (
        INSERT INTO notification_outbox (tenant_id, id, recipient_id, kind, subject_type,
                                         subject_id, params)
        SELECT CAST(:tenant AS uuid), gen_random_uuid(), t.id, :kind, :subject_type,
               CAST(:subject_id AS uuid), CAST(:params AS jsonb)
          FROM targets t WHERE t.email
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM made),
           (SELECT count(*) FROM mailed),
           (SELECT pg_notify(:channel, :payload) WHERE EXISTS (SELECT 1 FROM made))
    """
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return getattr(value, "value", value)


async def notify(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    kind: K,
    subject_id: uuid.UUID,
    users: Iterable[uuid.UUID | None] = (),
    by_role: bool = False,
    actor_id: uuid.UUID | None = None,
    params: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Tell the people concerned, in the session's transaction; returns (made, mailed).

    `users`: the people named (a request's author and assignee); `by_role`: also everyone
    of the kind's roles (RULES). Only active staff whose role may read the kind's object
    are told, never the actor, and each as their preferences say.
    """
    rule = RULES[kind]
    named = sorted({str(u) for u in users if u is not None})
    roles = [r.value for r in rule.roles] if by_role else []
    if not named and not roles:
        return 0, 0
    row = (
        await session.execute(
            _NOTIFY,
            {
                "tenant": str(tenant_id),
                "kind": kind.value,
                "subject_type": rule.subject,
                "subject_id": str(subject_id),
                "params": json.dumps({k: _plain(v) for k, v in (params or {}).items()}),
                "email_default": rule.email,
                "audience": [r.value for r in audience(kind)],
                "users": named,
                "roles": roles,
                "actor": str(actor_id) if actor_id else None,
                "channel": Topic.NOTIFICATIONS.value,
                "payload": json.dumps({"t": str(tenant_id)}, separators=(",", ":")),
            },
        )
    ).one()
    return int(row[0]), int(row[1])


def actor_params(actor: Actor | None) -> dict[str, Any]:
    """`by`: who did it, as their colleagues know them."""
    if actor is None:
        return {"by": "Spring"}
    return {"by": actor.principal.full_name or actor.principal.email}


def actor_user(actor: Actor | None) -> uuid.UUID | None:
    if actor is None or actor.principal.is_platform:
        return None
    return actor.principal.user_id


# --------------------------------------------------------------------------- told by use cases


async def _company_name(session: AsyncSession, tenant_id: uuid.UUID, company_id: uuid.UUID) -> str:
    company = await session.get(m.Company, (tenant_id, company_id))
    return company.legal_name if company is not None else "—"


async def request_created(session: AsyncSession, actor: Actor, request: m.Request) -> None:
    """A request opened with an assignee tells them; a fee change or a termination asked
    for tells the supervisors (the request links to the contract; no fee is quoted)."""
    base = {**actor_params(actor), "reference": request.reference, "subject": request.subject}
    by = actor_user(actor)
    if request.assignee_id is not None:
        await notify(
            session,
            tenant_id=request.tenant_id,
            kind=K.REQUEST_ASSIGNED,
            subject_id=request.id,
            users=[request.assignee_id],
            actor_id=by,
            params=base,
        )
    kind = {
        "FEE_CHANGE": K.FEE_CHANGE_REQUESTED,
        "TERMINATION": K.TERMINATION_REQUESTED,
    }.get(request.type.value)
    if kind is not None and request.contract_id is not None:
        contract = await session.get(m.Contract, (request.tenant_id, request.contract_id))
        await notify(
            session,
            tenant_id=request.tenant_id,
            kind=kind,
            subject_id=request.id,
            by_role=True,
            actor_id=by,
            params={
                **base,
                "contract": contract.number if contract is not None else "—",
                "company": await _company_name(session, request.tenant_id, request.company_id),
            },
        )


async def evaluation_requested(
    session: AsyncSession, actor: Actor, request: m.Request, company: m.Company
) -> None:
    """A seller asked for a prospect's evaluation: the supervisors, who decide it, are told
    (linking to the request)."""
    await notify(
        session,
        tenant_id=request.tenant_id,
        kind=K.EVALUATION_REQUESTED,
        subject_id=request.id,
        by_role=True,
        actor_id=actor_user(actor),
        params={
            **actor_params(actor),
            "reference": request.reference,
            "company": company.legal_name,
        },
    )


async def request_assigned(session: AsyncSession, actor: Actor, request: m.Request) -> None:
    """The colleague a request was just given to (assignRequest)."""
    await notify(
        session,
        tenant_id=request.tenant_id,
        kind=K.REQUEST_ASSIGNED,
        subject_id=request.id,
        users=[request.assignee_id],
        actor_id=actor_user(actor),
        params={**actor_params(actor), "reference": request.reference, "subject": request.subject},
    )


async def request_closed(
    session: AsyncSession,
    actor: Actor,
    request: m.Request,
    reason: str | None,
    users: Iterable[uuid.UUID | None],
    *,
    ended: dict[str, Any] | None = None,
) -> None:
    """A request closed, withdrawn or ended with its contract or company: `users` (its author
    when someone else closed it, its holder when its author withdrew it) are told why.
    `ended`: why it ended, as parameters of a VARIANTS entry (`variant`, `contract` or
    `company`), so that each reader is told in their own language; `reason` is then the
    words of the person who terminated the contract."""
    await notify(
        session,
        tenant_id=request.tenant_id,
        kind=K.REQUEST_CLOSED,
        subject_id=request.id,
        users=users,
        actor_id=actor_user(actor),
        params={
            **actor_params(actor),
            "reference": request.reference,
            "reason": reason or "—",
            **(ended or {}),
        },
    )


async def request_commented(
    session: AsyncSession, actor: Actor, request: m.Request, body: str
) -> None:
    """The request's author and assignee (not the one who wrote the comment)."""
    excerpt = body if len(body) <= 140 else body[:139] + "…"
    await notify(
        session,
        tenant_id=request.tenant_id,
        kind=K.REQUEST_COMMENTED,
        subject_id=request.id,
        users=[request.author_id, request.assignee_id],
        actor_id=actor_user(actor),
        params={**actor_params(actor), "reference": request.reference, "excerpt": excerpt},
    )


async def request_decided(session: AsyncSession, actor: Actor, request: m.Request) -> None:
    """The author and assignee of a decided request; the seller whose evaluation it was is
    told that the company is approved (or why not), linking to the company."""
    by = actor_user(actor)
    params = {
        **actor_params(actor),
        "reference": request.reference,
        "status": request.status.value,
        "reason": request.decision_comment,
    }
    others: list[uuid.UUID | None] = [request.assignee_id, request.author_id]
    if request.type.value == "EVALUATION":
        approved = request.status.value == "APPROVED"
        await notify(
            session,
            tenant_id=request.tenant_id,
            kind=K.EVALUATION_APPROVED if approved else K.EVALUATION_REJECTED,
            subject_id=request.company_id,
            users=[request.author_id],
            actor_id=by,
            params={
                **params,
                "company": await _company_name(session, request.tenant_id, request.company_id),
            },
        )
        others = [request.assignee_id] if request.assignee_id != request.author_id else []
    await notify(
        session,
        tenant_id=request.tenant_id,
        kind=K.REQUEST_DECIDED,
        subject_id=request.id,
        users=others,
        actor_id=by,
        params=params,
    )


async def contract_signed(session: AsyncSession, actor: Actor, contract: m.Contract) -> None:
    """The tenant's supervisors (not the one who signed)."""
    await notify(
        session,
        tenant_id=contract.tenant_id,
        kind=K.CONTRACT_SIGNED,
        subject_id=contract.id,
        by_role=True,
        actor_id=actor_user(actor),
        params={
            **actor_params(actor),
            "contract": contract.number,
            "company": await _company_name(session, contract.tenant_id, contract.company_id),
        },
    )


_BLOCK_KINDS = {
    ("Service", "blocked"): K.SERVICE_BLOCKED,
    ("Service", "unblocked"): K.SERVICE_UNBLOCKED,
    ("Service", "expired"): K.SERVICE_BLOCK_EXPIRED,
    ("Terminal", "blocked"): K.TERMINAL_BLOCKED,
    ("Terminal", "unblocked"): K.TERMINAL_UNBLOCKED,
    ("Terminal", "expired"): K.TERMINAL_BLOCK_EXPIRED,
}


async def block_changed(
    session: AsyncSession, actor: Actor | None, entity: str, row: Any, change: str
) -> None:
    """The tenant's hotline and technicians: a service or terminal blocked, unblocked, or
    unblocked by its `until` (`actor` None: the system)."""
    params: dict[str, Any] = {**actor_params(actor), "reason": row.blocked_reason}
    if entity == "Service":
        shop = await session.get(m.Shop, (row.tenant_id, row.shop_id))
        params.update(shop=shop.name if shop is not None else "—", service=row.kind.value)
    else:
        params["tid"] = row.tid
    await notify(
        session,
        tenant_id=row.tenant_id,
        kind=_BLOCK_KINDS[(entity, change)],
        subject_id=row.id,
        by_role=True,
        actor_id=actor_user(actor),
        params=params,
    )
