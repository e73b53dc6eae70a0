"""Trusted documents (persisted queries): the console's operations, known by their hash.

The console's build writes `trusted-documents.json` next to itself (spring/console_dist/): a
manifest `{"sha256:<hex>": "<document text>"}` of every operation the console sends. A client
sends `{"documentId": "sha256:…", "variables": …}` instead of the text, the GraphQL-over-HTTP
persisted-documents convention (its Appendix A: a prefixed document identifier). The manifest is
read once, when the app starts: each hash checked against its text, each document parsed and
validated against the schema then (a manifest built for another schema stops the start); a
request carrying a known id runs the manifest's own text object, which the engine's parse cache
and the limits' facts cache (schema/limits/) then know by identity.

SPRING_TRUSTED_DOCUMENTS:
- `off`: a `documentId` is refused (PERSISTED_QUERY_NOT_SUPPORTED); free queries as before.
- `allow` (default): known ids run; free queries too, from every client.
- `require`: a token of the console's cookie session (the `brw` claim, spring/browser_session.py)
  runs only trusted documents, by id or by their exact text, over HTTP and WebSocket; other
  clients (bearer tokens from the `login` mutation: scripts, machines; anonymous requests such
  as `login` itself) keep free queries. GraphiQL runs in the browser with the console's token:
  under `require` it runs only trusted documents too (docs/security.md says why).

Refusals are HTTP 400 with a GraphQL error whose `extensions.code` says which: the console falls
back to the text on PERSISTED_QUERY_NOT_FOUND / PERSISTED_QUERY_NOT_SUPPORTED.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson
from graphql import GraphQLSchema, parse, validate
from starlette.responses import JSONResponse
from starlette.types import Scope, Send

log = logging.getLogger("spring.graphql")

Mode = Literal["off", "allow", "require"]
PREFIX = "sha256:"


class ManifestError(ValueError):
    """The manifest cannot be used: unreadable, a hash that is not its text's, a document that
    does not validate against this schema."""


class DocumentRefused(Exception):
    """A request refused by the trusted-documents rules: answered 400 before execution."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}

    async def respond(self, scope: Scope, send: Send) -> None:
        async def no_receive() -> Any:
            return {"type": "http.disconnect"}

        await JSONResponse(self.body(), status_code=400)(scope, no_receive, send)


def document_id(text: str) -> str:
    """A document's identifier: `sha256:` and the hex SHA-256 of its UTF-8 text."""
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class TrustedDocuments:
    """The manifest, loaded once, and the rule of SPRING_TRUSTED_DOCUMENTS."""

    mode: Mode
    #: Identifier → text (the very string objects every request of that id runs).
    by_id: Mapping[str, str]
    #: The same texts, for `require`: a known text sent as such is trusted too.
    texts: frozenset[str]

    @classmethod
    def empty(cls, mode: Mode = "off") -> TrustedDocuments:
        return cls(mode=mode, by_id={}, texts=frozenset())

    @classmethod
    def load(cls, path: Path | None, schema: GraphQLSchema, mode: Mode) -> TrustedDocuments:
        """Read and check the manifest at `path` (none, or a missing file: no documents; with
        `require` that is a ManifestError, a deployment that would refuse its console)."""
        if mode == "off":
            return cls.empty("off")
        if path is None or not path.is_file():
            if mode == "require":
                raise ManifestError(
                    f"SPRING_TRUSTED_DOCUMENTS=require but no manifest at {path} "
                    "(build the console: cd console && npm run build)"
                )
            log.warning("no trusted documents manifest at %s: free queries only", path)
            return cls.empty(mode)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ManifestError(f"{path}: {exc}") from exc
        return cls.from_manifest(raw, schema, mode, source=str(path))

    @classmethod
    def from_manifest(
        cls, raw: object, schema: GraphQLSchema, mode: Mode, *, source: str = "manifest"
    ) -> TrustedDocuments:
        if not isinstance(raw, dict):
            raise ManifestError(f"{source}: not an object of documents by id")
        by_id: dict[str, str] = {}
        for key, text in raw.items():
            if not isinstance(key, str) or not isinstance(text, str):
                raise ManifestError(f"{source}: {key!r} is not an id with a document's text")
            if document_id(text) != key:
                raise ManifestError(f"{source}: {key} is not the SHA-256 of its document")
            errors = validate(schema, parse(text))
            if errors:
                raise ManifestError(f"{source}: {key} does not validate: {errors[0].message}")
            by_id[key] = text
        return cls(mode=mode, by_id=by_id, texts=frozenset(by_id.values()))

    # -- requests

    def substitute(self, params: dict[str, Any]) -> dict[str, Any]:
        """A request's parameters (a JSON body, a multipart `operations`, a GET's query
        string) with a `documentId` replaced by its document's text as `query`; unchanged
        without one. Raises DocumentRefused for an id this server does not know."""
        if "documentId" not in params:
            return params
        identifier = params["documentId"]
        if self.mode == "off":
            raise DocumentRefused(
                "PERSISTED_QUERY_NOT_SUPPORTED", "Trusted documents are not enabled."
            )
        if not isinstance(identifier, str):
            raise DocumentRefused("BAD_REQUEST", "`documentId` must be a string.")
        text = self.by_id.get(identifier)
        if text is None:
            raise DocumentRefused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
        sent = params.get("query")
        if sent is not None and sent != text:
            raise DocumentRefused(
                "PERSISTED_QUERY_MISMATCH",
                "The request carries both a `documentId` and a different `query`.",
            )
        out = dict(params)
        del out["documentId"]
        out["query"] = text
        return out

    def carries_operation(self, params: Mapping[str, Any]) -> bool:
        """The parameters name an operation: a `query`, or a `documentId` (for the GET
        parsing of transport/http.py, which calls `substitute` next)."""
        return params.get("query") is not None or params.get("documentId") is not None

    def check(self, query: str | None, *, browser: bool) -> None:
        """Under `require`, a browser session's operation must be a trusted document."""
        if self.mode == "require" and browser and query not in self.texts:
            raise DocumentRefused(
                "PERSISTED_QUERY_REQUIRED",
                "This session runs only the console's trusted documents (send a documentId).",
            )

    def trusted(self, query: str | None) -> bool:
        """`query` is one of the manifest's texts."""
        return query in self.texts


class TrustedDocumentsView:
    """The view's side (transport/view.py mixes it in before strawberry's GraphQL): a JSON body
    or a multipart `operations` carrying a `documentId` becomes the document's text before
    strawberry reads it. `documents` is set by the view's constructor. A GET's parameters are
    not substituted here: the view's `parse_query_params` calls `self.documents.substitute`
    on them, with `_parsing_values` set while their values are decoded."""

    documents: TrustedDocuments
    #: Set while a GET's query string is parsed: its `variables` and `extensions` go through
    #: `parse_json` too, and a variable named documentId is not a request's parameter.
    _parsing_values = False

    def decode_json(self, data: str | bytes) -> object:
        # orjson: the same values as json.loads, faster; its JSONDecodeError is json's.
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)  # type: ignore[misc]
        if isinstance(parsed, dict) and "documentId" in parsed and not self._parsing_values:
            return self.documents.substitute(parsed)
        return parsed
