"""Row factories for tests: a tenant with one row in every tenant table.

Written as the owner (a superuser in tests), so set-up does not depend on the policies under
test. `TENANT_GRAPH_TABLES` must cover every tenant table: test_rls checks it, so a new table
cannot be left out of the RLS tests.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from db import models as m
from tenancy.passwords import hash_password

_HASH = hash_password("correct horse battery")  # = PASSWORD below


@dataclass
class TenantGraph:
    tenant_id: uuid.UUID
    slug: str
    ids: dict[str, uuid.UUID] = field(default_factory=dict)


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def make_tenant(
    engine: AsyncEngine, slug: str | None = None, name: str = "Test"
) -> uuid.UUID:
    tenant_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.Tenant.__table__).values(id=tenant_id, slug=slug or unique_slug(), name=name)
        )
    return tenant_id


async def make_tenant_graph(engine: AsyncEngine) -> TenantGraph:
    """A tenant with one row in every tenant table."""
    slug = unique_slug("g")
    tenant_id = await make_tenant(engine, slug)
    ids = {name: uuid.uuid4() for name in ("user", "company", "shop", "request", "contract")}
    ids.update({n: uuid.uuid4() for n in ("fee", "terminal", "service", "tx", "event", "audit")})
    ids["comment"] = uuid.uuid4()
    ids["session"] = uuid.uuid4()
    ids["notification"] = uuid.uuid4()
    ids["mail"] = uuid.uuid4()
    ids["command"] = uuid.uuid4()
    ids["document"] = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    t = tenant_id
    address = {
        "address_line1": "1 rue Schoelcher",
        "postal_code": "97110",
        "city": "Pointe-à-Pitre",
    }
    rows: list[tuple[type[m.Base], dict[str, object]]] = [
        (
            m.User,
            {
                "tenant_id": t,
                "id": ids["user"],
                "email": f"sup@{slug}.test",
                "full_name": "Sup",
                "role": "SUPERVISOR",
                "password_hash": _HASH,
            },
        ),
        (
            m.UserSession,
            {
                "tenant_id": t,
                "id": ids["session"],
                "user_id": ids["user"],
                "expires_at": now + dt.timedelta(hours=12),
                "user_agent": "factory",
                "address": "127.0.0.1",
            },
        ),
        (
            m.Company,
            {
                "tenant_id": t,
                "id": ids["company"],
                "legal_name": "Boulangerie Test",
                "siren": "732829320",
                "legal_form": "SARL",
                "mcc": "5411",
                "contact_name": "A",
                "contact_email": "a@b.fr",
                "contact_phone": "+590590000000",
                "iban": "FR7630006000011234567890189",
                "bic": "AGRIFRPP",
                "status": "ACTIVE",
                **address,
            },
        ),
        (
            m.Shop,
            {
                "tenant_id": t,
                "id": ids["shop"],
                "company_id": ids["company"],
                "name": "Shop",
                "siret": "73282932000074",
                "mcc": "5411",
                **address,
            },
        ),
        (m.TenantCounter, {"tenant_id": t, "name": "contract_number:2026", "value": 1}),
        (
            m.Contract,
            {
                "tenant_id": t,
                "id": ids["contract"],
                "number": "MP-2026-000001",
                "company_id": ids["company"],
                "status": "ACTIVE",
                "service_kinds": ["PAY_ON_SITE"],
            },
        ),
        (
            m.Request,
            {
                "tenant_id": t,
                "id": ids["request"],
                "reference": "DJYVVV158AC",
                "type": "EVALUATION",
                "company_id": ids["company"],
                "author_id": ids["user"],
                "subject": "Evaluation",
                "payload": {"note": "first contact"},
            },
        ),
        (m.RequestDueTime, {"tenant_id": t, "type": "SUPPORT", "hours": 24}),
        (
            m.RequestComment,
            {
                "tenant_id": t,
                "id": ids["comment"],
                "request_id": ids["request"],
                "author_id": ids["user"],
                "author_label": "Sup",
                "body": "ok",
            },
        ),
        (m.ContractShop, {"tenant_id": t, "contract_id": ids["contract"], "shop_id": ids["shop"]}),
        (
            m.FeeSchedule,
            {
                "tenant_id": t,
                "id": ids["fee"],
                "contract_id": ids["contract"],
                "version_number": 1,
                "effective_from": now.date(),
            },
        ),
        (
            m.FeeLine,
            {
                "tenant_id": t,
                "fee_schedule_id": ids["fee"],
                "scheme": "CB",
                "region": "DOMESTIC",
                "rate_bps": 30,
                "fixed_fee": 5,
            },
        ),
        (
            m.Terminal,
            {
                "tenant_id": t,
                "id": ids["terminal"],
                "kind": "PAX",
                "tid": uuid.uuid4().hex[:8].upper(),
                "serial_number": uuid.uuid4().hex[:10],
                "model": "A920Pro",
                "shop_id": ids["shop"],
                "status": "ACTIVE",
            },
        ),
        (m.TerminalOptions, {"tenant_id": t, "terminal_id": ids["terminal"], "version_number": 1}),
        (
            m.Service,
            {
                "tenant_id": t,
                "id": ids["service"],
                "contract_id": ids["contract"],
                "shop_id": ids["shop"],
                "kind": "PAY_ON_SITE",
                "terminal_id": ids["terminal"],
                "status": "ACTIVE",
            },
        ),
        (
            m.Transaction,
            {
                "tenant_id": t,
                "id": ids["tx"],
                "external_id": uuid.uuid4().hex,
                "terminal_id": ids["terminal"],
                "shop_id": ids["shop"],
                "company_id": ids["company"],
                "contract_id": ids["contract"],
                "service_id": ids["service"],
                "type": "PURCHASE",
                "amount": 1250,
                "currency": "EUR",
                "scheme": "CB",
                "masked_pan": "497010******1234",
                "entry_mode": "CONTACTLESS",
                "status": "APPROVED",
                "response_code": "00",
                "authorization_code": "A1B2C3",
                "occurred_at": now,
            },
        ),
        (
            m.TerminalEvent,
            {
                "tenant_id": t,
                "id": ids["event"],
                "terminal_id": ids["terminal"],
                "kind": "HEARTBEAT",
                "occurred_at": now,
            },
        ),
        (
            m.AuditEvent,
            {
                "tenant_id": t,
                "id": ids["audit"],
                "actor_kind": "SYSTEM",
                "actor_label": "test",
                "action": "company.created",
                "entity_type": "Company",
                "entity_id": ids["company"],
            },
        ),
        (
            m.Notification,
            {
                "tenant_id": t,
                "id": ids["notification"],
                "recipient_id": ids["user"],
                "kind": "CONTRACT_SIGNED",
                "subject_type": "Contract",
                "subject_id": ids["contract"],
                "params": {"contract": "MP-2026-000001", "company": "Boulangerie Test"},
            },
        ),
        (
            m.NotificationPreference,
            {
                "tenant_id": t,
                "user_id": ids["user"],
                "kind": "TERMINAL_OFFLINE",
                "in_app": True,
                "email": False,
            },
        ),
        (
            m.NotificationOutbox,
            {
                "tenant_id": t,
                "id": ids["mail"],
                "recipient_id": ids["user"],
                "kind": "CONTRACT_SIGNED",
                "subject_type": "Contract",
                "subject_id": ids["contract"],
                "sent_at": now,
            },
        ),
        (m.NotificationEpisode, {"tenant_id": t, "key": f"offline:{ids['terminal']}:test"}),
        (
            m.TerminalCommand,
            {
                "tenant_id": t,
                "id": ids["command"],
                "terminal_id": ids["terminal"],
                "kind": "REBOOT",
                "status": "DONE",
                "requested_by": ids["user"],
                "requested_by_label": "sup@test",
                "created_at": now - dt.timedelta(hours=2),
                "expires_at": now - dt.timedelta(hours=1),
                "sent_at": now - dt.timedelta(hours=2),
                "finished_at": now - dt.timedelta(hours=2),
            },
        ),
        (m.DocumentBlob, {"tenant_id": t, "sha256": "0" * 64, "content": b"%PDF-1.4 test"}),
        (
            m.Document,
            {
                "tenant_id": t,
                "id": ids["document"],
                "company_id": ids["company"],
                "kind": "KBIS",
                "filename": "kbis.pdf",
                "content_type": "application/pdf",
                "size_bytes": 13,
                "sha256": "0" * 64,
            },
        ),
        (m.DocumentSettings, {"tenant_id": t, "evaluation_document_kinds": []}),
    ]
    async with engine.begin() as conn:
        for model, values in rows:
            await conn.execute(insert(model.__table__).values(**values))
    return TenantGraph(tenant_id=tenant_id, slug=slug, ids=ids)


#: Tables make_tenant_graph fills; test_rls checks it is every tenant table.
TENANT_GRAPH_TABLES = frozenset(
    {
        "users",
        "user_sessions",
        "companies",
        "shops",
        "tenant_counters",
        "contracts",
        "requests",
        "request_due_times",
        "request_comments",
        "contract_shops",
        "fee_schedules",
        "fee_lines",
        "terminals",
        "terminal_options",
        "services",
        "transactions",
        "terminal_events",
        "audit_events",
        "notifications",
        "notification_preferences",
        "notification_outbox",
        "notification_episodes",
        "terminal_commands",
        "document_blobs",
        "documents",
        "document_settings",
    }
)


PASSWORD = "correct horse battery"


async def add_user(engine: AsyncEngine, graph: TenantGraph, role: str) -> str:
    """A user of `role` in the graph's tenant; returns their e-mail (password PASSWORD)."""
    email = f"{role.lower()}-{uuid.uuid4().hex[:6]}@{graph.slug}.test"
    async with engine.begin() as conn:
        await conn.execute(
            insert(m.User.__table__).values(
                tenant_id=graph.tenant_id,
                id=uuid.uuid4(),
                email=email,
                full_name=role.title(),
                role=role,
                password_hash=_HASH,
            )
        )
    return email


