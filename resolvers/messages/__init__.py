"""User-facing messages in French (the partner teams' language, the default) and English.

The catalogue is split by concern: `user_errors` (what a mutation or an input refuses) and
`api_errors` (top-level errors: authentication, permissions, limits...). A key is defined
once: the import fails if two catalogues define the same one.
"""

from __future__ import annotations

from typing import Any

from resolvers.messages.api_errors import API_ERRORS
from resolvers.messages.user_errors import USER_ERRORS

DEFAULT_LOCALE = "fr"
LOCALES = ("fr", "en")


def _merged(*catalogues: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for catalogue in catalogues:
        twice = merged.keys() & catalogue.keys()
        if twice:
            raise RuntimeError(f"messages defined twice: {sorted(twice)}")
        merged.update(catalogue)
    return merged


#: message key → {locale: template}. Templates use str.format fields.
MESSAGES: dict[str, dict[str, str]] = _merged(USER_ERRORS, API_ERRORS)


def message(key: str, locale: str, **params: Any) -> str:
    templates = MESSAGES[key]
    template = templates.get(locale) or templates[DEFAULT_LOCALE]
    return template.format(**params)


def locale_from(accept_language: str | None) -> str:
    """The first supported language of an Accept-Language header; French by default."""
    if not accept_language:
        return DEFAULT_LOCALE
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return DEFAULT_LOCALE


def user_locale(language: str | None, accept_language: str | None) -> str:
    """The language of a signed-in user's messages: the one chosen on their account page
    (`updateMyProfile`) when set, whatever the request's Accept-Language (a browser sends
    its own, which the user's choice overrides); else the Accept-Language; else French."""
    if language in LOCALES:
        return language  # type: ignore[return-value]
    return locale_from(accept_language)
