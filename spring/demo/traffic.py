"""The demo builder's traffic: 30 days of card transactions and terminal events."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import uuid
from typing import Any

from db import enums as e
from db.identifiers import mask_pan
from spring.demo.companies import _Companies
from spring.demo.description import (
    _BINS,
    _CONTACTLESS_LIMIT,
    _DECLINES,
    _ERRORS,
    _HOURLY,
    _MCC,
    _SOFTPOS_VOLUME,
    _TERMINAL_ERRORS_PAX,
    _TERMINAL_ERRORS_SOFTPOS,
    _WEEKLY,
    BLOCKED_RESPONSE_CODE,
    TRANSACTION_DAYS,
    UTC,
    Row,
)
from spring.demo.world import _ALNUM, _HOURS, _millis, _pick, _Traffic, external_id


class _Activity(_Companies):
    """Transactions and terminal events on the terminals of live services."""

    # ------------------------------------------------------------------ traffic

    def build_transactions(self, tr: _Traffic) -> None:
        rng, now = self.rng, self.now
        profile, daily, median, sigma = _MCC[tr.mcc]
        daily *= tr.spec.volume * (_SOFTPOS_VOLUME if tr.spec.softpos else 1.0)
        cumulative = list(itertools.accumulate(_HOURLY[profile]))
        weekly = _WEEKLY[profile]
        start = max(self.w.window_start, tr.active_from)
        end = tr.alive_until
        mu = math.log(median)
        softpos = tr.spec.softpos
        unattended = tr.spec.model == "IM30"
        hotel = profile == "hotel"
        refund_rate = 0.012 if profile in ("grocery", "retail", "pharmacy") else 0.003
        schemes = ("CB", "VISA", "MASTERCARD")
        # Tourist places see more foreign Visa and Mastercard cards.
        scheme_cumulative = (45, 77, 100) if hotel else (68, 87, 100)
        manual = bool(
            self.options.get(tr.terminal["id"])
            and self.options[tr.terminal["id"]][0]["manual_entry"]
        )
        base = {
            "tenant_id": self.id,
            "terminal_id": tr.terminal["id"],
            "shop_id": tr.shop["id"],
            "company_id": tr.company["id"],
            "contract_id": tr.contract["id"],
            "service_id": tr.service["id"],
            "currency": "EUR",
        }
        out = tr.transactions
        recent: list[Row] = []
        local_now = now.astimezone(tr.region.tz)

        def refused_at(t: dt.datetime) -> bool:
            return any(a <= t < b for a, b in tr.refused)

        def row(
            t: dt.datetime,
            kind: str,
            amount: int,
            scheme: str,
            pan: str,
            mode: str,
            status: str,
            code: str,
            auth: str | None,
            original: uuid.UUID | None = None,
        ) -> Row:
            r = {
                **base,
                "id": self.w.uid(),
                "external_id": "",
                "type": kind,
                "amount": amount,
                "scheme": scheme,
                "masked_pan": pan,
                "entry_mode": mode,
                "status": status,
                "response_code": code,
                "authorization_code": auth,
                "original_transaction_id": original,
                "occurred_at": t,
                "recorded_at": t,
            }
            out.append(r)
            return r

        def auth_code() -> str:
            if rng.random() < 0.7:
                return f"{rng.randrange(1_000_000):06d}"
            return "".join(rng.choices(_ALNUM, k=6))

        for d in range(TRANSACTION_DAYS, -1, -1):
            day = (local_now - dt.timedelta(days=d)).date()
            mean = daily * weekly[day.weekday()]
            n = max(0, round(rng.gauss(mean, math.sqrt(mean) * 1.3)))
            if n == 0:
                continue
            midnight = dt.datetime.combine(day, dt.time(0), tr.region.tz)
            hours = rng.choices(_HOURS, cum_weights=cumulative, k=n)
            times = sorted(
                _millis(
                    (midnight + dt.timedelta(hours=h, seconds=rng.random() * 3600)).astimezone(UTC)
                )
                for h in hours
            )
            for t in times:
                if t < start or t > end:
                    continue
                refused = refused_at(t)
                if refused and rng.random() > 0.04:
                    continue  # a blocked merchant soon stops trying
                # A refund of an earlier purchase.
                if not refused and recent and rng.random() < refund_rate:
                    original = rng.choice(recent)
                    amount = original["amount"]
                    if rng.random() < 0.4:
                        amount = max(100, int(amount * rng.uniform(0.2, 0.9)))
                    row(
                        t,
                        "REFUND",
                        amount,
                        original["scheme"],
                        original["masked_pan"],
                        "TAP_TO_PAY" if softpos else rng.choice(("CHIP", "CONTACTLESS")),
                        "APPROVED",
                        "00",
                        None,
                        original["id"],
                    )
                    continue
                scheme = rng.choices(schemes, cum_weights=scheme_cumulative)[0]
                pan = mask_pan(rng.choice(_BINS[scheme]), f"{rng.randrange(10000):04d}")
                kind = "PURCHASE"
                amount = max(100, int(rng.lognormvariate(mu, sigma)))
                if unattended:
                    kind, amount = "PRE_AUTHORIZATION", 12000
                elif hotel and rng.random() < 0.22:
                    kind, amount = "PRE_AUTHORIZATION", rng.choice((20000, 30000, 40000, 50000))
                if softpos:
                    mode = "TAP_TO_PAY"
                elif amount > _CONTACTLESS_LIMIT or unattended:
                    mode = "CHIP" if rng.random() < 0.88 else "CONTACTLESS"
                else:
                    r = rng.random()
                    mode = (
                        "CONTACTLESS"
                        if r < 0.78
                        else "CHIP"
                        if r < 0.985
                        else "MAGSTRIPE"
                        if r < 0.992 or not manual
                        else "MANUAL"
                    )
                if refused:
                    status, code, auth = "DECLINED", BLOCKED_RESPONSE_CODE, None
                else:
                    r = rng.random()
                    if r < 0.052:
                        code = _pick(rng, _DECLINES)
                        if code == "55" and mode not in ("CHIP", "TAP_TO_PAY"):
                            code = "05"
                        if code == "65" and mode not in ("CONTACTLESS", "TAP_TO_PAY"):
                            code = "05"
                        status, auth = "DECLINED", None
                    elif r < 0.06:
                        status, code, auth = "ERROR", _pick(rng, _ERRORS), None
                    else:
                        status, code, auth = "APPROVED", "00", auth_code()
                tx = row(t, kind, amount, scheme, pan, mode, status, code, auth)
                if status != "APPROVED":
                    continue
                if kind == "PURCHASE":
                    recent.append(tx)
                    if len(recent) > 400:
                        del recent[:200]
                    if rng.random() < 0.004:
                        back = _millis(t + dt.timedelta(seconds=rng.uniform(5, 90)))
                        if back <= end:
                            row(
                                back,
                                "REVERSAL",
                                amount,
                                scheme,
                                pan,
                                mode,
                                "APPROVED",
                                "00",
                                None,
                                tx["id"],
                            )
                else:
                    if unattended:
                        done = t + dt.timedelta(minutes=rng.uniform(2, 6))
                        final = min(amount, max(500, int(rng.lognormvariate(mu, sigma))))
                    else:
                        done = t + dt.timedelta(days=rng.uniform(1, 4))
                        final = int(amount * rng.uniform(0.35, 1.0))
                    done = _millis(done)
                    if done <= end and not refused_at(done):
                        row(
                            done,
                            "COMPLETION",
                            final,
                            scheme,
                            pan,
                            mode,
                            "APPROVED",
                            "00",
                            auth,
                            tx["id"],
                        )

        out.sort(key=lambda r: (r["occurred_at"], r["type"]))
        tid = tr.terminal["tid"]
        for seq, tx in enumerate(out, start=1):
            tx["external_id"] = external_id(tid, tx["occurred_at"], seq)
            delay = dt.timedelta(seconds=rng.uniform(0.15, 2.5))
            tx["recorded_at"] = min(now, _millis(tx["occurred_at"] + delay))

    def build_events(self, tr: _Traffic) -> None:
        """Heartbeats (summarised per hour, then per day), reboots, settlements, errors."""
        rng, terminal = self.rng, tr.terminal
        tz = tr.region.tz
        begin = max(self.w.window_start, tr.active_from)
        last = tr.alive_until
        softpos = tr.spec.softpos
        portable = softpos or tr.spec.model in ("A920Pro", "A77", "S920")
        network = rng.choice(("WIFI", "4G")) if portable else "ETH"
        hb = e.TerminalEventKind.HEARTBEAT

        def heartbeat(t: dt.datetime, period: int) -> None:
            payload: dict[str, Any] = {
                "count": period // 60,
                "periodSeconds": period,
                "network": network,
                "signalDbm": -rng.randint(55, 95),
            }
            if portable:
                payload["battery"] = rng.randint(25, 100)
            self.event(terminal, hb, t, None, None, payload)

        heartbeat(last, 60)
        for k in range(1, 24):
            t = last - dt.timedelta(hours=k)
            if t < begin:
                break
            heartbeat(t, 3600)
        for k in range(1, TRANSACTION_DAYS + 1):
            t = last - dt.timedelta(days=k)
            if t < begin:
                break
            heartbeat(t, 86400)
        terminal["last_heartbeat_at"] = last
        last_tx = tr.transactions[-1]["occurred_at"] if tr.transactions else last
        terminal["last_seen_at"] = max(last, last_tx)

        local_now = self.now.astimezone(tz)
        days = [(local_now - dt.timedelta(days=d)).date() for d in range(TRANSACTION_DAYS, -1, -1)]

        def local(day: dt.date, hour: float) -> dt.datetime:
            return _millis(
                (dt.datetime.combine(day, dt.time(0), tz) + dt.timedelta(hours=hour)).astimezone(
                    UTC
                )
            )

        if not softpos:
            for day in days:
                t = local(day, 3 + rng.random())
                if begin <= t <= last:
                    self.event(
                        terminal,
                        e.TerminalEventKind.REBOOT,
                        t,
                        "DAILY_REBOOT",
                        "Redémarrage quotidien de sécurité",
                    )
            # Settlement (télécollecte) of the day's approved payments at the set time.
            assert tr.settlement is not None
            txs = [t for t in tr.transactions if t["status"] == "APPROVED"]
            i = 0
            for day in days:
                at = local(day, tr.settlement.hour + tr.settlement.minute / 60)
                count = amount = 0
                while i < len(txs) and txs[i]["occurred_at"] < at:
                    tx = txs[i]
                    sign = -1 if tx["type"] in ("REFUND", "REVERSAL") else 1
                    if tx["type"] != "PRE_AUTHORIZATION":
                        count += 1
                        amount += sign * tx["amount"]
                    i += 1
                if begin <= at <= last:
                    self.event(
                        terminal,
                        e.TerminalEventKind.SETTLEMENT,
                        at,
                        "TLC_OK",
                        f"Télécollecte : {count} opérations",
                        {"count": count, "amount": amount, "currency": "EUR"},
                    )
        errors = _TERMINAL_ERRORS_SOFTPOS if softpos else _TERMINAL_ERRORS_PAX
        profile_hours = _HOURLY[_MCC[tr.mcc][0]]
        open_hours = [h for h, w in enumerate(profile_hours) if w >= 3]
        for day in days:
            if rng.random() < 0.18:
                code, message = rng.choice(errors)
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    self.event(terminal, e.TerminalEventKind.ERROR, t, code, message)
            if not softpos and rng.random() < 0.12:
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    self.event(
                        terminal, e.TerminalEventKind.PAPER_OUT, t, "PAPER_OUT", "Plus de papier"
                    )
            if portable and rng.random() < 0.1:
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    level = rng.randint(5, 15)
                    self.event(
                        terminal,
                        e.TerminalEventKind.LOW_BATTERY,
                        t,
                        "LOW_BATTERY",
                        f"Batterie faible ({level} %)",
                        {"battery": level},
                    )
        # Failed authorisations leave a trace on the terminal.
        for tx in tr.transactions:
            if tx["status"] == "ERROR" and rng.random() < 0.5:
                code, message = (
                    ("AUTH_HOST_UNREACHABLE", "Serveur d'autorisation injoignable")
                    if tx["response_code"] == "91"
                    else ("AUTH_SYSTEM_ERROR", "Erreur système du serveur d'autorisation")
                )
                self.event(
                    terminal,
                    e.TerminalEventKind.ERROR,
                    tx["occurred_at"],
                    code,
                    message,
                    {"externalId": tx["external_id"], "responseCode": tx["response_code"]},
                )
        # A terminal that went silent logged network errors first.
        if tr.spec.stale_hours is not None:
            for k in range(3):
                t = _millis(last - dt.timedelta(minutes=5 + 9 * k + rng.uniform(0, 5)))
                self.event(
                    terminal,
                    e.TerminalEventKind.ERROR,
                    t,
                    "NET_TIMEOUT",
                    "Délai de connexion au serveur d'autorisation dépassé",
                )
