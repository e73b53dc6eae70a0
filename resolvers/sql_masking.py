"""The policy's masking rules written in SQL, for the exports PostgreSQL writes.

`tenancy.masking.MASKERS` masks a value in Python (the API, the journal); this table gives,
per rule of `tenancy.policy.Mask`, the SQL expression giving the same text from a column.
Which field is masked for whom stays the policy's business (`policy.field_access` and
`policy.MASKS`, read by schema/exports.py): only the *how* is here. A rule without an SQL
form makes its export fall back to Python's masking (`sql_mask` gives None), and
tests/test_exports_sql.py checks every rule here against its Python masker, value by value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, case, func, literal, type_coerce

from tenancy.policy import Mask


def _iban_last4(expr: Any) -> Any:
    """`tenancy.masking.mask_iban`: '•' for every character but the last 4; null and empty
    unchanged (a value of 4 characters or fewer stays whole, as `"•" * -n` is empty)."""
    value = type_coerce(expr, String())
    return case(
        (value == literal("", String()), value),
        else_=func.repeat(
            literal("•", String()), func.greatest(func.char_length(value) - 4, 0), type_=String()
        )
        + func.right(value, 4, type_=String()),
    )


#: Mask → the SQL expression masking a column as `tenancy.masking.MASKERS[mask]` does.
SQL_MASKERS: dict[Mask, Callable[[Any], Any]] = {Mask.IBAN_LAST4: _iban_last4}


def sql_mask(mask: Mask, expr: Any) -> Any | None:
    """`expr` masked by the rule in SQL, or None when the rule has no SQL form."""
    masker = SQL_MASKERS.get(mask)
    return None if masker is None else masker(expr)
