"""Error messages cleaned before they are logged or returned: no card number, and no echo of
a value the request sent in the wrong place."""

from __future__ import annotations

import re

from db.identifiers import redact_pans

# --------------------------------------------------------------------------- messages

#: Where graphql-core and strawberry echo the value they refused ("..., found: {...}",
#: "Int cannot represent non-integer value: ..."): a password or card number sent in the wrong
#: place must not come back in an error, nor be written to the log with it.
_ECHOES = (
    (re.compile(r"(cannot represent[^:]*?value): .*", re.S), r"\1."),
    (re.compile(r"(Value cannot represent an? [A-Za-z]+): .*", re.S), r"\1."),
    (re.compile(r",? found:? .*", re.S), "."),
)


def sanitize_message(message: str, *, echoes: bool = True) -> str:
    """No card number (masked) and, for errors about the request itself, no echo of the
    refused value. ("Did you mean …" is never written: graphql-core's `hide_suggestions`.)"""
    if not echoes and not message.startswith("Syntax Error"):
        for pattern, replacement in _ECHOES:
            message = pattern.sub(replacement, message)
    return redact_pans(message)
