"""The demo builder: one tenant's rows (`_TenantBuilder`), and `build_demo`, every row of the
demo computed without a database (pure and deterministic)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from db import enums as e
from db import models as m
from db.identifiers import request_id as new_request_id
from db.ids import encode_references
from resolvers.contracts.common import contract_number, counter_name
from spring.demo.description import DEMO_SEED, PLATFORM_ADMIN_EMAIL, TENANT_SPECS, UTC, Row
from spring.demo.traffic import _Activity
from spring.demo.world import DemoData, _kbis_pdf, _secs, _World


class _TenantBuilder(_Activity):
    """Builds one tenant's rows by replaying the story of each of its merchants."""

    # ------------------------------------------------------------------ commands

    def build_commands(self) -> None:
        """A few commands technicians sent to PAX terminals, each as it ended: a reboot done,
        an app update that failed, a parameters download that expired unanswered, one done,
        and a reboot still QUEUED (the demo's simulator, playing the gateway, collects and
        answers it). Drawn from a generator of their own, so the rest of the demo data is
        the same with or without them."""
        rng = random.Random(f"{self.w.seed}:commands:{self.spec.slug}")
        technician = self.users.get("technician")
        if technician is None:
            return
        live = sorted(
            (tr.terminal for tr in self.traffic if not tr.spec.softpos),
            key=lambda t: t["tid"],
        )
        live = [t for t in live if t["status"] == e.TerminalStatus.ACTIVE.value]
        if not live:
            return

        def uid() -> uuid.UUID:
            return uuid.UUID(int=rng.getrandbits(128), version=4)

        def command(
            terminal: Row,
            kind: e.TerminalCommandKind,
            asked: dt.datetime,
            status: e.TerminalCommandStatus,
            answer: tuple[e.TerminalEventKind, str | None, str] | None = None,
            failure: str | None = None,
        ) -> None:
            command_id = uid()
            sent = (
                None
                if status is e.TerminalCommandStatus.QUEUED
                else asked + dt.timedelta(seconds=rng.uniform(1, 5))
            )
            finished = None
            event_id = None
            if answer is not None:
                assert sent is not None
                finished = _secs(sent + dt.timedelta(seconds=rng.uniform(20, 240)))
                event_kind, code, message = answer
                event_id = uid()
                self.add(
                    m.TerminalEvent,
                    {
                        "id": event_id,
                        "terminal_id": terminal["id"],
                        "kind": event_kind.value,
                        "code": code,
                        "message": message,
                        "payload": None,
                        "occurred_at": finished,
                        "recorded_at": finished,
                    },
                )
            elif status is e.TerminalCommandStatus.EXPIRED:
                finished = asked + dt.timedelta(minutes=60)
            self.add(
                m.TerminalCommand,
                {
                    "id": command_id,
                    "terminal_id": terminal["id"],
                    "kind": kind.value,
                    "status": status.value,
                    "requested_by": technician["id"],
                    "requested_by_label": technician["email"],
                    "created_at": asked,
                    "expires_at": asked + dt.timedelta(minutes=60),
                    "sent_at": sent,
                    "finished_at": finished,
                    "failure_reason": failure,
                    "event_id": event_id,
                    "updated_at": finished or sent or asked,
                },
            )
            self.add(
                m.AuditEvent,
                {
                    "id": uid(),
                    "actor_kind": e.ActorKind.USER.value,
                    "actor_id": technician["id"],
                    "actor_label": technician["email"],
                    "action": "terminal.command_sent",
                    "entity_type": "Terminal",
                    "entity_id": terminal["id"],
                    "before": None,
                    "after": encode_references(
                        {
                            "command": kind.value,
                            "commandId": str(command_id),
                            "expiresAt": (asked + dt.timedelta(minutes=60)).isoformat(),
                        }
                    ),
                    "reason": None,
                    "request_id": new_request_id(prefix="req-", bits=64, randbits=rng.getrandbits),
                    "occurred_at": asked,
                },
            )

        K, S, E = e.TerminalCommandKind, e.TerminalCommandStatus, e.TerminalEventKind
        first = live[0]
        command(
            first,
            K.REBOOT,
            self.ago(3.2),
            S.DONE,
            (E.REBOOT, "REMOTE_COMMAND", "Redémarrage demandé à distance"),
        )
        other = live[1 % len(live)]
        command(
            other,
            K.UPDATE_APP,
            self.ago(1.1),
            S.FAILED,
            (E.APP_UPDATED, None, "Espace de stockage insuffisant"),
            failure="Espace de stockage insuffisant",
        )
        command(other, K.DOWNLOAD_PARAMETERS, self.ago(5.3), S.EXPIRED)
        applied = first.get("applied_options_version")
        if applied is not None:
            command(
                first,
                K.DOWNLOAD_PARAMETERS,
                self.ago(0.25),
                S.DONE,
                (
                    E.PARAMETERS_DOWNLOADED,
                    str(applied),
                    f"Paramètres version {applied} téléchargés à la demande",
                ),
            )
        queued = live[2 % len(live)]
        command(queued, K.REBOOT, _secs(self.now - dt.timedelta(minutes=2)), S.QUEUED)

    # ------------------------------------------------------------------ wrap up

    def number_contracts(self) -> None:
        """MP-YYYY-NNNNNN in creation order per year; the counters keep the last number."""
        counters: dict[int, int] = {}
        for contract in sorted(self.rows["contracts"], key=lambda c: (c["created_at"], c["id"])):
            year = contract["created_at"].year
            counters[year] = counters.get(year, 0) + 1
            contract["number"] = contract_number(year, counters[year])
        for after, contract in self.numbered:
            after["number"] = contract["number"]
        for year, value in sorted(counters.items()):
            self.add(m.TenantCounter, {"name": counter_name(year), "value": value})
        for contract in self.rows["contracts"]:
            contract.pop("_schedule", None)

    def build(self) -> None:
        self.build_tenant()
        for c in self.spec.companies:
            self.build_company(c)
        self.build_stock()
        self.build_requests()
        self.number_contracts()
        for tr in self.traffic:
            self.build_transactions(tr)
            self.build_events(tr)
        self.build_commands()
        transactions = [tx for tr in self.traffic for tx in tr.transactions]
        transactions.sort(key=lambda r: (r["occurred_at"], r["external_id"]))
        self.rows["transactions"] = transactions
        self.rows["terminal_events"].sort(key=lambda r: (r["occurred_at"], r["id"]))
        self.rows["audit_events"].sort(key=lambda r: (r["occurred_at"], r["id"]))
        self.build_documents()

    def build_documents(self) -> None:
        """Every company past PROSPECT has its Kbis (a one-page PDF) on file, added by the
        one who created it; the tenant needs no document kind for evaluations (the
        walkthrough sets them). Ids from the company's (no draw from the story's RNG)."""
        self.add(m.DocumentSettings, {"evaluation_document_kinds": [], "updated_at": self.now})
        blobs: set[str] = set()
        for company in self.rows["companies"]:
            if company["status"] == e.CompanyStatus.PROSPECT.value:
                continue
            content = _kbis_pdf(company["legal_name"], company["siren"])
            sha = hashlib.sha256(content).hexdigest()
            if sha not in blobs:
                blobs.add(sha)
                self.add(
                    m.DocumentBlob,
                    {"sha256": sha, "content": content, "created_at": company["created_at"]},
                )
            self.add(
                m.Document,
                {
                    "id": uuid.uuid5(company["id"], "kbis"),
                    "company_id": company["id"],
                    "contract_id": None,
                    "kind": e.DocumentKind.KBIS.value,
                    "filename": f"kbis-{company['siren']}.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": len(content),
                    "sha256": sha,
                    "language": None,
                    "snapshot": None,
                    "fee_schedule_id": None,
                    "created_by": company.get("created_by"),
                    "created_at": company["created_at"] + dt.timedelta(hours=1),
                },
            )


