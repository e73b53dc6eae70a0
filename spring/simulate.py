"""`spring simulate`: realistic live traffic for one tenant, through the public GraphQL API.

The simulator plays the acquiring platform: it logs in as the tenant's SERVICE account and
sends what the terminals of its merchants would produce, with the same two mutations a real
gateway uses (`recordTransactions`, `recordTerminalEvents`). Nothing is written to the database
behind the API's back, so subscriptions, offline detection and options acknowledgement all see
it as real traffic.

What it sends, every second:
- card payments: a Poisson draw around `--rate` per second spread over the terminals (PAX
  terminals more than SoftPOS phones; a blocked merchant only tries now and then), CB for most,
  then Visa and Mastercard; contactless or chip on PAX terminals (chip above the 50 EUR
  contactless limit), Tap to Pay on SoftPOS phones; log-normal amounts in cents; about 6 %
  refused (ISO 8583 05, 51, 55, 61 declined; 91 issuer unavailable); an occasional refund of an
  earlier payment; masked PANs only (BIN + last 4); external ids like `SIM-KQXRTB-AAB4`, whose
  digit runs are too short to pass for a card number (ingestion refuses those);
- a heartbeat for every terminal about every 20 s;
- every few minutes one terminal goes silent long enough to turn OFFLINE, then comes back
  with a reboot;
- now and then a PARAMETERS_DOWNLOADED acknowledgement of an options version the simulator
  knows (see `SimTerminal.options_version`), and a terminal error;
- the terminal gateway's part for commands staff send (`sendTerminalCommand`): every couple
  of seconds it collects the commands queued for its terminals (`pendingTerminalCommands`,
  which marks them SENT) and a few seconds later answers each with the terminal's event and
  the command's id: REBOOT, PARAMETERS_DOWNLOADED (the options version it then runs) or
  APP_UPDATED (a new app version), so the command turns DONE; about one in twenty fails
  (FAILED, with the reason a terminal would give); a silent terminal answers when it is back;
in batches of at most 50, retried with backoff on network or server errors (safe: ingestion is
idempotent by external id), with a new login when the token expires or is refused.

The SERVICE role may not list terminals, so the TIDs come from `--tids`, or, for the demo
tenants, from the demo data's deterministic description (`db.demo.build_demo`, computed without
a database); TIDs the server does not know are dropped after the first heartbeat round.
`spring demo` runs the simulator in the background against its own URL and reads its tenants'
terminals from the database it seeded (`database_fleet`), so it also acknowledges the options
versions staff set during the demo.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import logging
import math
import os
import random
import re
import string
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("spring.simulate")

DEFAULT_URL = "http://127.0.0.1:8000/graphql"
DEFAULT_EMAIL = "service@alizes.demo"
PASSWORD_ENV = "SPRING_SIMULATE_PASSWORD"  # noqa: S105 - a variable name
#: The documented password of the demo accounts (db/demo.py).
DEMO_PASSWORD = "spring-demo"  # noqa: S105
#: What `spring demo` simulates: tenant slug → transactions per second.
DEMO_TRAFFIC: tuple[tuple[str, float], ...] = (("alizes", 2.0), ("ocean", 1.0))

MAX_BATCH = 50
HEARTBEAT_EVERY = 20.0
#: Relative traffic of a SoftPOS phone, and of a terminal whose service or contract refuses
#: payments (a blocked merchant soon stops trying).
SOFTPOS_VOLUME = 0.35
BLOCKED_VOLUME = 0.04
CONTACTLESS_LIMIT = 5000
CURRENCY = "EUR"

#: BINs per scheme: French co-badged CB cards, foreign Visa and Mastercard cards.
BINS: dict[str, tuple[str, ...]] = {
    "CB": ("497010", "497401", "497671", "497355", "513283", "535610", "455674", "532509"),
    "VISA": ("414720", "426684", "453275", "476173", "400115", "491652"),
    "MASTERCARD": ("542418", "552213", "222300", "516320", "545454", "230011"),
}
SCHEMES: tuple[tuple[str, float], ...] = (("CB", 0.68), ("VISA", 0.19), ("MASTERCARD", 0.13))
#: Refusals (about 6 % of payments): status, ISO 8583 code, weight.
REFUSALS: tuple[tuple[str, str, float], ...] = (
    ("DECLINED", "05", 0.017),  # do not honour
    ("DECLINED", "51", 0.015),  # insufficient funds
    ("DECLINED", "55", 0.008),  # incorrect PIN (chip, or PIN on a phone screen)
    ("DECLINED", "61", 0.012),  # exceeds withdrawal amount limit
    ("ERROR", "91", 0.008),  # issuer or switch inoperative
)
REFUND_RATE = 0.008
TERMINAL_ERRORS: dict[bool, tuple[tuple[str, str], ...]] = {
    False: (
        ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
        ("CARD_READ_ERROR", "Lecture de la puce impossible, carte retirée trop tôt"),
        ("PAPER_JAM", "Bourrage papier de l'imprimante"),
    ),
    True: (
        ("NFC_TIMEOUT", "Carte présentée trop brièvement (NFC)"),
        ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
    ),
}

LOGIN = """mutation SimulatorLogin($i: LoginInput!) {
  login(input: $i) { token expiresAt userErrors { code message } } }"""
ME = "query SimulatorWhoAmI { me { email role tenant { slug name } } }"
RECORD_TRANSACTIONS = """mutation SimulatorTransactions($i: RecordTransactionsInput!) {
  recordTransactions(input: $i) {
    created transactions { externalId status } userErrors { field code message } } }"""
RECORD_EVENTS = """mutation SimulatorEvents($i: RecordTerminalEventsInput!) {
  recordTerminalEvents(input: $i) { heartbeats acknowledged userErrors { field code message } } }"""
PENDING_COMMANDS = """query SimulatorCommands($tids: [String!]) {
  pendingTerminalCommands(tids: $tids) { id kind terminal { tid } } }"""
#: Share of commands that fail on the terminal, and the reasons a terminal gives.
COMMAND_FAILURE_RATE = 0.05
COMMAND_FAILURES: dict[str, str] = {
    "DOWNLOAD_PARAMETERS": "Serveur de paramétrage injoignable",
    "REBOOT": "Redémarrage refusé : transaction en cours",
    "UPDATE_APP": "Espace de stockage insuffisant",
}

_TID = re.compile(r"^[A-Z0-9]{8}$")
_BASE32 = string.ascii_uppercase + "234567"


class SimulationError(RuntimeError):
    """The simulation cannot go on (login refused, no known terminal, role not allowed)."""


class _Stopped(Exception):
    """A stop was requested while waiting."""


# =========================================================================== the fleet


@dataclass
class SimTerminal:
    """A terminal the simulator speaks for."""

    tid: str
    softpos: bool = False
    #: Its service is blocked or its contract suspended: payments are refused (code 58), so
    #: it only tries now and then.
    blocked: bool = False
    #: The options version the device runs: re-downloads acknowledge it (None: none known,
    #: so no acknowledgement is sent for it).
    options_version: int | None = None
    #: A newer version set by staff since the simulator started: acknowledged soon.
    pending_version: int | None = None


Fleet = list[SimTerminal]
FleetSource = Callable[[], Awaitable[Fleet]]


def parse_tids(value: str) -> Fleet:
    """`AP1A5RGE,AS1NPFY1:softpos,APWWVZR2:v3`: TIDs, optionally marked `softpos` (Tap to
    Pay) and `vN` (the options version the device runs, acknowledged now and then)."""
    fleet: Fleet = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        tid, *marks = (part.strip() for part in item.split(":"))
        tid = tid.upper()
        if not _TID.match(tid):
            raise ValueError(f"{tid!r} is not a TID (8 letters or digits)")
        terminal = SimTerminal(tid)
        for mark in marks:
            lowered = mark.lower()
            if lowered == "softpos":
                terminal.softpos = True
            elif lowered == "pax":
                terminal.softpos = False
            elif re.fullmatch(r"v[0-9]{1,6}", lowered):
                terminal.options_version = int(lowered[1:])
            else:
                raise ValueError(f"{item!r}: unknown mark {mark!r} (softpos, pax or vN)")
        if any(t.tid == tid for t in fleet):
            raise ValueError(f"{tid} is listed twice")
        fleet.append(terminal)
    if not fleet:
        raise ValueError("no TID given")
    return fleet


def demo_fleet(slug: str, now: dt.datetime | None = None) -> Fleet:
    """The terminals of a demo tenant that take payments, from the demo data's description
    (pure: no database). Terminals the demo leaves silent (OFFLINE) or blocked (lost) are not
    included; terminals of blocked services or suspended contracts are, marked `blocked`.

    The demo draws TIDs from a seeded generator; for some tenants the draw depends on the
    time the demo was seeded, so callers must expect unknown TIDs (the simulator drops them).
    """
    from db import enums as e
    from db.demo import build_demo

    now = (now or dt.datetime.now(dt.UTC)).replace(second=0, microsecond=0)
    data = build_demo(now=now, password_hash="-")  # noqa: S106 - no account is written
    tenant = next((t for t in data.tenants if t["slug"] == slug), None)
    if tenant is None:
        return []
    rows = data.tenant_rows[tenant["id"]]
    terminals = {t["id"]: t for t in rows["terminals"]}
    contracts = {c["id"]: c for c in rows["contracts"]}
    live = (e.ServiceStatus.ACTIVE.value, e.ServiceStatus.BLOCKED.value)
    silent_before = now - dt.timedelta(hours=1)
    fleet: Fleet = []
    for service in rows["services"]:
        terminal = terminals.get(service["terminal_id"])
        if service["status"] not in live or terminal is None:
            continue
        if terminal["status"] != e.TerminalStatus.ACTIVE.value or terminal["shop_id"] is None:
            continue
        beat = terminal["last_heartbeat_at"]
        if beat is not None and beat < silent_before:
            continue
        contract = contracts.get(service["contract_id"])
        fleet.append(
            SimTerminal(
                tid=terminal["tid"],
                softpos=terminal["kind"] == e.TerminalKind.SOFTPOS.value,
                blocked=service["status"] != e.ServiceStatus.ACTIVE.value
                or contract is None
                or contract["status"] != e.ContractStatus.ACTIVE.value,
                options_version=terminal["applied_options_version"],
            )
        )
    return sorted(fleet, key=lambda t: t.tid)


def database_fleet(owner_url: str, slug: str) -> tuple[FleetSource, Callable[[], Awaitable[None]]]:
    """For `spring demo`: a source reading the tenant's live terminals from its database, and
    the function that closes its connection.

    Terminals whose last heartbeat is an hour or more behind the tenant's freshest one are the
    demo's deliberately silent ones: they stay silent. A terminal whose latest options version
    was created after the source started and is not applied yet gets `pending_version`, so the
    simulated device acknowledges the options that staff set during the demo.
    """
    import sqlalchemy as sa

    from db import enums as e
    from db import models as m
    from db.session import Database
    from tenancy.principal import platform_claims, tenant_claims

    db = Database(owner_url, pool_size=1, max_overflow=0)
    started = dt.datetime.now(dt.UTC)
    tenant_ids: dict[str, uuid.UUID] = {}

    async def load() -> Fleet:
        if slug not in tenant_ids:
            async with db.session(platform_claims()) as session:
                found = await session.scalar(sa.select(m.Tenant.id).where(m.Tenant.slug == slug))
            if found is None:
                return []
            tenant_ids[slug] = found
        latest = (
            sa.select(m.TerminalOptions.version_number, m.TerminalOptions.created_at)
            .where(
                m.TerminalOptions.tenant_id == m.Terminal.tenant_id,
                m.TerminalOptions.terminal_id == m.Terminal.id,
            )
            .order_by(m.TerminalOptions.version_number.desc())
            .limit(1)
            .correlate(m.Terminal)
            .lateral("latest")
        )
        query = (
            sa.select(
                m.Terminal.tid,
                m.Terminal.kind,
                m.Terminal.applied_options_version,
                m.Terminal.last_heartbeat_at,
                m.Service.status,
                m.Contract.status,
                latest.c.version_number,
                latest.c.created_at,
            )
            .join(
                m.Service,
                (m.Service.tenant_id == m.Terminal.tenant_id)
                & (m.Service.terminal_id == m.Terminal.id),
            )
            .join(
                m.Contract,
                (m.Contract.tenant_id == m.Service.tenant_id)
                & (m.Contract.id == m.Service.contract_id),
            )
            .outerjoin(latest, sa.true())
            .where(
                # Explicit: the owner may be a superuser, to whom row-level security does not apply.
                m.Terminal.tenant_id == tenant_ids[slug],
                m.Terminal.status == e.TerminalStatus.ACTIVE,
                m.Terminal.shop_id.is_not(None),
                m.Service.status.in_([e.ServiceStatus.ACTIVE, e.ServiceStatus.BLOCKED]),
            )
            .order_by(m.Terminal.tid)
        )
        async with db.session(tenant_claims(tenant_ids[slug])) as session:
            rows = (await session.execute(query)).all()
        beats = [row[3] for row in rows if row[3] is not None]
        silent_before = max(beats) - dt.timedelta(hours=1) if beats else None
        fleet: dict[str, SimTerminal] = {}
        for tid, kind, applied, beat, service, contract, newest, created in rows:
            if beat is not None and silent_before is not None and beat < silent_before:
                continue
            pending = (
                newest
                if newest is not None
                and (applied or 0) < newest
                and created is not None
                and created > started
                else None
            )
            fleet[tid] = SimTerminal(
                tid=tid,
                softpos=kind is e.TerminalKind.SOFTPOS,
                blocked=service is not e.ServiceStatus.ACTIVE
                or contract is not e.ContractStatus.ACTIVE,
                options_version=applied,
                pending_version=pending,
            )
        return list(fleet.values())

    return load, db.dispose


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


# =========================================================================== the simulator


@dataclass
class SimulationConfig:
    url: str = DEFAULT_URL
    email: str = DEFAULT_EMAIL
    password: str = field(default=DEMO_PASSWORD, repr=False)
    #: Transactions per second, on average.
    rate: float = 2.0
    #: Seconds; None: until stopped.
    duration: float | None = None
    seed: int | None = None
    #: The terminals; None: the demo tenant's (see `demo_fleet`).
    fleet: Fleet | None = None
    #: Re-read the fleet from here every `refresh_every` seconds (spring demo).
    fleet_source: FleetSource | None = None
    refresh_every: float = 30.0
    heartbeat_every: float = HEARTBEAT_EVERY
    #: A terminal goes silent `outage_length` seconds, first after `first_outage`, then every
    #: `outage_every` seconds (OFFLINE shows after twice the tenant's heartbeat interval,
    #: 2 x 60 s by default).
    first_outage: float = 60.0
    outage_every: float = 600.0
    outage_length: float = 200.0
    #: Mean seconds between options re-downloads, and between terminal errors (fleet-wide).
    ack_every: float = 180.0
    error_every: float = 120.0
    #: Delay before a device acknowledges a version staff just set.
    ack_delay: tuple[float, float] = (15.0, 45.0)
    #: Seconds between two collections of the commands queued for the terminals (the
    #: gateway's part), and how long a terminal takes to carry one out.
    command_poll_every: float = 2.0
    command_delay: tuple[float, float] = (2.0, 6.0)
    timeout: float = 15.0
    max_backoff: float = 15.0


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    sent: int = 0
    created: int = 0
    approved: int = 0
    declined: int = 0
    failed: int = 0
    blocked: int = 0
    refunds: int = 0
    heartbeats: int = 0
    acknowledgements: int = 0
    other_events: int = 0
    #: Commands collected from the gateway's queue, and answered (done or failed).
    commands: int = 0
    commands_answered: int = 0
    api_errors: int = 0
    user_errors: int = 0
    retries: int = 0
    logins: int = 0
    last_error: str | None = None
    recent: collections.deque[tuple[float, int]] = field(
        default_factory=lambda: collections.deque(maxlen=64)
    )

    def rate(self, window: float = 10.0) -> float:
        now = time.monotonic()
        count = sum(n for t, n in self.recent if now - t <= window)
        span = min(window, max(now - self.started, 1e-9))
        return count / span

    def summary(self) -> str:
        return (
            f"{self.sent} transactions sent ({self.created} new: {self.approved} approved, "
            f"{self.declined} declined, {self.failed} issuer errors; {self.blocked} refused "
            f"for a blocked merchant), {self.heartbeats} heartbeats, "
            f"{self.acknowledgements} options acknowledgements, {self.other_events} other "
            f"events, {self.commands_answered} of {self.commands} commands answered, "
            f"{self.api_errors} API errors, {self.retries} retries"
        )


@dataclass
class _State:
    next_heartbeat: float = 0.0
    ack_at: float | None = None


class Simulator:
    """Sends one tenant's traffic until stopped or the duration ends."""

    def __init__(self, config: SimulationConfig, stop: asyncio.Event | None = None) -> None:
        self.config = config
        self.stop = stop or asyncio.Event()
        self.rng = random.Random(config.seed)  # noqa: S311 - simulated traffic, not secrets
        self.model = TrafficModel(self.rng)
        self.stats = Stats()
        self.fleet: Fleet = []
        self.states: dict[str, _State] = {}
        self.tenant: str | None = None
        self.tenant_name: str | None = None
        self.silent: SimTerminal | None = None
        self.silent_until = 0.0
        self.silent_since = 0.0
        self._token: str | None = None
        self._token_expires: dt.datetime | None = None
        self._http: Any = None
        self._next_outage = 0.0
        self._next_ack = 0.0
        self._next_error = 0.0
        self._next_refresh = 0.0
        self._next_commands = 0.0
        #: Commands collected, waiting for their terminal to carry them out: (due, command).
        self._commands: list[tuple[float, dict[str, Any]]] = []
        self._deadline: float | None = None

    # ------------------------------------------------------------------ lifecycle

    def request_stop(self) -> None:
        self.stop.set()

    async def run(self, on_ready: Callable[[Simulator], None] | None = None) -> Stats:
        import httpx

        cfg = self.config
        self._http = httpx.AsyncClient(
            timeout=cfg.timeout, headers={"User-Agent": "spring-simulate"}
        )
        try:
            await self._login()
            await self._whoami()
            await self._load_fleet()
            if self.stop.is_set():
                return self.stats
            await self._first_heartbeats()
            if not self.fleet:
                raise SimulationError(
                    "none of the terminals is known to the server: pass --tids with the TIDs "
                    "of the tenant's active terminals"
                )
            now = time.monotonic()
            self.stats.started = now
            self._deadline = now + cfg.duration if cfg.duration is not None else None
            self._next_outage = now + cfg.first_outage
            self._next_ack = now + self._exp(cfg.ack_every)
            self._next_error = now + self._exp(cfg.error_every)
            self._next_refresh = now + cfg.refresh_every
            if on_ready is not None:
                on_ready(self)
            await self._loop()
        except _Stopped:
            pass
        finally:
            await self._http.aclose()
        return self.stats

    async def _loop(self) -> None:
        tick = time.monotonic()
        while not self.stop.is_set():
            if self._deadline is not None and time.monotonic() >= self._deadline:
                return
            await self._tick()
            tick += 1.0
            now = time.monotonic()
            if tick < now - 2.0:
                tick = now  # far behind (the server was away): do not burst to catch up
            wait = tick - now
            if self._deadline is not None:
                wait = min(wait, self._deadline - now)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), timeout=wait)

    def _exp(self, mean: float) -> float:
        return self.rng.expovariate(1.0 / mean) if mean > 0 else math.inf

    # ------------------------------------------------------------------ one second

    async def _tick(self) -> None:
        cfg, now, wall = self.config, time.monotonic(), dt.datetime.now(dt.UTC)
        if self.config.fleet_source is not None and now >= self._next_refresh:
            self._next_refresh = now + cfg.refresh_every
            await self._refresh_fleet()
        events: list[dict[str, Any]] = []
        # A terminal going silent, and coming back.
        if self.silent is not None and now >= self.silent_until:
            back = self.silent
            self.silent = None
            if any(t.tid == back.tid for t in self.fleet):
                events.append(self.model.reboot(back, wall, now - self.silent_since))
                self.states[back.tid].next_heartbeat = now
        if self.silent is None and now >= self._next_outage:
            self._next_outage = now + cfg.outage_every
            candidates = [t for t in self.fleet if not t.blocked]
            if len(candidates) > 1:
                self.silent = self.rng.choice(candidates)
                self.silent_since = now
                self.silent_until = now + cfg.outage_length
        speaking = [t for t in self.fleet if t is not self.silent]
        for terminal in speaking:
            state = self.states[terminal.tid]
            if now >= state.next_heartbeat:
                events.append(self.model.heartbeat(terminal, wall))
                jitter = self.rng.uniform(-0.1, 0.1) * cfg.heartbeat_every
                state.next_heartbeat = now + cfg.heartbeat_every + jitter
            if terminal.pending_version is not None:
                if state.ack_at is None:
                    state.ack_at = now + self.rng.uniform(*cfg.ack_delay)
                elif now >= state.ack_at:
                    events.append(
                        self.model.acknowledgement(terminal, terminal.pending_version, wall)
                    )
                    terminal.options_version = terminal.pending_version
                    terminal.pending_version = None
                    state.ack_at = None
        if now >= self._next_ack:
            self._next_ack = now + self._exp(cfg.ack_every)
            known = [t for t in speaking if t.options_version is not None and not t.softpos]
            if known:
                terminal = self.rng.choice(known)
                version = terminal.options_version
                assert version is not None
                events.append(self.model.acknowledgement(terminal, version, wall))
        if now >= self._next_error:
            self._next_error = now + self._exp(cfg.error_every)
            if speaking:
                events.append(self.model.error(self.rng.choice(speaking), wall))
        if events:
            await self._send_events(events)
        await self._play_gateway(now, wall)
        count = _poisson(self.rng, cfg.rate)
        transactions = [
            self.model.transaction(terminal, wall - dt.timedelta(seconds=self.rng.random()))
            for terminal in self.model.pick(speaking, count)
        ]
        transactions.sort(key=lambda t: t["occurredAt"])
        for i in range(0, len(transactions), MAX_BATCH):
            if self.stop.is_set():
                return
            await self._send_transactions(transactions[i : i + MAX_BATCH])

    # ------------------------------------------------------------------ the gateway

    async def _play_gateway(self, now: float, wall: dt.datetime) -> None:
        """Collect the commands queued for the fleet's terminals, and answer those whose
        time has come (a silent terminal answers once it is back). Answers go in their own
        batch: one the server refuses (a command that expired meanwhile) is dropped alone."""
        cfg = self.config
        if now >= self._next_commands and self.fleet:
            self._next_commands = now + cfg.command_poll_every
            tids = [t.tid for t in self.fleet]
            data = await self._call(PENDING_COMMANDS, {"tids": tids}, "pendingTerminalCommands")
            for command in data or []:
                self.stats.commands += 1
                due = now + self.rng.uniform(*cfg.command_delay)
                self._commands.append((due, command))
        if not self._commands:
            return
        by_tid = {t.tid: t for t in self.fleet}
        answers, waiting = [], []
        for due, command in self._commands:
            tid = command["terminal"]["tid"]
            terminal = by_tid.get(tid)
            if terminal is None:
                continue  # no longer played: the command expires on the server
            if now < due or terminal is self.silent:
                waiting.append((due, command))
                continue
            answers.append(self.model.answer(terminal, command, wall))
        self._commands = waiting
        if not answers:
            return
        data = await self._call(RECORD_EVENTS, {"i": {"events": answers}}, "recordTerminalEvents")
        if data is None:
            return
        if data["userErrors"]:
            self._user_errors(data["userErrors"])
            return
        self.stats.commands_answered += len(answers)
        for answer in answers:
            if answer["kind"] == "PARAMETERS_DOWNLOADED" and "failureReason" not in answer:
                terminal = by_tid[answer["tid"]]
                terminal.options_version = int(answer["code"])
                if terminal.pending_version == terminal.options_version:
                    terminal.pending_version = None
                    self.states[terminal.tid].ack_at = None

    # ------------------------------------------------------------------ fleet

    async def _load_fleet(self) -> None:
        cfg = self.config
        if cfg.fleet_source is not None:
            fleet = await cfg.fleet_source()
        elif cfg.fleet is not None:
            fleet = list(cfg.fleet)
        else:
            from db.demo import DEMO_TENANTS

            fleet = []
            if self.tenant in DEMO_TENANTS:
                fleet = await asyncio.to_thread(demo_fleet, self.tenant)
            if not fleet:
                raise SimulationError(
                    f"tenant {self.tenant!r} is not a demo tenant: pass --tids with the TIDs of "
                    "its active terminals (the SERVICE role may not list terminals)"
                )
        self._set_fleet(fleet)

    def _set_fleet(self, fleet: Fleet) -> None:
        current = {t.tid: t for t in self.fleet}
        merged = []
        for terminal in fleet:
            known = current.get(terminal.tid)
            if known is not None and known.options_version is not None:
                # An acknowledgement already sent wins over a read that preceded it.
                if (
                    terminal.options_version is None
                    or terminal.options_version < known.options_version
                ):
                    terminal.options_version = known.options_version
                if (
                    terminal.pending_version is not None
                    and terminal.pending_version <= known.options_version
                ):
                    terminal.pending_version = None
            merged.append(terminal)
            if terminal.tid not in self.states:
                # Stagger heartbeats over the interval.
                self.states[terminal.tid] = _State(
                    next_heartbeat=time.monotonic()
                    + self.rng.uniform(0, self.config.heartbeat_every)
                )
        self.fleet = merged
        if self.silent is not None:
            self.silent = next((t for t in merged if t.tid == self.silent.tid), None)

    async def _refresh_fleet(self) -> None:
        assert self.config.fleet_source is not None
        try:
            fleet = await self.config.fleet_source()
        except Exception as exc:
            self._error(f"fleet refresh failed: {type(exc).__name__}")
            return
        if fleet:
            self._set_fleet(fleet)

    async def _first_heartbeats(self) -> None:
        """One heartbeat from every terminal; those the server does not know are dropped."""
        wall = dt.datetime.now(dt.UTC)
        await self._send_events([self.model.heartbeat(t, wall) for t in self.fleet])

    # ------------------------------------------------------------------ sending

    async def _send_events(self, events: list[dict[str, Any]]) -> set[str]:
        """Send events in batches; TIDs refused as unknown are dropped from the fleet and the
        rest is sent again without them. Returns the dropped TIDs."""
        dropped: set[str] = set()
        pending = list(events)
        while pending:
            batch, pending = pending[:MAX_BATCH], pending[MAX_BATCH:]
            data = await self._call(RECORD_EVENTS, {"i": {"events": batch}}, "recordTerminalEvents")
            if data is None:
                continue
            errors = data["userErrors"]
            if errors:
                bad = self._unknown_tids(errors, batch, "events")
                if not bad:
                    self._user_errors(errors)
                    continue
                self._drop(bad)
                dropped |= bad
                pending = [e for e in batch + pending if e["tid"] not in bad]
                continue
            for event in batch:
                if event["kind"] == "HEARTBEAT":
                    self.stats.heartbeats += 1
                elif event["kind"] == "PARAMETERS_DOWNLOADED":
                    self.stats.acknowledgements += 1
                else:
                    self.stats.other_events += 1
        return dropped

    def _drop(self, tids: set[str]) -> None:
        log.warning("TIDs unknown to the server, dropped: %s", ", ".join(sorted(tids)))
        self.fleet = [t for t in self.fleet if t.tid not in tids]
        if self.silent is not None and self.silent.tid in tids:
            self.silent = None

    async def _send_transactions(self, batch: list[dict[str, Any]]) -> None:
        while batch:
            data = await self._call(
                RECORD_TRANSACTIONS, {"i": {"transactions": batch}}, "recordTransactions"
            )
            if data is None:
                return
            errors = data["userErrors"]
            if errors:
                bad = self._unknown_tids(errors, batch, "transactions")
                if bad:
                    self._drop(bad)
                    batch = [t for t in batch if t["tid"] not in bad]
                    continue
                self._user_errors(errors)
                return
            stats = self.stats
            stats.sent += len(batch)
            stats.created += int(data["created"] or 0)
            stats.recent.append((time.monotonic(), len(batch)))
            for sent, stored in zip(batch, data["transactions"] or [], strict=False):
                status = stored["status"]
                if status == "APPROVED":
                    stats.approved += 1
                    if sent["type"] == "REFUND":
                        stats.refunds += 1
                elif status == "DECLINED":
                    stats.declined += 1
                    if sent["status"] == "APPROVED":
                        stats.blocked += 1  # the server refused it: blocked merchant
                else:
                    stats.failed += 1
                self.model.remember(sent, status)
            return

    @staticmethod
    def _unknown_tids(
        errors: list[dict[str, Any]], batch: list[dict[str, Any]], key: str
    ) -> set[str]:
        bad = set()
        for error in errors:
            path = error.get("field") or []
            if (
                len(path) == 4
                and path[1] == key
                and path[3] == "tid"
                and error.get("code") in ("NOT_FOUND", "INVALID")
                and path[2].isdigit()
                and int(path[2]) < len(batch)
            ):
                bad.add(batch[int(path[2])]["tid"])
        return bad

    def _user_errors(self, errors: list[dict[str, Any]]) -> None:
        self.stats.user_errors += len(errors)
        first = errors[0]
        field_path = ".".join(first.get("field") or [])
        self._error(f"refused: {first.get('code')} {field_path}: {first.get('message')}")

    def _error(self, message: str) -> None:
        self.stats.api_errors += 1
        self.stats.last_error = message
        log.debug("simulator: %s", message)

    async def _call(self, query: str, variables: dict[str, Any], name: str) -> Any:
        """POST a mutation; retry network and server errors with backoff, log in again when
        the token is refused. Returns the field's data, or None if the call was given up."""
        delay = 0.5
        relogged = False
        server_errors = 0
        while True:
            if self._token_expires is not None and dt.datetime.now(dt.UTC) > self._token_expires:
                await self._login()
            body = await self._post_retrying(query, variables, authenticated=True)
            errors = body.get("errors") or []
            codes = {(e.get("extensions") or {}).get("code") for e in errors}
            if "UNAUTHENTICATED" in codes and not relogged:
                relogged = True
                await self._login()
                continue
            if "FORBIDDEN" in codes or "UNAUTHENTICATED" in codes:
                raise SimulationError(
                    f"{name} was refused ({errors[0].get('message')}): the account must have "
                    "the SERVICE role"
                )
            data = (body.get("data") or {}).get(name)
            if errors or data is None:
                message = errors[0].get("message") if errors else "no data"
                self._error(f"{name}: {message}")
                server_errors += 1
                if server_errors >= 4:
                    return None  # give this batch up; the next ones may pass
                self.stats.retries += 1
                await self._sleep(delay)
                delay = min(delay * 2, self.config.max_backoff)
                continue
            return data

    async def _post(self, query: str, variables: dict[str, Any], authenticated: bool) -> Any:
        import httpx

        headers = (
            {"Authorization": f"Bearer {self._token}"} if authenticated and self._token else {}
        )
        try:
            response = await self._http.post(
                self.config.url, json={"query": query, "variables": variables}, headers=headers
            )
        except httpx.HTTPError as exc:
            raise _Retry(f"cannot reach {self.config.url}: {type(exc).__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retry(f"HTTP {response.status_code} from the server")
        try:
            body = response.json()
        except ValueError as exc:
            raise _Retry(f"HTTP {response.status_code}: not a GraphQL response") from exc
        if not isinstance(body, dict):
            raise _Retry(f"HTTP {response.status_code}: not a GraphQL response")
        if response.status_code >= 400 and "data" not in body and not body.get("errors"):
            raise SimulationError(f"HTTP {response.status_code} from {self.config.url}")
        return body

    async def _post_retrying(
        self, query: str, variables: dict[str, Any], authenticated: bool
    ) -> Any:
        """POST until the server answers (network errors, 5xx and 429 wait and retry, with an
        exponential backoff; a stop request ends the wait)."""
        delay = 0.5
        while True:
            try:
                return await self._post(query, variables, authenticated)
            except _Retry as retry:
                self._error(str(retry))
                self.stats.retries += 1
                await self._sleep(delay)
                delay = min(delay * 2, self.config.max_backoff)

    async def _sleep(self, seconds: float) -> None:
        seconds *= self.rng.uniform(0.8, 1.2)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
        if self.stop.is_set():
            raise _Stopped

    async def _login(self) -> None:
        body = await self._post_retrying(
            LOGIN,
            {"i": {"email": self.config.email, "password": self.config.password}},
            authenticated=False,
        )
        payload = (body.get("data") or {}).get("login")
        if payload and payload.get("token"):
            self._token = payload["token"]
            expires = payload.get("expiresAt")
            # Log in again a minute before the token expires.
            self._token_expires = (
                dt.datetime.fromisoformat(expires) - dt.timedelta(seconds=60) if expires else None
            )
            self.stats.logins += 1
            return
        problems = (payload or {}).get("userErrors") or body.get("errors") or [{}]
        code = problems[0].get("code") or (problems[0].get("extensions") or {}).get("code")
        raise SimulationError(
            f"login refused for {self.config.email} ({code or 'no token'}): check the "
            f"e-mail and the password (--password or {PASSWORD_ENV})"
        )

    async def _whoami(self) -> None:
        body = await self._post_retrying(ME, {}, authenticated=True)
        me = (body.get("data") or {}).get("me") or {}
        if me.get("role") not in (None, "SERVICE"):
            raise SimulationError(
                f"{self.config.email} has the role {me.get('role')}: use a SERVICE account"
            )
        tenant = me.get("tenant") or {}
        self.tenant, self.tenant_name = tenant.get("slug"), tenant.get("name")


class _Retry(Exception):
    """A failure worth retrying (network, 5xx, 429)."""


# =========================================================================== display


def render(sim: Simulator) -> Any:
    """The live progress panel."""
    from rich.panel import Panel
    from rich.table import Table

    s, cfg = sim.stats, sim.config
    elapsed = time.monotonic() - s.started
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    until = f" of {cfg.duration:.0f}s" if cfg.duration is not None else " (Ctrl-C to stop)"
    grid.add_row("elapsed", f"{elapsed:.0f}s{until}")
    silent = ""
    if sim.silent is not None:
        left = max(0.0, sim.silent_until - time.monotonic())
        silent = f"  [yellow]{sim.silent.tid} silent, back in {left:.0f}s[/yellow]"
    blocked = sum(1 for t in sim.fleet if t.blocked)
    grid.add_row(
        "terminals",
        f"{len(sim.fleet)} ({sum(1 for t in sim.fleet if t.softpos)} SoftPOS, "
        f"{blocked} blocked){silent}",
    )
    grid.add_row(
        "transactions",
        f"{s.sent} sent, {s.created} new  ·  {s.rate():.1f}/s (target {cfg.rate:g}/s)",
    )
    grid.add_row(
        "outcome",
        f"[green]{s.approved} approved[/green]  [red]{s.declined} declined[/red] "
        f"({s.blocked} blocked merchant)  [magenta]{s.failed} issuer errors[/magenta]  "
        f"{s.refunds} refunds",
    )
    grid.add_row(
        "events",
        f"{s.heartbeats} heartbeats, {s.acknowledgements} options acknowledgements, "
        f"{s.other_events} errors and reboots",
    )
    api = f"{s.api_errors} errors, {s.retries} retries, {s.logins} logins"
    if s.last_error:
        api += f"  [dim]last: {s.last_error[:100]}[/dim]"
    grid.add_row("API", api)
    tenant = sim.tenant_name or sim.tenant or "?"
    return Panel(grid, title=f"spring simulate · {tenant} · {cfg.url}", expand=False)


async def run_with_display(sim: Simulator, console: Any) -> Stats:
    """Run with a Rich live panel (refreshed four times a second)."""
    from rich.live import Live

    live: Live | None = None
    status = console.status(f"Logging in to {sim.config.url} and finding the terminals...")
    status.start()

    def ready(s: Simulator) -> None:
        nonlocal live
        status.stop()
        live = Live(get_renderable=lambda: render(s), console=console, refresh_per_second=4)
        live.start()

    try:
        return await sim.run(on_ready=ready)
    finally:
        status.stop()
        if live is not None:
            live.stop()
            if not console.is_terminal:
                console.print()  # the last frame ends without a line break there


# =========================================================================== spring demo


def connect_host(host: str) -> str:
    """Where to reach a server bound to `host` from this machine."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - we connect, we do not bind
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


class BackgroundSimulation:
    """`spring demo`'s traffic: one thread with its own event loop, a simulator per demo
    tenant, started once the server answers /readyz, stopped with the server."""

    def __init__(
        self,
        base_url: str,
        owner_url: str,
        *,
        traffic: Sequence[tuple[str, float]] = DEMO_TRAFFIC,
        password: str | None = None,
        report_every: float = 300.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.owner_url = owner_url
        self.traffic = traffic
        self.password = password or os.environ.get(PASSWORD_ENV) or DEMO_PASSWORD
        self.report_every = report_every
        self.simulators: list[Simulator] = []
        self._thread = threading.Thread(target=self._main, name="spring-simulate", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stopping = threading.Event()

    def start(self) -> BackgroundSimulation:
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout)

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except Exception:
            log.exception("the demo traffic simulator stopped")

    async def _wait_ready(self) -> bool:
        import httpx

        assert self._stop is not None
        async with httpx.AsyncClient(timeout=5) as http:
            while not self._stop.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{self.base_url}/readyz")).status_code == 200:
                        return True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=0.5)
        return False

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self._stopping.is_set():
            return
        try:
            import httpx  # noqa: F401
        except ImportError:
            log.warning("live traffic simulation needs httpx (pip install httpx): skipped")
            return
        # One line per request from the HTTP client would drown the server's own log.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if not await self._wait_ready():
            return
        closers = []
        for slug, rate in self.traffic:
            source, close = database_fleet(self.owner_url, slug)
            closers.append(close)
            config = SimulationConfig(
                url=f"{self.base_url}/graphql",
                email=f"service@{slug}.demo",
                password=self.password,
                rate=rate,
                fleet_source=source,
            )
            self.simulators.append(Simulator(config, self._stop))
        reporter = asyncio.create_task(self._report())
        try:
            results = await asyncio.gather(
                *(self._one(sim) for sim in self.simulators), return_exceptions=True
            )
            for sim, result in zip(self.simulators, results, strict=True):
                if isinstance(result, BaseException) and not isinstance(
                    result, asyncio.CancelledError
                ):
                    log.warning("simulator for %s failed: %r", sim.config.email, result)
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
            for close in closers:
                with contextlib.suppress(Exception):
                    await close()

    async def _one(self, sim: Simulator) -> None:
        def ready(s: Simulator) -> None:
            log.info(
                "simulating live traffic for %s: %d terminals, %g transactions/s "
                "(spring demo --no-simulate turns it off)",
                s.tenant,
                len(s.fleet),
                s.config.rate,
            )

        try:
            await sim.run(on_ready=ready)
        except SimulationError as exc:
            log.warning("no live traffic for %s: %s", sim.config.email, exc)

    async def _report(self) -> None:
        while True:
            await asyncio.sleep(self.report_every)
            for sim in self.simulators:
                if sim.fleet:
                    log.info("simulated traffic for %s: %s", sim.tenant, sim.stats.summary())
