"""Helpers shared by list fields: ordering inputs and nested connections."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from resolvers.pagination import ChildList
from schema.relay import Connection, page_args


def order_of(order: Any, default: tuple[str, bool]) -> tuple[str, bool]:
    """(field name, descending?) from an `orderBy` input, or the list's default order."""
    if order is None:
        return default
    return (order.field.value, order.direction.descending)


async def child_connection(
    info: Info,
    spec: ChildList,
    parent_id: uuid.UUID,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Any:
    args = page_args(first, after, last, before)
    page = await info.context.loaders.children(spec).load((parent_id, args))
    return Connection.from_page(page)
