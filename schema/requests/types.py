"""Request (demande) and its comments."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types import Info

from db import models as m
from db.enums import RequestType as RequestTypeValue
from resolvers import loaders as rl
from resolvers import requests as rr
from resolvers.requests import moves
from schema import descriptions as d
from schema.audit.types import journal
from schema.enums import RequestStatus, RequestType, Role
from schema.guards import guarded
from schema.lazy import CompanyT, ContractT, DocumentKindT, DocumentT, UserT
from schema.lists import child_list
from schema.relay import model_backed, register_node
from schema.scalars import JSON


@strawberry.type(description="A comment on a request.")
@model_backed(m.RequestComment)
class RequestComment(relay.Node):
    id: relay.NodeID[str]
    author_label: str = strawberry.field(
        description="Who wrote it, as shown in the thread (their e-mail address at the time; "
        "stays even if the account goes)."
    )
    body: str = strawberry.field(description="The comment's text.")
    created_at: dt.datetime = strawberry.field(description="When it was written (UTC).")

    @strawberry.field(
        description="The staff account that wrote it; null when a platform administrator wrote it."
    )
    async def author(self, info: Info) -> UserT | None:
        if self.author_id is None:
            return None
        return await info.context.loaders.get(rl.UserByIdLoader).load(self.author_id)


@strawberry.type(description="A request (demande): evaluation, fee change, support, termination.")
@model_backed(m.Request)
class Request(relay.Node):
    id: relay.NodeID[str]
    reference: str = strawberry.field(description="Short reference code, e.g. DJYVVV158AC.")
    type: RequestType = strawberry.field(description="What the request asks for.")
    status: RequestStatus = strawberry.field(
        description="Where it stands (open, in review, decided, done, cancelled)."
    )
    subject: str = strawberry.field(description="Its one-line title.")
    description: str | None = strawberry.field(description="Its details, as the author wrote them.")
    payload: JSON | None = guarded(
        "Request.payload",
        "Type-specific data, e.g. the proposed fees of a FEE_CHANGE request.",
    )
    decided_at: dt.datetime | None = strawberry.field(
        description="When it was approved or rejected (UTC); null while undecided."
    )
    decision_comment: str | None = strawberry.field(
        description="The comment given with the decision (required for a rejection)."
    )
    due_at: dt.datetime | None = strawberry.field(
        description="When it should be handled: its opening time plus its tenant's hours for "
        "its type (`setRequestDueTime`), fixed when it opens."
    )
    created_at: dt.datetime = strawberry.field(description="When it was opened (UTC).")
    updated_at: dt.datetime = strawberry.field(
        description="Its last activity: opened, commented, moved or decided."
    )
    version: int = d.version_field("request")

    @strawberry.field(description="Still undecided (OPEN or IN_REVIEW) and past `dueAt`.")
    def overdue(self) -> bool:
        due_at = self.due_at
        return (
            due_at is not None and self.status in rr.UNDECIDED and due_at < dt.datetime.now(dt.UTC)
        )

    @strawberry.field(description="The merchant's company the request is about.")
    async def company(self, info: Info) -> CompanyT | None:
        return await info.context.loaders.get(rl.CompanyByIdLoader).load(self.company_id)

    @guarded(
        "Request.documents",
        "EVALUATION: the company's documents, for the supervisor to check before approving "
        "(empty for other types).",
    )
    async def documents(self, info: Info) -> list[DocumentT] | None:
        from schema.documents.types import company_documents

        if self.type is not RequestTypeValue.EVALUATION:
            return []
        return await company_documents(info, self.company_id)  # type: ignore[return-value]

    @strawberry.field(
        description="EVALUATION: the document kinds the tenant requires that the company does "
        "not have yet (`setEvaluationDocumentKinds`); approving is refused until it is empty. "
        "Empty for other types."
    )
    async def missing_document_kinds(self, info: Info) -> list[DocumentKindT]:
        from schema.documents.types import missing_kinds

        if self.type is not RequestTypeValue.EVALUATION:
            return []
        return await missing_kinds(info, self.company_id)  # type: ignore[return-value]

    @strawberry.field(
        description="The contract it is about (FEE_CHANGE, TERMINATION); null otherwise."
    )
    async def contract(self, info: Info) -> ContractT | None:
        if self.contract_id is None:
            return None
        return await info.context.loaders.get(rl.ContractByIdLoader).load(self.contract_id)

    @strawberry.field(description="Who opened it.")
    async def author(self, info: Info) -> UserT | None:
        return await info.context.loaders.get(rl.UserByIdLoader).load(self.author_id)

    @strawberry.field(description="Who holds it now; null while nobody does.")
    async def assignee(self, info: Info) -> UserT | None:
        if self.assignee_id is None:
            return None
        return await info.context.loaders.get(rl.UserByIdLoader).load(self.assignee_id)

    @strawberry.field(description="Who approved or rejected it; null while undecided.")
    async def decided_by(self, info: Info) -> UserT | None:
        if self.decided_by is None:
            return None
        return await info.context.loaders.get(rl.UserByIdLoader).load(self.decided_by)

    comments = child_list(RequestComment, rr.REQUEST_COMMENTS, "Comments, oldest first.")

    audit_events = journal("The request's journal, newest first.")


register_node("Request", rl.RequestByIdLoader)


@strawberry.type(description="An active staff member of the tenant, to give a request to.")
@model_backed(m.User)
class Colleague:
    full_name: str = strawberry.field(description="Their full name.")
    role: Role = strawberry.field(
        description="Their role, which says which request types they may hold."
    )
    email: str | None = guarded("Colleague.email", "Their e-mail address.")

    @strawberry.field(description="Their account's ID (a User ID: `assignRequest`'s assigneeId).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_base64("User", str(self.id)))


@strawberry.type(description="Within how many hours a request of one type should be handled.")
class RequestDueTime:
    type: RequestType = strawberry.field(description="The request type this due time is for.")
    hours: int = strawberry.field(
        description="Hours after opening by which a request of this type should be handled."
    )
    is_default: bool = strawberry.field(
        description="True while the tenant has not set it: the product's default applies."
    )

    @staticmethod
    def of(due: moves.DueTime) -> RequestDueTime:
        return RequestDueTime(type=due.type, hours=due.hours, is_default=due.is_default)
