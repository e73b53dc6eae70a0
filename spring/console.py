"""The web console and GraphiQL, served by the app itself (no CDN: they work offline).

Both are built by `console/` (Vite) into `spring/console_dist/`, which is committed and
shipped as package data, so running Spring needs no Node.js. Served here:

- `/assets/*`: the hashed build files, cached for a year (`immutable`: a new build has new
  names), gzip-compressed for a browser that accepts it (compressed once per file and
  process, then kept in memory: the files never change under a name);
- `/` and every client route of the console (`/societes/...`): `index.html`, never cached,
  so a new release is picked up at the next load. Paths of the API (`/graphql`, `/auth`,
  `/healthz`, `/readyz`, `/metrics`, `/exports`) and paths that name a file are never
  answered with the console;
- GraphiQL's page, which the GraphQL view serves at `GET /graphql` to a browser
  (`graphiql_page`).

Every page carries a Content-Security-Policy that allows the app's own origin only.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import os
import threading
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DIST = Path(__file__).resolve().parent / "console_dist"

#: First path segments that belong to the API, never to the console's client routes.
RESERVED = frozenset(
    {"graphql", "auth", "assets", "healthz", "readyz", "health", "metrics", "exports"}
)

IMMUTABLE = "public, max-age=31536000, immutable"

NOT_BUILT = (
    "The console is not built in this installation (spring/console_dist/ is missing): "
    "cd console && npm ci && npm run build\n"
)


def content_security_policy(request: Request, *, graphiql: bool = False) -> str:
    """Only the app's own origin: scripts, styles, fonts, images, workers, and the API over
    HTTP and WebSocket. `graphiql`: GraphiQL's page also needs inline styles (its editor,
    Monaco, writes <style> elements) and the fonts and icons its stylesheet embeds as
    `data:` URLs (nothing from another origin either way). The console shows images it fetched
    with the session's token (the partner's logo) as `blob:` URLs its own scripts made."""
    host = request.headers.get("host", "")
    sockets = f" ws://{host} wss://{host}" if host and _plain_host(host) else ""
    style = "'self' 'unsafe-inline'" if graphiql else "'self'"
    embedded = " data:" if graphiql else ""
    images = " data:" if graphiql else " blob:"
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        f"style-src {style}; "
        f"img-src 'self'{images}; "
        f"font-src 'self'{embedded}; "
        f"connect-src 'self'{sockets}; "
        "worker-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


def _plain_host(host: str) -> bool:
    """A Host header fit to be written into a policy (letters, digits, dots, dashes, a port,
    an IPv6 literal's brackets and colons): anything else is left out."""
    return all(c.isalnum() or c in ".-:[]" for c in host)


def _page(request: Request, name: str, *, graphiql: bool = False) -> Response:
    path = DIST / name
    if not path.is_file():
        return PlainTextResponse(NOT_BUILT, status_code=503)
    response = FileResponse(path, media_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = content_security_policy(
        request, graphiql=graphiql
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


async def graphiql_page(request: Request) -> Response:
    """GraphiQL (built with the console), for `GET /graphql` from a browser."""
    return _page(request, "graphiql.html", graphiql=True)


async def console_page(request: Request) -> Response:
    """The console's page for `/` and its client routes; 404 for the API's paths and for
    paths that name a file (a missing asset must not be answered with HTML)."""
    path = request.path_params.get("path", "")
    first = path.split("/", 1)[0]
    if first in RESERVED or "." in path.rsplit("/", 1)[-1]:
        raise HTTPException(status_code=404)
    return _page(request, "index.html")


#: What is worth compressing (fonts are, a little; images of the build are SVG).
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".ttf", ".html", ".map"})
#: Below this, gzip's header costs more than it saves.
MIN_COMPRESSED_SIZE = 1024


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Does an Accept-Encoding header allow gzip (`gzip` or `*`, not with q=0)?"""
    if not accept_encoding:
        return False
    allowed: dict[str, bool] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        allowed[name.strip().lower()] = quality > 0
    if "gzip" in allowed:
        return allowed["gzip"]
    return allowed.get("*", False)


class Compressed:
    """Gzip copies of the build's files, made once per file and process in a background
    thread and then kept in memory (the files never change under a name). A file is sent as
    it is until its copy is ready, so no request waits for a compression (Monaco's 2.8 MB
    take a few hundred milliseconds at level 9)."""

    def __init__(self, max_files: int = 256) -> None:
        self.max_files = max_files
        self.ready: dict[tuple[str, int, int], bytes] = {}
        self.pending: dict[tuple[str, int, int], concurrent.futures.Future[None]] = {}
        self.lock = threading.Lock()
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="spring-gzip"
        )

    def get(self, path: str, stat_result: os.stat_result) -> bytes | None:
        """The gzip copy of the file, or None (then it is being made)."""
        key = (path, stat_result.st_mtime_ns, stat_result.st_size)
        found = self.ready.get(key)
        if found is not None:
            return found
        with self.lock:
            if key not in self.pending:
                self.pending[key] = self.executor.submit(self._make, key)
        return None

    def _make(self, key: tuple[str, int, int]) -> None:
        try:
            with open(key[0], "rb") as source:
                # Deterministic: no timestamp in the header.
                body = gzip.compress(source.read(), compresslevel=9, mtime=0)
            with self.lock:
                if len(self.ready) >= self.max_files:
                    self.ready.clear()
                self.ready[key] = body
        finally:
            with self.lock:
                self.pending.pop(key, None)

    def wait(self, timeout: float | None = None) -> None:
        """Until every compression asked for so far is done (tests wait for it)."""
        with self.lock:
            futures = list(self.pending.values())
        concurrent.futures.wait(futures, timeout=timeout)


COMPRESSED = Compressed()


class HashedAssets(StaticFiles):
    """The build's hashed files: cached for a year, never revalidated; gzip-compressed when
    the browser accepts it (the console's first screen is about 200 KB compressed instead
    of 740 KB: bench/console.py measures it)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code != 200 or not isinstance(response, FileResponse):
            return response
        headers = Headers(scope=scope)
        stat_result = response.stat_result
        full_path = str(response.path)
        if (
            stat_result is None
            or "range" in headers
            or Path(full_path).suffix not in COMPRESSIBLE
            or stat_result.st_size < MIN_COMPRESSED_SIZE
        ):
            return response
        response.headers["Vary"] = "Accept-Encoding"
        if not accepts_gzip(headers.get("accept-encoding")):
            return response
        body = COMPRESSED.get(full_path, stat_result)
        if body is None:
            return response
        compressed = Response(body, media_type=response.media_type)
        for name in ("cache-control", "last-modified", "x-content-type-options", "vary"):
            compressed.headers[name] = response.headers[name]
        # The same file, another encoding: a weak validator that If-None-Match still matches.
        compressed.headers["ETag"] = "W/" + response.headers["etag"]
        compressed.headers["Content-Encoding"] = "gzip"
        return compressed

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = IMMUTABLE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def console_routes() -> list[BaseRoute]:
    """The console's routes: add them after every API route (the last one catches all)."""
    return [
        Mount("/assets", HashedAssets(directory=DIST / "assets", check_dir=False), name="assets"),
        Route("/", console_page, methods=["GET", "HEAD"]),
        Route("/{path:path}", console_page, methods=["GET", "HEAD"]),
    ]
