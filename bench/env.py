"""The benchmark's world: an embedded PostgreSQL, migrated databases, tenants and data.

Everything here is written as the owner (the embedded server's superuser, which bypasses
row-level security), never through the application, so set-up costs nothing to the figures.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from db import models as m
from db.embedded import EmbeddedPostgres
from db.identifiers import make_siren, make_siret
from db.migrate import migrate
from db.session import async_url, plain_url
from tenancy.passwords import hash_password

APP_ROLE = "spring_app"
PASSWORD = "bench-password-1"  # noqa: S105 - the benchmark's own throw-away accounts
SECRET = "bench-secret-0123456789-0123456789-0123456789"  # noqa: S105


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def app_url_of(owner_url: str) -> str:
    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(False)


class Server:
    """One embedded PostgreSQL for the whole run, deleted at the end."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="spring-bench-pg-")
        self.embedded = EmbeddedPostgres(self.folder, cleanup_mode="delete")

    def start(self) -> Server:
        self.embedded.start()
        return self

    def stop(self) -> None:
        self.embedded.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def admin_url(self) -> str:
        return self.embedded.url()

    async def version(self) -> str:
        conn = await asyncpg.connect(plain_url(self.admin_url))
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()

    async def create_database(self, name: str) -> str:
        """Create and migrate a database; return its owner URL."""
        conn = await asyncpg.connect(plain_url(self.admin_url))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        owner = self.embedded.url(database=name)
        await migrate(owner, app_role=APP_ROLE)
        return owner


# ------------------------------------------------------------------------------ tenants


@dataclass
class TerminalRef:
    id: uuid.UUID
    tid: str
    shop_id: uuid.UUID
    company_id: uuid.UUID


@dataclass
class BenchTenant:
    id: uuid.UUID
    slug: str
    companies: list[uuid.UUID] = field(default_factory=list)
    shops: list[uuid.UUID] = field(default_factory=list)
    terminals: list[TerminalRef] = field(default_factory=list)
    #: Role → e-mail of the tenant's accounts (all with PASSWORD).
    users: dict[str, str] = field(default_factory=dict)
    #: The PAY_ON_SITE service of each shop (P5n blocks and unblocks them).
    services: list[uuid.UUID] = field(default_factory=list)


_HASH: str | None = None


def _password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


def _deterministic(namespace: str, *parts: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"spring-bench:{namespace}:" + ":".join(map(str, parts)))


