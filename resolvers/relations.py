"""`to_one`: how a type declares a to-one relation (a row's `shop_id` → its shop).

A declaration the types make (schema/*/types.py) and the engine reads (engine/completion.py
recognises `ToOne` on a resolver and loads the relation for a whole list at once): it lives
here, below both, so that the types need not import the engine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ToOne:
    """A to-one relation: `loaders.get(loader).load(getattr(row, key))`, None without key."""

    loader: type[Any]
    key: str


def to_one(loader: type[Any], key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a resolver stub `async def f(self, info: Info) -> X | None: ...` load the related
    row through the request's `loader` by the attribute `key` (None when the key is None).

    The fast path (engine/completion.py) recognises such fields and loads them for a whole
    list at once, through the same loader, so both paths issue the same statements.
    """

    def decorate(stub: Callable[..., Any]) -> Callable[..., Any]:
        async def resolve(self: Any, info: Any) -> Any:
            value = getattr(self, key)
            if value is None:
                return None
            return await info.context.loaders.get(loader).load(value)

        functools.update_wrapper(resolve, stub)
        resolve.__spring_to_one__ = ToOne(loader, key)  # type: ignore[attr-defined]
        return resolve

    return decorate
