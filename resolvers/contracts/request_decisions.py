"""What approving a FEE_CHANGE or a TERMINATION request does to its contract
(the table of approvals is `APPROVALS` in resolvers/requests/deciding.py).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from resolvers.contracts.common import _today
from resolvers.contracts.fee_changes import _apply_fee_change
from resolvers.contracts.lifecycle import _terminate
from resolvers.errors import UserErrorCode as C
from resolvers.fees import (
    FeeScheduleChange,
    validate_fee_change,
)
from resolvers.usecase import Actor, load_for_update, refuse
from resolvers.validation import Validator


async def _request_contract(actor: Actor, session: AsyncSession, request: m.Request) -> Any:
    if request.contract_id is None:
        raise refuse(actor.locale, ["input", "requestId"], C.INVALID, "request_without_contract")
    return await load_for_update(
        session,
        m.Contract,
        request.contract_id,
        locale=actor.locale,
        path=["input", "requestId"],
        kind="Contract",
    )


def _request_reason(request: m.Request) -> str:
    return request.decision_comment or request.subject


async def approve_fee_change(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    """Approving a FEE_CHANGE request applies its proposed fees as a new version."""
    proposed = (request.payload or {}).get("proposedFees")
    if not proposed:
        raise refuse(actor.locale, ["input", "requestId"], C.INVALID, "request_without_fees")
    data = FeeScheduleChange.from_payload(proposed)
    # Fees are never retroactive: a date that passed while the request waited becomes today.
    if data.effective_from is not None and data.effective_from < _today():
        data = dataclasses.replace(data, effective_from=_today())
    v = Validator(actor.locale)
    fees = validate_fee_change(v, ["proposedFees"], data)
    v.raise_if_any()
    contract = await _request_contract(actor, session, request)
    await _apply_fee_change(
        session, actor, contract, fees, _request_reason(request), request=request
    )


async def approve_termination(actor: Actor, session: AsyncSession, request: m.Request) -> None:
    """Approving a TERMINATION request terminates its contract."""
    contract = await _request_contract(actor, session, request)
    await _terminate(session, actor, contract, _request_reason(request), request)
