"""Errors the API reports, and the user-error vocabulary of DESIGN §4.

Top-level errors (raised) carry an `extensions.code`; anything else that escapes a resolver is
an unexpected failure and is masked. Business errors are not raised: use cases return
`UserErrorData` values that mutations put in their payload's `userErrors`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from resolvers.messages import DEFAULT_LOCALE, message


class ErrorCode(enum.StrEnum):
    """Codes of top-level errors (`extensions.code`)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class Text:
    """A message of resolvers/messages/, written in the reader's language when it is sent
    (Accept-Language, French by default)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: Any) -> None:
        message(key, DEFAULT_LOCALE, **params)  # an unknown key or a missing field fails here
        self.key = key
        self.params = params

    def render(self, locale: str) -> str:
        return message(self.key, locale, **self.params)

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)


class SpringError(Exception):
    """An expected top-level error: its message is safe to show, its code goes in extensions.

    Give the message as a Text: the response carries it in the reader's language."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, text: str | Text, **extensions: Any) -> None:
        self.text = text if isinstance(text, Text) else None
        rendered = str(text)
        super().__init__(rendered)
        self.message = rendered
        self.extensions = extensions

    def localized(self, locale: str) -> str:
        """The message in `locale` (as raised when it was given as plain text)."""
        return self.text.render(locale) if self.text is not None else self.message


class Unauthenticated(SpringError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(SpringError):
    code = ErrorCode.FORBIDDEN


class NotFound(SpringError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(SpringError):
    code = ErrorCode.BAD_USER_INPUT


class QueryTooComplex(SpringError):
    code = ErrorCode.QUERY_TOO_COMPLEX


class UserErrorCode(enum.StrEnum):
    """Codes of business errors returned in a payload's `userErrors`."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    AMBIGUOUS_ACCOUNT = "AMBIGUOUS_ACCOUNT"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    #: The request is someone else's to close or cancel (its assignee's, its author's).
    NOT_YOURS = "NOT_YOURS"
    CONFLICT = "CONFLICT"
    INVALID_SIREN = "INVALID_SIREN"
    INVALID_SIRET = "INVALID_SIRET"
    INVALID_IBAN = "INVALID_IBAN"
    INVALID_BIC = "INVALID_BIC"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_MCC = "INVALID_MCC"
    INVALID_CURRENCY = "INVALID_CURRENCY"
    CARD_DATA_REFUSED = "CARD_DATA_REFUSED"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TOO_MANY = "TOO_MANY"
    INVALID_REFERENCE = "INVALID_REFERENCE"
    EXPIRED = "EXPIRED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    WEAK_PASSWORD = "WEAK_PASSWORD"  # noqa: S105 (a code, not a password)


@dataclass(frozen=True, slots=True)
class UserErrorData:
    """One business error: the input path it concerns, a code, and a message for people."""

    field: Sequence[str] | None
    code: UserErrorCode
    message: str
