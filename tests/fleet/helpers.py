"""What the fleet tests share (no fixtures: conftest.py holds those)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from db.identifiers import make_siren, make_siret
from db.session import Database
from resolvers import terminals as rt
from resolvers.usecase import Actor
from tenancy.principal import Principal, tenant_claims
from tenancy.roles import Role
from tests.factories import TenantGraph

ERRORS = "userErrors { field code message }"


REGISTER = f"""
mutation($i: RegisterTerminalInput!) {{ registerTerminal(input: $i) {{
  terminal {{ id tid kind status version serialNumber model }} {ERRORS} }} }}
"""


ASSIGN = f"""
mutation($i: AssignTerminalInput!) {{ assignTerminal(input: $i) {{
  terminal {{ id status version shop {{ id }} }} {ERRORS} }} }}
"""


OPTIONS = f"""
mutation($i: UpdateTerminalOptionsInput!) {{ updateTerminalOptions(input: $i) {{
  terminal {{ id version optionsStatus appliedOptionsVersion options {{ versionNumber }} }}
  options {{ versionNumber contactless tipping cashback preAuthorization manualEntry
             receiptMode language settlementTime acknowledgedAt }}
  {ERRORS} }} }}
"""


ACTIVATE = f"""
mutation($i: ActivateServiceInput!) {{ activateService(input: $i) {{
  service {{ id kind status version activationCodeExpiresAt
             terminal {{ id status }} contract {{ id status }} }}
  terminal {{ id status shop {{ id }} }}
  activationCode {ERRORS} }} }}
