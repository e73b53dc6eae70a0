"""Requests (demandes) and their comments."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union_all
from sqlalchemy.orm import aliased
from strawberry.dataloader import DataLoader

from db import models as m
from db.enums import RequestStatus, RequestType, UserStatus
from resolvers.listing import choose, like_pattern, orderings
from resolvers.pagination import (
    ChildList,
    Page,
    PageArgs,
    SessionScope,
    _page,
    _windowed,
    paginate,
)
from tenancy.roles import Role

#: Requests still waiting for a decision (they can fall due).
UNDECIDED = (RequestStatus.OPEN, RequestStatus.IN_REVIEW)


@dataclass(frozen=True)
class RequestFilter:
    status: list[RequestStatus] | None = None
    type: list[RequestType] | None = None
    company: uuid.UUID | None = None
    author: uuid.UUID | None = None
    assignee: uuid.UUID | None = None
    text: str | None = None
    overdue: bool | None = None


def overdue_condition(overdue: bool, now: dt.datetime | None = None) -> ColumnElement[bool]:
    """Undecided and past its due time (True), or not (False)."""
    late = and_(
        m.Request.due_at.is_not(None),
        m.Request.due_at < (now or dt.datetime.now(dt.UTC)),
        m.Request.status.in_(UNDECIDED),
    )
    return late if overdue else ~late


REQUEST_ORDERINGS = orderings(
    {
        "CREATED_AT": (m.Request.created_at, m.Request.id),
        "UPDATED_AT": (m.Request.updated_at, m.Request.id),
        "REFERENCE": (m.Request.reference, m.Request.id),
    },
    "requests",
)
COMMENT_ORDERINGS = orderings(
    {"CREATED_AT": (m.RequestComment.created_at, m.RequestComment.id)}, "comments"
)

COMPANY_REQUESTS = ChildList(
    m.Request, m.Request.company_id, REQUEST_ORDERINGS[("CREATED_AT", True)]
)
REQUEST_COMMENTS = ChildList(
    m.RequestComment, m.RequestComment.request_id, COMMENT_ORDERINGS[("CREATED_AT", False)]
)


def request_query(f: RequestFilter) -> Select[tuple[m.Request]]:
    stmt = select(m.Request)
    if f.status:
        stmt = stmt.where(m.Request.status.in_(f.status))
    if f.type:
        stmt = stmt.where(m.Request.type.in_(f.type))
    if f.company:
        stmt = stmt.where(m.Request.company_id == f.company)
    if f.author:
        stmt = stmt.where(m.Request.author_id == f.author)
    if f.assignee:
        stmt = stmt.where(m.Request.assignee_id == f.assignee)
    if f.text and f.text.strip():
        pattern = like_pattern(f.text)
        stmt = stmt.where(or_(m.Request.reference.ilike(pattern), m.Request.subject.ilike(pattern)))
    if f.overdue is not None:
        stmt = stmt.where(overdue_condition(f.overdue))
    return stmt


async def list_requests(
    scope: SessionScope, f: RequestFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Request]:
    return await paginate(scope, request_query(f), choose(REQUEST_ORDERINGS, *order), args)


# --------------------------------------------------------------------------- my requests


class Relation(enum.StrEnum):
    """How a person is related to a request."""

    AUTHORED = "AUTHORED"
    ASSIGNED = "ASSIGNED"
    ANY = "ANY"


@dataclass(frozen=True)
class PersonRequestFilter:
    """`User.requests` (`me.requests`): which of a person's requests."""

    relation: Relation = Relation.ANY
    status: tuple[RequestStatus, ...] = ()
    overdue: bool | None = None


#: A person's requests: newest activity (opened, commented, moved, decided) first.
ACTIVITY = REQUEST_ORDERINGS[("UPDATED_AT", True)]


