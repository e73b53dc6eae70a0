"""Commenting on a request: a colleague who may hold it commenting an OPEN request takes it
in review."""

from __future__ import annotations

import datetime as dt
import uuid

from db import models as m
from db.enums import RequestStatus
from resolvers import journal
from resolvers import notifications as notes
from resolvers.lifecycles import REQUEST, check_transition
from resolvers.usecase import Actor, load_for_update
from resolvers.validation import Validator
from tenancy import policy


async def comment_request(
    actor: Actor, request_id: uuid.UUID, body: str | None
) -> tuple[m.Request, m.RequestComment]:
    """Comment; a colleague who may hold the request (not its author) commenting an OPEN request
    takes it in review."""
    v = Validator(actor.locale)
    text = v.text(["input", "body"], body, max_length=5000, multiline=True)
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
        comment = m.RequestComment(
            tenant_id=request.tenant_id,
            id=uuid.uuid4(),
            request_id=request.id,
            author_id=None if actor.principal.is_platform else actor.principal.user_id,
            author_label=actor.label,
            body=text,
        )
        session.add(comment)
        before = request.status
        principal = actor.principal
        # A colleague who may hold the request's type (or a platform admin) takes it in review
        # by commenting; anyone else (a seller adding a note to a colleague's evaluation) only
        # comments: the request stays where it is and with whom it is.
        reviewer = principal.is_platform or policy.may_hold_request(
            principal.role, request.type.value
        )
        if (
            request.status is RequestStatus.OPEN
            and request.author_id != principal.user_id
            and reviewer
        ):
            transition = check_transition(REQUEST, request.status, "review", actor)
            request.status = transition.target  # type: ignore[assignment]
            if request.assignee_id is None and not principal.is_platform:
                request.assignee_id = principal.user_id
        request.updated_at = dt.datetime.now(dt.UTC)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=request.tenant_id,
            action="request.commented",
            entity_type="Request",
            entity_id=request.id,
            before={"status": before.value} if before is not request.status else None,
            after={"status": request.status.value} if before is not request.status else None,
        )
        await notes.request_commented(session, actor, request, text)
        await session.flush()
    return request, comment
