"""Where the database is: DATABASE_URL, or an embedded PostgreSQL in the data folder."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg

from db.embedded import EmbeddedPostgres
from spring.settings import Settings

log = logging.getLogger("spring.runtime")

EMBEDDED_DATABASE = "spring"


@dataclass(frozen=True)
class DatabaseTarget:
    owner_url: str
    app_url: str
    embedded: EmbeddedPostgres | None

    @property
    def is_embedded(self) -> bool:
        return self.embedded is not None


def _ensure_database(admin_url: str, name: str) -> None:
    """Create the embedded server's `spring` database on first use (before the event loop)."""

    async def create() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())


@contextlib.contextmanager
def database_target(settings: Settings) -> Iterator[DatabaseTarget]:
    """Yield the URLs to use; start (and at the end stop) an embedded server if needed."""
    if settings.database_url:
        yield DatabaseTarget(
            owner_url=settings.database_url,
            app_url=settings.app_url_for(settings.database_url),
            embedded=None,
        )
        return
    embedded = EmbeddedPostgres(settings.data_dir, cleanup_mode="stop").start()
    try:
        _ensure_database(embedded.url(), EMBEDDED_DATABASE)
        owner_url = embedded.url(database=EMBEDDED_DATABASE)
        log.info("embedded PostgreSQL ready in %s", embedded.pgdata)
        yield DatabaseTarget(
            owner_url=owner_url, app_url=settings.app_url_for(owner_url), embedded=embedded
        )
    finally:
        embedded.stop()
