"""What each notification kind tells and to whom: the audience of each kind (from the
policy: who may read what it is about), its texts in French and English, and rendering.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from db.enums import NotificationKind as K
from resolvers.messages import DEFAULT_LOCALE
from tenancy import policy
from tenancy.principal import Principal
from tenancy.roles import Role

#: How long notifications (and sent mails, and told episodes) are kept.


RETENTION = dt.timedelta(days=90)

_STAFF = (Role.SELLER, Role.HOTLINE, Role.TECHNICIAN, Role.SUPERVISOR)
_FLEET = (Role.HOTLINE, Role.TECHNICIAN)


@dataclass(frozen=True)
class KindRule:
    """What a kind is about (its object's GraphQL type) and who is told by role, if anyone
    is told by role (else only the people named where it is made)."""

    subject: str
    roles: tuple[Role, ...] = ()
    #: Sent by e-mail unless the user switched it off (personal news: on; fleet news: off).
    email: bool = False


RULES: dict[K, KindRule] = {
    K.REQUEST_ASSIGNED: KindRule("Request", email=True),
    K.REQUEST_COMMENTED: KindRule("Request", email=True),
    K.REQUEST_DECIDED: KindRule("Request", email=True),
    K.REQUEST_CLOSED: KindRule("Request", email=True),
    K.EVALUATION_APPROVED: KindRule("Company", email=True),
    K.EVALUATION_REJECTED: KindRule("Company", email=True),
    K.SERVICE_BLOCKED: KindRule("Service", _FLEET),
    K.SERVICE_UNBLOCKED: KindRule("Service", _FLEET),
    K.SERVICE_BLOCK_EXPIRED: KindRule("Service", _FLEET),
    K.TERMINAL_BLOCKED: KindRule("Terminal", _FLEET),
    K.TERMINAL_UNBLOCKED: KindRule("Terminal", _FLEET),
    K.TERMINAL_BLOCK_EXPIRED: KindRule("Terminal", _FLEET),
    K.TERMINAL_OFFLINE: KindRule("Terminal", (Role.TECHNICIAN,)),
    K.OPTIONS_PENDING: KindRule("Terminal", (Role.TECHNICIAN,)),
    K.FEE_CHANGE_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
    K.TERMINATION_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
    K.CONTRACT_SIGNED: KindRule("Contract", (Role.SUPERVISOR,)),
    K.EVALUATION_REQUESTED: KindRule("Request", (Role.SUPERVISOR,), email=True),
}


def _as_role(role: Role) -> Principal:
    return Principal(user_id=uuid.UUID(int=0), email="", full_name="", role=role, tenant_id=None)


def audience(kind: K) -> tuple[Role, ...]:
    """The roles that may be told of this kind: those that may read what it is about."""
    subject = RULES[kind].subject
    return tuple(r for r in _STAFF if policy.node_readable(_as_role(r), subject))


def kinds_for(principal: Principal) -> list[K]:
    """The kinds this caller may read now (a role change hides what no longer fits)."""
    role = policy.effective_role(principal)
    return [k for k in K if role in audience(k)]


# --------------------------------------------------------------------------- the catalogue

#: kind → (title, body) per locale; str.format fields are the notification's parameters.
MESSAGES: dict[K, dict[str, tuple[str, str]]] = {
    K.REQUEST_ASSIGNED: {
        "fr": (
            "Demande {reference} assignée",
            "{by} vous a assigné la demande {reference} : {subject}.",
        ),
        "en": (
            "Request {reference} assigned",
            "{by} assigned request {reference} to you: {subject}.",
        ),
    },
    K.REQUEST_COMMENTED: {
        "fr": (
            "Nouveau commentaire sur {reference}",
            "{by} a commenté la demande {reference} : « {excerpt} »",
        ),
        "en": ("New comment on {reference}", "{by} commented request {reference}: “{excerpt}”"),
    },
    K.REQUEST_DECIDED: {
        "fr": (
            "Demande {reference} : {status}",
            "{by} a traité la demande {reference} ({status}).",
        ),
        "en": ("Request {reference}: {status}", "{by} decided request {reference} ({status})."),
    },
    K.REQUEST_CLOSED: {
        "fr": ("Demande {reference} close", "La demande {reference} est close : {reason}"),
        "en": ("Request {reference} closed", "Request {reference} was closed: {reason}"),
    },
    K.EVALUATION_APPROVED: {
        "fr": (
            "Évaluation approuvée : {company}",
            "{by} a approuvé l'évaluation de {company} ({reference}) : le contrat peut être créé.",
        ),
        "en": (
            "Evaluation approved: {company}",
            "{by} approved the evaluation of {company} ({reference}): the contract can be created.",
        ),
    },
    K.EVALUATION_REJECTED: {
        "fr": (
            "Évaluation refusée : {company}",
            "{by} a refusé l'évaluation de {company} ({reference}) : {reason}",
        ),
        "en": (
            "Evaluation rejected: {company}",
            "{by} rejected the evaluation of {company} ({reference}): {reason}",
        ),
    },
    K.SERVICE_BLOCKED: {
        "fr": (
            "Service bloqué : {shop}",
            "{by} a bloqué le service {service} de {shop} : {reason}",
        ),
        "en": ("Service blocked: {shop}", "{by} blocked the {service} service of {shop}: {reason}"),
    },
    K.SERVICE_UNBLOCKED: {
        "fr": ("Service débloqué : {shop}", "{by} a débloqué le service {service} de {shop}."),
        "en": ("Service unblocked: {shop}", "{by} unblocked the {service} service of {shop}."),
    },
    K.SERVICE_BLOCK_EXPIRED: {
        "fr": (
            "Service débloqué : {shop}",
            "Le blocage du service {service} de {shop} a pris fin à son échéance.",
        ),
        "en": (
            "Service unblocked: {shop}",
            "The block of the {service} service of {shop} ended at its set time.",
        ),
    },
    K.TERMINAL_BLOCKED: {
        "fr": ("Terminal {tid} bloqué", "{by} a bloqué le terminal {tid} : {reason}"),
        "en": ("Terminal {tid} blocked", "{by} blocked terminal {tid}: {reason}"),
    },
    K.TERMINAL_UNBLOCKED: {
        "fr": ("Terminal {tid} débloqué", "{by} a débloqué le terminal {tid}."),
        "en": ("Terminal {tid} unblocked", "{by} unblocked terminal {tid}."),
    },
    K.TERMINAL_BLOCK_EXPIRED: {
        "fr": (
            "Terminal {tid} débloqué",
            "Le blocage du terminal {tid} a pris fin à son échéance.",
        ),
        "en": ("Terminal {tid} unblocked", "The block of terminal {tid} ended at its set time."),
    },
    K.TERMINAL_OFFLINE: {
        "fr": (
            "Terminal {tid} hors ligne",
            "Le terminal {tid} n'envoie plus de signal depuis plus de {minutes} minutes "
            "(dernier : {since}).",
        ),
        "en": (
            "Terminal {tid} offline",
            "Terminal {tid} has sent no heartbeat for more than {minutes} minutes (last: {since}).",
        ),
    },
    K.OPTIONS_PENDING: {
        "fr": (
            "Options en attente sur {tid}",
            "La version {version} des options du terminal {tid} n'est pas appliquée "
            "depuis plus de {minutes} minutes.",
        ),
        "en": (
            "Options pending on {tid}",
            "Options version {version} of terminal {tid} has not been applied for more "
            "than {minutes} minutes.",
        ),
    },
    K.FEE_CHANGE_REQUESTED: {
        "fr": (
            "Changement de tarifs demandé",
            "{by} demande un changement de tarifs du contrat {contract} ({company}) : "
            "demande {reference}.",
        ),
        "en": (
            "Fee change asked for",
            "{by} asks for a fee change on contract {contract} ({company}): request {reference}.",
        ),
    },
    K.TERMINATION_REQUESTED: {
        "fr": (
            "Résiliation demandée",
            "{by} demande la résiliation du contrat {contract} ({company}) : demande {reference}.",
        ),
        "en": (
            "Termination asked for",
            "{by} asks for the termination of contract {contract} ({company}): "
            "request {reference}.",
        ),
    },
    K.CONTRACT_SIGNED: {
        "fr": ("Contrat {contract} signé", "{by} a signé le contrat {contract} de {company}."),
        "en": ("Contract {contract} signed", "{by} signed contract {contract} of {company}."),
    },
    K.EVALUATION_REQUESTED: {
        "fr": (
            "Évaluation demandée : {company}",
            "{by} demande l'évaluation commerciale de {company} : demande {reference}.",
        ),
        "en": (
            "Evaluation asked for: {company}",
            "{by} asks for the commercial evaluation of {company}: request {reference}.",
        ),
    },
}

#: (kind, the notification's `variant` parameter) → (title, body) per locale: a kind told in
#: more than one way, each written in the reader's language (never a text made in the
#: actor's language and stored).
VARIANTS: dict[tuple[K, str], dict[str, tuple[str, str]]] = {
    # A request ended because its contract was terminated (terminateContract, or a
    # TERMINATION request approved).
    (K.REQUEST_CLOSED, "contract_ended"): {
        "fr": (
            "Demande {reference} close",
            "La demande {reference} est close : le contrat {contract} a été résilié ({reason}).",
        ),
        "en": (
            "Request {reference} closed",
            "Request {reference} was closed: contract {contract} was terminated ({reason}).",
        ),
    },
    # …or because its company closed with its last contract.
    (K.REQUEST_CLOSED, "company_closed"): {
        "fr": (
            "Demande {reference} close",
            "La demande {reference} est close : la société {company} a fermé ({reason}).",
        ),
        "en": (
            "Request {reference} closed",
            "Request {reference} was closed: company {company} closed ({reason}).",
        ),
    },
}

#: Words put into messages, per locale (request statuses, service kinds).
WORDS: dict[str, dict[str, str]] = {
    "APPROVED": {"fr": "approuvée", "en": "approved"},
    "REJECTED": {"fr": "refusée", "en": "rejected"},
    "DONE": {"fr": "traitée", "en": "done"},
    "PAYWISH_SOFTPOS": {"fr": "Tap to Pay", "en": "Tap to Pay"},
    "PAY_ON_SITE": {"fr": "paiement sur place", "en": "pay on site"},
}


class _Params(dict[str, Any]):
    def __init__(self, values: dict[str, Any], locale: str) -> None:
        super().__init__(values)
        self.locale = locale

    def __missing__(self, key: str) -> str:
        return "—"

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, str) and value in WORDS:
            return WORDS[value].get(self.locale, WORDS[value][DEFAULT_LOCALE])
        return "—" if value is None else value


def render(kind: K | str, params: dict[str, Any], locale: str) -> tuple[str, str]:
    """(title, body) in the reader's language (French by default)."""
    variant = (params or {}).get("variant")
    templates = VARIANTS.get((K(kind), variant)) if isinstance(variant, str) else None
    templates = templates or MESSAGES[K(kind)]
    title, body = templates.get(locale) or templates[DEFAULT_LOCALE]
    values = _Params(params or {}, locale)
    return title.format_map(values), body.format_map(values)
