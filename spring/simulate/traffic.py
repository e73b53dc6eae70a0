"""The traffic model: what a second of the fleet's life sends (payments, refunds, heartbeats,
silences, errors, command answers), drawn from one random generator."""

from __future__ import annotations

import collections
import datetime as dt
import math
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spring.simulate.config import (
    _BASE32,
    BINS,
    BLOCKED_VOLUME,
    COMMAND_FAILURE_RATE,
    COMMAND_FAILURES,
    CONTACTLESS_LIMIT,
    CURRENCY,
    HEARTBEAT_EVERY,
    REFUND_RATE,
    REFUSALS,
    SCHEMES,
    SOFTPOS_VOLUME,
    TERMINAL_ERRORS,
)
from spring.simulate.fleet import SimTerminal

# =========================================================================== the traffic


def _b32(number: int) -> str:
    digits = []
    while True:
        number, rest = divmod(number, 32)
        digits.append(_BASE32[rest])
        if number == 0:
            return "".join(reversed(digits))


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@dataclass
class _Sold:
    """An approved payment, for a later refund."""

    external_id: str
    tid: str
    amount: int
    scheme: str
    masked_pan: str
    entry_mode: str


class TrafficModel:
    """Draws transactions and events (GraphQL inputs); pure but for its random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        #: Letters only, so a digit run never spans the run tag and the counter.
        self.run = "".join(rng.choices(string.ascii_uppercase, k=6))
        self.count = 0
        self.medians: dict[str, float] = {}
        self.sold: collections.deque[_Sold] = collections.deque(maxlen=300)

    def external_id(self) -> str:
        """`SIM-<run>-<counter in base32>`: unique per run; at most 7 digits in a row."""
        self.count += 1
        return f"SIM-{self.run}-{_b32(self.count)}"

    def median(self, terminal: SimTerminal) -> float:
        """Each terminal has its own typical basket (a bakery is not an optician)."""
        if terminal.tid not in self.medians:
            low, high = (800, 3500) if terminal.softpos else (1200, 6500)
            self.medians[terminal.tid] = self.rng.uniform(low, high)
        return self.medians[terminal.tid]

    def weight(self, terminal: SimTerminal) -> float:
        if terminal.blocked:
            return BLOCKED_VOLUME
        return SOFTPOS_VOLUME if terminal.softpos else 1.0

    def pick(self, terminals: Sequence[SimTerminal], count: int) -> list[SimTerminal]:
        if not terminals or count <= 0:
            return []
        weights = [self.weight(t) for t in terminals]
        return self.rng.choices(list(terminals), weights=weights, k=count)

    def transaction(self, terminal: SimTerminal, at: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        mine = [s for s in self.sold if s.tid == terminal.tid]
        if mine and not terminal.blocked and rng.random() < REFUND_RATE:
            original = rng.choice(mine)
            self.sold.remove(original)
            amount = original.amount
            if rng.random() < 0.4:
                amount = max(100, int(amount * rng.uniform(0.2, 0.9)))
            return {
                "externalId": self.external_id(),
                "tid": terminal.tid,
                "type": "REFUND",
                "amount": amount,
                "currency": CURRENCY,
                "scheme": original.scheme,
                "entryMode": original.entry_mode,
                "status": "APPROVED",
                "responseCode": "00",
                "maskedPan": original.masked_pan,
                "originalExternalId": original.external_id,
                "occurredAt": _iso(at),
            }
        scheme = rng.choices([s for s, _ in SCHEMES], weights=[w for _, w in SCHEMES])[0]
        amount = max(100, int(rng.lognormvariate(math.log(self.median(terminal)), 0.75)))
        if terminal.softpos:
            mode = "TAP_TO_PAY"
        elif amount > CONTACTLESS_LIMIT:
            mode = "CHIP" if rng.random() < 0.9 else "CONTACTLESS"
        else:
            mode = "CONTACTLESS" if rng.random() < 0.8 else "CHIP"
        status, code, auth = "APPROVED", "00", None
        r = rng.random()
        for refused_status, refused_code, weight in REFUSALS:
            if r < weight:
                status, code = refused_status, refused_code
                if code == "55" and mode == "CONTACTLESS":
                    code = "05"  # no PIN is entered on a contactless payment under the limit
                break
            r -= weight
        if status == "APPROVED":
            auth = "".join(rng.choices(string.ascii_uppercase + string.digits, k=6))
        last4 = f"{rng.randrange(10_000):04d}"
        return {
            "externalId": self.external_id(),
            "tid": terminal.tid,
            "type": "PURCHASE",
            "amount": amount,
            "currency": CURRENCY,
            "scheme": scheme,
            "entryMode": mode,
            "status": status,
            "responseCode": code,
            "authorizationCode": auth,
            "maskedPan": f"{rng.choice(BINS[scheme])}******{last4}",
            "occurredAt": _iso(at),
        }

    def remember(self, sent: dict[str, Any], stored_status: str) -> None:
        """An approved purchase may be refunded later."""
        if sent["type"] == "PURCHASE" and stored_status == "APPROVED":
            self.sold.append(
                _Sold(
                    sent["externalId"],
                    sent["tid"],
                    sent["amount"],
                    sent["scheme"],
                    sent["maskedPan"],
                    sent["entryMode"],
                )
            )

    def heartbeat(self, terminal: SimTerminal, at: dt.datetime) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "periodSeconds": int(HEARTBEAT_EVERY),
            "network": "4G" if terminal.softpos else self.rng.choice(("WIFI", "ETH", "4G")),
            "signalDbm": -self.rng.randint(55, 95),
        }
        if terminal.softpos:
            payload["battery"] = self.rng.randint(25, 100)
        return {
            "tid": terminal.tid,
            "kind": "HEARTBEAT",
            "occurredAt": _iso(at),
            "payload": payload,
        }

    def acknowledgement(self, terminal: SimTerminal, version: int, at: dt.datetime) -> dict:
        return {
            "tid": terminal.tid,
            "kind": "PARAMETERS_DOWNLOADED",
            "code": str(version),
            "message": f"Paramètres version {version} appliqués",
            "occurredAt": _iso(at),
            "payload": {"optionsVersion": version},
        }

    def error(self, terminal: SimTerminal, at: dt.datetime) -> dict[str, Any]:
        code, message = self.rng.choice(TERMINAL_ERRORS[terminal.softpos])
        return {
            "tid": terminal.tid,
            "kind": "ERROR",
            "code": code,
            "message": message,
            "occurredAt": _iso(at),
        }

    def answer(self, terminal: SimTerminal, command: dict[str, Any], at: dt.datetime) -> dict:
        """The terminal's event answering a command of the gateway: done, or now and then
        failed with the reason a terminal would give."""
        kind = command["kind"]
        event: dict[str, Any] = {
            "tid": terminal.tid,
            "occurredAt": _iso(at),
            "commandId": command["id"],
        }
        version = terminal.pending_version or terminal.options_version
        cannot = kind == "DOWNLOAD_PARAMETERS" and version is None
        if cannot or self.rng.random() < COMMAND_FAILURE_RATE:
            reason = COMMAND_FAILURES[kind]
            kinds = {
                "DOWNLOAD_PARAMETERS": "PARAMETERS_DOWNLOADED",
                "REBOOT": "REBOOT",
                "UPDATE_APP": "APP_UPDATED",
            }
            return {**event, "kind": kinds[kind], "failureReason": reason, "message": reason}
        if kind == "REBOOT":
            return {
                **event,
                "kind": "REBOOT",
                "code": "REMOTE_COMMAND",
                "message": "Redémarrage demandé à distance",
            }
        if kind == "UPDATE_APP":
            release = (
                f"{5 + self.rng.randint(0, 1)}.{self.rng.randint(0, 9)}.{self.rng.randint(0, 9)}"
            )
            return {
                **event,
                "kind": "APP_UPDATED",
                "code": release,
                "message": f"Application mise à jour en {release}",
            }
        assert version is not None
        return {
            **event,
            "kind": "PARAMETERS_DOWNLOADED",
            "code": str(version),
            "message": f"Paramètres version {version} téléchargés à la demande",
            "payload": {"optionsVersion": version},
        }

    def reboot(self, terminal: SimTerminal, at: dt.datetime, silent_for: float) -> dict:
        minutes = max(1, round(silent_for / 60))
        return {
            "tid": terminal.tid,
            "kind": "REBOOT",
            "code": "NETWORK_RECOVERY",
            "message": f"Redémarrage après {minutes} min sans réseau",
            "occurredAt": _iso(at),
        }
