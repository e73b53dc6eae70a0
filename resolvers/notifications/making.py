"""Notifications (the bell): made with the change that causes them, read by their recipient.

One function makes them, `notify`, called by the use cases inside their own transaction (a
rolled-back change tells no one). It writes, in one statement, a row per person concerned
(whose preference keeps the kind in the app), an outbox row per person who wants it by
e-mail (sent after commit by spring/mailer.py), and a NOTIFY on the broker's notification
topic (delivered at commit to every instance: `notificationReceived`).

A notification stores its kind and parameters, not text: it is rendered in the reader's
language when read (`render`). It follows the policy like any field:
- it is made only for roles that may read what it is about (`audience`), and listed only
  while the reader's role still may (`kinds_for`): a role change hides what no longer fits;
- its parameters are names, references and reasons that every staff role reads (never a
  fee, an IBAN or a card datum; tests/test_notifications.py checks the fee change);
- its object is resolved through `node` rules (`Notification.subject`).

Who reads what: row-level security keeps tenants apart, as on every table; within the tenant
a user reads only their own notifications because every read here filters on the caller's id
(as `me.requests` does). System tasks (the offline detection, the unblocker, the mailer)
work for every user of a tenant, so the rows are not hidden from the tenant by the database.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import NotificationKind as K
from db.session import Database
from resolvers import localtime
from resolvers.errors import UserErrorCode as C
from resolvers.listing import orderings
from resolvers.messages import DEFAULT_LOCALE
from resolvers.pagination import Page, PageArgs, SessionScope, paginate
from resolvers.usecase import Actor, Problems, refuse
from subscriptions.topics import Topic
from tenancy import policy
from tenancy.principal import Principal, platform_claims, tenant_claims
from tenancy.roles import Role

#: How long notifications (and sent mails, and told episodes) are kept.
RETENTION = dt.timedelta(days=90)

_STAFF = (Role.SELLER, Role.HOTLINE, Role.TECHNICIAN, Role.SUPERVISOR)
_FLEET = (Role.HOTLINE, Role.TECHNICIAN)


@dataclass(frozen=True)
class KindRule:
    """What a kind is about (its object's GraphQL type) and who is told by role, if anyone
    is told by role (else only the people named where it is made)."""

    subject: str
    roles: tuple[Role, ...] = ()
    #: Sent by e-mail unless the user switched it off (personal news: on; fleet news: off).
    email: bool = False


RULES: dict[K, KindRule] = {
    K.REQUEST_ASSIGNED: KindRule("Request", email=True),
    K.REQUEST_COMMENTED: KindRule("Request", email=True),
    K.REQUEST_DECIDED: KindRule("Request", email=True),
    K.REQUEST_CLOSED: KindRule("Request", email=True),
    K.EVALUATION_APPROVED: KindRule("Company", email=True),
    K.EVALUATION_REJECTED: KindRule("Company", email=True),
    K.SERVICE_BLOCKED: KindRule("Service", _FLEET),
    K.SERVICE_UNBLOCKED: KindRule("Service", _FLEET),
    K.SERVICE_BLOCK_EXPIRED: KindRule("Service", _FLEET),
    K.TERMINAL_BLOCKED: KindRule("Terminal", _FLEET),
    K.TERMINAL_UNBLOCKED: KindRule("Terminal", _FLEET),
    K.TERMINAL_BLOCK_EXPIRED: KindRule("Terminal", _FLEET),
    K.TERMINAL_OFFLINE: KindRule("Terminal", (Role.TECHNICIAN,)),
    K.OPTIONS_PENDING: KindRule("Terminal", (Role.TECHNICIAN,)),
    K.FEE_CHANGE_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
    K.TERMINATION_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
    K.CONTRACT_SIGNED: KindRule("Contract", (Role.SUPERVISOR,)),
    K.EVALUATION_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
}


def _as_role(role: Role) -> Principal:
    return Principal(user_id=uuid.UUID(int=0), email="", full_name="", role=role, tenant_id=None)


def audience(kind: K) -> tuple[Role, ...]:
    """The roles that may be told of this kind: those that may read what it is about."""
    subject = RULES[kind].subject
    return tuple(r for r in _STAFF if policy.node_readable(_as_role(r), subject))


def kinds_for(principal: Principal) -> list[K]:
    """The kinds this caller may read now (a role change hides what no longer fits)."""
    role = policy.effective_role(principal)
    return [k for k in K if role in audience(k)]


# --------------------------------------------------------------------------- the catalogue

#: kind → (title, body) per locale; str.format fields are the notification's parameters.
MESSAGES: dict[K, dict[str, tuple[str, str]]] = {
    K.REQUEST_ASSIGNED: {
        "fr": (
            "Demande {reference} assignée",
            "{by} vous a assigné la demande {reference} : {subject}.",
        ),
        "en": (
            "Request {reference} assigned",
            "{by} assigned request {reference} to you: {subject}.",
        ),
    },
    K.REQUEST_COMMENTED: {
        "fr": (
            "Nouveau commentaire sur {reference}",
            "{by} a commenté la demande {reference} : « {excerpt} »",
        ),
        "en": ("New comment on {reference}", "{by} commented request {reference}: “{excerpt}”"),
    },
    K.REQUEST_DECIDED: {
        "fr": (
            "Demande {reference} : {status}",
            "{by} a traité la demande {reference} ({status}).",
        ),
        "en": ("Request {reference}: {status}", "{by} decided request {reference} ({status})."),
    },
    K.REQUEST_CLOSED: {
        "fr": ("Demande {reference} close", "La demande {reference} est close : {reason}"),
        "en": ("Request {reference} closed", "Request {reference} was closed: {reason}"),
    },
    K.EVALUATION_APPROVED: {
        "fr": (
            "Évaluation approuvée : {company}",
            "{by} a approuvé l'évaluation de {company} ({reference}) : le contrat peut être créé.",
        ),
        "en": (
            "Evaluation approved: {company}",
            "{by} approved the evaluation of {company} ({reference}): the contract can be created.",
        ),
    },
    K.EVALUATION_REJECTED: {
        "fr": (
            "Évaluation refusée : {company}",
            "{by} a refusé l'évaluation de {company} ({reference}) : {reason}",
        ),
        "en": (
            "Evaluation rejected: {company}",
            "{by} rejected the evaluation of {company} ({reference}): {reason}",
        ),
    },
    K.SERVICE_BLOCKED: {
        "fr": (
            "Service bloqué : {shop}",
            "{by} a bloqué le service {service} de {shop} : {reason}",
        ),
        "en": ("Service blocked: {shop}", "{by} blocked the {service} service of {shop}: {reason}"),
    },
    K.SERVICE_UNBLOCKED: {
        "fr": ("Service débloqué : {shop}", "{by} a débloqué le service {service} de {shop}."),
        "en": ("Service unblocked: {shop}", "{by} unblocked the {service} service of {shop}."),
    },
    K.SERVICE_BLOCK_EXPIRED: {
        "fr": (
            "Service débloqué : {shop}",
            "Le blocage du service {service} de {shop} a pris fin à son échéance.",
        ),
        "en": (
            "Service unblocked: {shop}",
            "The block of the {service} service of {shop} ended at its set time.",
        ),
    },
    K.TERMINAL_BLOCKED: {
        "fr": ("Terminal {tid} bloqué", "{by} a bloqué le terminal {tid} : {reason}"),
        "en": ("Terminal {tid} blocked", "{by} blocked terminal {tid}: {reason}"),
    },
    K.TERMINAL_UNBLOCKED: {
        "fr": ("Terminal {tid} débloqué", "{by} a débloqué le terminal {tid}."),
        "en": ("Terminal {tid} unblocked", "{by} unblocked terminal {tid}."),
    },
    K.TERMINAL_BLOCK_EXPIRED: {
        "fr": (
            "Terminal {tid} débloqué",
            "Le blocage du terminal {tid} a pris fin à son échéance.",
        ),
        "en": ("Terminal {tid} unblocked", "The block of terminal {tid} ended at its set time."),
    },
    K.TERMINAL_OFFLINE: {
        "fr": (
            "Terminal {tid} hors ligne",
            "Le terminal {tid} n'envoie plus de signal depuis plus de {minutes} minutes "
            "(dernier : {since}).",
        ),
        "en": (
            "Terminal {tid} offline",
            "Terminal {tid} has sent no heartbeat for more than {minutes} minutes (last: {since}).",
        ),
    },
    K.OPTIONS_PENDING: {
        "fr": (
            "Options en attente sur {tid}",
            "La version {version} des options du terminal {tid} n'est pas appliquée "
            "depuis plus de {minutes} minutes.",
        ),
        "en": (
            "Options pending on {tid}",
            "Options version {version} of terminal {tid} has not been applied for more "
            "than {minutes} minutes.",
        ),
    },
    K.FEE_CHANGE_REQUESTED: {
        "fr": (
            "Changement de tarifs demandé",
            "{by} demande un changement de tarifs du contrat {contract} ({company}) : "
            "demande {reference}.",
        ),
        "en": (
            "Fee change asked for",
            "{by} asks for a fee change on contract {contract} ({company}): request {reference}.",
        ),
    },
    K.TERMINATION_REQUESTED: {
        "fr": (
            "Résiliation demandée",
            "{by} demande la résiliation du contrat {contract} ({company}) : demande {reference}.",
        ),
        "en": (
            "Termination asked for",
            "{by} asks for the termination of contract {contract} ({company}): "
            "request {reference}.",
        ),
    },
    K.CONTRACT_SIGNED: {
        "fr": ("Contrat {contract} signé", "{by} a signé le contrat {contract} de {company}."),
        "en": ("Contract {contract} signed", "{by} signed contract {contract} of {company}."),
    },
    K.EVALUATION_REQUESTED: {
        "fr": (
            "Évaluation demandée : {company}",
            "{by} demande l'évaluation commerciale de {company} : demande {reference}.",
        ),
        "en": (
            "Evaluation asked for: {company}",
            "{by} asks for the commercial evaluation of {company}: request {reference}.",
        ),
    },
}

#: (kind, the notification's `variant` parameter) → (title, body) per locale: a kind told in
#: more than one way, each written in the reader's language (never a text made in the
#: actor's language and stored).
VARIANTS: dict[tuple[K, str], dict[str, tuple[str, str]]] = {
    # A request ended because its contract was terminated (terminateContract, or a
    # TERMINATION request approved).
    (K.REQUEST_CLOSED, "contract_ended"): {
        "fr": (
            "Demande {reference} close",
            "La demande {reference} est close : le contrat {contract} a été résilié ({reason}).",
        ),
        "en": (
            "Request {reference} closed",
            "Request {reference} was closed: contract {contract} was terminated ({reason}).",
        ),
    },
    # …or because its company closed with its last contract.
    (K.REQUEST_CLOSED, "company_closed"): {
        "fr": (
            "Demande {reference} close",
            "La demande {reference} est close : la société {company} a fermé ({reason}).",
        ),
        "en": (
            "Request {reference} closed",
            "Request {reference} was closed: company {company} closed ({reason}).",
        ),
    },
}

#: Words put into messages, per locale (request statuses, service kinds).
WORDS: dict[str, dict[str, str]] = {
    "APPROVED": {"fr": "approuvée", "en": "approved"},
    "REJECTED": {"fr": "refusée", "en": "rejected"},
    "DONE": {"fr": "traitée", "en": "done"},
    "PAYWISH_SOFTPOS": {"fr": "Tap to Pay", "en": "Tap to Pay"},
    "PAY_ON_SITE": {"fr": "paiement sur place", "en": "pay on site"},
}


class _Params(dict[str, Any]):
    def __init__(self, values: dict[str, Any], locale: str) -> None:
        super().__init__(values)
        self.locale = locale

    def __missing__(self, key: str) -> str:
        return "—"

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, str) and value in WORDS:
            return WORDS[value].get(self.locale, WORDS[value][DEFAULT_LOCALE])
        return "—" if value is None else value


def render(kind: K | str, params: dict[str, Any], locale: str) -> tuple[str, str]:
    """(title, body) in the reader's language (French by default)."""
    variant = (params or {}).get("variant")
    templates = VARIANTS.get((K(kind), variant)) if isinstance(variant, str) else None
    templates = templates or MESSAGES[K(kind)]
    title, body = templates.get(locale) or templates[DEFAULT_LOCALE]
    values = _Params(params or {}, locale)
    return title.format_map(values), body.format_map(values)


# --------------------------------------------------------------------------- making them

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


# --------------------------------------------------------------------------- reading them

NOTIFICATION_ORDERINGS = orderings(
    {"CREATED_AT": (m.Notification.created_at, m.Notification.id)}, "notifications"
)


@dataclass(frozen=True)
class NotificationFilter:
    unread: bool | None = None
    kind: Sequence[K] | None = None


def _mine(principal: Principal) -> sa.Select[tuple[m.Notification]]:
    return select(m.Notification).where(
        m.Notification.recipient_id == principal.user_id,
        m.Notification.kind.in_(kinds_for(principal)),
    )


async def list_notifications(
    scope: SessionScope, principal: Principal, f: NotificationFilter, args: PageArgs
) -> Page[m.Notification]:
    """The caller's notifications, newest first."""
    stmt = _mine(principal)
    if f.unread is True:
        stmt = stmt.where(m.Notification.read_at.is_(None))
    elif f.unread is False:
        stmt = stmt.where(m.Notification.read_at.is_not(None))
    if f.kind:
        stmt = stmt.where(m.Notification.kind.in_(list(f.kind)))
    return await paginate(scope, stmt, NOTIFICATION_ORDERINGS[("CREATED_AT", True)], args)


async def unread_count(scope: SessionScope, principal: Principal) -> int:
    stmt = (
        select(func.count())
        .select_from(m.Notification)
        .where(
            m.Notification.recipient_id == principal.user_id,
            m.Notification.kind.in_(kinds_for(principal)),
            m.Notification.read_at.is_(None),
        )
    )
    async with scope() as session:
        return int(await session.scalar(stmt) or 0)


def readable(principal: Principal, row: m.Notification) -> bool:
    """Whether this caller may be shown this notification (theirs, and a kind they read)."""
    return row.recipient_id == principal.user_id and row.kind in kinds_for(principal)


async def mark_read(
    actor: Actor, ids: Sequence[uuid.UUID] | None, everything: bool
) -> tuple[list[m.Notification], int]:
    """Mark the caller's notifications read: the ones named, or all. Returns the named rows
    (read now) and how many are still unread."""
    if everything == bool(ids):
        raise refuse(actor.locale, ["input"], C.INVALID, "notifications_ids_or_all")
    principal = actor.principal
    now = dt.datetime.now(dt.UTC)
    async with actor.scope() as session:
        rows: list[m.Notification] = []
        if everything:
            await session.execute(
                sa.update(m.Notification)
                .where(
                    m.Notification.recipient_id == principal.user_id,
                    m.Notification.read_at.is_(None),
                )
                .values(read_at=now)
            )
        else:
            wanted = list(dict.fromkeys(ids or ()))
            if len(wanted) > 100:
                raise refuse(actor.locale, ["input", "ids"], C.TOO_MANY, "too_many", max=100)
            found = {
                n.id: n
                for n in (
                    await session.scalars(
                        _mine(principal)
                        .where(m.Notification.id.in_(wanted))
                        .execution_options(populate_existing=True)
                    )
                ).all()
            }
            problems = Problems(actor.locale)
            for index, wanted_id in enumerate(wanted):
                if wanted_id not in found:
                    problems.add(
                        ["input", "ids", str(index)], C.NOT_FOUND, "not_found", kind="Notification"
                    )
            problems.raise_if_any()
            for wanted_id in wanted:
                row = found[wanted_id]
                if row.read_at is None:
                    row.read_at = now
                rows.append(row)
            await session.flush()
    return rows, await unread_count(actor.scope, principal)


@dataclass(frozen=True)
class Preference:
    kind: K
    in_app: bool
    email: bool


async def preferences(scope: SessionScope, principal: Principal) -> list[Preference]:
    """Every kind the caller may receive, with their choice or the default."""
    async with scope() as session:
        chosen = {
            p.kind: p
            for p in (
                await session.scalars(
                    select(m.NotificationPreference).where(
                        m.NotificationPreference.user_id == principal.user_id
                    )
                )
            ).all()
        }
    result = []
    for kind in kinds_for(principal):
        p = chosen.get(kind)
        result.append(
            Preference(kind, p.in_app, p.email)
            if p is not None
            else Preference(kind, True, RULES[kind].email)
        )
    return result


@dataclass(frozen=True)
class PreferenceData:
    kind: K
    in_app: bool | None = None
    email: bool | None = None


async def update_preferences(actor: Actor, items: Sequence[PreferenceData]) -> list[Preference]:
    """Switch kinds on or off, in the app and by e-mail (what is not given is kept)."""
    principal = actor.principal
    if principal.is_platform:
        raise refuse(actor.locale, ["input"], C.INVALID, "notifications_staff_only")
    problems = Problems(actor.locale)
    seen: set[K] = set()
    allowed = set(kinds_for(principal))
    for index, item in enumerate(items):
        path = ["input", "preferences", str(index), "kind"]
        if item.kind in seen:
            problems.add(path, C.INVALID, "notification_kind_twice", kind=item.kind.value)
        elif item.kind not in allowed:
            problems.add(path, C.INVALID, "notification_kind_role", kind=item.kind.value)
        seen.add(item.kind)
    if not items:
        problems.add(["input", "preferences"], C.REQUIRED, "required")
    problems.raise_if_any()
    current = {p.kind: p for p in await preferences(actor.scope, principal)}
    async with actor.scope() as session:
        for item in items:
            before = current[item.kind]
            values = {
                "in_app": before.in_app if item.in_app is None else item.in_app,
                "email": before.email if item.email is None else item.email,
            }
            stmt = (
                sa.dialects.postgresql.insert(m.NotificationPreference)
                .values(
                    tenant_id=actor.tenant_id,
                    user_id=principal.user_id,
                    kind=item.kind,
                    **values,
                )
                .on_conflict_do_update(
                    index_elements=["tenant_id", "user_id", "kind"],
                    set_={**values, "updated_at": func.now()},
                )
            )
            await session.execute(stmt)
    return await preferences(actor.scope, principal)


# --------------------------------------------------------------------------- conditions over time

_OFFLINE = text(
    """
    SELECT t.id, t.tid, t.last_heartbeat_at, tn.time_zone,
           greatest(tn.notify_offline_after_minutes * 60, 2 * tn.heartbeat_interval_s) AS after_s
      FROM terminals t JOIN tenants tn ON tn.id = t.tenant_id
     WHERE t.status IN ('ACTIVE', 'BLOCKED')
       AND t.last_heartbeat_at IS NOT NULL
       AND t.last_heartbeat_at + make_interval(secs => greatest(
             tn.notify_offline_after_minutes * 60, 2 * tn.heartbeat_interval_s))
           BETWEEN CAST(:now AS timestamptz) - interval '1 day' AND CAST(:now AS timestamptz)
    """
)

_PENDING = text(
    """
    SELECT t.id, t.tid, o.version_number, o.created_at, tn.notify_options_pending_after_minutes
      FROM terminals t
      JOIN tenants tn ON tn.id = t.tenant_id
      JOIN LATERAL (
            SELECT version_number, created_at FROM terminal_options o
             WHERE o.tenant_id = t.tenant_id AND o.terminal_id = t.id
             ORDER BY version_number DESC LIMIT 1) o ON true
     WHERE t.status IN ('ACTIVE', 'BLOCKED', 'ASSIGNED')
       AND (t.applied_options_version IS NULL OR t.applied_options_version < o.version_number)
       AND o.created_at + make_interval(mins => tn.notify_options_pending_after_minutes)
           BETWEEN CAST(:now AS timestamptz) - interval '1 day' AND CAST(:now AS timestamptz)
    """
)

_EPISODE = text(
    "INSERT INTO notification_episodes (tenant_id, key) VALUES (CAST(:t AS uuid), :key)"
    " ON CONFLICT DO NOTHING RETURNING key"
)


async def _first_time(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> bool:
    told = await session.scalar(_EPISODE, {"t": str(tenant_id), "key": key})
    return told is not None


async def _overdue_in_tenant(db: Database, tenant_id: uuid.UUID, now: dt.datetime) -> int:
    told = 0
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        for row in (await session.execute(_OFFLINE, {"now": now})).all():
            key = f"offline:{row.id}:{row.last_heartbeat_at.isoformat()}"
            if await _first_time(session, tenant_id, key):
                await notify(
                    session,
                    tenant_id=tenant_id,
                    kind=K.TERMINAL_OFFLINE,
                    subject_id=row.id,
                    by_role=True,
                    params={
                        "tid": row.tid,
                        "minutes": int(row.after_s) // 60,
                        # The tenant's wall-clock time, e.g. "2026-12-05 18:30 AST".
                        "since": localtime.local_text(row.last_heartbeat_at, row.time_zone),
                    },
                )
                told += 1
        for row in (await session.execute(_PENDING, {"now": now})).all():
            key = f"options:{row.id}:{row.version_number}"
            if await _first_time(session, tenant_id, key):
                await notify(
                    session,
                    tenant_id=tenant_id,
                    kind=K.OPTIONS_PENDING,
                    subject_id=row.id,
                    by_role=True,
                    params={
                        "tid": row.tid,
                        "version": row.version_number,
                        "minutes": row.notify_options_pending_after_minutes,
                    },
                )
                told += 1
    return told


async def tenant_ids(db: Database) -> list[uuid.UUID]:
    async with db.session(platform_claims()) as session:
        ids = list((await session.scalars(select(m.Tenant.id))).all())
        await session.rollback()
    return ids


async def tell_overdue_terminals(db: Database, now: dt.datetime | None = None) -> int:
    """Tell technicians of terminals OFFLINE, or with options PENDING, for longer than their
    tenant's settings; each episode once (a new heartbeat, a new options version starts a
    new one), whatever the number of processes checking. Returns the episodes told."""
    now = now or dt.datetime.now(dt.UTC)
    told = 0
    for tenant_id in await tenant_ids(db):
        told += await _overdue_in_tenant(db, tenant_id, now)
    return told


async def prune(db: Database, now: dt.datetime | None = None) -> int:
    """Delete notifications, sent (or given up) mails and told episodes older than 90 days."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - RETENTION
    deleted = 0
    for tenant_id in await tenant_ids(db):
        async with db.session(tenant_claims(tenant_id)) as session, session.begin():
            for model in (m.Notification, m.NotificationOutbox, m.NotificationEpisode):
                result = await session.execute(sa.delete(model).where(model.created_at < cutoff))
                deleted += result.rowcount or 0  # type: ignore[attr-defined]
    return deleted


# --------------------------------------------------------------------------- the outbox


@dataclass(frozen=True)
class Mail:
    tenant_id: uuid.UUID
    id: uuid.UUID
    to: str
    locale: str
    kind: K
    params: dict[str, Any]
    attempts: int


def _language_column() -> Any:
    column = getattr(m.User, "language", None)
    return column if column is not None else sa.literal(DEFAULT_LOCALE)


async def claim_mails(
    db: Database, tenant_id: uuid.UUID, now: dt.datetime, lease: dt.timedelta, limit: int = 50
) -> list[Mail]:
    """Mails due in one tenant, leased for `lease` (another process skips them meanwhile; a
    process that dies while sending leaves them to be retried when the lease ends)."""
    o = m.NotificationOutbox
    async with db.session(tenant_claims(tenant_id)) as session, session.begin():
        rows = (
            await session.execute(
                select(o, m.User.email, _language_column())
                .join(m.User, (m.User.tenant_id == o.tenant_id) & (m.User.id == o.recipient_id))
                .where(o.sent_at.is_(None), o.next_attempt_at <= now)
                .order_by(o.next_attempt_at)
                .limit(limit)
                .with_for_update(of=o, skip_locked=True)
            )
        ).all()
        for row, _email, _language in rows:
            row.next_attempt_at = now + lease
    return [
        Mail(
            row.tenant_id,
            row.id,
            email,
            language or DEFAULT_LOCALE,
            row.kind,
            row.params,
            row.attempts,
        )
        for row, email, language in rows
    ]


async def mail_sent(db: Database, mail: Mail, now: dt.datetime) -> None:
    async with db.session(tenant_claims(mail.tenant_id)) as session, session.begin():
        await session.execute(
            sa.update(m.NotificationOutbox)
            .where(m.NotificationOutbox.id == mail.id)
            .values(sent_at=now, attempts=mail.attempts + 1, last_error=None)
        )


async def mail_failed(db: Database, mail: Mail, retry_at: dt.datetime, error: str) -> None:
    async with db.session(tenant_claims(mail.tenant_id)) as session, session.begin():
        await session.execute(
            sa.update(m.NotificationOutbox)
            .where(m.NotificationOutbox.id == mail.id)
            .values(next_attempt_at=retry_at, attempts=mail.attempts + 1, last_error=error[:500])
        )


#: With e-mail off, how long the outbox keeps a mail before dropping it.
UNSENT_KEPT = dt.timedelta(hours=1)


async def discard_mails(db: Database, now: dt.datetime | None = None) -> int:
    """E-mail is off (no SMTP server configured): what the outbox holds is dropped after an
    hour (time for a process configured with a server to send it)."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - UNSENT_KEPT
    dropped = 0
    for tenant_id in await tenant_ids(db):
        async with db.session(tenant_claims(tenant_id)) as session, session.begin():
            result = await session.execute(
                sa.delete(m.NotificationOutbox).where(
                    m.NotificationOutbox.sent_at.is_(None),
                    m.NotificationOutbox.created_at < cutoff,
                )
            )
            dropped += result.rowcount or 0  # type: ignore[attr-defined]
    return dropped


__all__ = [
    "RULES",
    "Mail",
    "NotificationFilter",
    "Preference",
    "PreferenceData",
    "audience",
    "claim_mails",
    "kinds_for",
    "list_notifications",
    "mark_read",
    "notify",
    "preferences",
    "prune",
    "render",
    "tell_overdue_terminals",
    "unread_count",
    "update_preferences",
]
