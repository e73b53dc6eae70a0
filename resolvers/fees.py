"""Fee schedules as data: validation, and the form stored in a FEE_CHANGE request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.enums import CardScheme, FeeRegion
from resolvers.errors import UserErrorCode as C
from resolvers.validation import Validator

MAX_FEE_LINES = 100


@dataclass(frozen=True)
class FeeLineData:
    scheme: CardScheme
    region: FeeRegion
    rate_bps: int
    fixed_fee: int


@dataclass(frozen=True)
class FeeScheduleData:
    currency: str
    terminal_rental_monthly: int
    softpos_fee_monthly: int
    lines: tuple[FeeLineData, ...]
    effective_from: dt.date | None = None

    def to_payload(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "terminalRentalMonthly": self.terminal_rental_monthly,
            "softposFeeMonthly": self.softpos_fee_monthly,
            "effectiveFrom": self.effective_from.isoformat() if self.effective_from else None,
            "lines": [
                {
                    "scheme": line.scheme.value,
                    "region": line.region.value,
                    "rateBps": line.rate_bps,
                    "fixedFee": line.fixed_fee,
                }
                for line in self.lines
            ],
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> FeeScheduleData:
        effective = payload.get("effectiveFrom")
        return cls(
            currency=payload["currency"],
            terminal_rental_monthly=int(payload["terminalRentalMonthly"]),
            softpos_fee_monthly=int(payload["softposFeeMonthly"]),
            effective_from=dt.date.fromisoformat(effective) if effective else None,
            lines=tuple(
                FeeLineData(
                    scheme=CardScheme(line["scheme"]),
                    region=FeeRegion(line["region"]),
                    rate_bps=int(line["rateBps"]),
                    fixed_fee=int(line["fixedFee"]),
                )
                for line in payload["lines"]
            ),
        )


def validate_fee_schedule(
    v: Validator, path: Sequence[str], data: FeeScheduleData, *, today: dt.date | None = None
) -> FeeScheduleData:
    """Check currency, amounts, basis points and unique (scheme, region) lines."""
    path = list(path)
    currency = v.currency([*path, "currency"], data.currency)
    v.amount([*path, "terminalRentalMonthly"], data.terminal_rental_monthly)
    v.amount([*path, "softposFeeMonthly"], data.softpos_fee_monthly)
    if not data.lines:
        v.add([*path, "lines"], C.REQUIRED, "required")
    if len(data.lines) > MAX_FEE_LINES:
        v.add([*path, "lines"], C.TOO_MANY, "too_many", max=MAX_FEE_LINES)
    seen: set[tuple[CardScheme, FeeRegion]] = set()
    for i, line in enumerate(data.lines):
        line_path = [*path, "lines", str(i)]
        v.bps([*line_path, "rateBps"], line.rate_bps)
        v.amount([*line_path, "fixedFee"], line.fixed_fee)
        key = (line.scheme, line.region)
        if key in seen:
            v.add(
                line_path,
                C.DUPLICATE,
                "fee_lines_duplicate",
                scheme=line.scheme.value,
                region=line.region.value,
            )
        seen.add(key)
    today = today or dt.datetime.now(dt.UTC).date()
    if data.effective_from is not None and data.effective_from < today:
        v.add([*path, "effectiveFrom"], C.INVALID, "effective_past")
    return FeeScheduleData(
        currency=currency or data.currency,
        terminal_rental_monthly=data.terminal_rental_monthly,
        softpos_fee_monthly=data.softpos_fee_monthly,
        lines=data.lines,
        effective_from=data.effective_from,
    )
