"""Deciding a request: approved, resolved or rejected, and what an approval does by type
(`APPROVALS`: every approval in one table)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import CompanyStatus, RequestType
from resolvers import journal
from resolvers import notifications as notes
from resolvers.contracts import request_decisions
from resolvers.documents import check_evaluation_documents
from resolvers.lifecycles import COMPANY, REQUEST, check_transition
from resolvers.usecase import Actor, check_version, load_for_update
from resolvers.validation import Validator

#: Journal action of each request decision.
REQUEST_ACTIONS = {
    "approve": "request.approved",
    "resolve": "request.resolved",
    "reject": "request.rejected",
}


async def _approve_evaluation(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    company = await load_for_update(
        session, m.Company, request.company_id, locale=actor.locale, path=["input"], kind="Company"
    )
    transition = check_transition(COMPANY, company.status, "approve", actor)
    # The documents the tenant requires for an evaluation must be there.
    await check_evaluation_documents(session, actor, company.id)
    before = company.status
    company.status = transition.target  # type: ignore[assignment]
    company.status_reason = None
    journal.record(
        session,
        actor,
        tenant_id=company.tenant_id,
        action="company.approved",
        entity_type="Company",
        entity_id=company.id,
        before={"status": before.value},
        after={"status": company.status.value, "request": request.reference},
    )


#: What approving a request does besides closing it, by type: every approval in one table
#: (a SUPPORT request is resolved, with nothing else to do).
ApproveHook = Callable[[Actor, AsyncSession, m.Request], Awaitable[None]]
APPROVALS: dict[RequestType, ApproveHook] = {
    RequestType.EVALUATION: _approve_evaluation,
    RequestType.FEE_CHANGE: request_decisions.approve_fee_change,
    RequestType.TERMINATION: request_decisions.approve_termination,
}


async def decide_request(
    actor: Actor,
    request_id: uuid.UUID,
    *,
    approve: bool,
    comment: str | None,
    expected_version: int | None,
) -> m.Request:
    """Approve or reject a request (a reason is required to reject)."""
    v = Validator(actor.locale)
    comment = v.reason(["input", "comment"], comment, required=not approve)
    v.raise_if_any()
    async with actor.scope() as session:
        request = await load_for_update(
            session,
            m.Request,
            request_id,
            locale=actor.locale,
            path=["input", "requestId"],
            kind="Request",
        )
        check_version(request, expected_version, actor.locale)
        if approve:
            action = "resolve" if request.type is RequestType.SUPPORT else "approve"
        else:
            action = "reject"
        transition = check_transition(REQUEST, request.status, action, actor)
        before = request.status
        # Hooks (fee change, termination) read the decision's comment as their reason.
        request.decision_comment = comment
        if approve:
            hook = APPROVALS.get(request.type)
            if hook is not None:
                await hook(actor, session, request)
        elif request.type is RequestType.EVALUATION:
            company = await load_for_update(
                session,
                m.Company,
                request.company_id,
                locale=actor.locale,
                path=["input"],
                kind="Company",
            )
            company_transition = check_transition(COMPANY, company.status, "reject", actor)
            company.status = company_transition.target  # type: ignore[assignment]
            company.status_reason = comment
            journal.record(
                session,
                actor,
                tenant_id=company.tenant_id,
                action="company.rejected",
                entity_type="Company",
                entity_id=company.id,
                before={"status": CompanyStatus.EVALUATION.value},
                after={"status": company.status.value, "request": request.reference},
                reason=comment,
            )
        request.status = transition.target  # type: ignore[assignment]
        request.decided_by = None if actor.principal.is_platform else actor.principal.user_id
        request.decided_at = dt.datetime.now(dt.UTC)
        request.decision_comment = comment
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=request.tenant_id,
            action=REQUEST_ACTIONS[action],
            entity_type="Request",
            entity_id=request.id,
            before={"status": before.value},
            after={"status": request.status.value},
            reason=comment,
        )
        await notes.request_decided(session, actor, request)
        await session.flush()
    return request
