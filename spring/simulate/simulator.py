"""The simulator: logs in as the SERVICE account and sends the traffic through the public API,
in batches, with retries, and plays the terminal gateway's part for commands."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spring.demo.description import DEMO_PASSWORD
from spring.simulate.config import (
    DEFAULT_EMAIL,
    DEFAULT_URL,
    HEARTBEAT_EVERY,
    LOGIN,
    MAX_BATCH,
    ME,
    PASSWORD_ENV,
    PENDING_COMMANDS,
    RECORD_EVENTS,
    RECORD_TRANSACTIONS,
    SimulationError,
    _Stopped,
    log,
)
from spring.simulate.fleet import Fleet, FleetSource, SimTerminal, demo_fleet
from spring.simulate.traffic import TrafficModel, _poisson

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
            from spring.demo import DEMO_TENANTS

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
