"""Every tenant table keeps tenant_id in its primary key, unique constraints and foreign keys.

This is what lets the schema be distributed by tenant (Citus) without change. The check reads
the live catalog of the migrated database, so a new table or index cannot forget it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import GLOBAL_TABLES

CATALOG = text(
    """
    SELECT c.relname AS table_name,
           con.contype::text AS kind,
           con.conname AS name,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) k
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS columns,
           ARRAY(SELECT a.attname FROM unnest(con.confkey) k
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k) AS ref_columns,
           fc.relname AS ref_table
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class fc ON fc.oid = con.confrelid
     WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f')
    """
)

UNIQUE_INDEXES = text(
    """
    SELECT c.relname AS table_name, i.relname AS name,
           ARRAY(SELECT a.attname FROM unnest(x.indkey) k
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k) AS columns
      FROM pg_index x
      JOIN pg_class c ON c.oid = x.indrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND x.indisunique
    """
)

TABLES = text(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
)


async def test_every_tenant_table_keeps_tenant_id_in_its_keys(owner_engine: AsyncEngine) -> None:
    async with owner_engine.connect() as conn:
        tables = set((await conn.execute(TABLES)).scalars())
        constraints = (await conn.execute(CATALOG)).mappings().all()
        indexes = (await conn.execute(UNIQUE_INDEXES)).mappings().all()
    tenant_tables = tables - GLOBAL_TABLES
    assert len(tenant_tables) >= 16

    problems: list[str] = []
    primary_keys = {c["table_name"] for c in constraints if c["kind"] == "p"}
    for table in sorted(tenant_tables - primary_keys):
        problems.append(f"{table}: no primary key")
    for c in constraints:
        table = c["table_name"]
        if table not in tenant_tables:
            continue
        columns = list(c["columns"])
        if c["kind"] == "p" and columns[0] != "tenant_id":
            problems.append(f"{c['name']}: primary key {columns} does not lead with tenant_id")
        elif c["kind"] == "u" and "tenant_id" not in columns:
            problems.append(f"{c['name']}: unique {columns} lacks tenant_id")
        elif c["kind"] == "f":
            ref = list(c["ref_columns"])
            if c["ref_table"] == "tenants":
                if columns != ["tenant_id"]:
                    problems.append(f"{c['name']}: only tenant_id may reference tenants")
            elif "tenant_id" not in columns or ref[columns.index("tenant_id")] != "tenant_id":
                problems.append(f"{c['name']}: foreign key {columns} → {ref} skips tenant_id")
    for index in indexes:
        if index["table_name"] in tenant_tables and "tenant_id" not in index["columns"]:
            problems.append(f"{index['name']}: unique index {index['columns']} lacks tenant_id")
    assert problems == []


async def test_every_tenant_table_references_tenants(owner_engine: AsyncEngine) -> None:
    async with owner_engine.connect() as conn:
        tables = set((await conn.execute(TABLES)).scalars())
        constraints = (await conn.execute(CATALOG)).mappings().all()
    referencing = {c["table_name"] for c in constraints if c["ref_table"] == "tenants"}
    assert tables - GLOBAL_TABLES - referencing == set()
