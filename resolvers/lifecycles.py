"""State machines as data: one transition table per entity.

The mutations check their transition here (an illegal one is an INVALID_TRANSITION user error
naming the current state and the allowed actions), and docs/lifecycles.md is generated from
these tables (`spring lifecycles`), with the roles taken from the policy's operations.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from db import enums as e
from resolvers.errors import UserErrorCode
from resolvers.messages import DEFAULT_LOCALE
from resolvers.usecase import Actor, Refused, refuse
from tenancy import policy
from tenancy.principal import Principal


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
    #: What a reader of the table should know beyond it (docs/lifecycles.md).
    about: str = ""

    def find(self, action: str) -> Transition:
        for transition in self.transitions:
            if transition.action == action:
                return transition
        raise KeyError(f"{self.entity} has no action {action!r}")

    def allowed_from(self, state: enum.Enum) -> list[str]:
        return [t.action for t in self.transitions if state in t.sources]


#: What happens when a block's `until` time comes.
EXPIRY_NOTE = (
    "at the block's `until` time: from then on the block no longer declines payments; "
    "a sweep (every 30 s) records the change and its journal entry"
)

CS, RS, KS, SS, TS, US, HS, QS = (
    e.CompanyStatus,
    e.RequestStatus,
    e.ContractStatus,
    e.ServiceStatus,
    e.TerminalStatus,
    e.UserStatus,
    e.ShopStatus,
    e.TerminalCommandStatus,
)

COMPANY = Lifecycle(
    "company",
    CS,
    CS.PROSPECT,
    (
        Transition(
            "requestEvaluation",
            (CS.PROSPECT, CS.REJECTED, CS.CLOSED),
            CS.EVALUATION,
            "requestEvaluation",
            note="from CLOSED: the merchant comes back under its SIREN, same record and "
            "history, through a new evaluation",
        ),
        Transition("approve", (CS.EVALUATION,), CS.APPROVED, "approveRequest"),
        Transition("reject", (CS.EVALUATION,), CS.REJECTED, "rejectRequest", reason_required=True),
        Transition(
            "withdrawEvaluation",
            (CS.EVALUATION,),
            CS.PROSPECT,
            "cancelRequest",
            note="its author cancels the evaluation request; it may be asked for again",
        ),
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
    about="A company is one legal entity (one SIREN per tenant). A CLOSED merchant that comes "
    "back is not created again: `createCompany` with its SIREN is refused (DUPLICATE, saying "
    "so) and `requestEvaluation` reopens the same record. It goes through a new evaluation "
    "(a fresh check, as for any merchant), its details can be updated meanwhile, and its "
    "history (terminated contracts, shops, journal) stays with it.",
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
            note=(
                "a comment by a colleague who may hold its type (not its author) takes it in "
                "review and, if no one holds it, to them"
            ),
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
        Transition(
            "assign",
            (RS.OPEN, RS.IN_REVIEW),
            None,
            "assignRequest",
            note="to an active colleague whose role may hold its type; the state is unchanged",
        ),
        Transition(
            "take",
            (RS.OPEN, RS.IN_REVIEW),
            RS.IN_REVIEW,
            "takeRequest",
            note="a colleague whose role may hold its type takes it for themselves",
        ),
        Transition(
            "close",
            (RS.OPEN, RS.IN_REVIEW),
            RS.DONE,
            "closeRequest",
            note="SUPPORT requests, by their assignee only",
        ),
        Transition(
            "cancel",
            (RS.OPEN, RS.IN_REVIEW),
            RS.CANCELLED,
            "cancelRequest",
            note="by its author only, while it is not decided",
        ),
        Transition(
            "end",
            (RS.OPEN, RS.IN_REVIEW),
            RS.CANCELLED,
            None,
            reason_required=True,
            note="when the contract it is about is terminated, or its company closed "
            "(in the same transaction; the reason names the end)",
        ),
    ),
    about="A request is due a number of hours after it opens, set per tenant and type "
    "(`setRequestDueTime`; by default SUPPORT 48 h, EVALUATION and FEE_CHANGE 5 days, "
    "TERMINATION 10 days): `dueAt`, and the `overdue` filter for the undecided ones past it. "
    "Its `updatedAt` is its last activity (opened, commented, moved, decided).",
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
        Transition(
            "regenerateCode",
            (SS.PENDING,),
            None,
            "regenerateActivationCode",
            note="PAYWISH_SOFTPOS only: a new one-time code, shown once; the old one stops "
            "working at once",
        ),
        Transition("block", (SS.ACTIVE,), SS.BLOCKED, "blockService", reason_required=True),
        Transition("unblock", (SS.BLOCKED,), SS.ACTIVE, "unblockService"),
        Transition(
            "expireBlock",
            (SS.BLOCKED,),
            SS.ACTIVE,
            None,
            note=EXPIRY_NOTE,
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
        Transition("expireBlock", (TS.BLOCKED,), TS.ACTIVE, None, note=EXPIRY_NOTE),
        Transition(
            "return",
            (TS.ASSIGNED, TS.ACTIVE, TS.BLOCKED),
            TS.RETURNED,
            None,
            note="when its last live service is deactivated (by `deactivateService` or its "
            "contract's termination); it leaves its shop",
        ),
        Transition(
            "restock",
            (TS.RETURNED,),
            TS.IN_STOCK,
            "restockTerminal",
            reason_required=True,
            note="after a check of the device (the reason says what it found)",
        ),
    ),
    about="A terminal is RETURNED when its last live service ends, whichever way it ends "
    "(`deactivateService`, or its contract's termination): it leaves its shop and its block "
    "is cleared. Once checked, `restockTerminal` puts it back IN_STOCK, to be assigned and "
    "activated again like a new one; its options history stays with it.",
)

SHOP = Lifecycle(
    "shop",
    HS,
    HS.OPEN,
    (
        Transition(
            "close",
            (HS.OPEN,),
            HS.CLOSED,
            "updateShop",
            reason_required=True,
            note="once no service is live there (PENDING, ACTIVE, BLOCKED); its terminals "
            "assigned without a service are returned",
        ),
    ),
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

TERMINAL_COMMAND = Lifecycle(
    "terminal command",
    QS,
    QS.QUEUED,
    (
        Transition(
            "send",
            (QS.QUEUED,),
            QS.SENT,
            "pendingTerminalCommands",
            note="the terminal gateway reads the queued commands (a reading that writes: "
            "each is handed out once)",
        ),
        Transition(
            "complete",
            (QS.QUEUED, QS.SENT),
            QS.DONE,
            "recordTerminalEvents",
            note="the terminal's PARAMETERS_DOWNLOADED, REBOOT or APP_UPDATED event, with "
            "the command's `commandId`",
        ),
        Transition(
            "fail",
            (QS.QUEUED, QS.SENT),
            QS.FAILED,
            "recordTerminalEvents",
            reason_required=True,
            note="the same event with a `failureReason`",
        ),
        Transition(
            "expire",
            (QS.QUEUED, QS.SENT),
            QS.EXPIRED,
            None,
            note="no answer within the tenant's `commandExpiryMinutes` (60 by default); a "
            "sweep (every 30 s) records it",
        ),
    ),
    about="`sendTerminalCommand` (or `sendTerminalCommands`, up to 100 terminals) queues a "
    "command for an ASSIGNED, ACTIVE or BLOCKED terminal: DOWNLOAD_PARAMETERS (PAX only), "
    "REBOOT or UPDATE_APP. One command of a kind waits at a time per terminal. The journal "
    "records who asked (`terminal.command_sent`); every change of state is pushed by "
    "`terminalStatusChanged`. DONE, FAILED and EXPIRED are final: an answer after expiry "
    "is refused (send the event without `commandId`).",
)

LIFECYCLES: tuple[Lifecycle, ...] = (
    COMPANY,
    REQUEST,
    CONTRACT,
    SERVICE,
    TERMINAL,
    TERMINAL_COMMAND,
    SHOP,
    USER,
)


def current_state(lifecycle: Lifecycle, row: Any, now: dt.datetime | None = None) -> enum.Enum:
    """The state a row is in now. A block whose `until` has come is over at that time, for
    every rule that looks at it (ingestion, diagnosis, a new block): the lifecycle's
    `expireBlock` target, even before the sweep (spring/unblocker.py) writes the change and
    its journal entry."""
    status = row.status
    try:
        expiry = lifecycle.find("expireBlock")
    except KeyError:
        return status
    until = getattr(row, "blocked_until", None)
    if status in expiry.sources and until is not None and expiry.target is not None:
        if until <= (now or dt.datetime.now(dt.UTC)):
            return expiry.target
    return status


#: What a reader reads for each entity and state (the state's code follows in parentheses).
ENTITY_LABELS: dict[str, dict[str, str]] = {
    "company": {"fr": "la société", "en": "the company"},
    "request": {"fr": "la demande", "en": "the request"},
    "contract": {"fr": "le contrat", "en": "the contract"},
    "service": {"fr": "le service", "en": "the service"},
    "terminal": {"fr": "le terminal", "en": "the terminal"},
    "shop": {"fr": "le magasin", "en": "the shop"},
    "user": {"fr": "le compte", "en": "the account"},
    "terminal command": {"fr": "la commande", "en": "the command"},
}
STATE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "company": {
        "PROSPECT": {"fr": "prospect", "en": "a prospect"},
        "EVALUATION": {"fr": "en évaluation", "en": "under evaluation"},
        "APPROVED": {"fr": "approuvée", "en": "approved"},
        "REJECTED": {"fr": "refusée", "en": "rejected"},
        "ACTIVE": {"fr": "active", "en": "active"},
        "SUSPENDED": {"fr": "suspendue", "en": "suspended"},
        "CLOSED": {"fr": "fermée", "en": "closed"},
    },
    "request": {
        "OPEN": {"fr": "ouverte", "en": "open"},
        "IN_REVIEW": {"fr": "en cours d'examen", "en": "in review"},
        "APPROVED": {"fr": "approuvée", "en": "approved"},
        "REJECTED": {"fr": "refusée", "en": "rejected"},
        "DONE": {"fr": "traitée", "en": "done"},
        "CANCELLED": {"fr": "annulée", "en": "cancelled"},
    },
    "contract": {
        "DRAFT": {"fr": "en brouillon", "en": "a draft"},
        "SIGNED": {"fr": "signé", "en": "signed"},
        "ACTIVE": {"fr": "actif", "en": "active"},
        "SUSPENDED": {"fr": "suspendu", "en": "suspended"},
        "TERMINATED": {"fr": "résilié", "en": "terminated"},
    },
    "service": {
        "PENDING": {"fr": "en attente", "en": "pending"},
        "ACTIVE": {"fr": "actif", "en": "active"},
        "BLOCKED": {"fr": "bloqué", "en": "blocked"},
        "DEACTIVATED": {"fr": "désactivé", "en": "deactivated"},
    },
    "terminal": {
        "IN_STOCK": {"fr": "en stock", "en": "in stock"},
        "ASSIGNED": {"fr": "affecté", "en": "assigned"},
        "ACTIVE": {"fr": "actif", "en": "active"},
        "BLOCKED": {"fr": "bloqué", "en": "blocked"},
        "RETURNED": {"fr": "restitué", "en": "returned"},
    },
    "shop": {
        "OPEN": {"fr": "ouvert", "en": "open"},
        "CLOSED": {"fr": "fermé", "en": "closed"},
    },
    "user": {
        "ACTIVE": {"fr": "actif", "en": "active"},
        "DEACTIVATED": {"fr": "désactivé", "en": "deactivated"},
    },
    "terminal command": {
        "QUEUED": {"fr": "en file d'attente", "en": "queued"},
        "SENT": {"fr": "transmise", "en": "sent"},
        "DONE": {"fr": "exécutée", "en": "done"},
        "FAILED": {"fr": "en échec", "en": "failed"},
        "EXPIRED": {"fr": "expirée", "en": "expired"},
    },
}


def _label(labels: dict[str, str], locale: str) -> str:
    return labels.get(locale) or labels[DEFAULT_LOCALE]


def state_label(lifecycle: Lifecycle, state: enum.Enum, locale: str) -> str:
    """`suspendu (SUSPENDED)`: the state in the reader's language, then its code."""
    labels = STATE_LABELS.get(lifecycle.entity, {}).get(str(state.value))
    return f"{_label(labels, locale)} ({state.value})" if labels else str(state.value)


