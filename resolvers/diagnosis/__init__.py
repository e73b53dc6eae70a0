"""`diagnoseTerminal`: why can't this terminal take payments?

Computes, writes nothing. A handful of statements (the terminal with its shop, company and
tenant; its services with their contract and company; its latest options version; aggregates
of its error events and of its transactions over 24 h), then one check per concern, each with
a verdict (OK / WARNING / FAILED) and a plain-language hint in French and English.

| module | holds |
|---|---|
| `hints` | verdicts, check codes, titles and hints (fr, en) |
| `checks` | one pure function per concern |
| `queries` | `diagnose_terminal`: the facts, then the checks |

This package exports the public names of each (`from resolvers import diagnosis`);
modules of resolvers/ import from the submodule itself.
"""

from resolvers.diagnosis.checks import (
    DECLINE_FAILED,
    DECLINE_MIN_TRANSACTIONS,
    DECLINE_WARNING,
    ERRORS_FAILED,
    ERRORS_WARNING,
    OUR_SIDE,
    REFUSED,
    SERVICE_PRIORITY,
    TOP_CODES,
    WINDOW,
    Check,
    Diagnosis,
    ErrorStats,
    check_company,
    check_contract,
    check_decline_rate,
    check_errors,
    check_heartbeat,
    check_options,
    check_response_codes,
    check_service,
    check_shop,
    check_terminal,
)
from resolvers.diagnosis.hints import (
    HINTS,
    RANK,
    TITLES,
    CheckCode,
    Verdict,
)
from resolvers.diagnosis.queries import (
    diagnose_terminal,
)

__all__ = [
    "DECLINE_FAILED",
    "DECLINE_MIN_TRANSACTIONS",
    "DECLINE_WARNING",
    "ERRORS_FAILED",
    "ERRORS_WARNING",
    "HINTS",
    "OUR_SIDE",
    "RANK",
    "REFUSED",
    "SERVICE_PRIORITY",
    "TITLES",
    "TOP_CODES",
    "WINDOW",
    "Check",
    "CheckCode",
    "Diagnosis",
    "ErrorStats",
    "Verdict",
    "check_company",
    "check_contract",
    "check_decline_rate",
    "check_errors",
    "check_heartbeat",
    "check_options",
    "check_response_codes",
    "check_service",
    "check_shop",
    "check_terminal",
    "diagnose_terminal",
]
