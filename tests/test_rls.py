"""Row-level security: the database keeps tenants apart, whatever the resolvers do."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import GLOBAL_TABLES, Base
from db.session import Database, MissingClaims
from tenancy.principal import ANONYMOUS_CLAIMS, platform_claims, tenant_claims
from tests.conftest import APP_ROLE
from tests.factories import TENANT_GRAPH_TABLES, TenantGraph, make_tenant_graph

TENANT_TABLES = sorted(set(Base.metadata.tables) - GLOBAL_TABLES)


@pytest.fixture(scope="module")
async def graphs(owner_engine: AsyncEngine) -> tuple[TenantGraph, TenantGraph]:
    return await make_tenant_graph(owner_engine), await make_tenant_graph(owner_engine)


def test_factory_covers_every_tenant_table() -> None:
    assert set(TENANT_TABLES) == TENANT_GRAPH_TABLES


async def test_app_role_is_neither_superuser_nor_bypassrls_and_owns_nothing(
    owner_engine: AsyncEngine,
) -> None:
    async with owner_engine.connect() as conn:
        role = (
            await conn.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"),
                {"r": APP_ROLE},
            )
        ).one()
        owned = await conn.scalar(
            text("SELECT count(*) FROM pg_tables WHERE tableowner = :r"), {"r": APP_ROLE}
        )
    assert role == (False, False)
    assert owned == 0


async def test_every_tenant_table_forces_rls_with_a_tenant_policy(
    owner_engine: AsyncEngine,
) -> None:
    async with owner_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
                    " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid"
                    "   AND pg_get_expr(p.polqual, p.polrelid) LIKE '%app.tenant_id%'"
                    "   AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%app.tenant_id%')"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind = 'r'"
                    "   AND c.relname <> 'alembic_version'"
                )
            )
        ).all()
    by_table = {name: (rls, force, policies) for name, rls, force, policies in rows}
    assert set(by_table) == set(Base.metadata.tables)
    for table in TENANT_TABLES:
        assert by_table[table] == (True, True, 1), table
    for table in GLOBAL_TABLES:
        assert by_table[table][:2] == (True, True), table


async def _counts(db: Database, claims: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per table: (rows visible, rows visible whose tenant is not the claimed one)."""
    result = {}
    tenant = claims.get("app.tenant_id") or None
    async with db.session(claims) as session:
        for table in TENANT_TABLES:
            total = await session.scalar(text(f"SELECT count(*) FROM {table}"))
            foreign = await session.scalar(
                text(
                    f"SELECT count(*) FROM {table} "
                    "WHERE tenant_id IS DISTINCT FROM CAST(:t AS uuid)"
                ),
                {"t": tenant},
            )
            result[table] = (total, foreign)
    return result