async def add_transactions(
    engine: AsyncEngine, graph: TenantGraph, count: int, *, start: dt.datetime | None = None
) -> list[uuid.UUID]:
    """`count` transactions on the graph's terminal, one minute apart, newest at `start`."""
    start = start or dt.datetime.now(dt.UTC)
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {
            "tenant_id": graph.tenant_id,
            "id": tx_id,
            "external_id": f"ext-{tx_id.hex}",
            "terminal_id": graph.ids["terminal"],
            "shop_id": graph.ids["shop"],
            "company_id": graph.ids["company"],
            "contract_id": graph.ids["contract"],
            "service_id": graph.ids["service"],
            "type": "PURCHASE",
            "amount": 100 + i,
            "currency": "EUR",
            "scheme": "VISA" if i % 3 else "CB",
            "masked_pan": "497010******1234",
            "entry_mode": "CONTACTLESS",
            "status": "DECLINED" if i % 10 == 0 else "APPROVED",
            "response_code": "51" if i % 10 == 0 else "00",
            "authorization_code": None if i % 10 == 0 else f"{i:06d}",
            "occurred_at": start - dt.timedelta(minutes=i),
        }
        for i, tx_id in enumerate(ids)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(m.Transaction.__table__), rows)
    return ids


async def add_audit_event_by(engine: AsyncEngine, graph: TenantGraph, email: str) -> uuid.UUID:
    """A journal entry acted by the user with this e-mail (a company update)."""
    event_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO audit_events (tenant_id, id, actor_kind, actor_id, actor_label,"
                " action, entity_type, entity_id, before, after)"
                " SELECT u.tenant_id, :id, 'USER', u.id, u.email, 'company.updated', 'Company',"
                ' :company, \'{"tradeName": null}\', \'{"tradeName": "Chez Test"}\''
                " FROM users u WHERE u.email = :email"
            ),
            {"id": event_id, "company": graph.ids["company"], "email": email},
        )
    return event_id


async def add_terminals(
    engine: AsyncEngine, graph: TenantGraph, count: int, prefix: str = "L"
) -> list[str]:
    """`count` ACTIVE PAX terminals in the graph's shop (one bulk insert), TIDs `prefix` +
    a 7-digit number from 0; every third has just sent a heartbeat (ONLINE), the others never
    did (OFFLINE). Returns the TIDs."""
    now = dt.datetime.now(dt.UTC)
    tids = [f"{prefix}{n:07d}" for n in range(count)]
    rows = [
        {
            "tenant_id": graph.tenant_id,
            "id": uuid.uuid4(),
            "kind": "PAX",
            "tid": tid,
            "serial_number": f"SN{tid}",
            "model": "A920Pro",
            "shop_id": graph.ids["shop"],
            "status": "ACTIVE",
            "last_heartbeat_at": now if n % 3 == 0 else None,
        }
        for n, tid in enumerate(tids)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(m.Terminal.__table__), rows)
    return tids
