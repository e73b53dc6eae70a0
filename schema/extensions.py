"""Schema extensions: one transaction per request, and error hygiene."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from db.identifiers import redact_pans
from db.session import database_unavailable
from resolvers.errors import ErrorCode, SpringError
from resolvers.messages import DEFAULT_LOCALE, locale_from, message

log = logging.getLogger("spring.graphql")

#: Seconds a client waits before retrying when the database cannot serve (503).
RETRY_AFTER = "5"


def internal_message(error_id: str, locale: str = DEFAULT_LOCALE) -> str:
    return message("internal_error", locale, error_id=error_id)


def unavailable_message(error_id: str, locale: str = DEFAULT_LOCALE) -> str:
    return message("database_unavailable", locale, error_id=error_id)


def limit_message(limit: str, extensions: dict[str, Any], locale: str) -> str | None:
    """A limit's refusal (schema/limits/ names the limit, the maximum and the measure in
    `extensions`) in the reader's language; None for a limit without words here."""
    measured = extensions.get("measured")
    maximum = extensions.get("maximum")
    if limit == "tokens" and isinstance(measured, int) and isinstance(maximum, int):
        if measured >= 10 * maximum:
            measured = f"{measured}+"  # counting stopped there
    try:
        return message(
            f"limit_{limit}",
            locale,
            measured=measured,
            maximum=maximum,
            argument=extensions.get("argument", ""),
        )
    except KeyError:
        return None


def reader_locale(context: Any) -> str:
    """The language of the reader's messages: the account's own choice when signed in
    (Context.locale), else the request's Accept-Language header (French by default)."""
    chosen = getattr(context, "locale", None)
    if callable(chosen):
        return str(chosen())
    request = getattr(context, "request", None)
    headers = getattr(request, "headers", None)
    return locale_from(headers.get("accept-language") if headers is not None else None)


_ERROR_ID = "_spring_error_id"


def classify(error: GraphQLError) -> str:
    """The `extensions.code` an error gets; INTERNAL_SERVER_ERROR means "mask it"."""
    original = error.original_error
    if original is None:
        # Syntax and validation errors, unknown fields, bad variables: the client's input.
        return (error.extensions or {}).get("code") or ErrorCode.BAD_USER_INPUT.value
    if isinstance(original, SpringError):
        return original.code.value
    if isinstance(original, GraphQLError):
        return classify(original)
    return ErrorCode.INTERNAL_SERVER_ERROR.value


def log_errors(errors: list[GraphQLError], request_id: str | None) -> None:
    """Log expected errors in one line; unexpected ones with a traceback and an error id."""
    for error in errors:
        code = classify(error)
        if code == ErrorCode.INTERNAL_SERVER_ERROR.value:
            error_id = getattr(error, _ERROR_ID, None) or uuid.uuid4().hex
            setattr(error, _ERROR_ID, error_id)
            log.error(
                "unexpected error %s (request %s) at %s",
                error_id,
                request_id,
                error.path,
                exc_info=error.original_error or error,
            )
        else:
            log.info("%s at %s: %s (request %s)", code, error.path, error.message, request_id)


class ErrorHygiene(SchemaExtension):
    """Give every error an `extensions.code`; mask unexpected ones behind an error id, and
    card numbers in the others' messages (graphql-core's and ours alike).

    `Schema.process_errors` logs first (with the original exception); this runs after and
    rewrites what the client sees, so no internal message or stack trace ever leaves.
    """

    def on_operation(self) -> Iterator[None]:
        self._streamed = False
        yield
        if not self._streamed:
            self._clean(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Subscriptions (and results sent over WebSocket) are cleaned one by one."""
        self._streamed = True
        self._clean(result)
        yield None

    def _clean(self, result: Any) -> None:
        clean_errors(result, self.execution_context.context)

    @staticmethod
    def _rewrite(
        error: GraphQLError, request_id: str | None, locale: str = DEFAULT_LOCALE
    ) -> GraphQLError:
        code = classify(error)
        extensions: dict[str, Any] = {"code": code}
        if request_id:
            extensions["requestId"] = request_id
        if code == ErrorCode.INTERNAL_SERVER_ERROR.value:
            error_id = getattr(error, _ERROR_ID, None)
            if error_id is None:
                log_errors([error], request_id)
                error_id = getattr(error, _ERROR_ID)
            extensions["errorId"] = error_id
            unavailable = error.original_error is not None and database_unavailable(
                error.original_error
            )
            return GraphQLError(
                unavailable_message(error_id, locale)
                if unavailable
                else internal_message(error_id, locale),
                nodes=error.nodes,
                path=error.path,
                extensions=extensions,
            )
        original = error.original_error
        text = error.message
        limit = (error.extensions or {}).get("limit")
        if original is None and isinstance(limit, str):
            text = limit_message(limit, error.extensions or {}, locale) or text
        if isinstance(original, SpringError):
            extensions.update(original.extensions)
            text = original.localized(locale)  # in the reader's language
        return GraphQLError(
            redact_pans(text),  # whoever wrote it, it echoes no card number
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={**(error.extensions or {}), **extensions},
        )


class RequestTransaction(SchemaExtension):
    """One database transaction per operation (PostgREST-style), ended after execution.

    It rolls back when a mutation refused its input (user errors: bad input writes nothing)
    or when anything failed unexpectedly, and commits otherwise: an expected error at a field
    of the payload (a FORBIDDEN nested read) does not undo a mutation that succeeded. A failed
    commit becomes an (unexpected, so masked) error of the response: nothing is reported done
    that was not. List it after ErrorHygiene: extensions exit in reverse order.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await end_transaction(self.execution_context.context, self.execution_context.result)


def clean_errors(result: Any, context: Any) -> None:
    """ErrorHygiene's work on one result: every error coded, unexpected ones masked."""
    if result is None or not getattr(result, "errors", None):
        return
    request_id = getattr(context, "request_id", None)
    if any(
        error.original_error is not None and database_unavailable(error.original_error)
        for error in result.errors
    ):
        # The database cannot serve now (unreachable, shutting down): over HTTP the answer is
        # 503 with Retry-After, as when it fails before execution (transport/view.py).
        response = getattr(context, "response", None)
        if isinstance(response, Response):
            response.status_code = 503
            response.headers["Retry-After"] = RETRY_AFTER
    rewrite = ErrorHygiene._rewrite
    locale = reader_locale(context)
    result.errors = [rewrite(error, request_id, locale) for error in result.errors]
    outcomes = getattr(context, "outcomes", None)
    if outcomes is not None:  # for the request log: masked (unexpected) or expected errors
        internal = ErrorCode.INTERNAL_SERVER_ERROR.value
        masked = any((e.extensions or {}).get("code") == internal for e in result.errors)
        outcomes.met("error" if masked else "user_error")


async def end_transaction(context: Any, result: Any) -> None:
    """RequestTransaction's work once the operation has run: commit, or roll back when it
    failed unexpectedly (or a mutation refused its input: `Context.finish` knows); a failed
    commit nulls the data and adds an (unexpected, so masked) error."""
    finish = getattr(context, "finish", None)
    if finish is None:
        return
    errors = list(getattr(result, "errors", None) or [])
    unexpected = any(classify(e) == ErrorCode.INTERNAL_SERVER_ERROR.value for e in errors)
    try:
        await finish(commit=not unexpected)
    except Exception as exc:
        if result is None:
            raise
        result.data = None
        result.errors = [*errors, GraphQLError("commit failed", original_error=exc)]
