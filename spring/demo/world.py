"""What every part of the demo builder shares: the random generator and `now` (`_World`), the
rows written so far and the helpers that write the journal, requests and identifiers (`_Base`)."""

from __future__ import annotations

import datetime as dt
import enum
import random
import string
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from db import enums as e
from db import models as m
from db.identifiers import make_siren
from db.identifiers import request_id as new_request_id
from db.ids import encode_references
from resolvers import journal
from resolvers.contract_status import COMPANY_ACTIONS
from resolvers.lifecycles import COMPANY, REQUEST, USER, Lifecycle, Transition
from resolvers.requests import REQUEST_ACTIONS
from spring.demo.description import (
    _PAX_MODELS,
    CS,
    GUADELOUPE,
    REUNION,
    TRANSACTION_DAYS,
    UTC,
    Region,
    Row,
    T,
    TenantSpec,
)
from tenancy.roles import Role

#: Insert order of the tenant tables (foreign keys first).
_TENANT_TABLES: tuple[type[m.Base], ...] = (
    m.User,
    m.Company,
    m.Shop,
    m.TenantCounter,
    m.RequestDueTime,
    m.Contract,
    m.Request,
    m.RequestComment,
    m.ContractShop,
    m.FeeSchedule,
    m.FeeLine,
    m.Terminal,
    m.TerminalOptions,
    m.Service,
    m.Transaction,
    m.TerminalEvent,
    m.TerminalCommand,
    m.AuditEvent,
    m.DocumentSettings,
    m.DocumentBlob,
    m.Document,
)


# =========================================================================== builder


