"""GraphQL over HTTP as the GraphQL-over-HTTP specification says it (graphql/graphql-over-http,
spec/GraphQLOverHTTP.md): the response's media type, its status code, GET for queries.

- The media type follows `Accept`: `application/graphql-response+json` when the client
  accepts it at least as much as `application/json`; `application/json` otherwise, and when
  the request has no `Accept` or only wildcards (`*/*`, `application/*`: curl, scripts,
  clients written before the specification). Neither acceptable: 406.
- With `application/graphql-response+json`, a request error (the document does not parse or
  validate, a limit refuses it, its variables fail coercion) answers 400 with `errors` and no
  `data` entry; an unexpected failure before execution answers 500 (503 when the database
  cannot serve), masked with its error id. Executed operations answer 200, field errors or not.
- With `application/json` the answers stay as before: 200 with `"data": null` and `errors`
  for a request error (the specification's `application/json` rules).
- A request that is not a well-formed GraphQL-over-HTTP request (malformed JSON, `variables`
  not an object, no `query`, a batch) answers 400 with a JSON `errors` list; a POST body that
  is not `application/json` (or the multipart upload) 415.
- GET runs queries, with `query`, `variables`, `operationName` and `extensions` URL-encoded
  (empty means absent); a mutation, or a query field that writes when read (schema/methods.py),
  answers 405 with `Allow: POST`. GET responses say what they vary on, for HTTP caches.

A GET carrying `documentId` (or `extensions.persistedQuery`) and no `query` is a trusted
document's request: `query_params` keeps `documentId` for the documents' look-up, and the
IDE page is not served in its stead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Scope
from strawberry.http import process_result
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
#: What a GET answer depends on besides its URL (a cache keys on these too).
VARY = "Accept, Accept-Language, Authorization, X-Tenant"

_MEDIA = "spring.media_type"
_STATUS = "spring.request_error_status"


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q (RFC 9110 §12.5.1)."""
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(ranges: list[tuple[str, float]], media: str, *, wildcards: bool) -> float:
    """The q the client gives `media`: its most specific matching range's."""
    kind = media.split("/")[0] + "/*"
    best: tuple[int, float] = (-1, 0.0)
    for candidate, q in ranges:
        if candidate == media:
            rank = 2
        elif wildcards and candidate == kind:
            rank = 1
        elif wildcards and candidate == "*/*":
            rank = 0
        else:
            continue
        if rank > best[0]:
            best = (rank, q)
    return best[1]


def negotiate(accept: str | None) -> str | None:
    """The response's media type for this Accept header; None when neither is acceptable.

    Wildcards count for `application/json` only: a client that names neither type (curl's
    `*/*`, no header at all) gets the answers it always got."""
    if not accept or not accept.strip():
        return JSON
    ranges = _ranges(accept)
    graphql = _quality(ranges, GRAPHQL_RESPONSE, wildcards=False)
    json_q = _quality(ranges, JSON, wildcards=True)
    if graphql > 0 and graphql >= json_q:
        return GRAPHQL_RESPONSE
    if json_q > 0:
        return JSON
    return None


def refusal(
    status: int, message: str, *, media: str = JSON, headers: Mapping[str, str] | None = None
) -> Response:
    """A refusal before execution: a GraphQL response with `errors` only."""
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
    response = JSONResponse(body, status_code=status, headers=dict(headers or {}))
    if media == GRAPHQL_RESPONSE:
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    return response


def _content_type_refused(scope: Scope) -> str | None:
    """Why a POST's Content-Type is refused (None: JSON, or the multipart upload)."""
    content_type = Headers(scope=scope).get("content-type")
    if content_type is None:
        return "A POST needs `Content-Type: application/json`."
    media, *params = content_type.split(";")
    media = media.strip().lower()
    if media not in (JSON, "multipart/form-data"):
        return f"Unsupported Content-Type {media!r}: send `application/json`."
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return "The JSON body must be UTF-8."
    return None


def before_reading(scope: Scope) -> Response | None:
    """Choose the response's media type, or refuse the request before its body is read:
    406 when neither media type is acceptable, 415 for a POST body that is not JSON."""
    headers = Headers(scope=scope)
    media = negotiate(headers.get("accept"))
    if media is None and not (scope.get("method") == "GET" and _wants_page(scope)):
        return refusal(
            406,
            f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE} or {JSON}.",
        )
    scope[_MEDIA] = media or JSON
    if scope.get("method") == "POST" and (why := _content_type_refused(scope)) is not None:
        return refusal(415, why, media=scope[_MEDIA])
    return None


def _wants_page(scope: Scope) -> bool:
    """A GET with no operation in its URL: a browser asking for the IDE page."""
    return _no_operation(Request(scope).query_params)


def _no_operation(params: Mapping[str, Any]) -> bool:
    return not (params.get("query") or params.get("documentId") or params.get("extensions"))


def wants_ide(params: Mapping[str, Any], default: bool) -> bool:
    """strawberry's rule (a GET without `query` from a browser) and no trusted document."""
    return default and _no_operation(params)


def query_params(params: Mapping[str, Any], parse_json: Callable[[str], Any]) -> dict[str, Any]:
    """A GET's parameters: `variables` and `extensions` JSON-decoded, an empty optional
    parameter the same as an absent one; `documentId` kept for the trusted documents."""
    data: dict[str, Any] = {}
    for name in ("query", "operationName", "documentId"):
        value = params.get(name)
        if value:
            data[name] = value
    for name in ("variables", "extensions"):
        value = params.get(name)
        if value:
            data[name] = parse_json(value)
    return data


def shape(request: Request, result: ExecutionResult) -> dict[str, Any]:
    """The response body of one operation; with `application/graphql-response+json`, a request
    error has no `data` entry, and its status (400, or 500 when unexpected) is noted."""
    body: dict[str, Any] = dict(process_result(result))
    if request.scope.get(_MEDIA) == GRAPHQL_RESPONSE and isinstance(result, PreExecutionError):
        body.pop("data", None)
        errors: list[dict[str, Any]] = body.get("errors") or []
        unexpected = any(
            (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
            for error in errors
        )
        request.scope[_STATUS] = 500 if unexpected else 400
    return body


def conclude(request: Request, response: Response) -> Response:
    """The executed request's answer in the negotiated media type and status."""
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith(JSON):  # the IDE page, a stream
        return response
    if request.scope.get(_MEDIA) == GRAPHQL_RESPONSE:
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        status = request.scope.get(_STATUS)
        if status is not None and response.status_code < 400:
            response.status_code = status
    if request.method == "GET":
        response.headers["Vary"] = VARY
    return response


def refused(request: Request, exc: HTTPException) -> Response:
    """strawberry's refusal (a malformed request, a mutation over GET) as a GraphQL response:
    405 with `Allow: POST` for what writes, sent with GET."""
    media = request.scope.get(_MEDIA, JSON)
    cause = exc.__cause__
    if (
        request.method == "GET"
        and isinstance(cause, InvalidOperationTypeError)
        and cause.operation_type == OperationType.MUTATION
    ):
        return refusal(
            405,
            cause.as_http_error_reason("GET"),
            media=media,
            headers={"Allow": "POST"},
        )
    return refusal(exc.status_code, exc.reason, media=media)
