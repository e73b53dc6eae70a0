"""Root field `diagnoseTerminal`: checks with a verdict and a hint (computes, writes nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import diagnosis as rd
from resolvers.errors import NotFound, Text
from schema.descriptions import described_enum
from schema.permissions import allowed, roles_note
from schema.relay import decode_id
from schema.scalars import JSON
from schema.terminals.types import Terminal

DiagnosisVerdict = described_enum(
    rd.Verdict,
    name="DiagnosisVerdict",
    description="OK, WARNING (look at it) or FAILED.",
    values={
        "OK": "Nothing wrong here.",
        "WARNING": "Payments may still work, but something needs a look (the hint says what).",
        "FAILED": "This stops the terminal from taking payments (the hint says what to do).",
    },
)
DiagnosisCheckCode = described_enum(
    rd.CheckCode,
    name="DiagnosisCheckCode",
    description="What a diagnosis check looks at.",
    values={
        "TERMINAL_STATUS": "The terminal's own state (in stock, assigned, active, blocked, "
        "returned).",
        "SHOP": "The shop the terminal is assigned to: is it open?",
        "SERVICE": "The payment service running on the terminal: active, pending, blocked?",
        "CONTRACT": "The contract of that service: signed or active, not suspended or terminated?",
        "COMPANY": "The merchant's company: approved or active?",
        "HEARTBEAT": "Connectivity: when the last heartbeat arrived.",
        "OPTIONS": "Whether the device applied the latest options version.",
        "ERROR_EVENTS": "Error events reported by the device over the last 24 hours.",
        "DECLINE_RATE": "Share of declined transactions over the last 24 hours.",
        "RESPONSE_CODES": "The most frequent decline response codes over the last 24 hours.",
    },
)


@strawberry.type(description="One check of a terminal's diagnosis.")
class DiagnosisCheck:
    code: DiagnosisCheckCode = strawberry.field(description="Which check this is.")
    verdict: DiagnosisVerdict = strawberry.field(
        description="Whether this check found the terminal fine (OK), worth a look (WARNING) or "
        "unable to take payments (FAILED)."
    )
    title: str = strawberry.field(description="In the caller's language (Accept-Language).")
    hint: str = strawberry.field(
        description="What it means and what to do, in the caller's language (Accept-Language)."
    )
    hint_fr: str = strawberry.field(
        description="The hint in French, whatever the caller's language."
    )
    hint_en: str = strawberry.field(
        description="The hint in English, whatever the caller's language."
    )
    details: JSON = strawberry.field(
        description=(
            "The facts the verdict rests on; references (`shopId`, `serviceId`, `contractId`, "
            "`companyId`) are global ids, followed with `node(id:)`."
        )
    )


@strawberry.type(description="Why can (or can't) this terminal take payments?")
class TerminalDiagnosis:
    terminal: Terminal = strawberry.field(description="The terminal diagnosed.")
    verdict: DiagnosisVerdict = strawberry.field(description="The worst verdict of the checks.")
    checks: list[DiagnosisCheck] = strawberry.field(
        description="Every check, in a fixed order: states first, then connectivity, options, "
        "errors and declines."
    )
    diagnosed_at: dt.datetime = strawberry.field(
        description="When the diagnosis was computed (UTC); it is not stored."
    )


def _view(diagnosis: rd.Diagnosis, locale: str) -> TerminalDiagnosis:
    return TerminalDiagnosis(
        terminal=diagnosis.terminal,  # type: ignore[arg-type]
        verdict=diagnosis.verdict,
        checks=[
            DiagnosisCheck(
                code=c.code,
                verdict=c.verdict,
                title=c.title(locale),
                hint=c.hint(locale),
                hint_fr=c.hint_fr,
                hint_en=c.hint_en,
                details=c.details,  # type: ignore[arg-type]
            )
            for c in diagnosis.checks
        ],
        diagnosed_at=diagnosis.diagnosed_at,
    )


async def diagnose_terminal(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="Global ID of the terminal to diagnose.")
    ],
) -> TerminalDiagnosis | None:
    terminal_id = decode_id(str(id), "Terminal", "id")
    locale = info.context.locale()
    async with info.context.db_session() as session:
        diagnosis = await rd.diagnose_terminal(session, terminal_id)
    if diagnosis is None:
        raise NotFound(Text("terminal_not_found"), id=str(id))
    return _view(diagnosis, locale)


@strawberry.type
class DiagnosisQuery:
    diagnose_terminal: TerminalDiagnosis | None = strawberry.field(
        resolver=diagnose_terminal,
        description="Check a terminal's states, blocks, connectivity, options, errors and "
        "declines over 24 h; each check has a verdict and a hint. Writes nothing. "
        + roles_note("diagnoseTerminal"),
        extensions=allowed("diagnoseTerminal"),
    )
