"""The demo builder's terminals and services: registration, options, blocks, returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import enums as e
from db import models as m
from resolvers import journal
from resolvers.lifecycles import SERVICE, TERMINAL
from resolvers.terminals.common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_LIFETIME,
    SERVICE_FIELDS,
    TERMINAL_FIELDS,
    _options_snapshot,
    hash_activation_code,
)
from spring.demo.description import (
    _MCC,
    _PAX_APP,
    _PAX_APP_OLD,
    _PAX_MODELS,
    _PHONE_OS,
    _SOFTPOS_APP,
    _SOFTPOS_APP_OLD,
    CS,
    C,
    Row,
    T,
)
from spring.demo.world import (
    _OPTION_FIELDS,
    _Base,
    _initial_options,
    _later_options,
    _millis,
    _secs,
    _Traffic,
    snapshot,
)


class _Fleet(_Base):
    """Terminals and services (and the PAX stock)."""

    # ------------------------------------------------------------------ terminals and services

    def new_terminal(
        self, model: str, softpos: bool, when: dt.datetime, shop: Row | None, status: str
    ) -> Row:
        kind = e.TerminalKind.SOFTPOS if softpos else e.TerminalKind.PAX
        terminal = self.add(
            m.Terminal,
            {
                "id": self.w.uid(),
                "kind": kind.value,
                "tid": self.new_tid(softpos),
                "serial_number": None if softpos else self.new_serial(model),
                "model": model,
                "os_version": _PHONE_OS[model] if softpos else None,
                "firmware_version": None if softpos else _PAX_MODELS[model][1],
                "app_version": _SOFTPOS_APP if softpos else _PAX_APP,
                "shop_id": shop["id"] if shop else None,
                "status": status,
                "blocked_reason": None,
                "blocked_until": None,
                "last_seen_at": None,
                "last_heartbeat_at": None,
                "applied_options_version": None,
                "options_applied_at": None,
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.terminal_by_id[terminal["id"]] = terminal
        return terminal

    def register_pax(self, model: str, when: dt.datetime) -> Row:
        technician = self.users["technician"]
        terminal = self.new_terminal(model, False, when, None, e.TerminalStatus.IN_STOCK.value)
        self.audit(
            when,
            technician,
            "terminal.registered",
            "Terminal",
            terminal["id"],
            after={
                "kind": "PAX",
                "model": model,
                "serialNumber": terminal["serial_number"],
                "tid": terminal["tid"],
            },
        )
        return terminal

    def add_options(self, terminal: Row, when: dt.datetime, actor: Row, **changes: Any) -> Row:
        versions = self.options.setdefault(terminal["id"], [])
        base: Row = (
            {k: versions[-1][k] for k in _OPTION_FIELDS}
            if versions
            else {
                "contactless": True,
                "tipping": False,
                "cashback": False,
                "pre_authorization": False,
                "manual_entry": False,
                "receipt_mode": e.ReceiptMode.PRINT.value,
                "language": "fr",
                "settlement_time": dt.time(23, 0),
            }
        )
        base.update(changes)
        row = self.add(
            m.TerminalOptions,
            {
                "terminal_id": terminal["id"],
                "version_number": len(versions) + 1,
                **base,
                "created_by": actor["id"],
                "created_at": when,
                "acknowledged_at": None,
            },
        )
        versions.append(row)
        if len(versions) > 1:
            # As the options use case journals them (resolvers/terminals/options.py).
            previous = versions[-2]
            before, after = journal.changes(
                _options_snapshot({k: previous[k] for k in _OPTION_FIELDS}),
                _options_snapshot({k: row[k] for k in _OPTION_FIELDS}),
            )
            self.audit(
                when,
                actor,
                "terminal.options_changed",
                "Terminal",
                terminal["id"],
                before={**before, "optionsVersion": previous["version_number"]},
                after={**after, "optionsVersion": row["version_number"]},
            )
        return row

    def acknowledge(self, terminal: Row, options: Row, when: dt.datetime) -> None:
        options["acknowledged_at"] = when
        terminal["applied_options_version"] = options["version_number"]
        terminal["options_applied_at"] = when
        self.touch(terminal, when)
        self.event(
            terminal,
            e.TerminalEventKind.PARAMETERS_DOWNLOADED,
            when,
            "PARAMS_OK",
            f"Paramètres version {options['version_number']} appliqués",
            {"optionsVersion": options["version_number"]},
        )

    def deactivate(self, service: Row, when: dt.datetime, actor: Row, reason: str) -> None:
        before, _ = self.move(SERVICE, service, e.ServiceStatus.DEACTIVATED)
        service["deactivated_at"] = when
        self.touch(service, when)
        self.audit(
            when,
            actor,
            "service.deactivated",
            "Service",
            service["id"],
            before={"status": before},
            after={"status": "DEACTIVATED"},
            reason=reason,
        )

    def return_terminal(self, terminal: Row, when: dt.datetime, actor: Row) -> None:
        before, _ = self.move(TERMINAL, terminal, e.TerminalStatus.RETURNED)
        terminal["shop_id"] = None
        self.touch(terminal, when)
        self.audit(
            when,
            actor,
            "terminal.returned",
            "Terminal",
            terminal["id"],
            before={"status": before},
            after={"status": "RETURNED"},
        )

    def build_service(
        self,
        c: C,
        company: Row,
        contract: Row,
        shop: Row,
        spec: T,
        activation: dt.datetime,
        pending: bool,
    ) -> Row | None:
        rng = self.rng
        technician, hotline = self.users["technician"], self.users["hotline"]
        profile = _MCC[c.mcc][0]
        kind = e.ServiceKind.PAYWISH_SOFTPOS if spec.softpos else e.ServiceKind.PAY_ON_SITE
        terminal: Row | None = None
        if not spec.softpos:
            registered = _secs(activation - dt.timedelta(days=rng.uniform(2.5, 4)))
            terminal = self.register_pax(spec.model, registered)
            assigned = _secs(activation - dt.timedelta(days=rng.uniform(0.6, 1.5)))
            terminal["shop_id"] = shop["id"]
            in_stock, _ = self.move(TERMINAL, terminal, e.TerminalStatus.ASSIGNED)
            self.touch(terminal, assigned)
            self.audit(
                assigned,
                technician,
                "terminal.assigned",
                "Terminal",
                terminal["id"],
                before={"status": in_stock, "shopId": None},
                after={"status": terminal["status"], "shopId": str(shop["id"])},
            )
            self.add_options(terminal, assigned, technician, **_initial_options(profile, rng))
        if pending and terminal is not None:
            # A PAY_ON_SITE service is active as soon as it is added (activateService): an
            # approved company's PAX waits, assigned to its shop, with no service yet.
            return None
        service = self.add(
            m.Service,
            {
                "id": self.w.uid(),
                "contract_id": contract["id"],
                "shop_id": shop["id"],
                "kind": kind.value,
                "terminal_id": terminal["id"] if terminal else None,
                "status": e.ServiceStatus.PENDING.value,
                "blocked_reason": None,
                "blocked_at": None,
                "blocked_until": None,
                "blocked_by": None,
                "activation_code_hash": None,
                "activation_code_expires_at": None,
                "activated_at": None,
                "deactivated_at": None,
                "created_at": activation,
                "updated_at": activation,
                "version": 1,
            },
        )
        if spec.softpos:
            # A SoftPOS service waits for its phone: an activation code, as activateService
            # issues it (resolvers/terminals/services.py), drawn from the demo's generator.
            code = "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
            service["activation_code_hash"] = hash_activation_code(code)
            service["activation_code_expires_at"] = activation + CODE_LIFETIME
            self.audit(
                activation,
                technician,
                "service.activation_code_issued",
                "Service",
                service["id"],
                after={
                    **snapshot(service, SERVICE_FIELDS, "Service"),
                    "activationCodeExpiresAt": service["activation_code_expires_at"].isoformat(),
                },
            )
        if pending:
            return service

        # Activated, journaled as the use cases journal it: the phone enrolls with its code
        # (resolvers/terminals/softpos.py); a PAX service is active as soon as it is added
        # (activateService, resolvers/terminals/services.py) and the PAX downloads its
        # parameters.
        service_before = snapshot(service, SERVICE_FIELDS, "Service")
        if terminal is None:
            enrolled = self.later(activation, 20, 180)
            terminal = self.new_terminal(
                spec.model, True, enrolled, shop, e.TerminalStatus.ACTIVE.value
            )
            terminal_before: dict[str, Any] = {}
            service["terminal_id"] = terminal["id"]
            service["activation_code_hash"] = None
            service["activation_code_expires_at"] = None
            activated, actor, action = enrolled, self.users["service"], "terminal.enrolled"
        else:
            activated, actor = self.later(activation, 3, 15), technician
            action = "terminal.activated"
            service["created_at"] = activated
            terminal_before = snapshot(terminal, TERMINAL_FIELDS, "Terminal")
            self.move(TERMINAL, terminal, e.TerminalStatus.ACTIVE)
            self.acknowledge(terminal, self.options[terminal["id"]][0], activated)
        self.move(SERVICE, service, e.ServiceStatus.ACTIVE)
        service["activated_at"] = activated
        self.touch(service, activated)
        before, after = journal.changes(
            terminal_before, snapshot(terminal, TERMINAL_FIELDS, "Terminal")
        )
        self.audit(
            activated,
            actor,
            action,
            "Terminal",
            terminal["id"],
            before=before or None,
            after={**after, "serviceId": str(service["id"])},
        )
        if spec.softpos:
            before, after = journal.changes(
                service_before, snapshot(service, SERVICE_FIELDS, "Service")
            )
        else:
            before, after = {}, snapshot(service, SERVICE_FIELDS, "Service")
        self.audit(
            activated,
            actor,
            "service.activated",
            "Service",
            service["id"],
            before=before or None,
            after=after,
        )

        if c.status is CS.CLOSED:
            return service

        if spec.deactivated_days is not None:
            when = self.ago(spec.deactivated_days)
            self.deactivate(service, when, technician, "Appareil remplacé par un terminal PAX")
            self.return_terminal(terminal, when, technician)
            return service

        online_until = _millis(self.now - dt.timedelta(seconds=rng.uniform(2, 45)))
        traffic = _Traffic(
            terminal=terminal,
            service=service,
            contract=contract,
            shop=shop,
            company=company,
            region=c.region,
            mcc=c.mcc,
            spec=spec,
            active_from=activated,
            alive_until=online_until,
        )
        self.traffic.append(traffic)

        # The application was updated on the device during the period.
        update_day = 12 if spec.softpos else 18
        update_at = self.at(c.region, update_day, rng.uniform(2.5, 4.5))
        if activated < update_at:
            old, new = (
                (_SOFTPOS_APP_OLD, _SOFTPOS_APP) if spec.softpos else (_PAX_APP_OLD, _PAX_APP)
            )
            terminal["app_version"] = new
            self.touch(terminal, update_at)
            self.event(
                terminal,
                e.TerminalEventKind.APP_UPDATED,
                update_at,
                "APP_UPDATE_OK",
                f"Application mise à jour : {old} → {new}",
                {"from": old, "to": new},
            )

        if spec.stale_hours is not None:
            silent = dt.timedelta(hours=spec.stale_hours, seconds=rng.uniform(0, 59))
            traffic.alive_until = _millis(self.now - silent)
        if spec.terminal_block is not None:
            days, reason = spec.terminal_block
            when = self.ago(days)
            traffic.alive_until = _millis(when - dt.timedelta(hours=rng.uniform(1, 3)))
            self.move(TERMINAL, terminal, e.TerminalStatus.BLOCKED)
            terminal["blocked_reason"] = reason
            self.touch(terminal, when)
            self.audit(
                when,
                hotline,
                "terminal.blocked",
                "Terminal",
                terminal["id"],
                before={"status": "ACTIVE"},
                after={"status": "BLOCKED"},
                reason=reason,
            )

        # Options: a later change acknowledged by the device, maybe one still pending.
        if not spec.softpos:
            versions = self.options[terminal["id"]]
            change = _later_options(profile)
            latest_ok = traffic.alive_until - dt.timedelta(days=2)
            if change and latest_ok > activated + dt.timedelta(days=6):
                span = (latest_ok - activated).total_seconds()
                when = _secs(activated + dt.timedelta(seconds=rng.uniform(0.2, 0.9) * span))
                self.add_options(terminal, when, technician, **change)
                self.acknowledge(terminal, versions[-1], self.later(when, 2, 20))
            if spec.options_pending:
                since = max(traffic.alive_until, self.now - dt.timedelta(minutes=90))
                when = self.later(since, 10, 50)
                self.add_options(
                    terminal,
                    when,
                    technician,
                    settlement_time=dt.time(22, 30),
                    tipping=profile in ("restaurant", "bar", "fastfood"),
                )
            traffic.settlement = versions[-1]["settlement_time"]
            if versions[-1]["acknowledged_at"] is None:
                traffic.settlement = versions[-2]["settlement_time"]

        # Blocks: a past one that ended by itself, and the current one.
        if spec.past_block is not None:
            days, hours, reason = spec.past_block
            start = self.ago(days)
            end = _secs(start + dt.timedelta(hours=hours))
            self.block(service, start, hotline, reason, end)
            traffic.refused.append((start, end))
            self.move(SERVICE, service, e.ServiceStatus.ACTIVE)
            service["blocked_reason"] = None
            service["blocked_at"] = None
            service["blocked_until"] = None
            service["blocked_by"] = None
            self.touch(service, end)
            self.audit(
                end,
                "system",
                "service.unblocked",
                "Service",
                service["id"],
                before={"status": "BLOCKED"},
                after={"status": "ACTIVE"},
                reason="Fin du blocage temporaire",
            )
        if spec.block is not None:
            days, until_days, reason = spec.block
            start = self.ago(days)
            until = None
            if until_days is not None:
                until = (self.now + dt.timedelta(days=until_days)).replace(minute=0, second=0)
            self.block(service, start, hotline, reason, until)
            traffic.refused.append((start, self.now))
        return service

    def block(
        self,
        service: Row,
        when: dt.datetime,
        actor: Row,
        reason: str,
        until: dt.datetime | None,
    ) -> None:
        active, _ = self.move(SERVICE, service, e.ServiceStatus.BLOCKED)
        service["blocked_reason"] = reason
        service["blocked_at"] = when
        service["blocked_until"] = until
        service["blocked_by"] = actor["id"]
        self.touch(service, when)
        self.audit(
            when,
            actor,
            "service.blocked",
            "Service",
            service["id"],
            before={"status": active},
            after={"status": "BLOCKED", "until": until.isoformat() if until else None},
            reason=reason,
        )

    def build_stock(self) -> None:
        """A few PAX terminals in stock, waiting for a merchant."""
        for model in ("A920Pro", "A920Pro", "A77", "S920"):
            self.register_pax(model, self.at(self.home, self.rng.uniform(3, 60), 10))