def _secs(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


def _millis(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def external_id(tid: str, occurred_at: dt.datetime, seq: int) -> str:
    """A demo transaction's external id: `<TID>-D<yyyymmdd>-N<seq>`, unique per terminal.

    The letters keep the TID's digits, the date and the sequence apart: glued with dashes
    only ("…45-20261204-000123") they made runs of 14 to 20 digits, which the API reads as
    a card number when a part of them looks like one (`db.identifiers.find_pans`) and so
    would refuse from a terminal. Here no run holds more than 8 digits.
    """
    return f"{tid}-D{occurred_at:%Y%m%d}-N{seq:06d}"


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class _Traffic:
    """A terminal of a live service: when it may transact, and when it sends heartbeats."""

    terminal: Row
    service: Row
    contract: Row
    shop: Row
    company: Row
    region: Region
    mcc: str
    spec: T
    active_from: dt.datetime
    #: Transactions and heartbeats stop here (now, or when the terminal went silent).
    alive_until: dt.datetime
    #: Intervals in which the service or its contract refuses payments (code 58).
    refused: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    settlement: dt.time | None = None
    transactions: list[Row] = field(default_factory=list)


@dataclass
class DemoData:
    """Everything `seed_demo` writes: global rows, then each tenant's rows per table."""

    tenants: list[Row]
    platform_users: list[Row]
    #: tenant id → table name → rows.
    tenant_rows: dict[uuid.UUID, dict[str, list[Row]]]


class _World:
    """What both tenants share: the random generator, `now`, the password hash."""

    def __init__(self, now: dt.datetime, seed: int, password_hash: str) -> None:
        self.now = now
        self.seed = seed
        self.rng = random.Random(seed)
        self.password_hash = password_hash
        self.window_start = now - dt.timedelta(days=TRANSACTION_DAYS)
        self.serials: set[str] = set()
        self.sirens: set[str] = set()
        self.platform_user: Row = {}

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _kbis_pdf(legal_name: str, siren: str) -> bytes:
    """A one-page demo Kbis (deterministic bytes)."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 760, "Extrait Kbis (démonstration)")
    page.setFont("Helvetica", 11)
    page.drawString(72, 730, f"Dénomination : {legal_name}")
    page.drawString(72, 712, f"SIREN : {siren}")
    page.save()
    return buffer.getvalue()


_HOURS = tuple(range(24))
_ALNUM = string.ascii_uppercase + string.digits
_OPTION_FIELDS = (
    "contactless",
    "tipping",
    "cashback",
    "pre_authorization",
    "manual_entry",
    "receipt_mode",
    "language",
    "settlement_time",
)


def _initial_options(profile: str, rng: random.Random) -> dict[str, Any]:
    settlement = {
        "restaurant": dt.time(23, 30),
        "bar": dt.time(23, 45),
        "fastfood": dt.time(22, 0),
        "grocery": dt.time(21, 30),
        "bakery": dt.time(20, 30),
        "pharmacy": dt.time(20, 0),
        "fuel": dt.time(22, 0),
        "hotel": dt.time(23, 0),
    }.get(profile, rng.choice((dt.time(20, 0), dt.time(21, 0))))
    options: dict[str, Any] = {"settlement_time": settlement}
    if profile in ("hotel", "fuel"):
        options["pre_authorization"] = True
    if profile == "hotel":
        options["manual_entry"] = True
    return options


def _later_options(profile: str) -> dict[str, Any]:
    """The change a merchant of this kind typically asks for after a while."""
    if profile in ("restaurant", "bar", "fastfood"):
        return {"tipping": True}
    if profile in ("grocery", "bakery", "retail", "pharmacy"):
        # Since 2023 a paper receipt is printed only when the customer asks for it.
        return {"receipt_mode": e.ReceiptMode.NONE.value}
    if profile == "hotel":
        return {"receipt_mode": e.ReceiptMode.EMAIL.value, "language": "en"}
    return {}


def _options_json(row: Row) -> dict[str, Any]:
    return {
        "version": row["version_number"],
        "contactless": row["contactless"],
        "tipping": row["tipping"],
        "cashback": row["cashback"],
        "preAuthorization": row["pre_authorization"],
        "manualEntry": row["manual_entry"],
        "receiptMode": row["receipt_mode"],
        "language": row["language"],
        "settlementTime": row["settlement_time"].strftime("%H:%M"),
    }


def snapshot(row: Row, fields: Sequence[str], type_name: str) -> dict[str, Any]:
    """What the journal shows of a row's fields: the use cases' own function
    (resolvers/journal.py: camelCase keys, plain values, masked as the policy masks them)."""
    return journal.snapshot(SimpleNamespace(**row), fields, type_name)


class DemoRuleBroken(RuntimeError):
    """The demo's story breaks a rule the use cases keep (a bug in the description)."""


#: The journal action of each company transition, as its use case writes it.
COMPANY_JOURNAL: dict[str, str] = {
    "requestEvaluation": "company.evaluation_requested",
    "approve": "company.approved",
    "reject": "company.rejected",
    "withdrawEvaluation": "company.evaluation_withdrawn",
    **COMPANY_ACTIONS,
}
#: The journal action of each request decision, as its use case writes it.
REQUEST_JOURNAL: dict[str, str] = {**REQUEST_ACTIONS, "cancel": "request.cancelled"}


class _Base:
    """Builds one tenant's rows by replaying the story of each of its merchants."""

    def __init__(self, world: _World, spec: TenantSpec) -> None:
        self.w = world
        self.rng = world.rng
        self.now = world.now
        self.spec = spec
        self.id = world.uid()
        self.rows: dict[str, list[Row]] = {t.__tablename__: [] for t in _TENANT_TABLES}
        self.tenant: Row = {}
        self.users: dict[str, Row] = {}
        self.tids: set[str] = set()
        self.references: set[str] = set()
        self.traffic: list[_Traffic] = []
        self.options: dict[uuid.UUID, list[Row]] = {}
        self.fee_lines: dict[uuid.UUID, list[Row]] = {}
        #: audit `after` values that name a contract number, filled in once numbers are given.
        self.numbered: list[tuple[dict[str, Any], Row]] = []
        self.home = GUADELOUPE if spec.slug == "alizes" else REUNION
        self.terminal_by_id: dict[uuid.UUID, Row] = {}

    # ------------------------------------------------------------------ helpers

    def add(self, table: type[m.Base], row: Row) -> Row:
        row = {"tenant_id": self.id, **row}
        self.rows[table.__tablename__].append(row)
        return row

    def at(self, region: Region, days_ago: float, hour: float) -> dt.datetime:
        """UTC time of the local `hour` on the local day `days_ago` days before now."""
        local_now = self.now.astimezone(region.tz)
        day = (local_now - dt.timedelta(days=days_ago)).date()
        local = dt.datetime.combine(day, dt.time(0), region.tz) + dt.timedelta(hours=hour)
        value = _secs(local.astimezone(UTC))
        if value >= self.now:
            value = _secs(self.now - dt.timedelta(minutes=self.rng.uniform(20, 90)))
        return value

    def later(self, t: dt.datetime, lo_min: float, hi_min: float) -> dt.datetime:
        value = _secs(t + dt.timedelta(minutes=self.rng.uniform(lo_min, hi_min)))
        return min(value, _secs(self.now - dt.timedelta(seconds=self.rng.uniform(30, 300))))

    def ago(self, days: float) -> dt.datetime:
        return _secs(self.now - dt.timedelta(days=days))

    @staticmethod
    def touch(row: Row, when: dt.datetime) -> None:
        """An update of a mutable row: its version goes up and updated_at follows."""
        row["version"] += 1
        row["updated_at"] = max(row["updated_at"], when)

    def phone(self, region: Region, mobile: bool = True) -> str:
        prefix = self.rng.choice(region.mobiles) if mobile else region.landline
        return prefix + "".join(self.rng.choices(string.digits, k=6))

    def audit(
        self,
        when: dt.datetime,
        actor: Row | str,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> Row:
        """Add a journal entry (its row is returned: `after` is the stored copy)."""
        request_id: str | None = new_request_id(
            prefix="req-", bits=64, randbits=self.rng.getrandbits
        )
        if actor == "system":
            kind, actor_id, label, request_id = e.ActorKind.SYSTEM, None, "system", None
        elif actor == "platform":
            platform_user = self.w.platform_user
            kind, actor_id, label = (
                e.ActorKind.PLATFORM,
                platform_user["id"],
                platform_user["email"],
            )
        else:
            assert isinstance(actor, dict)
            kind, actor_id, label = e.ActorKind.USER, actor["id"], actor["email"]
        return self.add(
            m.AuditEvent,
            {
                "id": self.w.uid(),
                "actor_kind": kind.value,
                "actor_id": actor_id,
                "actor_label": label,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                # References as global ids, as the journal keeps them (resolvers/journal.py).
                "before": encode_references(before),
                "after": encode_references(after),
                "reason": reason,
                "request_id": request_id,
                "occurred_at": when,
            },
        )

    def event(
        self,
        terminal: Row,
        kind: e.TerminalEventKind,
        when: dt.datetime,
        code: str | None = None,
        message: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        self.add(
            m.TerminalEvent,
            {
                "id": self.w.uid(),
                "terminal_id": terminal["id"],
                "kind": kind.value,
                "code": code,
                "message": message,
                "payload": payload,
                "occurred_at": when,
                "recorded_at": min(
                    self.now, _millis(when + dt.timedelta(seconds=self.rng.uniform(0.2, 3.0)))
                ),
            },
        )

    # ------------------------------------------------------------------ tenant and users

    def build_tenant(self) -> None:
        spec, rng = self.spec, self.rng
        created = _secs(self.now - dt.timedelta(days=spec.age_days, hours=rng.uniform(1, 6)))
        self.tenant = {
            "id": self.id,
            "slug": spec.slug,
            "name": spec.name,
            "status": e.TenantStatus.ACTIVE.value,
            "heartbeat_interval_s": 60,
            "default_currency": "EUR",
            "time_zone": spec.time_zone,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        self.audit(
            created,
            "platform",
            "tenant.created",
            "Tenant",
            self.id,
            after={"slug": spec.slug, "name": spec.name},
        )
        # Support tickets are handled within a working day here; other types keep the
        # product's default hours.
        self.due_hours = {**m.REQUEST_DUE_HOURS, e.RequestType.SUPPORT: 24}
        self.add(
            m.RequestDueTime,
            {"type": e.RequestType.SUPPORT.value, "hours": 24, "updated_at": created},
        )
        for i, u in enumerate(spec.users):
            when = _secs(created + dt.timedelta(hours=1 + 3.5 * i, minutes=rng.uniform(0, 50)))
            row = self.add(
                m.User,
                {
                    "id": self.w.uid(),
                    "email": u.email,
                    "full_name": u.full_name,
                    "role": u.role.value,
                    "password_hash": self.w.password_hash,
                    "status": e.UserStatus.ACTIVE.value,
                    "phone": None if u.role is Role.SERVICE else self.phone(self.home),
                    "password_changed_at": when,
                    "last_login_at": None,
                    "created_at": when,
                    "updated_at": when,
                    "version": 1,
                },
            )
            self.users[u.key] = row
            creator: Row | str = self.users["supervisor"] if i else "platform"
            self.audit(
                when,
                creator,
                "user.created",
                "User",
                row["id"],
                after={"email": u.email, "fullName": u.full_name, "role": u.role.value},
            )
            if u.status is e.UserStatus.DEACTIVATED:
                gone = self.ago(rng.uniform(40, 90))
                row["last_login_at"] = _secs(gone - dt.timedelta(hours=rng.uniform(20, 60)))
                self.move(USER, row, u.status)
                self.touch(row, gone)
                self.audit(
                    gone,
                    self.users["supervisor"],
                    "user.deactivated",
                    "User",
                    row["id"],
                    before={"status": "ACTIVE"},
                    after={"status": "DEACTIVATED"},
                    reason="Départ de l'entreprise",
                )
            elif u.role is not Role.SERVICE:
                row["last_login_at"] = _secs(self.now - dt.timedelta(hours=rng.uniform(0.5, 30)))

    # ------------------------------------------------------------------ identifiers

    def new_siren(self) -> str:
        while True:
            siren = make_siren(f"{self.rng.randint(30_000_000, 94_999_999):08d}")
            if siren not in self.w.sirens:
                self.w.sirens.add(siren)
                return siren

    def new_reference(self) -> str:
        while True:
            ref = (
                "".join(self.rng.choices(string.ascii_uppercase, k=6))
                + "".join(self.rng.choices(string.digits, k=3))
                + "".join(self.rng.choices(string.ascii_uppercase, k=2))
            )
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def new_tid(self, softpos: bool) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            tid = (
                self.spec.tid_letter
                + ("S" if softpos else "P")
                + "".join(self.rng.choices(alphabet, k=6))
            )
            if tid not in self.tids:
                self.tids.add(tid)
                return tid

    def new_serial(self, model: str) -> str:
        prefix = _PAX_MODELS[model][0]
        while True:
            serial = prefix + "".join(self.rng.choices(string.digits, k=6))
            if serial not in self.w.serials:
                self.w.serials.add(serial)
                return serial

    # ------------------------------------------------------------------ companies and shops

    def move(self, lifecycle: Lifecycle, row: Row, to: enum.Enum) -> tuple[str, Transition]:
        """Move the row to the status `to` by a transition of its lifecycle (the tables the
        use cases check, resolvers/lifecycles.py), or fail: the demo tells no story that the
        API would refuse. The status before, and the transition taken."""
        current = lifecycle.states(row["status"])
        for transition in lifecycle.transitions:
            if transition.target is to and current in transition.sources:
                row["status"] = to.value
                return current.value, transition
        raise DemoRuleBroken(
            f"the demo moves a {lifecycle.entity} from {current.value} to {to.value}: "
            "no transition of its lifecycle does"
        )

    def set_company_status(
        self,
        company: Row,
        status: CS,
        when: dt.datetime,
        actor: Row | str,
        reason: str | None = None,
        request: Row | None = None,
    ) -> None:
        """The company's transition, journaled as its use case journals it: the evaluation's
        steps name their request, the derived ones (activate, suspend, close) do not."""
        before, transition = self.move(COMPANY, company, status)
        if reason is not None:
            company["status_reason"] = reason
        self.touch(company, when)
        after = {"status": status.value}
        if request is not None:
            after["request"] = request["reference"]
        self.audit(
            when,
            actor,
            COMPANY_JOURNAL[transition.action],
            "Company",
            company["id"],
            before={"status": before},
            after=after,
            reason=reason,
        )

    # ------------------------------------------------------------------ requests

    def new_request(
        self,
        kind: e.RequestType,
        company: Row,
        contract: Row | None,
        author: Row,
        assignee: Row | None,
        when: dt.datetime,
        subject: str,
        description: str | None,
        payload: dict[str, Any] | None = None,
    ) -> Row:
        reference = self.new_reference()
        request = self.add(
            m.Request,
            {
                "id": self.w.uid(),
                "reference": reference,
                "type": kind.value,
                "status": e.RequestStatus.OPEN.value,
                "company_id": company["id"],
                "contract_id": contract["id"] if contract else None,
                "author_id": author["id"],
                "assignee_id": assignee["id"] if assignee else None,
                "subject": subject,
                "description": description,
                "payload": payload,
                "decided_by": None,
                "decided_at": None,
                "decision_comment": None,
                "due_at": when + dt.timedelta(hours=self.due_hours[kind]),
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.audit(
            when,
            author,
            "request.created",
            "Request",
            request["id"],
            after={"reference": reference, "type": kind.value, "subject": subject},
        )
        return request

    def comment(
        self, request: Row, author: Row | None, when: dt.datetime, body: str, label: str = ""
    ) -> None:
        self.add(
            m.RequestComment,
            {
                "id": self.w.uid(),
                "request_id": request["id"],
                "author_id": author["id"] if author else None,
                "author_label": author["full_name"] if author else label,
                "body": body,
                "created_at": when,
            },
        )
        request["updated_at"] = max(request["updated_at"], when)

    def decide(
        self,
        request: Row,
        actor: Row,
        when: dt.datetime,
        status: e.RequestStatus,
        comment: str | None,
    ) -> None:
        before, transition = self.move(REQUEST, request, status)
        request["decided_by"] = actor["id"]
        request["decided_at"] = when
        request["decision_comment"] = comment
        self.touch(request, when)
        self.audit(
            when,
            actor,
            REQUEST_JOURNAL[transition.action],
            "Request",
            request["id"],
            before={"status": before},
            after={"status": status.value},
            reason=comment,
        )
