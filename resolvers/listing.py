"""Shared pieces of list use cases: text matching and ordering choice."""

from __future__ import annotations

from typing import Any

from resolvers.errors import BadUserInput, Text
from resolvers.pagination import Ordering


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern with LIKE's wildcards escaped."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def choose(orderings: dict[tuple[str, bool], Ordering], field: str, descending: bool) -> Ordering:
    try:
        return orderings[(field, descending)]
    except KeyError as exc:
        raise BadUserInput(Text("order_by", field=field), argument="orderBy") from exc


def orderings(columns: dict[str, tuple[Any, ...]], name: str) -> dict[tuple[str, bool], Ordering]:
    """Both directions of every named sort key: {("NAME", desc?): Ordering}."""
    return {
        (key, desc): Ordering(f"{name}.{key}.{'desc' if desc else 'asc'}", cols, desc)
        for key, cols in columns.items()
        for desc in (False, True)
    }
