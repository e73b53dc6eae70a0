"""Mutations of requests: evaluation, decisions, other requests, comments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db.enums import CardScheme as CardSchemeValue
from db.enums import FeeRegion as FeeRegionValue
from db.enums import RequestType as RequestTypeValue
from resolvers import requests as rr
from resolvers.fees import FeeLineData, FeeLineKey, FeeScheduleChange
from resolvers.requests import moves
from schema import descriptions as d
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import CardScheme, FeeRegion, RequestType
from schema.errors import UserError
from schema.merchants.types import Company
from schema.mutations import actor_of, answer, input_id, mutation_field
from schema.requests.types import Request, RequestComment, RequestDueTime
from schema.scalars import Long


@strawberry.input(description="Price of one card scheme in one region.")
class FeeLineInput:
    scheme: CardScheme = strawberry.field(description="Card scheme this line prices.")
    region: FeeRegion = strawberry.field(
        description="Region of the card's issuer this line prices."
    )
    rate_bps: int = strawberry.field(description="Basis points, 0 to 10,000.")
    fixed_fee: Long = strawberry.field(description="Minor units per transaction.")


@strawberry.input(description="One line of a fee schedule, named to remove it: scheme × region.")
class FeeLineKeyInput:
    scheme: CardScheme = strawberry.field(description="Card scheme of the line to remove.")
    region: FeeRegion = strawberry.field(description="Region of the line to remove.")


@strawberry.input(
    description=(
        "A fee schedule, or a change of one. Lines named in `lines` are added or repriced, "
        "lines named in `removeLines` are removed, and every other line of the version it "
        "changes carries over, as do the monthly fees and the currency when left out. "
        "A first version (a new contract, a simulation) is exactly what is given."
    )
)
class FeeScheduleInput:
    lines: list[FeeLineInput] = strawberry.field(
        default_factory=list,
        description="Lines to add or reprice; a line not named here is kept as it is.",
    )
    remove_lines: list[FeeLineKeyInput] = strawberry.field(
        default_factory=list,
        description="Lines to remove; each must be priced in the version this one changes.",
    )
    currency: str | None = strawberry.field(
        default=None, description="Default: the contract's (EUR for a new contract)."
    )
    terminal_rental_monthly: Long | None = strawberry.field(
        default=None, description="Minor units. Default: unchanged (0 for a first version)."
    )
    softpos_fee_monthly: Long | None = strawberry.field(
        default=None, description="Minor units. Default: unchanged (0 for a first version)."
    )
    effective_from: dt.date | None = strawberry.field(
        default=None, description="When a change takes effect (default: today)."
    )

    def to_domain(self) -> FeeScheduleChange:
        return FeeScheduleChange(
            currency=self.currency,
            terminal_rental_monthly=self.terminal_rental_monthly,
            softpos_fee_monthly=self.softpos_fee_monthly,
            effective_from=self.effective_from,
            lines=tuple(
                FeeLineData(
                    scheme=CardSchemeValue(line.scheme.value),
                    region=FeeRegionValue(line.region.value),
                    rate_bps=line.rate_bps,
                    fixed_fee=line.fixed_fee,
                )
                for line in self.lines
            ),
            remove_lines=tuple(
                FeeLineKey(CardSchemeValue(key.scheme.value), FeeRegionValue(key.region.value))
                for key in self.remove_lines
            ),
        )


@strawberry.input(
    description="Ask for the commercial evaluation of a PROSPECT (or REJECTED, or CLOSED) "
    "company: opens an EVALUATION request for the supervisors."
)
class RequestEvaluationInput:
    company_id: strawberry.ID = strawberry.field(
        description="Global ID of the company to evaluate."
    )
    comment: str | None = strawberry.field(
        default=None,
        description="What the supervisor should know, written as the request's description.",
    )
    expected_version: int | None = d.expected_version_field("company")


@strawberry.input(description="Approve a request; a comment is optional.")
class ApproveRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request to approve.")
    comment: str | None = strawberry.field(
        default=None, description="A note kept with the decision."
    )
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Reject a request; the reason is required.")
class RejectRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request to reject.")
    comment: str = strawberry.field(description="Why it is rejected; the author reads it.")
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Open a SUPPORT, FEE_CHANGE or TERMINATION request.")
class CreateRequestInput:
    type: RequestType = strawberry.field(
        description="What the request asks for (not EVALUATION: use `requestEvaluation`)."
    )
    company_id: strawberry.ID = strawberry.field(
        description="Global ID of the company it is about."
    )
    subject: str = strawberry.field(description="A one-line title.")
    description: str | None = strawberry.field(default=None, description="The details.")
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required for FEE_CHANGE and TERMINATION."
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Global ID of a colleague (`colleagues`) to give it to at once; nobody when "
        "omitted.",
    )
    proposed_fees: FeeScheduleInput | None = strawberry.field(
        default=None, description="Required for FEE_CHANGE: the fees asked for."
    )


@strawberry.input(description="Add a comment to a request's thread.")
class CommentRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request.")
    body: str = strawberry.field(description="The comment's text.")


@strawberry.type(description="The result of a request mutation.")
class RequestPayload:
    request: Request | None = strawberry.field(
        description="The request as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `requestEvaluation`.")
class RequestEvaluationPayload:
    request: Request | None = strawberry.field(
        description="The new EVALUATION request; null when the input was refused."
    )
    company: Company | None = strawberry.field(
        description="The company, now in EVALUATION; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `commentRequest`.")
class CommentRequestPayload:
    request: Request | None = strawberry.field(
        description="The request (IN_REVIEW once someone other than its author comments)."
    )
    comment: RequestComment | None = strawberry.field(
        description="The new comment; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


async def request_evaluation(
    info: Info, input: Annotated[RequestEvaluationInput, MUTATION_INPUT]
) -> RequestEvaluationPayload:
    async def work() -> Any:
        company_id = input_id(info, input.company_id, "Company", ["input", "companyId"])
        return await rr.request_evaluation(
            actor_of(info), company_id, input.comment, input.expected_version
        )

    return await answer(info, work(), RequestEvaluationPayload, "request", "company")


async def approve_request(
    info: Info, input: Annotated[ApproveRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await rr.decide_request(
            actor_of(info),
            request_id,
            approve=True,
            comment=input.comment,
            expected_version=input.expected_version,
        )

    return await answer(info, work(), RequestPayload, "request")


async def reject_request(
    info: Info, input: Annotated[RejectRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await rr.decide_request(
            actor_of(info),
            request_id,
            approve=False,
            comment=input.comment,
            expected_version=input.expected_version,
        )

    return await answer(info, work(), RequestPayload, "request")


async def create_request(
    info: Info, input: Annotated[CreateRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        data = rr.RequestData(
            type=input.type,
            company_id=input_id(info, input.company_id, "Company", ["input", "companyId"]),
            contract_id=(
                input_id(info, input.contract_id, "Contract", ["input", "contractId"])
                if input.contract_id
                else None
            ),
            assignee_id=(
                input_id(info, input.assignee_id, "User", ["input", "assigneeId"])
                if input.assignee_id
                else None
            ),
            subject=input.subject,
            description=input.description,
            proposed_fees=input.proposed_fees.to_domain() if input.proposed_fees else None,
        )
        return await rr.create_request(actor_of(info), data)

    return await answer(info, work(), RequestPayload, "request")


async def comment_request(
    info: Info, input: Annotated[CommentRequestInput, MUTATION_INPUT]
) -> CommentRequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await rr.comment_request(actor_of(info), request_id, input.body)

    return await answer(info, work(), CommentRequestPayload, "request", "comment")


@strawberry.input(description="Give an undecided request to an active colleague.")
class AssignRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request to give.")
    assignee_id: strawberry.ID = strawberry.field(
        description="A colleague's ID (`colleagues`) whose role may hold the request's type."
    )
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Take an undecided request for yourself.")
class TakeRequestInput:
    request_id: strawberry.ID = strawberry.field(description="Global ID of the request to take.")
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Mark a SUPPORT request you hold as done.")
class CloseRequestInput:
    request_id: strawberry.ID = strawberry.field(
        description="Global ID of the SUPPORT request to close."
    )
    comment: str | None = strawberry.field(default=None, description="What was done.")
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Withdraw a request you wrote, while it is undecided.")
class CancelRequestInput:
    request_id: strawberry.ID = strawberry.field(
        description="Global ID of the request to withdraw."
    )
    reason: str | None = strawberry.field(
        default=None, description="Why it is withdrawn, for the thread and the journal."
    )
    expected_version: int | None = d.expected_version_field("request")


@strawberry.input(description="Within how many hours the tenant handles a type of request.")
class SetRequestDueTimeInput:
    type: RequestType = strawberry.field(description="The request type whose due time changes.")
    hours: int = strawberry.field(description="1 to 8,760 (one year).")


@strawberry.type(description="The result of `setRequestDueTime`.")
class SetRequestDueTimePayload:
    due_times: list[RequestDueTime] | None = strawberry.field(
        description="Every request type's due time, after the change."
    )
    user_errors: list[UserError] = user_errors_field()


async def assign_request(
    info: Info, input: Annotated[AssignRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        assignee_id = input_id(info, input.assignee_id, "User", ["input", "assigneeId"])
        return await moves.assign_request(
            actor_of(info), request_id, assignee_id, input.expected_version
        )

    return await answer(info, work(), RequestPayload, "request")


async def take_request(
    info: Info, input: Annotated[TakeRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await moves.take_request(actor_of(info), request_id, input.expected_version)

    return await answer(info, work(), RequestPayload, "request")


async def close_request(
    info: Info, input: Annotated[CloseRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await moves.close_request(
            actor_of(info), request_id, input.comment, input.expected_version
        )

    return await answer(info, work(), RequestPayload, "request")


async def cancel_request(
    info: Info, input: Annotated[CancelRequestInput, MUTATION_INPUT]
) -> RequestPayload:
    async def work() -> Any:
        request_id = input_id(info, input.request_id, "Request", ["input", "requestId"])
        return await moves.cancel_request(
            actor_of(info), request_id, input.reason, input.expected_version
        )

    return await answer(info, work(), RequestPayload, "request")


async def set_request_due_time(
    info: Info, input: Annotated[SetRequestDueTimeInput, MUTATION_INPUT]
) -> SetRequestDueTimePayload:
    async def work() -> Any:
        due_times = await moves.set_due_time(
            actor_of(info), RequestTypeValue(input.type.value), input.hours
        )
        return [RequestDueTime.of(d) for d in due_times]

    return await answer(info, work(), SetRequestDueTimePayload, "due_times")


@strawberry.type
class RequestMutation:
    request_evaluation: RequestEvaluationPayload | None = mutation_field(
        request_evaluation,
        "requestEvaluation",
        "Ask for a prospect's commercial evaluation (opens an EVALUATION request).",
    )
    approve_request: RequestPayload | None = mutation_field(
        approve_request,
        "approveRequest",
        "Approve a request: an evaluation approves the company, a fee change applies the "
        "proposed fees, a termination terminates the contract, a support request is done.",
    )
    reject_request: RequestPayload | None = mutation_field(
        reject_request, "rejectRequest", "Reject a request, with the reason."
    )
    create_request: RequestPayload | None = mutation_field(
        create_request, "createRequest", "Open a support, fee change or termination request."
    )
    comment_request: CommentRequestPayload | None = mutation_field(
        comment_request,
        "commentRequest",
        "Comment a request. A colleague whose role may hold its type (not its author) takes an "
        "OPEN request in review by commenting, and holds it if no one does; anyone else's comment "
        "leaves it as it is.",
    )
    assign_request: RequestPayload | None = mutation_field(
        assign_request,
        "assignRequest",
        "Give an undecided request to an active colleague whose role may hold its type "
        "(SUPPORT: hotline, technician or supervisor; the others: a supervisor).",
    )
    take_request: RequestPayload | None = mutation_field(
        take_request,
        "takeRequest",
        "Take an undecided request for yourself (it is then IN_REVIEW, yours), if your role "
        "may hold its type.",
    )
    close_request: RequestPayload | None = mutation_field(
        close_request,
        "closeRequest",
        "Mark a SUPPORT request done: only the person it is assigned to may.",
    )
    cancel_request: RequestPayload | None = mutation_field(
        cancel_request,
        "cancelRequest",
        "Withdraw a request you wrote while it is undecided (CANCELLED). A withdrawn "
        "evaluation returns its company to PROSPECT.",
    )
    set_request_due_time: SetRequestDueTimePayload | None = mutation_field(
        set_request_due_time,
        "setRequestDueTime",
        "Set within how many hours the tenant handles a type of request (requests opened "
        "from now on are due that long after they open).",
    )
