"""Masking rules named by the policy (the API and the journal mask alike)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenancy.policy import Mask


def mask_iban(value: str | None) -> str | None:
    """Only the last 4 characters of an IBAN stay readable."""
    if not value:
        return value
    return "•" * (len(value) - 4) + value[-4:]


MASKERS: dict[Mask, Callable[[Any], Any]] = {Mask.IBAN_LAST4: mask_iban}
