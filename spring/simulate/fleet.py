"""The simulated fleet: the terminals (TIDs) the simulator plays, from --tids, the demo's
description or the database the demo seeded."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from spring.simulate.config import _TID

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
    from spring.demo import build_demo

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
