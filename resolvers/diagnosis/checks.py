"""`diagnoseTerminal`: why can't this terminal take payments?

Computes, writes nothing. A handful of statements (the terminal with its shop, company and
tenant; its services with their contract and company; its latest options version; aggregates
of its error events and of its transactions over 24 h), then one check per concern, each with
a verdict (OK / WARNING / FAILED) and a plain-language hint in French and English.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    CompanyStatus,
    ContractStatus,
    ServiceStatus,
    ShopStatus,
    TerminalEventKind,
    TerminalKind,
    TerminalStatus,
    TransactionStatus,
)
from db.ids import encode_references
from resolvers import lifecycles, localtime
from resolvers.messages import DEFAULT_LOCALE
from resolvers.response_codes import BLOCKED_MERCHANT_CODE, ResponseCategory, describe
from resolvers.terminals.queries import (
    Connectivity,
    OptionsStatus,
    connectivity_of,
    options_status_of,
)

WINDOW = dt.timedelta(hours=24)
#: Decline rate above which the check warns, and above which it fails.
DECLINE_WARNING = 0.15
DECLINE_FAILED = 0.50
#: Below this many transactions in the window, a decline rate says nothing.
DECLINE_MIN_TRANSACTIONS = 10
#: Error events in the window from which the check warns, and fails.
ERRORS_WARNING = 1
ERRORS_FAILED = 10
TOP_CODES = 3
#: Transactions that count as refused.
REFUSED = (TransactionStatus.DECLINED, TransactionStatus.ERROR)


class Verdict(enum.StrEnum):
    OK = "OK"
    WARNING = "WARNING"
    FAILED = "FAILED"


RANK = {Verdict.OK: 0, Verdict.WARNING: 1, Verdict.FAILED: 2}


class CheckCode(enum.StrEnum):
    TERMINAL_STATUS = "TERMINAL_STATUS"
    SHOP = "SHOP"
    SERVICE = "SERVICE"
    CONTRACT = "CONTRACT"
    COMPANY = "COMPANY"
    HEARTBEAT = "HEARTBEAT"
    OPTIONS = "OPTIONS"
    ERROR_EVENTS = "ERROR_EVENTS"
    DECLINE_RATE = "DECLINE_RATE"
    RESPONSE_CODES = "RESPONSE_CODES"


TITLES: dict[CheckCode, dict[str, str]] = {
    CheckCode.TERMINAL_STATUS: {"fr": "État du terminal", "en": "Terminal status"},
    CheckCode.SHOP: {"fr": "Magasin", "en": "Shop"},
    CheckCode.SERVICE: {"fr": "Service de paiement", "en": "Payment service"},
    CheckCode.CONTRACT: {"fr": "Contrat", "en": "Contract"},
    CheckCode.COMPANY: {"fr": "Société", "en": "Company"},
    CheckCode.HEARTBEAT: {"fr": "Connexion (dernier signal)", "en": "Connectivity (heartbeat)"},
    CheckCode.OPTIONS: {"fr": "Paramètres appliqués", "en": "Options applied"},
    CheckCode.ERROR_EVENTS: {"fr": "Erreurs sur 24 h", "en": "Errors over 24 h"},
    CheckCode.DECLINE_RATE: {"fr": "Taux de refus sur 24 h", "en": "Decline rate over 24 h"},
    CheckCode.RESPONSE_CODES: {"fr": "Motifs de refus", "en": "Decline reasons"},
}

#: Hint key → {locale: template}. Templates use str.format fields.
HINTS: dict[str, dict[str, str]] = {
    "terminal_active": {
        "fr": "Le terminal est actif.",
        "en": "The terminal is active.",
    },
    "terminal_blocked": {
        "fr": "Le terminal est bloqué ({reason}){until}. Il refuse tout paiement : "
        "débloquez-le quand le motif est levé.",
        "en": "The terminal is blocked ({reason}){until}. It refuses every payment: "
        "unblock it once the reason is cleared.",
    },
    "terminal_returned": {
        "fr": "Le terminal a été restitué : il n'est plus en service.",
        "en": "The terminal was returned: it is out of service.",
    },
    "terminal_in_stock": {
        "fr": "Le terminal est en stock : affectez-le à un magasin puis activez un service.",
        "en": "The terminal is in stock: assign it to a shop, then activate a service.",
    },
    "terminal_assigned": {
        "fr": "Le terminal est affecté mais aucun service n'y est activé : activez le service.",
        "en": "The terminal is assigned but no service runs on it: activate the service.",
    },
    "shop_open": {"fr": "Le magasin {name} est ouvert.", "en": "The shop {name} is open."},
    "shop_none": {
        "fr": "Le terminal n'est affecté à aucun magasin.",
        "en": "The terminal is assigned to no shop.",
    },
    "shop_closed": {
        "fr": "Le magasin {name} est fermé : ses terminaux ne peuvent plus encaisser.",
        "en": "The shop {name} is closed: its terminals cannot take payments.",
    },
    "service_active": {
        "fr": "Le service {kind} est actif.",
        "en": "The {kind} service is active.",
    },
    "service_none": {
        "fr": "Aucun service de paiement n'utilise ce terminal : activez-en un.",
        "en": "No payment service uses this terminal: activate one.",
    },
    "service_blocked": {
        "fr": "Le service {kind} est bloqué ({reason}){until} : les paiements sont refusés "
        "(code {code}). Débloquez-le quand le motif est levé.",
        "en": "The {kind} service is blocked ({reason}){until}: payments are declined "
        "(code {code}). Unblock it once the reason is cleared.",
    },
    "service_pending": {
        "fr": "Le service {kind} attend son activation.",
        "en": "The {kind} service is waiting for its activation.",
    },
    "service_deactivated": {
        "fr": "Le service {kind} de ce terminal est désactivé.",
        "en": "The {kind} service of this terminal is deactivated.",
    },
    "contract_unknown": {
        "fr": "Non vérifié : aucun service ne relie ce terminal à un contrat.",
        "en": "Not checked: no service links this terminal to a contract.",
    },
    "contract_active": {
        "fr": "Le contrat {number} est actif.",
        "en": "Contract {number} is active.",
    },
    "contract_signed": {
        "fr": "Le contrat {number} est signé mais pas encore actif.",
        "en": "Contract {number} is signed but not active yet.",
    },
    "contract_draft": {
        "fr": "Le contrat {number} est un brouillon : il doit être signé.",
        "en": "Contract {number} is a draft: it must be signed.",
    },
    "contract_suspended": {
        "fr": "Le contrat {number} est suspendu{reason} : les paiements sont refusés. "
        "Seul un superviseur peut le reprendre.",
        "en": "Contract {number} is suspended{reason}: payments are declined. "
        "Only a supervisor can resume it.",
    },
    "contract_terminated": {
        "fr": "Le contrat {number} est résilié{reason}.",
        "en": "Contract {number} is terminated{reason}.",
    },
    "company_unknown": {
        "fr": "Non vérifié : ce terminal n'est relié à aucune société.",
        "en": "Not checked: this terminal is linked to no company.",
    },
    "company_active": {
        "fr": "La société {name} est active.",
        "en": "The company {name} is active.",
    },
    "company_approved": {
        "fr": "La société {name} est agréée mais pas encore active.",
        "en": "The company {name} is approved but not active yet.",
    },
    "company_inactive": {
        "fr": "La société {name} est {status} : elle ne peut pas encaisser.",
        "en": "The company {name} is {status}: it cannot take payments.",
    },
    "heartbeat_ok": {
        "fr": "En ligne : dernier signal il y a {ago}.",
        "en": "Online: last heartbeat {ago} ago.",
    },
    "heartbeat_never": {
        "fr": "Le terminal n'a jamais envoyé de signal : vérifiez qu'il est allumé, "
        "connecté au réseau et paramétré.",
        "en": "The terminal never sent a heartbeat: check it is switched on, connected "
        "and configured.",
    },
    "heartbeat_stale": {
        "fr": "Hors ligne : dernier signal il y a {ago} ({at}), attendu toutes les {interval} s. "
        "Vérifiez l'alimentation et la connexion (Wi-Fi, 4G, Ethernet).",
        "en": "Offline: last heartbeat {ago} ago ({at}), expected every {interval} s. "
        "Check power and network (Wi-Fi, 4G, Ethernet).",
    },
    "options_not_applicable": {
        "fr": "Sans objet : un téléphone SoftPOS n'a pas de paramètres de terminal.",
        "en": "Not applicable: a SoftPOS phone has no terminal options.",
    },
    "options_none": {
        "fr": "Aucun paramétrage n'a été défini : le terminal garde ses réglages d'usine.",
        "en": "No options were set: the terminal keeps its factory settings.",
    },
    "options_applied": {
        "fr": "La version {version} des paramètres est appliquée sur le terminal.",
        "en": "Options version {version} is applied on the terminal.",
    },
    "options_pending": {
        "fr": "La version {version} des paramètres attend depuis {since} d'être téléchargée "
        "par le terminal (version appliquée : {applied}). Envoyez-lui la commande "
        "DOWNLOAD_PARAMETERS (sendTerminalCommand) ; s'il ne répond pas, la commande REBOOT.",
        "en": "Options version {version} has waited since {since} for the terminal to "
        "download it (applied version: {applied}). Send it the DOWNLOAD_PARAMETERS command "
        "(sendTerminalCommand); if it does not answer, the REBOOT command.",
    },
    "errors_none": {
        "fr": "Aucune erreur signalée sur 24 h.",
        "en": "No error reported over 24 h.",
    },
    "errors_some": {
        "fr": "{count} erreur(s) sur 24 h, la dernière : {code} {message} ({at}).",
        "en": "{count} error(s) over 24 h, the latest: {code} {message} ({at}).",
    },
    "declines_no_traffic": {
        "fr": "Aucune transaction sur 24 h.",
        "en": "No transaction over 24 h.",
    },
    "declines_too_few": {
        "fr": "{declined} refus sur {total} transactions : trop peu pour juger.",
        "en": "{declined} declines out of {total} transactions: too few to judge.",
    },
    "declines_rate": {
        "fr": "{rate} % de refus ({declined} sur {total} transactions en 24 h).",
        "en": "{rate}% declined ({declined} of {total} transactions over 24 h).",
    },
    "codes_none": {
        "fr": "Aucun refus sur 24 h.",
        "en": "No decline over 24 h.",
    },
    "codes_issuer": {
        "fr": "Premier motif : {code} « {label} » ({count} fois) — refus côté carte ou banque "
        "du porteur, pas un problème du terminal.",
        "en": "Top reason: {code} \u201c{label}\u201d ({count} times) — declined on the "
        "card or issuer's side, not a terminal problem.",
    },
    "codes_ours": {
        "fr": "Premier motif : {code} « {label} » ({count} fois) — à traiter de notre côté "
        "(commerçant, terminal ou liaison technique).",
        "en": "Top reason: {code} \u201c{label}\u201d ({count} times) — to be handled on our "
        "side (merchant, terminal or technical link).",
    },
}

#: Response code categories that point at the merchant, the terminal or the platform.
OUR_SIDE = (ResponseCategory.MERCHANT_OR_TERMINAL, ResponseCategory.TECHNICAL)


@dataclass(frozen=True)
class Check:
    code: CheckCode
    verdict: Verdict
    hint_fr: str
    hint_en: str
    details: dict[str, Any] = field(default_factory=dict)

    def title(self, locale: str) -> str:
        titles = TITLES[self.code]
        return titles.get(locale) or titles[DEFAULT_LOCALE]

    def hint(self, locale: str) -> str:
        return self.hint_en if locale == "en" else self.hint_fr


@dataclass(frozen=True)
class Diagnosis:
    terminal: m.Terminal
    checks: list[Check]
    diagnosed_at: dt.datetime

    @property
    def verdict(self) -> Verdict:
        return max((c.verdict for c in self.checks), key=RANK.__getitem__, default=Verdict.OK)


def _check(
    check: CheckCode,
    verdict: Verdict,
    key: str,
    details: dict[str, Any] | None = None,
    /,
    **params: Any,
) -> Check:
    """A check whose hint is HINTS[key]; a param given as {fr:..., en:...} is localised."""

    def text(locale: str) -> str:
        values = {k: (v[locale] if isinstance(v, dict) else v) for k, v in params.items()}
        return HINTS[key][locale].format(**values)

    # References in the details are global ids, as `node(id:)` takes them.
    return Check(check, verdict, text("fr"), text("en"), encode_references(details or {}))


def _at(value: dt.datetime | None, zone: str = "UTC") -> str:
    """A time in a hint: the tenant's local wall-clock time and its zone's abbreviation."""
    return localtime.local_text(value, zone)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _ago(delta: dt.timedelta) -> dict[str, str]:
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 120:
        return {"fr": f"{seconds} s", "en": f"{seconds} s"}
    minutes = seconds // 60
    if minutes < 120:
        return {"fr": f"{minutes} min", "en": f"{minutes} min"}
    hours = minutes // 60
    if hours < 48:
        return {"fr": f"{hours} h", "en": f"{hours} h"}
    days = hours // 24
    return {"fr": f"{days} jours", "en": f"{days} days"}


def _until(value: dt.datetime | None, zone: str = "UTC") -> dict[str, str]:
    if value is None:
        return {"fr": "", "en": ""}
    at = _at(value, zone)
    return {"fr": f" jusqu'au {at}", "en": f" until {at}"}


def _reason(value: str | None) -> dict[str, str]:
    return {"fr": f" ({value})", "en": f" ({value})"} if value else {"fr": "", "en": ""}


# --------------------------------------------------------------------------- the checks


def check_terminal(terminal: m.Terminal, zone: str = "UTC") -> Check:
    c, status = CheckCode.TERMINAL_STATUS, terminal.status
    details = {
        "status": status.value,
        "blockedReason": terminal.blocked_reason,
        "blockedUntil": _iso(terminal.blocked_until),
    }
    # A block whose `until` has passed is over, even before the sweep records it.
    if lifecycles.current_state(lifecycles.TERMINAL, terminal) is TerminalStatus.ACTIVE:
        return _check(c, Verdict.OK, "terminal_active", details)
    if status is TerminalStatus.BLOCKED:
        return _check(
            c,
            Verdict.FAILED,
            "terminal_blocked",
            details,
            reason=terminal.blocked_reason or "—",
            until=_until(terminal.blocked_until, zone),
        )
    key = {
        TerminalStatus.RETURNED: "terminal_returned",
        TerminalStatus.IN_STOCK: "terminal_in_stock",
        TerminalStatus.ASSIGNED: "terminal_assigned",
    }[status]
    return _check(c, Verdict.FAILED, key, details)


def check_shop(shop: m.Shop | None) -> Check:
    c = CheckCode.SHOP
    if shop is None:
        return _check(c, Verdict.FAILED, "shop_none")
    details = {"shopId": str(shop.id), "name": shop.name, "status": shop.status.value}
    if shop.status is ShopStatus.OPEN:
        return _check(c, Verdict.OK, "shop_open", details, name=shop.name)
    return _check(c, Verdict.FAILED, "shop_closed", details, name=shop.name)


#: Which of a terminal's services the diagnosis looks at first.
SERVICE_PRIORITY = {
    ServiceStatus.ACTIVE: 0,
    ServiceStatus.BLOCKED: 1,
    ServiceStatus.PENDING: 2,
    ServiceStatus.DEACTIVATED: 3,
}


def check_service(service: m.Service | None, count: int, zone: str = "UTC") -> Check:
    c = CheckCode.SERVICE
    if service is None:
        return _check(c, Verdict.FAILED, "service_none", {"services": 0})
    details = {
        "serviceId": str(service.id),
        "kind": service.kind.value,
        "status": service.status.value,
        "blockedReason": service.blocked_reason,
        "blockedAt": _iso(service.blocked_at),
        "blockedUntil": _iso(service.blocked_until),
        "services": count,
    }
    kind = service.kind.value
    # A block whose `until` has passed is over, even before the sweep records it.
    if lifecycles.current_state(lifecycles.SERVICE, service) is ServiceStatus.ACTIVE:
        return _check(c, Verdict.OK, "service_active", details, kind=kind)
    if service.status is ServiceStatus.BLOCKED:
        return _check(
            c,
            Verdict.FAILED,
            "service_blocked",
            details,
            kind=kind,
            code=BLOCKED_MERCHANT_CODE,
            reason=service.blocked_reason or "—",
            until=_until(service.blocked_until, zone),
        )
    key = "service_pending" if service.status is ServiceStatus.PENDING else "service_deactivated"
    return _check(c, Verdict.FAILED, key, details, kind=kind)


def check_contract(contract: m.Contract | None) -> Check:
    c = CheckCode.CONTRACT
    if contract is None:
        return _check(c, Verdict.WARNING, "contract_unknown")
    details = {
        "contractId": str(contract.id),
        "number": contract.number,
        "status": contract.status.value,
        "statusReason": contract.status_reason,
    }
    status, number = contract.status, contract.number
    if status is ContractStatus.ACTIVE:
        return _check(c, Verdict.OK, "contract_active", details, number=number)
    if status is ContractStatus.SIGNED:
        return _check(c, Verdict.WARNING, "contract_signed", details, number=number)
    if status is ContractStatus.DRAFT:
        return _check(c, Verdict.FAILED, "contract_draft", details, number=number)
    key = "contract_suspended" if status is ContractStatus.SUSPENDED else "contract_terminated"
    return _check(
        c, Verdict.FAILED, key, details, number=number, reason=_reason(contract.status_reason)
    )


def check_company(company: m.Company | None) -> Check:
    c = CheckCode.COMPANY
    if company is None:
        return _check(c, Verdict.WARNING, "company_unknown")
    name = company.trade_name or company.legal_name
    details = {
        "companyId": str(company.id),
        "name": name,
        "status": company.status.value,
        "statusReason": company.status_reason,
    }
    if company.status is CompanyStatus.ACTIVE:
        return _check(c, Verdict.OK, "company_active", details, name=name)
    if company.status is CompanyStatus.APPROVED:
        return _check(c, Verdict.WARNING, "company_approved", details, name=name)
    return _check(
        c, Verdict.FAILED, "company_inactive", details, name=name, status=company.status.value
    )


def check_heartbeat(
    terminal: m.Terminal, interval_s: int, now: dt.datetime, zone: str = "UTC"
) -> Check:
    c = CheckCode.HEARTBEAT
    last = terminal.last_heartbeat_at
    connectivity = connectivity_of(last, interval_s, now)
    details: dict[str, Any] = {
        "connectivity": connectivity.value,
        "lastHeartbeatAt": _iso(last),
        "lastSeenAt": _iso(terminal.last_seen_at),
        "intervalSeconds": interval_s,
    }
    if last is None:
        return _check(c, Verdict.FAILED, "heartbeat_never", details)
    details["secondsSinceLast"] = int((now - last).total_seconds())
    if connectivity is Connectivity.ONLINE:
        return _check(c, Verdict.OK, "heartbeat_ok", details, ago=_ago(now - last))
    return _check(
        c,
        Verdict.FAILED,
        "heartbeat_stale",
        details,
        ago=_ago(now - last),
        at=_at(last, zone),
        interval=interval_s,
    )


def check_options(
    terminal: m.Terminal,
    latest_version: int | None,
    latest_created_at: dt.datetime | None,
    zone: str = "UTC",
) -> Check:
    c = CheckCode.OPTIONS
    if terminal.kind is not TerminalKind.PAX:
        return _check(c, Verdict.OK, "options_not_applicable")
    status = options_status_of(latest_version, terminal.applied_options_version)
    details = {
        "status": status.value if status else None,
        "latestVersion": latest_version,
        "appliedVersion": terminal.applied_options_version,
        "appliedAt": _iso(terminal.options_applied_at),
        "pendingSince": _iso(latest_created_at) if status is OptionsStatus.PENDING else None,
        # What to do about it: the command that makes the terminal download its options.
        "suggestedCommand": "DOWNLOAD_PARAMETERS" if status is OptionsStatus.PENDING else None,
    }
    if status is None:
        return _check(c, Verdict.WARNING, "options_none", details)
    if status is OptionsStatus.APPLIED:
        return _check(c, Verdict.OK, "options_applied", details, version=latest_version)
    return _check(
        c,
        Verdict.WARNING,
        "options_pending",
        details,
        version=latest_version,
        since=_at(latest_created_at, zone),
        applied=terminal.applied_options_version or "—",
    )


@dataclass(frozen=True)
class ErrorStats:
    count: int
    by_code: list[dict[str, Any]]
    latest_code: str | None = None
    latest_message: str | None = None
    latest_at: dt.datetime | None = None


def check_errors(stats: ErrorStats, zone: str = "UTC") -> Check:
    c = CheckCode.ERROR_EVENTS
    details = {
        "count": stats.count,
        "byCode": stats.by_code,
        "latest": {
            "code": stats.latest_code,
            "message": stats.latest_message,
            "occurredAt": _iso(stats.latest_at),
        }
        if stats.count
        else None,
    }
    if stats.count < ERRORS_WARNING:
        return _check(c, Verdict.OK, "errors_none", details)
    verdict = Verdict.FAILED if stats.count >= ERRORS_FAILED else Verdict.WARNING
    return _check(
        c,
        verdict,
        "errors_some",
        details,
        count=stats.count,
        code=stats.latest_code or "",
        message=stats.latest_message or "",
        at=_at(stats.latest_at, zone),
    )


def check_decline_rate(total: int, declined: int) -> Check:
    c = CheckCode.DECLINE_RATE
    rate = declined / total if total else 0.0
    details = {
        "total": total,
        "declined": declined,
        "rate": round(rate, 4),
        "warningAbove": DECLINE_WARNING,
        "failedAbove": DECLINE_FAILED,
        "minimumTransactions": DECLINE_MIN_TRANSACTIONS,
    }
    if total == 0:
        return _check(c, Verdict.OK, "declines_no_traffic", details)
    if total < DECLINE_MIN_TRANSACTIONS:
        return _check(c, Verdict.OK, "declines_too_few", details, total=total, declined=declined)
    if rate > DECLINE_FAILED:
        verdict = Verdict.FAILED
    elif rate > DECLINE_WARNING:
        verdict = Verdict.WARNING
    else:
        verdict = Verdict.OK
    percent = f"{rate * 100:.1f}"
    return _check(
        c,
        verdict,
        "declines_rate",
        details,
        rate={"fr": percent.replace(".", ","), "en": percent},
        declined=declined,
        total=total,
    )


def check_response_codes(top: list[tuple[str, int]]) -> Check:
    c = CheckCode.RESPONSE_CODES
    codes = []
    for code, count in top:
        known = describe(code)
        codes.append(
            {
                "code": code,
                "count": count,
                "labelFr": known.label_fr if known else None,
                "labelEn": known.label_en if known else None,
                "category": known.category.value if known else None,
                "retryable": known.retryable if known else None,
            }
        )
    details = {"top": codes}
    if not codes:
        return _check(c, Verdict.OK, "codes_none", details)
    first = codes[0]
    ours = first["category"] in {cat.value for cat in OUR_SIDE} or first["category"] is None
    label = {
        "fr": first["labelFr"] or "code inconnu",
        "en": first["labelEn"] or "unknown code",
    }
    return _check(
        c,
        Verdict.WARNING if ours else Verdict.OK,
        "codes_ours" if ours else "codes_issuer",
        details,
        code=first["code"],
        label=label,
        count=first["count"],
    )


# --------------------------------------------------------------------------- the queries


async def diagnose_terminal(
    session: AsyncSession, terminal_id: uuid.UUID, now: dt.datetime | None = None
) -> Diagnosis | None:
    """Every check for one terminal of the session's tenant; None when it is not visible."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - WINDOW

    # 1. The terminal, its shop, the shop's company, the tenant's heartbeat interval.
    row = (
        await session.execute(
            select(m.Terminal, m.Shop, m.Company, m.Tenant.heartbeat_interval_s, m.Tenant.time_zone)
            .join(m.Tenant, m.Tenant.id == m.Terminal.tenant_id)
            .outerjoin(
                m.Shop,
                and_(m.Shop.tenant_id == m.Terminal.tenant_id, m.Shop.id == m.Terminal.shop_id),
            )
            .outerjoin(
                m.Company,
                and_(m.Company.tenant_id == m.Shop.tenant_id, m.Company.id == m.Shop.company_id),
            )
            .where(m.Terminal.id == terminal_id)
        )
    ).one_or_none()
    if row is None:
        return None
    terminal, shop, shop_company, interval_s, zone = row

    # 2. Its services, with their contract and the contract's company.
    services = (
        await session.execute(
            select(m.Service, m.Contract, m.Company)
            .join(
                m.Contract,
                and_(
                    m.Contract.tenant_id == m.Service.tenant_id,
                    m.Contract.id == m.Service.contract_id,
                ),
            )
            .join(
                m.Company,
                and_(
                    m.Company.tenant_id == m.Contract.tenant_id,
                    m.Company.id == m.Contract.company_id,
                ),
            )
            .where(m.Service.terminal_id == terminal.id)
            .order_by(m.Service.created_at.desc())
        )
    ).all()
    service = contract = None
    company = shop_company
    if services:
        service, contract, company = min(services, key=lambda r: SERVICE_PRIORITY[r[0].status])

    # 3. The latest options version.
    latest = (
        await session.execute(
            select(m.TerminalOptions.version_number, m.TerminalOptions.created_at)
            .where(m.TerminalOptions.terminal_id == terminal.id)
            .order_by(m.TerminalOptions.version_number.desc())
            .limit(1)
        )
    ).one_or_none()

    # 4. Error events of the window: per code, then the latest one.
    in_window = and_(
        m.TerminalEvent.terminal_id == terminal.id,
        m.TerminalEvent.kind == TerminalEventKind.ERROR,
        m.TerminalEvent.occurred_at >= since,
    )
    per_code = (
        await session.execute(
            select(
                m.TerminalEvent.code,
                func.count().label("n"),
                func.max(m.TerminalEvent.occurred_at).label("last"),
            )
            .where(in_window)
            .group_by(m.TerminalEvent.code)
            .order_by(func.count().desc(), m.TerminalEvent.code)
        )
    ).all()
    error_count = sum(r.n for r in per_code)
    errors = ErrorStats(
        count=error_count,
        by_code=[{"code": r.code, "count": r.n, "lastAt": _iso(r.last)} for r in per_code],
    )
    if error_count:
        last_error = (
            await session.execute(
                select(m.TerminalEvent.code, m.TerminalEvent.message, m.TerminalEvent.occurred_at)
                .where(in_window)
                .order_by(m.TerminalEvent.occurred_at.desc())
                .limit(1)
            )
        ).one()
        errors = ErrorStats(
            count=error_count,
            by_code=errors.by_code,
            latest_code=last_error.code,
            latest_message=last_error.message,
            latest_at=last_error.occurred_at,
        )

    # 5. Transactions of the window: how many, how many refused, and the top refusal codes.
    tx_window = and_(m.Transaction.terminal_id == terminal.id, m.Transaction.occurred_at >= since)
    refused = m.Transaction.status.in_(REFUSED)
    totals = (
        await session.execute(select(func.count(), func.count().filter(refused)).where(tx_window))
    ).one()
    total, declined = int(totals[0]), int(totals[1])
    top: list[tuple[str, int]] = []
    if declined:
        top = [
            (r[0], int(r[1]))
            for r in (
                await session.execute(
                    select(m.Transaction.response_code, func.count())
                    .where(tx_window, refused)
                    .group_by(m.Transaction.response_code)
                    .order_by(func.count().desc(), m.Transaction.response_code)
                    .limit(TOP_CODES)
                )
            ).all()
        ]

    checks = [
        check_terminal(terminal, zone),
        check_shop(shop),
        check_service(service, len(services), zone),
        check_contract(contract),
        check_company(company),
        check_heartbeat(terminal, int(interval_s or 60), now, zone),
        check_options(terminal, latest[0] if latest else None, latest[1] if latest else None, zone),
        check_errors(errors, zone),
        check_decline_rate(total, declined),
        check_response_codes(top),
    ]
    return Diagnosis(terminal=terminal, checks=checks, diagnosed_at=now)