def build_demo(
    *,
    now: dt.datetime,
    seed: int = DEMO_SEED,
    password_hash: str,
    platform_admin_id: uuid.UUID | None = None,
) -> DemoData:
    """The demo rows, computed without touching a database (pure and deterministic)."""
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    world = _World(now, seed, password_hash)
    oldest = max(spec.age_days for spec in TENANT_SPECS)
    admin_created = _secs(now - dt.timedelta(days=oldest + 20, minutes=world.rng.uniform(0, 600)))
    admin_id = world.uid()
    world.platform_user = {
        "id": platform_admin_id or admin_id,
        "email": PLATFORM_ADMIN_EMAIL,
        "full_name": "Claire Delorme",
        "password_hash": password_hash,
        "status": e.UserStatus.ACTIVE.value,
        "password_changed_at": admin_created,
        "last_login_at": _secs(world.now - dt.timedelta(hours=3, minutes=12)),
        "created_at": admin_created,
        "updated_at": admin_created,
        "version": 1,
    }
    tenants, tenant_rows = [], {}
    for spec in TENANT_SPECS:
        builder = _TenantBuilder(world, spec)
        builder.build()
        tenants.append(builder.tenant)
        tenant_rows[builder.id] = builder.rows
    return DemoData(tenants=tenants, platform_users=[world.platform_user], tenant_rows=tenant_rows)
