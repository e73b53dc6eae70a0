"""The checks: one pure function per concern (terminal, shop, service, contract, company,
heartbeat, options, errors, decline rate, response codes), each a verdict and a hint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db import models as m
from db.enums import (
    CompanyStatus,
    ContractStatus,
    ServiceStatus,
    ShopStatus,
    TerminalKind,
    TerminalStatus,
    TransactionStatus,
)
from db.ids import encode_references
from resolvers import lifecycles, localtime
from resolvers.diagnosis.hints import HINTS, RANK, TITLES, CheckCode, Verdict
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