"""


BLOCK_SERVICE = f"""
mutation($i: BlockServiceInput!) {{ blockService(input: $i) {{
  service {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""


UNBLOCK_SERVICE = f"""
mutation($i: UnblockServiceInput!) {{ unblockService(input: $i) {{
  service {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""


DEACTIVATE_SERVICE = f"""
mutation($i: DeactivateServiceInput!) {{ deactivateService(input: $i) {{
  service {{ id status version }} terminal {{ id status }} {ERRORS} }} }}
"""


RESTOCK_TERMINAL = f"""
mutation($i: RestockTerminalInput!) {{ restockTerminal(input: $i) {{
  terminal {{ id status version shop {{ id }} }} {ERRORS} }} }}
"""


BLOCK_TERMINAL = f"""
mutation($i: BlockTerminalInput!) {{ blockTerminal(input: $i) {{
  terminal {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""


UNBLOCK_TERMINAL = f"""
mutation($i: UnblockTerminalInput!) {{ unblockTerminal(input: $i) {{
  terminal {{ id status version blockedReason blockedUntil }} {ERRORS} }} }}
"""


def new_tid(prefix: str = "T") -> str:
    return (prefix + uuid.uuid4().hex.upper())[:8]


def in_hours(hours: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)


async def merchant(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    company_status: str = "APPROVED",
    contract_status: str = "SIGNED",
    kinds: tuple[str, ...] = ("PAY_ON_SITE", "PAYWISH_SOFTPOS"),
    covered: bool = True,
) -> dict[str, uuid.UUID]:
    """A company with one shop and a contract (covering the shop unless told otherwise)."""
    ids = {"company": uuid.uuid4(), "shop": uuid.uuid4(), "contract": uuid.uuid4()}
    siren = make_siren(f"{uuid.uuid4().int % 10**8:08d}")
    address = {"address_line1": "2 rue Frébault", "postal_code": "97110", "city": "Pointe-à-Pitre"}
    t = graph.tenant_id
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Company.__table__).values(
                tenant_id=t,
                id=ids["company"],
                legal_name="Épicerie Fine",
                siren=siren,
                legal_form="SAS",
                mcc="5411",
                contact_name="B",
                contact_email="b@c.fr",
                contact_phone="+590590000001",
                status=company_status,
                **address,
            )
        )
        await conn.execute(
            insert(m.Shop.__table__).values(
                tenant_id=t,
                id=ids["shop"],
                company_id=ids["company"],
                name="Épicerie — Centre",
                siret=make_siret(siren, "0001"),
                mcc="5411",
                **address,
            )
        )
        await conn.execute(
            insert(m.Contract.__table__).values(
                tenant_id=t,
                id=ids["contract"],
                number=f"MP-2025-{uuid.uuid4().int % 10**6:06d}",
                company_id=ids["company"],
                status=contract_status,
                service_kinds=list(kinds),
            )
        )
        if covered:
            await conn.execute(
                insert(m.ContractShop.__table__).values(
                    tenant_id=t, contract_id=ids["contract"], shop_id=ids["shop"]
                )
            )
    return ids


async def add_terminal(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    status: str = "IN_STOCK",
    kind: str = "PAX",
    shop_id: uuid.UUID | None = None,
    blocked_until: dt.datetime | None = None,
) -> uuid.UUID:
    terminal_id = uuid.uuid4()
    if shop_id is None and status in ("ASSIGNED", "ACTIVE", "BLOCKED"):
        shop_id = graph.ids["shop"]
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Terminal.__table__).values(
                tenant_id=graph.tenant_id,
                id=terminal_id,
                kind=kind,
                tid=new_tid(),
                serial_number=uuid.uuid4().hex[:12].upper() if kind == "PAX" else None,
                shop_id=shop_id,
                status=status,
                blocked_reason="Test" if status == "BLOCKED" else None,
                blocked_until=blocked_until,
            )
        )
    return terminal_id


async def add_service(
    engine: AsyncEngine,
    graph: TenantGraph,
    *,
    status: str = "ACTIVE",
    terminal_id: uuid.UUID | None = None,
    kind: str = "PAY_ON_SITE",
    blocked_until: dt.datetime | None = None,
    code_hash: str | None = None,
    code_expires_at: dt.datetime | None = None,
    contract_id: uuid.UUID | None = None,
    shop_id: uuid.UUID | None = None,
) -> uuid.UUID:
    service_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Service.__table__).values(
                tenant_id=graph.tenant_id,
                id=service_id,
                contract_id=contract_id or graph.ids["contract"],
                shop_id=shop_id or graph.ids["shop"],
                kind=kind,
                terminal_id=terminal_id,
                status=status,
                blocked_reason="Test" if status == "BLOCKED" else None,
                blocked_until=blocked_until,
                activation_code_hash=code_hash,
                activation_code_expires_at=code_expires_at,
            )
        )
    return service_id


async def count(engine: AsyncEngine, table: str, tenant_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
            {"t": tenant_id},
        )


async def counts(engine: AsyncEngine, tenant_id: uuid.UUID) -> dict[str, int]:
    tables = ("audit_events", "terminals", "services", "terminal_options", "contracts")
    return {t: await count(engine, t, tenant_id) for t in tables}


async def row(engine: AsyncEngine, table: str, row_id: uuid.UUID) -> dict[str, Any]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(f"SELECT * FROM {table} WHERE id = :id"),
            {"id": row_id},
        )
        return dict(result.mappings().one())


async def journal_of(engine: AsyncEngine, entity_id: uuid.UUID) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        result = await conn.execute(
            text(
                "SELECT action, actor_kind, actor_label, before, after, reason FROM audit_events"
                " WHERE entity_id = :id ORDER BY occurred_at, action"
            ),
            {"id": entity_id},
        )
        return [dict(r) for r in result.mappings()]


def service_actor(graph: TenantGraph, locale: str = "en") -> Actor:
    """The SERVICE machine account that will call enrollSoftposDevice."""

    def no_scope() -> Any:
        raise AssertionError("complete_softpos_enrollment runs in the caller's session")

    return Actor(
        principal=Principal(
            user_id=uuid.uuid4(),
            email=f"service@{graph.slug}.test",
            full_name="Enrollment",
            role=Role.SERVICE,
            tenant_id=graph.tenant_id,
        ),
        request_id="test-enrollment",
        locale=locale,
        scope=no_scope,
    )


async def enroll(
    db: Database, graph: TenantGraph, code: str, device: dict[str, Any] | None = None
) -> m.Service:
    async with db.session(tenant_claims(graph.tenant_id)) as session, session.begin():
        return await rt.complete_softpos_enrollment(
            session, service_actor(graph), code, device or {"model": "Pixel 8"}
        )