def _person_requests(
    people: Sequence[Hashable], f: PersonRequestFilter, args: PageArgs | None
) -> Any:
    """The requests of each person as a subquery with a `holder` column (the person): one
    branch per relation, a request authored and held by the same person counted once."""
    conditions: list[Any] = []
    if f.status:
        conditions.append(m.Request.status.in_(f.status))
    if f.overdue is not None:
        conditions.append(overdue_condition(f.overdue))
    branches = []
    if f.relation in (Relation.AUTHORED, Relation.ANY):
        branches.append(
            select(m.Request, m.Request.author_id.label("holder")).where(
                m.Request.author_id.in_(people), *conditions
            )
        )
    if f.relation in (Relation.ASSIGNED, Relation.ANY):
        held = select(m.Request, m.Request.assignee_id.label("holder")).where(
            m.Request.assignee_id.in_(people), *conditions
        )
        if f.relation is Relation.ANY:
            held = held.where(m.Request.assignee_id != m.Request.author_id)
        branches.append(held)
    if args is not None:
        branches = [_windowed(b, ACTIVITY, args) for b in branches]
    both = branches[0] if len(branches) == 1 else union_all(*branches)
    return both.subquery("person_requests")


class PersonRequestsLoader(DataLoader[tuple[Hashable, PersonRequestFilter, PageArgs], Page[Any]]):
    """Pages of people's requests (`User.requests`) for many people in one statement: the
    branches' union, ranked per person (ROW_NUMBER), like the nested connections."""

    def __init__(self, scope: SessionScope) -> None:
        super().__init__(load_fn=self._load, cache_key_fn=lambda key: key)
        self.scope = scope
        self.counts = PersonRequestCountLoader(scope)

    async def _load(
        self, keys: Sequence[tuple[Hashable, PersonRequestFilter, PageArgs]]
    ) -> list[Page[Any]]:
        groups: dict[tuple[PersonRequestFilter, PageArgs], list[Hashable]] = {}
        for person, f, args in keys:
            groups.setdefault((f, args.validated()), []).append(person)
        found: dict[tuple[Hashable, PersonRequestFilter, PageArgs], list[Any]] = {}
        for (f, args), people in groups.items():
            union = _person_requests(people, f, args)
            descending = ACTIVITY.descending != args.backward
            order = [union.c.updated_at, union.c.id]
            rank = (
                func.row_number()
                .over(
                    partition_by=union.c.holder,
                    order_by=[c.desc() if descending else c.asc() for c in order],
                )
                .label("rank")
            )
            ranked = select(union, rank).subquery("ranked")
            entity = aliased(m.Request, ranked)
            query = (
                select(entity, ranked.c.holder)
                .where(ranked.c.rank <= args.size + 1)
                .order_by(ranked.c.holder, ranked.c.rank)
            )
            for person in people:
                found[(person, f, args)] = []
            async with self.scope() as session:
                for request, holder in (await session.execute(query)).all():
                    found[(holder, f, args)].append(request)
        pages = []
        for person, f, args in keys:
            args = args.validated()

            async def count(person: Hashable = person, f: PersonRequestFilter = f) -> int:
                return await self.counts.load((person, f))

            pages.append(_page(found[(person, f, args)], ACTIVITY, args, count))
        return pages


class PersonRequestCountLoader(DataLoader[tuple[Hashable, PersonRequestFilter], int]):
    """How many requests each person has (`totalCount`), for many people in one statement."""

    def __init__(self, scope: SessionScope) -> None:
        super().__init__(load_fn=self._load)
        self.scope = scope

    async def _load(self, keys: Sequence[tuple[Hashable, PersonRequestFilter]]) -> list[int]:
        groups: dict[PersonRequestFilter, list[Hashable]] = {}
        for person, f in keys:
            groups.setdefault(f, []).append(person)
        counts: dict[tuple[Hashable, PersonRequestFilter], int] = {}
        for f, people in groups.items():
            union = _person_requests(people, f, None)
            query = select(union.c.holder, func.count()).group_by(union.c.holder)
            async with self.scope() as session:
                for holder, n in (await session.execute(query)).all():
                    counts[(holder, f)] = int(n)
        return [counts.get(key, 0) for key in keys]


# --------------------------------------------------------------------------- colleagues

#: The roles of the staff who work requests (machine accounts are not colleagues).
STAFF_ROLES = (Role.SELLER, Role.HOTLINE, Role.TECHNICIAN, Role.SUPERVISOR)


async def list_colleagues(scope: SessionScope, roles: Sequence[Role] | None) -> list[m.User]:
    """The tenant's active staff, by name: whom a request can be given to."""
    wanted = [r for r in STAFF_ROLES if not roles or r in roles]
    stmt = (
        select(m.User)
        .where(m.User.status == UserStatus.ACTIVE, m.User.role.in_(wanted))
        .order_by(m.User.full_name, m.User.id)
    )
    async with scope() as session:
        return list((await session.execute(stmt)).scalars())
