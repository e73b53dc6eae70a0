"""Suspend, resume and terminate a contract; terminating ends its services
(resolvers/terminals/services.py, `end_services`) and its open requests.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    ServiceStatus,
)
from resolvers import journal
from resolvers.contract_status import sync_company_status
from resolvers.contracts.common import RESUMED, SUSPENDED, TERMINATED, _load_contract, _now
from resolvers.lifecycles import CONTRACT, check_transition
from resolvers.terminals.services import end_services
from resolvers.usecase import Actor, check_version
from resolvers.validation import Validator


async def suspend_contract(
    actor: Actor, contract_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=True)
    v.raise_if_any()

    def suspend(contract: m.Contract, target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {"status": contract.status.value}
        contract.status = target
        contract.suspended_at = _now()
        contract.status_reason = reason
        return before, {"status": contract.status.value}

    return await _change_status(
        actor, contract_id, expected_version, "suspend", SUSPENDED, reason, suspend
    )


async def resume_contract(
    actor: Actor, contract_id: uuid.UUID, comment: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    comment = v.reason(["input", "comment"], comment, required=False)
    v.raise_if_any()

    def resume(contract: m.Contract, target: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        before = {
            "status": contract.status.value,
            "statusReason": contract.status_reason,
            "suspendedAt": contract.suspended_at.isoformat() if contract.suspended_at else None,
        }
        contract.status = target
        contract.suspended_at = None
        contract.status_reason = None
        return before, {"status": contract.status.value, "statusReason": None, "suspendedAt": None}

    return await _change_status(
        actor, contract_id, expected_version, "resume", RESUMED, comment, resume
    )


async def _change_status(
    actor: Actor,
    contract_id: uuid.UUID,
    expected_version: int | None,
    action: str,
    journal_action: str,
    reason: str | None,
    change: Callable[[m.Contract, Any], tuple[dict[str, Any], dict[str, Any]]],
) -> m.Contract:
    """Load, check the version and the transition, `change` the contract (it returns the
    journal's before and after), journal it, and let the company's status follow."""
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        transition = check_transition(CONTRACT, contract.status, action, actor)
        before, after = change(contract, transition.target)
        await session.flush()
        journal.record(
            session,
            actor,
            tenant_id=contract.tenant_id,
            action=journal_action,
            entity_type="Contract",
            entity_id=contract.id,
            before=before,
            after=after,
            reason=reason,
        )
        await session.flush()
        await sync_company_status(session, actor, contract.company_id)
    return contract


async def _terminate(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    reason: str | None,
    request: m.Request | None = None,
) -> None:
    """TERMINATED; its live services deactivated, their terminals RETURNED; company follows."""
    transition = check_transition(CONTRACT, contract.status, "terminate", actor)
    now = _now()
    before = contract.status
    contract.status = transition.target  # type: ignore[assignment]
    contract.terminated_at = now
    contract.status_reason = reason
    await session.flush()
    after: dict[str, Any] = {"status": contract.status.value}
    if request is not None:
        after["request"] = request.reference
    journal.record(
        session,
        actor,
        tenant_id=contract.tenant_id,
        action=TERMINATED,
        entity_type="Contract",
        entity_id=contract.id,
        before={"status": before.value},
        after=after,
        reason=reason,
    )
    services = list(
        (
            await session.execute(
                select(m.Service)
                .where(
                    m.Service.contract_id == contract.id,
                    m.Service.status != ServiceStatus.DEACTIVATED,
                )
                .order_by(m.Service.created_at, m.Service.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalars()
    )
    # Its services end as a deactivation ends them: one use case, one behaviour.
    await end_services(session, actor, services, reason)
    await sync_company_status(session, actor, contract.company_id)
    # The undecided requests about the contract (or its company, closed with it) end too.
    # Imported here: the requests package decides requests with this module's use cases
    # (requests/deciding.py's APPROVALS), so it cannot be imported while this one loads.
    from resolvers.requests.moves import end_requests_about

    await end_requests_about(session, actor, contract, reason, keep=request)


async def terminate_contract(
    actor: Actor, contract_id: uuid.UUID, reason: str | None, expected_version: int | None
) -> m.Contract:
    v = Validator(actor.locale)
    reason = v.reason(["input", "reason"], reason, required=True)
    v.raise_if_any()
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        await _terminate(session, actor, contract, reason)
    return contract