def operations_open_to(
    lifecycle: Lifecycle, state: enum.Enum, principal: Principal | None
) -> list[str]:
    """The mutations the reader may run from `state`: the table's operations (never what
    the system does by itself, like expireBlock) that the policy lets the reader run."""
    found: list[str] = []
    for transition in lifecycle.transitions:
        operation = transition.operation
        if state not in transition.sources or operation is None or operation in found:
            continue
        if principal is None or policy.may_run(principal, operation):
            found.append(operation)
    return found


def check_transition(
    lifecycle: Lifecycle, state: enum.Enum, action: str, reader: Actor | str
) -> Transition:
    """The transition for `action` from `state`, or Refused(INVALID_TRANSITION): it names the
    entity and its state in the reader's language and the mutations the reader may run from
    that state. `reader`: the actor (or only a locale when no one in particular reads it)."""
    transition = lifecycle.find(action)
    if state not in transition.sources:
        locale = reader if isinstance(reader, str) else reader.locale
        principal = None if isinstance(reader, str) else reader.principal
        allowed = operations_open_to(lifecycle, state, principal)
        entity = ENTITY_LABELS.get(lifecycle.entity)
        error: Refused = refuse(
            locale,
            None,
            UserErrorCode.INVALID_TRANSITION,
            "invalid_transition" if allowed else "invalid_transition_none",
            action=transition.operation or action,
            entity=_label(entity, locale) if entity else lifecycle.entity,
            state=state_label(lifecycle, state, locale),
            allowed=", ".join(allowed),
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
        "user error `INVALID_TRANSITION`, which names the entity and its current state in the",
        "reader's language (`Accept-Language`) and the mutations the reader's role may run from",
        "that state (never what the system does by itself).",
        "",
    ]
    for lifecycle in LIFECYCLES:
        states = " · ".join(s.value for s in lifecycle.states)
        lines += [
            f"## {lifecycle.entity.title()}",
            "",
            f"States: {states}. A new {lifecycle.entity} starts `{lifecycle.initial.value}`.",
            "",
            *([lifecycle.about, ""] if lifecycle.about else []),
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
