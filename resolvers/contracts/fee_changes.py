"""Change the fees of a SIGNED or ACTIVE contract: a new fee schedule version, never
retroactive (a supervisor directly, or a FEE_CHANGE request approved).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from resolvers import documents as rd
from resolvers import journal
from resolvers.contracts.common import FEES_CHANGED, _load_contract, _touch
from resolvers.contracts.schedules import _add_schedule, _versions, schedule_json
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeScheduleChange,
    apply_fee_change,
    schedule_on,
    validate_fee_change,
)
from resolvers.lifecycles import CONTRACT, check_transition
from resolvers.usecase import Actor, check_version
from resolvers.validation import Validator


async def _apply_fee_change(
    session: AsyncSession,
    actor: Actor,
    contract: m.Contract,
    change: FeeScheduleChange,
    reason: str | None,
    *,
    request: m.Request | None = None,
) -> m.FeeSchedule:
    """A new fee schedule version (history kept), journaled with the version it replaces.

    The new version is the one in force on its effective date, changed as `change` says:
    lines it does not name carry over, the lines it removes are named.
    """
    check_transition(CONTRACT, contract.status, "changeFees", actor)  # state unchanged
    versions = await _versions(session, contract.id)
    replaced, base = await schedule_on(session, contract.id, change.effective_from)
    v = Validator(actor.locale)
    fees = apply_fee_change(
        v,
        ["input", "fees"] if request is None else None,
        change,
        base,
        contract.currency,
    )
    v.raise_if_any()
    before = (
        schedule_json(replaced, base.lines) if replaced is not None and base is not None else None
    )
    number = max((version.version_number for version in versions), default=0) + 1
    schedule = await _add_schedule(
        session,
        actor,
        contract,
        fees,
        number,
        reason=reason,
        request_id=request.id if request is not None else None,
    )
    _touch(contract)
    await session.flush()
    # Each fee version after signature is an amendment (avenant) the merchant receives.
    await rd.store_amendment(session, actor, contract, schedule, reason)
    after = schedule_json(schedule, fees.lines)
    if request is not None:
        after["request"] = request.reference
    journal.record(
        session,
        actor,
        tenant_id=contract.tenant_id,
        action=FEES_CHANGED,
        entity_type="Contract",
        entity_id=contract.id,
        before=before,
        after=after,
        reason=reason,
    )
    await session.flush()
    return schedule


async def change_contract_fees(
    actor: Actor,
    contract_id: uuid.UUID,
    fees: FeeScheduleChange | None,
    reason: str | None,
    expected_version: int | None,
) -> m.Contract:
    """A new fee version on a SIGNED, ACTIVE or SUSPENDED contract, from its effective date."""
    v = Validator(actor.locale)
    p = ["input"]
    reason = v.reason([*p, "reason"], reason, required=True)
    checked = None
    if fees is None:
        v.add([*p, "fees"], C.REQUIRED, "required")
    else:
        checked = validate_fee_change(v, [*p, "fees"], fees)
    v.raise_if_any()
    assert checked is not None
    async with actor.scope() as session:
        contract = await _load_contract(actor, session, contract_id)
        check_version(contract, expected_version, actor.locale)
        await _apply_fee_change(session, actor, contract, checked, reason)
    return contract
