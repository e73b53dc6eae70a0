"""The notifications' background work: conditions over time, pruning, and e-mail.

`Notifier` (every process runs one, like the unblocker): each round tells technicians of
terminals OFFLINE, or with options PENDING, for longer than their tenant's settings (each
episode once, whatever the number of processes: resolvers/notifications/overdue.py), prunes what is
older than 90 days, and, when e-mail is off, drops what the outbox holds.

`Mailer` (only with `SPRING_SMTP_URL`): sends the outbox after commit. It is woken by the
broker's NOTIFY (and looks every few seconds anyway), leases the mails it takes (another
process skips them; a crash leaves them to be retried when the lease ends), sends each from
a worker thread (no request ever waits for it), and on failure retries with exponential
backoff. A mail server that is down loses nothing: the row stays until it is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import smtplib
import ssl
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from db.session import Database
from resolvers import notifications as rn

log = logging.getLogger("spring.notifier")


class _Periodic:
    """Runs `run_once` every `interval_s` seconds (or when woken) until stopped."""

    name = "periodic"

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name=f"spring-{self.name}")

    def wake(self, *_: object) -> None:
        self._wake.set()

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stop.set()
        self._wake.set()
        task, self._task = self._task, None
        try:
            await asyncio.wait_for(task, timeout=max(self.interval_s, 10.0))
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> int:
        raise NotImplementedError

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("%s round failed; next in %s s", self.name, self.interval_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval_s)


Step = Callable[[Database], Awaitable[int]]


class Notifier(_Periodic):
    name = "notifier"

    def __init__(self, db: Database, interval_s: float = 30.0, *, email: bool = False) -> None:
        super().__init__(interval_s)
        self.db = db
        self.email = email

    async def run_once(self) -> int:
        told = 0
        steps: list[tuple[str, Step]] = [
            ("telling overdue terminals", rn.tell_overdue_terminals),
            ("pruning notifications", rn.prune),
        ]
        if not self.email:
            steps.append(("dropping the outbox (e-mail is off)", rn.discard_mails))
        for what, step in steps:
            try:
                done = await step(self.db)
            except Exception:
                log.exception("notifications: %s failed", what)
                continue
            if step is rn.tell_overdue_terminals:
                told = done
                if done:
                    log.info("told technicians of %d overdue terminal condition(s)", done)
        return told


# --------------------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    #: TLS from the start (smtps://), or upgraded with STARTTLS.
    tls: bool = False
    starttls: bool = False
    timeout_s: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SPRING_SMTP_URL must look like smtp://host:port or smtps://host")
        query = parse_qs(parts.query)
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
            starttls=query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"),
        )

    def send(self, message: EmailMessage) -> None:
        """Blocking: call it from a worker thread."""
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        with smtp:
            if self.starttls:
                smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def compose(mail: rn.Mail, sender: str) -> EmailMessage:
    title, body = rn.render(mail.kind, mail.params, mail.locale)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = title
    message["Message-ID"] = f"<{mail.id}@spring>"  # the same on every retry
    message.set_content(body + "\n\n— Spring\n")
    return message


class Mailer(_Periodic):
    name = "mailer"

    def __init__(
        self,
        db: Database,
        server: SmtpServer,
        sender: str,
        *,
        interval_s: float = 5.0,
        lease: dt.timedelta = dt.timedelta(minutes=2),
        first_retry: dt.timedelta = dt.timedelta(seconds=10),
        longest_retry: dt.timedelta = dt.timedelta(hours=1),
    ) -> None:
        super().__init__(interval_s)
        self.db = db
        self.server = server
        self.sender = sender
        self.lease = lease
        self.first_retry = first_retry
        self.longest_retry = longest_retry
        self.sent = 0
        self.failed = 0

    def backoff(self, attempts: int) -> dt.timedelta:
        """Wait before the next try after `attempts` failures: 10 s, 20 s, 40 s, ... 1 h."""
        return min(self.first_retry * (2 ** max(attempts - 1, 0)), self.longest_retry)

    async def run_once(self, now: dt.datetime | None = None) -> int:
        """Send every mail due at `now`; returns how many were sent."""
        now = now or dt.datetime.now(dt.UTC)
        sent = 0
        for tenant_id in await rn.tenant_ids(self.db):
            sent += await self._tenant(tenant_id, now)
        return sent

    async def _tenant(self, tenant_id: uuid.UUID, now: dt.datetime) -> int:
        sent = 0
        for mail in await rn.claim_mails(self.db, tenant_id, now, self.lease):
            try:
                await asyncio.to_thread(self.server.send, compose(mail, self.sender))
            except (OSError, smtplib.SMTPException) as exc:
                self.failed += 1
                retry_at = now + self.backoff(mail.attempts + 1)
                log.warning(
                    "mail %s not sent (attempt %d): %s; retry at %s",
                    mail.id,
                    mail.attempts + 1,
                    exc.__class__.__name__,
                    retry_at.isoformat(),
                )
                await rn.mail_failed(self.db, mail, retry_at, f"{exc.__class__.__name__}: {exc}")
                continue
            await rn.mail_sent(self.db, mail, dt.datetime.now(dt.UTC))
            self.sent += 1
            sent += 1
        return sent