def _tenant_rows(
    number: int, prefix: str, companies: int, shops_per_company: int
) -> tuple[BenchTenant, dict[Any, list[dict[str, Any]]]]:
    slug = f"{prefix}{number:02d}"
    tenant_id = _deterministic(prefix, number)
    tenant = BenchTenant(tenant_id, slug)
    now = dt.datetime.now(dt.UTC)
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in _TABLES}
    rows[m.Tenant].append({"id": tenant_id, "slug": slug, "name": f"Bench {slug}"})
    for role in ("HOTLINE", "SERVICE", "SUPERVISOR", "TECHNICIAN"):
        email = f"{role.lower()}@{slug}.bench"
        tenant.users[role] = email
        rows[m.User].append(
            {
                "tenant_id": tenant_id,
                "id": _deterministic(slug, "user", role),
                "email": email,
                "full_name": f"{role.title()} {slug}",
                "role": role,
                "password_hash": _password_hash(),
            }
        )
    address = {
        "address_line1": "1 rue Schoelcher",
        "postal_code": "97110",
        "city": "Pointe-à-Pitre",
    }
    shop_number = 0
    for c in range(companies):
        company_id = _deterministic(slug, "company", c)
        contract_id = _deterministic(slug, "contract", c)
        siren = make_siren(f"{(number * 1000 + c) % 10**8:08d}")
        tenant.companies.append(company_id)
        rows[m.Company].append(
            {
                "tenant_id": tenant_id,
                "id": company_id,
                "legal_name": f"Commerce {slug} n°{c}",
                "siren": siren,
                "legal_form": "SARL",
                "mcc": "5411",
                "contact_name": "Contact",
                "contact_email": f"c{c}@{slug}.bench",
                "contact_phone": "+590590000000",
                "status": "ACTIVE",
                **address,
            }
        )
        rows[m.Contract].append(
            {
                "tenant_id": tenant_id,
                "id": contract_id,
                "number": f"MP-2026-{c + 1:06d}",
                "company_id": company_id,
                "status": "ACTIVE",
                "service_kinds": ["PAY_ON_SITE"],
                "signed_at": now,
                "activated_at": now,
            }
        )
        for s in range(shops_per_company):
            shop_id = _deterministic(slug, "shop", c, s)
            terminal_id = _deterministic(slug, "terminal", c, s)
            tid = f"B{number % 100:02d}{shop_number:05d}"
            shop_number += 1
            tenant.shops.append(shop_id)
            tenant.terminals.append(TerminalRef(terminal_id, tid, shop_id, company_id))
            rows[m.Shop].append(
                {
                    "tenant_id": tenant_id,
                    "id": shop_id,
                    "company_id": company_id,
                    "name": f"Magasin {c}-{s} {slug}",
                    "siret": make_siret(siren, f"{s + 1:04d}"),
                    "mcc": "5411",
                    **address,
                }
            )
            rows[m.ContractShop].append(
                {"tenant_id": tenant_id, "contract_id": contract_id, "shop_id": shop_id}
            )
            rows[m.Terminal].append(
                {
                    "tenant_id": tenant_id,
                    "id": terminal_id,
                    "kind": "PAX",
                    "tid": tid,
                    "serial_number": f"SN{tid}",
                    "model": "A920Pro",
                    "firmware_version": "V1.02.03",
                    "shop_id": shop_id,
                    "status": "ACTIVE",
                    "last_seen_at": now,
                }
            )
            rows[m.TerminalOptions].append(
                {"tenant_id": tenant_id, "terminal_id": terminal_id, "version_number": 1}
            )
            tenant.services.append(_deterministic(slug, "service", c, s))
            rows[m.Service].append(
                {
                    "tenant_id": tenant_id,
                    "id": _deterministic(slug, "service", c, s),
                    "contract_id": contract_id,
                    "shop_id": shop_id,
                    "kind": "PAY_ON_SITE",
                    "terminal_id": terminal_id,
                    "status": "ACTIVE",
                    "activated_at": now,
                }
            )
    return tenant, rows


_TABLES = (
    m.Tenant,
    m.User,
    m.Company,
    m.Shop,
    m.Contract,
    m.ContractShop,
    m.Terminal,
    m.TerminalOptions,
    m.Service,
)


async def create_tenants(
    owner_url: str,
    prefix: str,
    count: int,
    *,
    companies: int = 4,
    shops_per_company: int = 2,
) -> list[BenchTenant]:
    """`count` tenants, each with companies × shops, one ACTIVE PAX terminal and service per
    shop, and HOTLINE, SERVICE, SUPERVISOR and TECHNICIAN accounts (password PASSWORD)."""
    tenants, all_rows = [], {table: [] for table in _TABLES}
    for number in range(1, count + 1):
        tenant, rows = _tenant_rows(number, prefix, companies, shops_per_company)
        tenants.append(tenant)
        for table, table_rows in rows.items():
            all_rows[table].extend(table_rows)
    engine = create_async_engine(async_url(owner_url))
    try:
        async with engine.begin() as conn:
            for table in _TABLES:
                if all_rows[table]:
                    await conn.execute(sa.insert(table.__table__), all_rows[table])
    finally:
        await engine.dispose()
    return tenants


# ------------------------------------------------------------------------------ bulk data


