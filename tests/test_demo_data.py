"""The demo data (spring.demo): deterministic, complete, valid, and seeded only once.

Two fresh databases are seeded with the same `now`; their rows must be identical (but for the
Argon2 password hashes). Queries run through sessions with claims, tenant by tenant, so the
checks hold whether or not the test server's owner bypasses row-level security.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db import enums as e
from db.identifiers import (
    contains_pan,
    is_valid_bic,
    is_valid_iban,
    is_valid_siren,
    is_valid_siret,
    looks_like_pan,
)
from db.migrate import migrate
from db.models import GLOBAL_TABLES, Base
from db.session import Database
from spring.demo import (
    BLOCKED_RESPONSE_CODE,
    DemoAlreadySeeded,
    DemoSummary,
    demo_present,
    external_id,
    seed_demo,
)
from tenancy.passwords import verify_password
from tenancy.principal import platform_claims, tenant_claims
from tenancy.roles import Role

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 28, 14, 30, tzinfo=dt.UTC)
APP_ROLE = "spring_app"
#: Columns that legitimately hold future times.
FUTURE_COLUMNS = {"blocked_until", "activation_code_expires_at", "due_at", "expires_at"}

DEMO_USERS: dict[str, Role] = {
    "supervisor@alizes.demo": Role.SUPERVISOR,
    "seller@alizes.demo": Role.SELLER,
    "hotline@alizes.demo": Role.HOTLINE,
    "technician@alizes.demo": Role.TECHNICIAN,
    "service@alizes.demo": Role.SERVICE,
    "supervisor@ocean.demo": Role.SUPERVISOR,
    "seller@ocean.demo": Role.SELLER,
    "hotline@ocean.demo": Role.HOTLINE,
    "technician@ocean.demo": Role.TECHNICIAN,
    "service@ocean.demo": Role.SERVICE,
}


@dataclass
class Seeded:
    url: str
    db: Database
    summary: DemoSummary
    #: slug → tenant id
    tenants: dict[str, uuid.UUID]

    async def platform(self, sql: str, **params: Any) -> Sequence[Mapping[str, Any]]:
        async with self.db.session(platform_claims()) as session:
            return (await session.execute(text(sql), params)).mappings().all()

    async def tenant(self, slug: str, sql: str, **params: Any) -> Sequence[Mapping[str, Any]]:
        async with self.db.session(tenant_claims(self.tenants[slug])) as session:
            return (await session.execute(text(sql), params)).mappings().all()

    async def all(self, sql: str, **params: Any) -> list[Mapping[str, Any]]:
        """The query run in every demo tenant (row-level security scoped), results joined."""
        rows: list[Mapping[str, Any]] = []
        for slug in sorted(self.tenants):
            rows.extend(await self.tenant(slug, sql, **params))
        return rows

    async def scalar(self, sql: str, **params: Any) -> Any:
        """A sum over the tenants of a single-value query."""
        return sum(next(iter(r.values())) or 0 for r in await self.all(sql, **params))


async def _seed(pg: Any) -> Seeded:
    url = await pg.create_database("spring_demo")
    await migrate(url, app_role=APP_ROLE)
    summary = await seed_demo(url, now=NOW)
    # Read as the application role: row-level security applies to it (the test server's
    # owner may be a superuser, which bypasses it).
    app_url = make_url(url).set(username=APP_ROLE, password=None).render_as_string(False)
    db = Database(app_url, pool_size=2, max_overflow=0)
    async with db.session(platform_claims()) as session:
        result = await session.execute(text("SELECT slug, id FROM tenants"))
        tenants = {slug: tid for slug, tid in result.all()}
    return Seeded(url=url, db=db, summary=summary, tenants=tenants)


@pytest.fixture(scope="module")
async def seeded(pg: Any) -> AsyncIterator[tuple[Seeded, Seeded]]:
    first = await _seed(pg)
    second = await _seed(pg)
    print(f"\ndemo seeding: {first.summary.seconds:.2f} s, then {second.summary.seconds:.2f} s")
    print(first.summary.counts())
    yield first, second
    await first.db.dispose()
    await second.db.dispose()


def _fingerprint_sql(table: sa.Table) -> str:
    # The password hash has a random salt; xid is the id of the seeding transaction.
    columns = ", ".join(c.name for c in table.columns if c.name not in ("password_hash", "xid"))
    return (
        "SELECT count(*) AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest "
        f"FROM (SELECT {columns} FROM {table.name}) x"
    )


#: Tables the demo leaves to the running service, not to the seed: sessions are made by
#: logins, notifications by the changes and the periodic checks of `spring demo` (blocks,
#: offline terminals), preferences when a user sets one, the outbox only with SMTP on.
MADE_AT_RUN_TIME = frozenset(
    {
        "user_sessions",
        "platform_sessions",
        "notifications",
        "notification_preferences",
        "notification_outbox",
        "notification_episodes",
    }
)


async def _fingerprints(s: Seeded) -> dict[str, tuple[int, str | None]]:
    prints: dict[str, tuple[int, str | None]] = {}
    for table in Base.metadata.sorted_tables:
        sql = _fingerprint_sql(table)
        if table.name in GLOBAL_TABLES:
            (row,) = await s.platform(sql)
            prints[table.name] = (row["n"], row["digest"])
        else:
            for slug in sorted(s.tenants):
                (row,) = await s.tenant(slug, sql)
                prints[f"{slug}.{table.name}"] = (row["n"], row["digest"])
    return prints


async def test_two_runs_write_identical_data(seeded: tuple[Seeded, Seeded]) -> None:
    first, second = seeded
    assert first.tenants == second.tenants
    a, b = await _fingerprints(first), await _fingerprints(second)
    assert a == b
    empty = [
        name for name, (n, _) in a.items() if n == 0 and name.split(".")[-1] not in MADE_AT_RUN_TIME
    ]
    assert not empty, f"tables left empty: {empty}"
    assert first.summary.counts() == second.summary.counts()


async def test_summary_matches_the_database(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    counts = s.summary.counts()
    for table in Base.metadata.sorted_tables:
        sql = f"SELECT count(*) FROM {table.name}"
        if table.name in GLOBAL_TABLES:
            actual = (await s.platform(sql))[0]["count"]
        else:
            actual = await s.scalar(sql)
        assert counts.get(table.name, 0) == actual, table.name
    assert s.summary.seconds > 0


async def test_tenants_users_and_volumes(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    tenants = await s.platform("SELECT slug, name, status FROM tenants ORDER BY slug")
    assert [(t["slug"], t["name"], t["status"]) for t in tenants] == [
        ("alizes", "Monétik Alizés", "ACTIVE"),
        ("ocean", "Monétik Océan", "ACTIVE"),
    ]
    users = {
        (r["email"], r["role"], r["status"])
        for r in await s.all("SELECT email, role, status FROM users")
    }
    for email, role in DEMO_USERS.items():
        assert (email, role.value, "ACTIVE") in users, email
    for slug in s.tenants:
        rows = await s.tenant(slug, "SELECT DISTINCT email FROM users")
        assert all(r["email"].endswith(f"@{slug}.demo") for r in rows)
    (admin,) = await s.platform(
        "SELECT status, password_hash FROM platform_users WHERE email = 'admin@platform.demo'"
    )
    assert admin["status"] == "ACTIVE"
    assert verify_password(admin["password_hash"], "spring-demo")
    (supervisor,) = await s.tenant(
        "alizes", "SELECT password_hash FROM users WHERE email = 'supervisor@alizes.demo'"
    )
    assert verify_password(supervisor["password_hash"], "spring-demo")
    hashes = {r["password_hash"] for r in await s.all("SELECT password_hash FROM users")}
    assert hashes == {admin["password_hash"]}, "one hash, computed once, for every demo user"

    assert await s.scalar("SELECT count(*) FROM transactions") >= 50_000
    for slug in s.tenants:
        (row,) = await s.tenant(slug, "SELECT count(*) AS n FROM transactions")
        assert row["n"] >= 10_000, slug


async def test_identifiers_are_valid(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    companies = await s.all("SELECT siren, iban, bic, contact_phone FROM companies")
    assert len(companies) >= 16
    for c in companies:
        assert is_valid_siren(c["siren"]), c["siren"]
        assert is_valid_iban(c["iban"]), c["iban"]
        assert c["iban"].startswith("FR")
        assert is_valid_bic(c["bic"]), c["bic"]
        assert re.fullmatch(r"\+(590|596|262)[0-9]{9}", c["contact_phone"]), c["contact_phone"]
    shops = await s.all(
        "SELECT s.siret, c.siren FROM shops s JOIN companies c ON c.id = s.company_id"
    )
    for shop in shops:
        assert is_valid_siret(shop["siret"], siren=shop["siren"]), shop
        assert shop["siret"].startswith(shop["siren"])
    for r in await s.all("SELECT reference FROM requests"):
        assert re.fullmatch(r"[A-Z0-9]{11}", r["reference"]), r["reference"]
    for r in await s.all("SELECT tid, kind, serial_number FROM terminals"):
        assert re.fullmatch(r"[A-Z0-9]{8}", r["tid"])
        assert (r["serial_number"] is not None) == (r["kind"] == "PAX")
    serials = [r["serial_number"] for r in await s.all("SELECT serial_number FROM terminals")]
    serials = [x for x in serials if x is not None]
    assert len(serials) == len(set(serials)), "PAX serial numbers are unique"


async def test_every_lifecycle_state_is_present(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    for slug in s.tenants:
        companies = {r["status"] for r in await s.tenant(slug, "SELECT status FROM companies")}
        assert companies == {x.value for x in e.CompanyStatus}, slug
        contracts = {r["status"] for r in await s.tenant(slug, "SELECT status FROM contracts")}
        assert contracts == {x.value for x in e.ContractStatus}, slug

    def statuses(rows: Sequence[Mapping[str, Any]]) -> set[str]:
        return {r["status"] for r in rows}

    assert statuses(await s.all("SELECT status FROM services")) == {
        x.value for x in e.ServiceStatus
    }
    assert statuses(await s.all("SELECT status FROM terminals")) == {
        x.value for x in e.TerminalStatus
    }
    assert statuses(await s.all("SELECT status FROM requests")) == {
        x.value for x in e.RequestStatus
    }
    assert {r["type"] for r in await s.all("SELECT type FROM requests")} == {
        x.value for x in e.RequestType
    }
    blocked = await s.all(
        "SELECT blocked_reason, blocked_until FROM services WHERE status = 'BLOCKED'"
    )
    assert all(b["blocked_reason"] for b in blocked)
    assert any(b["blocked_until"] is not None for b in blocked)
    assert any(b["blocked_until"] is None for b in blocked)


async def test_contracts_fees_and_counters(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    for slug in s.tenants:
        numbers = [r["number"] for r in await s.tenant(slug, "SELECT number FROM contracts")]
        assert all(re.fullmatch(r"MP-[0-9]{4}-[0-9]{6}", n) for n in numbers)
        last: dict[str, int] = {}
        for n in numbers:
            _, year, seq = n.split("-")
            last[year] = max(last.get(year, 0), int(seq))
        counters = {
            r["name"]: r["value"]
            for r in await s.tenant(slug, "SELECT name, value FROM tenant_counters")
        }
        assert counters == {f"contract_number:{y}": v for y, v in last.items()}
    # Every contract has a fee schedule with 9 lines; some have two versions.
    versions = await s.all(
        "SELECT contract_id, count(*) AS n FROM fee_schedules GROUP BY contract_id"
    )
    assert await s.scalar("SELECT count(*) FROM contracts") == len(versions)
    assert any(v["n"] == 2 for v in versions)
    lines = await s.all(
        "SELECT fee_schedule_id, count(*) AS n, "
        "min(rate_bps) FILTER (WHERE scheme = 'CB' AND region = 'DOMESTIC') AS cb, "
        "min(rate_bps) FILTER (WHERE region = 'INTERNATIONAL') AS intl "
        "FROM fee_lines GROUP BY fee_schedule_id"
    )
    assert all(x["n"] == 9 for x in lines)
    assert all(15 <= x["cb"] <= 40 and 140 <= x["intl"] <= 260 for x in lines)
    changed = await s.all(
        "SELECT before, after FROM audit_events WHERE action = 'contract.fee_changed'"
    )
    assert changed and all(c["before"]["lines"] != c["after"]["lines"] for c in changed)


async def test_transactions_are_plausible(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    window = NOW - dt.timedelta(days=30)
    for bounds in await s.all(
        "SELECT min(occurred_at) AS lo, max(occurred_at) AS hi FROM transactions"
    ):
        assert window <= bounds["lo"] < window + dt.timedelta(hours=12)
        assert NOW - dt.timedelta(hours=1) < bounds["hi"] <= NOW
    # Only on terminals of live services of active or suspended contracts, consistently keyed.
    stray = await s.scalar(
        "SELECT count(*) FROM transactions x "
        "JOIN services s ON s.id = x.service_id "
        "JOIN contracts c ON c.id = x.contract_id "
        "WHERE s.status NOT IN ('ACTIVE', 'BLOCKED') OR c.status NOT IN ('ACTIVE', 'SUSPENDED') "
        "OR s.terminal_id <> x.terminal_id OR s.shop_id <> x.shop_id "
        "OR s.contract_id <> x.contract_id OR c.company_id <> x.company_id "
        "OR x.occurred_at < :lo OR x.occurred_at > :hi",
        lo=window,
        hi=NOW,
    )
    assert stray == 0
    # PCI DSS: at most the first 6 and last 4 digits.
    pans = await s.all("SELECT DISTINCT masked_pan FROM transactions")
    for row in pans:
        pan = row["masked_pan"]
        assert re.fullmatch(r"[0-9]{6}\*{3,9}[0-9]{4}", pan), pan
        assert sum(ch.isdigit() for ch in pan) <= 10
        assert not looks_like_pan(pan)
    # No external id can be read as a card number (issue 12): no run of digit groups in one
    # reaches 13 digits, whatever the TID's digits. (They were `<TID>-<date>-<seq>`.)
    glued = await s.all(
        "SELECT external_id FROM transactions"
        " WHERE external_id ~ '[0-9]([^0-9A-Za-z_]?[0-9]){12}' LIMIT 5"
    )
    assert glued == [], glued
    assert not contains_pan(external_id("GP123456", NOW, 999_999))
    mix = await s.all(
        "SELECT count(*) AS n, "
        "count(*) FILTER (WHERE status IN ('DECLINED', 'ERROR')) AS refused, "
        "count(*) FILTER (WHERE scheme = 'CB') AS cb, "
        "count(*) FILTER (WHERE entry_mode IN ('CONTACTLESS', 'CHIP')) AS card, "
        "count(*) FILTER (WHERE entry_mode = 'TAP_TO_PAY') AS tap, "
        "count(*) FILTER (WHERE type = 'PURCHASE') AS purchases, "
        "count(*) FILTER (WHERE status = 'APPROVED' AND response_code = '00' "
        "  AND authorization_code ~ '^[A-Z0-9]{6}$') AS approved_ok, "
        "count(*) FILTER (WHERE status = 'APPROVED' AND type IN ('PURCHASE', "
        "  'PRE_AUTHORIZATION', 'COMPLETION')) AS approved_auth, "
        "count(DISTINCT external_id) AS external_ids, "
        "count(*) FILTER (WHERE currency <> 'EUR') AS not_eur "
        "FROM transactions"
    )
    total = sum(m["n"] for m in mix)
    refused = sum(m["refused"] for m in mix)
    assert 0.04 <= refused / total <= 0.09
    assert sum(m["cb"] for m in mix) / total > 0.5
    assert sum(m["card"] for m in mix) / total > 0.8
    assert sum(m["tap"] for m in mix) > 0
    assert sum(m["purchases"] for m in mix) / total > 0.8
    assert sum(m["approved_ok"] for m in mix) == sum(m["approved_auth"] for m in mix)
    assert sum(m["external_ids"] for m in mix) == total
    assert sum(m["not_eur"] for m in mix) == 0
    codes = {
        r["response_code"] for r in await s.all("SELECT DISTINCT response_code FROM transactions")
    }
    assert {"00", "05", "51", "54", "55", "61", "65", "91", "96", BLOCKED_RESPONSE_CODE} <= codes
    types = {r["type"] for r in await s.all("SELECT DISTINCT type FROM transactions")}
    assert types == {x.value for x in e.TransactionType}
    # SoftPOS phones only tap; tap only happens on SoftPOS phones.
    mismatched = await s.scalar(
        "SELECT count(*) FROM transactions x JOIN terminals t ON t.id = x.terminal_id "
        "WHERE (t.kind = 'SOFTPOS') <> (x.entry_mode = 'TAP_TO_PAY')"
    )
    assert mismatched == 0


async def test_terminals_connectivity_and_options(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    active = await s.all(
        "SELECT t.id, t.kind, t.last_heartbeat_at, t.applied_options_version, "
        "(SELECT max(version_number) FROM terminal_options o WHERE o.terminal_id = t.id) AS latest "
        "FROM terminals t WHERE t.status = 'ACTIVE'"
    )
    online = [t for t in active if NOW - t["last_heartbeat_at"] <= dt.timedelta(seconds=120)]
    offline = [t for t in active if NOW - t["last_heartbeat_at"] > dt.timedelta(seconds=120)]
    assert offline and len(online) > 3 * len(offline)
    pax = [t for t in active if t["kind"] == "PAX"]
    assert all(t["latest"] and t["applied_options_version"] for t in pax)
    assert any(t["applied_options_version"] == t["latest"] for t in pax)
    assert any(t["applied_options_version"] < t["latest"] for t in pax)
    unacknowledged = await s.scalar(
        "SELECT count(*) FROM terminal_options o JOIN terminals t ON t.id = o.terminal_id "
        "WHERE o.acknowledged_at IS NOT NULL "
        "AND o.version_number > coalesce(t.applied_options_version, 0)"
    )
    assert unacknowledged == 0
    kinds = {r["kind"] for r in await s.all("SELECT DISTINCT kind FROM terminal_events")}
    assert {"HEARTBEAT", "ERROR", "REBOOT", "PARAMETERS_DOWNLOADED", "APP_UPDATED"} <= kinds
    per_terminal = await s.all(
        "SELECT terminal_id, count(*) AS n FROM terminal_events WHERE kind = 'HEARTBEAT' "
        "GROUP BY terminal_id"
    )
    assert max(r["n"] for r in per_terminal) <= 60, "heartbeats are summarised"


async def test_journal_and_times(seeded: tuple[Seeded, Seeded]) -> None:
    s = seeded[0]
    actions = {r["action"] for r in await s.all("SELECT DISTINCT action FROM audit_events")}
    assert {
        "company.created",
        "request.approved",
        "request.rejected",
        "request.cancelled",
        "contract.signed",
        "contract.fee_changed",
        "contract.suspended",
        "contract.terminated",
        "service.activated",
        "service.blocked",
        "service.unblocked",
        "terminal.options_changed",
    } <= actions
    # Actors are real users of the tenant (or the platform, or the system).
    orphans = await s.scalar(
        "SELECT count(*) FROM audit_events a WHERE a.actor_kind = 'USER' "
        "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.actor_id)"
    )
    assert orphans == 0
    blocked = await s.scalar(
        "SELECT count(*) FROM services s WHERE s.status = 'BLOCKED' AND NOT EXISTS ("
        "SELECT 1 FROM audit_events a WHERE a.entity_id = s.id AND a.action = 'service.blocked')"
    )
    assert blocked == 0
    # Nothing happened after `now` (but planned ends of blocks and activation codes).
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.DateTime) or column.name in FUTURE_COLUMNS:
                continue
            sql = f"SELECT count(*) FROM {table.name} WHERE {column.name} > :now"
            if table.name in GLOBAL_TABLES:
                late = (await s.platform(sql, now=NOW))[0]["count"]
            else:
                late = await s.scalar(sql, now=NOW)
            assert late == 0, f"{table.name}.{column.name}"


async def test_seeding_twice_is_refused(seeded: tuple[Seeded, Seeded], pg: Any) -> None:
    s = seeded[0]
    assert await demo_present(s.url)
    with pytest.raises(DemoAlreadySeeded):
        await seed_demo(s.url, now=NOW + dt.timedelta(days=1))
    assert len(await s.platform("SELECT id FROM tenants")) == 2
    assert await s.scalar("SELECT count(*) FROM transactions") == s.summary.transactions

    empty = await pg.create_database("spring_demo")
    await migrate(empty, app_role=APP_ROLE)
    assert not await demo_present(empty)


TIMELINE_VIOLATIONS = {
    "comment before its request": "SELECT count(*) FROM request_comments c "
    "JOIN requests r ON r.id = c.request_id WHERE c.created_at < r.created_at",
    "decision before the request": "SELECT count(*) FROM requests WHERE decided_at < created_at",
    "signed before drafted": "SELECT count(*) FROM contracts WHERE signed_at < created_at",
    "active before signed": "SELECT count(*) FROM contracts WHERE activated_at < signed_at",
    "service before signature": "SELECT count(*) FROM services s "
    "JOIN contracts c ON c.id = s.contract_id WHERE s.created_at < c.signed_at",
    "shop before its company": "SELECT count(*) FROM shops s "
    "JOIN companies c ON c.id = s.company_id WHERE s.created_at < c.created_at",
    "options acknowledged before set": "SELECT count(*) FROM terminal_options "
    "WHERE acknowledged_at < created_at",
    "payment before activation": "SELECT count(*) FROM transactions x "
    "JOIN services s ON s.id = x.service_id WHERE x.occurred_at < s.activated_at",
    "payment after the terminal was last seen": "SELECT count(*) FROM transactions x "
    "JOIN terminals t ON t.id = x.terminal_id WHERE x.occurred_at > t.last_seen_at",
    "completion or reversal before its original": "SELECT count(*) FROM transactions x "
    "JOIN transactions o ON o.id = x.original_transaction_id WHERE x.occurred_at < o.occurred_at",
    "refund above the original": "SELECT count(*) FROM transactions x "
    "JOIN transactions o ON o.id = x.original_transaction_id WHERE x.amount > o.amount",
    "updated before created": "SELECT"
    " (SELECT count(*) FROM companies WHERE updated_at < created_at)"
    " + (SELECT count(*) FROM contracts WHERE updated_at < created_at)"
    " + (SELECT count(*) FROM services WHERE updated_at < created_at)"
    " + (SELECT count(*) FROM terminals WHERE updated_at < created_at)"
    " + (SELECT count(*) FROM requests WHERE updated_at < created_at)",
}


@pytest.mark.parametrize("check", sorted(TIMELINE_VIOLATIONS))
async def test_timelines_are_consistent(seeded: tuple[Seeded, Seeded], check: str) -> None:
    assert await seeded[0].scalar(TIMELINE_VIOLATIONS[check]) == 0, check
