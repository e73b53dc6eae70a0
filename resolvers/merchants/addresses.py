"""What creating and editing companies and shops share: the address (validated by its country)
and the guard that turns a unique violation raced past the checks into a DUPLICATE user error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.errors import UserErrorCode as C
from resolvers.usecase import refuse
from resolvers.validation import Validator


@dataclass(frozen=True)
class AddressData:
    line1: str | None
    postal_code: str | None
    city: str | None
    line2: str | None = None
    country: str | None = "FR"


def _address(v: Validator, path: list[str], address: AddressData | None) -> dict[str, Any]:
    if address is None:
        v.add(path, C.REQUIRED, "required")
        return {}
    country = v.country([*path, "country"], address.country)
    return {
        "address_line1": v.text([*path, "line1"], address.line1),
        "address_line2": v.text([*path, "line2"], address.line2, required=False),
        "postal_code": v.postal_code([*path, "postalCode"], address.postal_code, country),
        "city": v.text([*path, "city"], address.city, max_length=120),
        "country": country,
    }


async def _flush(session: AsyncSession, locale: str, path: list[str], key: str) -> None:
    """Flush; a unique violation that raced our checks becomes a DUPLICATE user error."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise refuse(locale, path, C.DUPLICATE, key) from exc