async def generate_transactions(
    owner_url: str, tenant: BenchTenant, total: int, *, chunk: int = 1_000_000
) -> float:
    """Insert `total` transactions spread evenly over the tenant's terminals, over the last
    365 days (INSERT ... SELECT generate_series, as the owner). Secondary indexes are dropped
    during the load and built again afterwards (faster than maintaining them row by row), and
    foreign-key triggers are skipped (session_replication_role = replica).
    Returns the seconds it took, VACUUM ANALYZE included."""
    started = time.perf_counter()
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        await conn.execute("SET synchronous_commit = off")
        # Rows are valid by construction: skip the per-row foreign-key triggers while loading.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute("SET maintenance_work_mem = '512MB'")
        has_uuidv7 = await conn.fetchval(
            "SELECT count(*) > 0 FROM pg_proc WHERE proname = 'uuidv7'"
        )
        new_id = "uuidv7()" if has_uuidv7 else "gen_random_uuid()"
        indexes = await conn.fetch(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'transactions'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        await conn.execute(
            "CREATE TEMP TABLE places (idx int, terminal_id uuid, shop_id uuid, company_id uuid,"
            " contract_id uuid, service_id uuid)"
        )
        await conn.execute(
            """
            INSERT INTO places
            SELECT row_number() OVER (ORDER BY t.tid) - 1, t.id, t.shop_id, s.company_id,
                   v.contract_id, v.id
            FROM terminals t JOIN shops s ON s.tenant_id = t.tenant_id AND s.id = t.shop_id
            JOIN services v ON v.tenant_id = t.tenant_id AND v.terminal_id = t.id
            WHERE t.tenant_id = $1
            """,
            tenant.id,
        )
        places = await conn.fetchval("SELECT count(*) FROM places")
        step = 365 * 86_400 / max(total, 1)
        for start in range(0, total, chunk):
            stop = min(start + chunk, total) - 1
            await conn.execute(
                f"""
                INSERT INTO transactions (tenant_id, id, external_id, terminal_id, shop_id,
                    company_id, contract_id, service_id, type, amount, currency, scheme,
                    masked_pan, entry_mode, status, response_code, authorization_code,
                    occurred_at, recorded_at)
                SELECT $1, {new_id}, 'gen-' || g, p.terminal_id, p.shop_id, p.company_id,
                    p.contract_id, p.service_id, 'PURCHASE', 100 + (g * 7919) % 20000, 'EUR',
                    (ARRAY['CB','VISA','MASTERCARD'])[1 + g % 3],
                    '497010******' || lpad(((g * 7919) % 10000)::text, 4, '0'),
                    (ARRAY['CONTACTLESS','CHIP'])[1 + g % 2],
                    CASE WHEN g % 17 = 0 THEN 'DECLINED' ELSE 'APPROVED' END,
                    CASE WHEN g % 17 = 0 THEN '51' ELSE '00' END, 'A1B2C3',
                    now() - make_interval(secs => g * $4::float8),
                    now() - make_interval(secs => g * $4::float8)
                FROM generate_series($2::bigint, $3::bigint) g
                JOIN places p ON p.idx = g % $5
                """,
                tenant.id,
                start,
                stop,
                step,
                places,
            )
            log(f"  {stop + 1:,} / {total:,} transactions")
        for index in indexes:
            await conn.execute(index["indexdef"])
        await conn.execute("VACUUM ANALYZE transactions")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def vacuum_analyze(owner_url: str) -> None:
    """What autovacuum would have done by now on a live database: statistics, visibility."""
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def count_transactions(owner_url: str) -> int:
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM transactions"))
    finally:
        await conn.close()


async def terminal_tids(owner_url: str, tenant_slug: str) -> list[str]:
    """TIDs of the tenant's terminals that have a live service (ACTIVE)."""
    conn = await asyncpg.connect(plain_url(owner_url))
    try:
        rows = await conn.fetch(
            """
            SELECT t.tid FROM terminals t JOIN tenants n ON n.id = t.tenant_id
            JOIN services s ON s.tenant_id = t.tenant_id AND s.terminal_id = t.id
            WHERE n.slug = $1 AND s.status = 'ACTIVE' AND t.status = 'ACTIVE'
            ORDER BY t.tid
            """,
            tenant_slug,
        )
        return [r["tid"] for r in rows]
    finally:
        await conn.close()
