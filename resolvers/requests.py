"""Requests (demandes) and their comments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from db import models as m
from db.enums import RequestStatus, RequestType
from resolvers.listing import choose, like_pattern, orderings
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate


@dataclass(frozen=True)
class RequestFilter:
    status: list[RequestStatus] | None = None
    type: list[RequestType] | None = None
    company: uuid.UUID | None = None
    author: uuid.UUID | None = None
    assignee: uuid.UUID | None = None
    text: str | None = None


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
AUTHOR_REQUESTS = ChildList(m.Request, m.Request.author_id, REQUEST_ORDERINGS[("CREATED_AT", True)])
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
    return stmt


async def list_requests(
    scope: SessionScope, f: RequestFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Request]:
    return await paginate(scope, request_query(f), choose(REQUEST_ORDERINGS, *order), args)
