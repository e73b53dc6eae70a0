"""Documents: Spring's own token count, the parse cache and the validation cache.

They replace strawberry's ParserCache and ValidationCache (schema/limits/__init__.py says why);
the limits extension calls them through `engine.preparation`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.validation import validate
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

# --------------------------------------------------------------------------- tokens

#: GraphQL's lexical tokens (spec, section 2.1), matched without backtracking. Ignored
#: characters (white space, line terminators, commas, the byte order mark) are one match that
#: does not count; a comment counts as one token, as it does for graphql-core's `max_tokens`.
_LEXICAL = re.compile(
    r"""
    (?P<ignored>[\ufeff\t\n\r ,]++)
    | \#[^\n\r]*+
    | \"\"\"(?:\\\"\"\"|[^"\\]|\\|"(?!""))*+\"\"\"
    | "(?:[^"\\\n\r]|\\.)*+"
    | \.\.\.
    | [!$&():=@\[\]{|}]
    | -?[0-9]++(?:\.[0-9]++)?+(?:[eE][+-]?+[0-9]++)?+
    | [_A-Za-z][_0-9A-Za-z]*+
    """,
    re.VERBOSE,
)


def count_tokens(query: str, ceiling: int) -> int:
    """The tokens of a document (comments included), counting no further than `ceiling`.

    Spring's own count, made before anything is parsed: a refusal never depends on the
    wording of graphql-core's errors, and a document of a million tokens (or comments) costs
    `ceiling` matches, not a parse. Counting stops at the first character no token can start
    with (an unterminated string, a stray `%`): the parser then reports the syntax error."""
    scanner = _LEXICAL.scanner(query)
    count = 0
    while count < ceiling:
        match = scanner.match()
        if match is None:
            break
        if match.lastgroup is None:
            count += 1
    return count


class TokenLimitExceeded(Exception):
    """A document with more tokens than the limit: it is not parsed."""


@lru_cache(maxsize=256)
def _cached_parse(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document, tokens counted first (only a document parsed is cached: a
    refusal is counted again, the same way, every time). graphql-core's `max_tokens` stays
    on as a backstop."""
    if count_tokens(query, max_tokens + 1) > max_tokens:
        raise TokenLimitExceeded
    return parse(query, max_tokens=max_tokens)


# --------------------------------------------------------------------------- validation


#: strawberry's own validation rules, which its `validate_document` adds to every validation.
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


@lru_cache(maxsize=256)
def _cached_validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type, ...], hide_suggestions: bool
) -> list[GraphQLError]:
    """graphql-core's validation with strawberry's rules (as strawberry's `validate_document`
    runs it), and with graphql-core's `hide_suggestions` switch."""
    return validate(
        schema, document, (*rules, *STRAWBERRY_RULES), hide_suggestions=hide_suggestions
    )


def parse_document(query: str, max_tokens: int) -> DocumentNode | None:
    """The parsed document (cached), or None when it has more than `max_tokens` tokens (it is
    not parsed then). A syntax error raises graphql-core's GraphQLError."""
    try:
        return _cached_parse(query, max_tokens)
    except TokenLimitExceeded:
        return None


def validate_document(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type, ...], hide_suggestions: bool
) -> list[GraphQLError]:
    """graphql-core's validation with strawberry's rules and `rules` (cached by document)."""
    return _cached_validate(schema, document, rules, hide_suggestions)
