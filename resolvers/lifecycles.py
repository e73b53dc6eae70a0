"""State machines as data: one transition table per entity.

The mutations check their transition here (an illegal one is an INVALID_TRANSITION user error
naming the current state and the allowed actions), and docs/lifecycles.md is generated from
these tables (`spring lifecycles`), with the roles taken from the policy's operations.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from db import enums as e
from resolvers.errors import UserErrorCode
from resolvers.usecase import Refused, refuse
from tenancy import policy


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[enum.Enum, ...]
    #: The state after; None when the action leaves the state as it is.
    target: enum.Enum | None
    #: The mutation that performs it (its roles are the policy's); None: done by the system.
    operation: str | None
    reason_required: bool = False
    note: str = ""


@dataclass(frozen=True)
class Lifecycle:
    entity: str
    states: type[enum.Enum]
    initial: enum.Enum
    transitions: tuple[Transition, ...]

    def find(self, action: str) -> Transition:
        for transition in self.transitions:
            if transition.action == action:
                return transition
        raise KeyError(f"{self.entity} has no action {action!r}")

    def allowed_from(self, state: enum.Enum) -> list[str]:
        return [t.action for t in self.transitions if state in t.sources]


CS, RS, KS, SS, TS, US, HS = (
    e.CompanyStatus,
    e.RequestStatus,
    e.ContractStatus,
    e.ServiceStatus,
    e.TerminalStatus,
    e.UserStatus,
    e.ShopStatus,
)

COMPANY = Lifecycle(
    "company",
    CS,
    CS.PROSPECT,
    (
        Transition(
            "requestEvaluation", (CS.PROSPECT, CS.REJECTED), CS.EVALUATION, "requestEvaluation"
        ),
        Transition("approve", (CS.EVALUATION,), CS.APPROVED, "approveRequest"),
        Transition("reject", (CS.EVALUATION,), CS.REJECTED, "rejectRequest", reason_required=True),
        Transition(
            "activate",
            (CS.APPROVED, CS.SUSPENDED),
            CS.ACTIVE,
            None,
            note="when one of its contracts becomes (again) ACTIVE",
        ),
        Transition(
            "suspend",
            (CS.ACTIVE,),
            CS.SUSPENDED,
            None,
            note="when none of its contracts is ACTIVE and one is SUSPENDED",
        ),
        Transition(
            "close",
            (CS.ACTIVE, CS.SUSPENDED),
            CS.CLOSED,
            None,
            note="when its last live contract is terminated",
        ),
    ),
)

REQUEST = Lifecycle(
    "request",
    RS,
    RS.OPEN,
    (
        Transition(
            "review",
            (RS.OPEN,),
            RS.IN_REVIEW,
            "commentRequest",
            note="a comment by someone other than the author takes it in review",
        ),
        Transition(
            "approve",
            (RS.OPEN, RS.IN_REVIEW),
            RS.APPROVED,
            "approveRequest",
            note="EVALUATION, FEE_CHANGE and TERMINATION requests",
        ),
        Transition(
            "reject", (RS.OPEN, RS.IN_REVIEW), RS.REJECTED, "rejectRequest", reason_required=True
        ),
        Transition(
            "resolve",
            (RS.OPEN, RS.IN_REVIEW),
            RS.DONE,
            "approveRequest",
            note="SUPPORT requests: approving one marks it done",
        ),
    ),
)

CONTRACT = Lifecycle(
    "contract",
    KS,
    KS.DRAFT,
    (
        Transition("editDraft", (KS.DRAFT,), None, "updateContractDraft"),
        Transition("sign", (KS.DRAFT,), KS.SIGNED, "signContract"),
        Transition(
            "activate",
            (KS.SIGNED,),
            KS.ACTIVE,
            None,
            note="when its first service becomes ACTIVE",
        ),
        Transition(
            "changeFees",
            (KS.SIGNED, KS.ACTIVE, KS.SUSPENDED),
            None,
            "changeContractFees",
            note="a new fee version; the state stays as it is",
        ),
        Transition("suspend", (KS.ACTIVE,), KS.SUSPENDED, "suspendContract", reason_required=True),
        Transition("resume", (KS.SUSPENDED,), KS.ACTIVE, "resumeContract"),
        Transition(
            "terminate",
            (KS.DRAFT, KS.SIGNED, KS.ACTIVE, KS.SUSPENDED),
            KS.TERMINATED,
            "terminateContract",
            reason_required=True,
        ),
    ),
)

SERVICE = Lifecycle(
    "service",
    SS,
    SS.PENDING,
    (
        Transition(
            "activate",
            (SS.PENDING,),
            SS.ACTIVE,
            "activateService",
            note="PAY_ON_SITE at once; PAYWISH_SOFTPOS when the phone enrolls with its code",
        ),
        Transition("block", (SS.ACTIVE,), SS.BLOCKED, "blockService", reason_required=True),
        Transition("unblock", (SS.BLOCKED,), SS.ACTIVE, "unblockService"),
        Transition(
            "expireBlock",
            (SS.BLOCKED,),
            SS.ACTIVE,
            None,
            note="when the block's `until` time comes",
        ),
        Transition(
            "deactivate",
            (SS.PENDING, SS.ACTIVE, SS.BLOCKED),
            SS.DEACTIVATED,
            "deactivateService",
            reason_required=True,
        ),
    ),
)

TERMINAL = Lifecycle(
    "terminal",
    TS,
    TS.IN_STOCK,
    (
        Transition("assign", (TS.IN_STOCK, TS.ASSIGNED), TS.ASSIGNED, "assignTerminal"),
        Transition(
            "activate", (TS.ASSIGNED,), TS.ACTIVE, None, note="when a service on it is activated"
        ),
        Transition("block", (TS.ACTIVE,), TS.BLOCKED, "blockTerminal", reason_required=True),
        Transition("unblock", (TS.BLOCKED,), TS.ACTIVE, "unblockTerminal"),
        Transition(
            "expireBlock", (TS.BLOCKED,), TS.ACTIVE, None, note="when the block's `until` comes"
        ),
        Transition(
            "return",
            (TS.ASSIGNED, TS.ACTIVE, TS.BLOCKED),
            TS.RETURNED,
            None,
            note="when its services are deactivated or its contract terminated",
        ),
    ),
)

SHOP = Lifecycle(
    "shop",
    HS,
    HS.OPEN,
    (Transition("close", (HS.OPEN,), HS.CLOSED, "updateShop", reason_required=True),),
)

USER = Lifecycle(
    "user",
    US,
    US.ACTIVE,
    (
        Transition(
            "deactivate", (US.ACTIVE,), US.DEACTIVATED, "deactivateUser", reason_required=True
        ),
    ),
)

LIFECYCLES: tuple[Lifecycle, ...] = (COMPANY, REQUEST, CONTRACT, SERVICE, TERMINAL, SHOP, USER)


def check_transition(
    lifecycle: Lifecycle, state: enum.Enum, action: str, locale: str
) -> Transition:
    """The transition for `action` from `state`, or Refused(INVALID_TRANSITION)."""
    transition = lifecycle.find(action)
    if state not in transition.sources:
        allowed = lifecycle.allowed_from(state)
        error: Refused = refuse(
            locale,
            None,
            UserErrorCode.INVALID_TRANSITION,
            "invalid_transition",
            action=action,
            entity=lifecycle.entity,
            state=state.value,
            allowed=", ".join(allowed) or "—",
        )
        raise error
    return transition


def render_markdown() -> str:
    """docs/lifecycles.md: every table, with the roles the policy gives each operation."""
    lines = [
        "# Lifecycles",
        "",
        "Generated from `resolvers/lifecycles.py` by `spring lifecycles`; a test fails when this",
        "file and the tables disagree. Any (state, action) pair not listed is refused with the",
        "user error `INVALID_TRANSITION`, which names the current state and the allowed actions.",
        "",
    ]
    for lifecycle in LIFECYCLES:
        states = " · ".join(s.value for s in lifecycle.states)
        lines += [
            f"## {lifecycle.entity.title()}",
            "",
            f"States: {states}. A new {lifecycle.entity} starts `{lifecycle.initial.value}`.",
            "",
            "| action | from | to | by (mutation: roles) | reason | note |",
            "|---|---|---|---|---|---|",
        ]
        for t in lifecycle.transitions:
            sources = ", ".join(f"`{s.value}`" for s in t.sources)
            if t.operation is None:
                by = "system"
            else:
                roles = ", ".join(r.value for r in policy.roles_allowed(t.operation)) or "—"
                by = f"`{t.operation}`: {roles}"
            reason = "required" if t.reason_required else ""
            target = f"`{t.target.value}`" if t.target is not None else "(unchanged)"
            lines.append(f"| `{t.action}` | {sources} | {target} | {by} | {reason} | {t.note} |")
        lines.append("")
    return "\n".join(lines)