async def test_without_a_tenant_every_tenant_table_is_empty(
    app_db: Database, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    counts = await _counts(app_db, ANONYMOUS_CLAIMS)
    assert all(total == 0 for total, _ in counts.values()), counts


async def test_platform_claims_alone_see_no_tenant_rows(
    app_db: Database, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    counts = await _counts(app_db, platform_claims())
    assert all(total == 0 for total, _ in counts.values()), counts


async def test_a_tenant_sees_only_its_rows(
    app_db: Database, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    a, _ = graphs
    counts = await _counts(app_db, tenant_claims(a.tenant_id))
    for table, (total, foreign) in counts.items():
        assert total >= 1, table
        assert foreign == 0, table


async def test_a_session_without_claims_refuses_to_begin(app_db: Database) -> None:
    session = app_db.session(ANONYMOUS_CLAIMS)
    session.info.pop("claims")
    with pytest.raises(MissingClaims):
        await session.execute(text("SELECT 1"))
    await session.close()


async def test_writing_another_tenants_row_is_refused(
    app_db: Database, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    a, b = graphs
    # Insert a row for B while acting as A: WITH CHECK refuses it.
    with pytest.raises(ProgrammingError, match="row-level security"):
        async with app_db.session(tenant_claims(a.tenant_id)) as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO audit_events (tenant_id, id, actor_kind, actor_label, action,"
                    " entity_type) VALUES (:t, :i, 'SYSTEM', 'x', 'x.y', 'X')"
                ),
                {"t": b.tenant_id, "i": uuid.uuid4()},
            )
    # Update B's row while acting as A: invisible, so nothing changes.
    async with app_db.session(tenant_claims(a.tenant_id)) as session, session.begin():
        changed = await session.execute(
            text("UPDATE companies SET legal_name = 'hijacked' WHERE id = :i"),
            {"i": b.ids["company"]},
        )
        assert changed.rowcount == 0
    # Move A's own row into B: WITH CHECK refuses it.
    with pytest.raises(ProgrammingError, match="row-level security"):
        async with app_db.session(tenant_claims(a.tenant_id)) as session, session.begin():
            await session.execute(
                text("UPDATE terminals SET tenant_id = :b WHERE id = :i"),
                {"b": b.tenant_id, "i": a.ids["terminal"]},
            )
    async with app_db.session(tenant_claims(b.tenant_id)) as session:
        name = await session.scalar(
            text("SELECT legal_name FROM companies WHERE id = :i"), {"i": b.ids["company"]}
        )
    assert name == "Boulangerie Test"


async def test_append_only_tables_cannot_be_changed(
    app_db: Database, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    a, _ = graphs
    for statement, key in (
        ("UPDATE transactions SET amount = 1 WHERE id = :i", "tx"),
        ("DELETE FROM transactions WHERE id = :i", "tx"),
        # Documents are never changed nor deleted by staff (only spring purge-documents).
        ("UPDATE documents SET filename = 'x.pdf' WHERE id = :i", "document"),
        ("DELETE FROM documents WHERE id = :i", "document"),
        ("DELETE FROM document_blobs WHERE tenant_id <> CAST(:i AS uuid)", "document"),
    ):
        with pytest.raises(ProgrammingError, match="permission denied"):
            async with app_db.session(tenant_claims(a.tenant_id)) as session, session.begin():
                await session.execute(text(statement), {"i": a.ids[key]})


async def test_a_pooled_connection_forgets_the_previous_tenant(
    app_url: str, graphs: tuple[TenantGraph, TenantGraph]
) -> None:
    a, b = graphs
    single = Database(app_url, pool_size=1, max_overflow=0)
    try:
        async with single.session(tenant_claims(a.tenant_id)) as session:
            assert await session.scalar(text("SELECT count(*) FROM companies")) == 1
            await session.commit()
        # The same (only) connection, used without claims: the LOCAL setting is gone.
        async with single.engine.connect() as conn:
            setting = await conn.scalar(text("SELECT current_setting('app.tenant_id', true)"))
            assert setting in ("", None)
            assert await conn.scalar(text("SELECT count(*) FROM companies")) == 0
        async with single.session(tenant_claims(b.tenant_id)) as session:
            visible = (await session.execute(text("SELECT tenant_id FROM companies"))).scalars()
            assert set(visible) == {b.tenant_id}
        async with single.session(ANONYMOUS_CLAIMS) as session:
            assert await session.scalar(text("SELECT count(*) FROM companies")) == 0
    finally:
        await single.dispose()


async def test_a_garbage_tenant_setting_fails_closed(app_db: Database) -> None:
    with pytest.raises(DBAPIError):
        async with app_db.session({**ANONYMOUS_CLAIMS, "app.tenant_id": "not-a-uuid"}) as s:
            await s.execute(text("SELECT count(*) FROM companies"))


async def test_migrating_takes_createdb_and_createrole_back_from_the_app_role(
    owner_engine: AsyncEngine,
) -> None:
    """ensure_app_role strips what an existing role should not have, not only at creation."""
    from db.migrate import ensure_app_role

    async with owner_engine.begin() as conn:
        await conn.execute(text(f"ALTER ROLE {APP_ROLE} CREATEDB CREATEROLE"))
        await conn.run_sync(lambda sync: ensure_app_role(sync, APP_ROLE, None))
        role = (
            await conn.execute(
                text(
                    "SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole"
                    " FROM pg_roles WHERE rolname = :r"
                ),
                {"r": APP_ROLE},
            )
        ).one()
    assert tuple(role) == (False, False, False, False)
