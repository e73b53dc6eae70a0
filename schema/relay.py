"""Relay plumbing: connections with keyset cursors, global IDs, `node` and `nodes`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry import relay
from strawberry.types import Info

from resolvers.errors import BadUserInput, Forbidden, NotFound, Text
from resolvers.pagination import Page, PageArgs
from schema import descriptions as d
from tenancy import policy

T = TypeVar("T")


@strawberry.type(description="Where a page stands in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more items follow this page (ask with `after: endCursor`)."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (ask with `before: startCursor`)."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the page's first item; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the page's last item; null when the page is empty."
    )


@strawberry.type(description=d.EDGE)
class Edge(Generic[T]):
    cursor: str = strawberry.field(description=d.EDGE_CURSOR)
    node: T = strawberry.field(description=d.EDGE_NODE)


@strawberry.type(description="A page of a list, with keyset cursors.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description=d.CONNECTION_EDGES)
    page_info: PageInfo = strawberry.field(description=d.CONNECTION_PAGE_INFO)
    _page: strawberry.Private[Page[Any]]

    @strawberry.field(description="Number of items in the whole list (with its filter).")
    async def total_count(self) -> int:
        return await self._page.count()

    @classmethod
    def from_empty(cls) -> Any:
        async def zero() -> int:
            return 0

        return cls.from_page(
            Page(rows=[], cursors=[], has_next=False, has_previous=False, count=zero)
        )

    @classmethod
    def from_page(cls, page: Page[Any]) -> Any:
        return cls(
            edges=[PageEdge(page, index, row) for index, row in enumerate(page.rows)],
            page_info=PagePosition(page),
            _page=page,
        )


class PageEdge:
    """An `Edge` of a page (read by its fields' default resolvers): the cursor is encoded
    only if a client selects it, as the supervision list usually does not."""

    __slots__ = ("_index", "_page", "node")

    def __init__(self, page: Page[Any], index: int, node: Any) -> None:
        self._page = page
        self._index = index
        self.node = node

    @property
    def cursor(self) -> str:
        return self._page.cursor(self._index)


class PagePosition:
    """The `PageInfo` of a page, its cursors encoded when selected."""

    __slots__ = ("_page", "has_next_page", "has_previous_page")

    def __init__(self, page: Page[Any]) -> None:
        self._page = page
        self.has_next_page = page.has_next
        self.has_previous_page = page.has_previous

    @property
    def start_cursor(self) -> str | None:
        return self._page.cursor(0) if self._page.rows else None

    @property
    def end_cursor(self) -> str | None:
        rows = self._page.rows
        return self._page.cursor(len(rows) - 1) if rows else None


def page_args(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageArgs:
    return PageArgs(first=first, after=after, last=last, before=before).validated()


def decode_id(
    value: relay.GlobalID | str, expected: str | tuple[str, ...], argument: str
) -> uuid.UUID:
    """The UUID inside a global ID of an expected type; BAD_USER_INPUT otherwise."""
    kinds = (expected,) if isinstance(expected, str) else expected
    try:
        gid = value if isinstance(value, relay.GlobalID) else relay.GlobalID.from_id(value)
        if gid.type_name not in kinds:
            raise ValueError(gid.type_name)
        return uuid.UUID(gid.node_id)
    except (ValueError, TypeError) as exc:
        raise BadUserInput(
            Text("id_of_kind", argument=argument, kinds=" / ".join(kinds)), argument=argument
        ) from exc


def optional_id(
    value: relay.GlobalID | None, expected: str | tuple[str, ...], argument: str
) -> uuid.UUID | None:
    return None if value is None else decode_id(value, expected, argument)


#: Global ID type name → the loader of its rows. Filled by each domain's types module.
NODE_LOADERS: dict[str, Any] = {}


def register_node(type_name: str, loader_class: Any) -> None:
    NODE_LOADERS[type_name] = loader_class


def _parse_node_id(value: str) -> tuple[str, uuid.UUID] | None:
    try:
        gid = relay.GlobalID.from_id(value)
        return gid.type_name, uuid.UUID(gid.node_id)
    except (ValueError, TypeError):
        return None


def selection_reaches(info: Info, names: frozenset[str], path: tuple[str, ...] = ()) -> bool:
    """Does the current field's selection, down `path` (field names), name any of `names`?
    Read from the document's nodes through fragments (cheaper than `info.selected_fields`),
    so a field under @include(if: false) counts too: the answer only decides what to read
    ahead, never what is returned; an unknown fragment counts as yes."""
    raw = info._raw_info
    level = [node.selection_set for node in raw.field_nodes]
    for step in (*path, None):
        wanted = names if step is None else frozenset((step,))
        found = []
        seen: set[str] = set()
        while level:
            selection_set = level.pop()
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode):
                    if selection.name.value in wanted:
                        if step is None:
                            return True
                        found.append(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    level.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = raw.fragments.get(name)
                    if fragment is None:
                        return True
                    if name not in seen:
                        seen.add(name)
                        level.append(fragment.selection_set)
        if not found:
            return False
        level = found
    return False


async def load_one(loader: Any, key: Any) -> Any:
    """One key through `loader` at once, without its dispatch task (a DataLoader schedules one
    per batch: about 7 % of a lone `node(id:)`'s CPU, bench P3): its cache first, then its
    own load function for that key, the answer primed for the rest of the request."""
    if loader.cache:
        pending = loader.cache_map.get(key)
        if pending is not None:
            return await pending
    found = (await loader.load_fn([key]))[0]
    if isinstance(found, BaseException):
        raise found
    loader.prime(key, found)
    return found


async def load_node(info: Info, value: str, *, alone: bool = False) -> Any:
    """The object behind a global ID, or None when it does not exist *or* is not the caller's.

    Another tenant's ID answers exactly like a missing one: row-level security hides the row,
    so IDs cannot be probed. An existing object of a type the caller's role may not read
    (policy.NODE_RULES) raises FORBIDDEN.
    """
    parsed = _parse_node_id(value)
    if parsed is None:
        return None
    type_name, node_id = parsed
    loader_class = NODE_LOADERS.get(type_name)
    if loader_class is None:
        return None
    lean = getattr(loader_class, "without_relations", None)
    if lean is not None and not selection_reaches(info, loader_class.relation_fields):
        # e.g. a terminal's own fields: no shop and company to hydrate and prime.
        loader_class = lean
    loader = info.context.loaders.get(loader_class)
    # `alone`: the operation's only root field, nothing to batch the key with.
    found = await (load_one(loader, node_id) if alone else loader.load(node_id))
    if found is not None and not policy.node_readable(info.context.require_principal(), type_name):
        raise Forbidden(Text("node_forbidden", type=type_name), id=value)
    return found


async def resolve_node(info: Info, id: strawberry.ID) -> Any:
    alone = len(info.operation.selection_set.selections) == 1
    found = await load_node(info, str(id), alone=alone)
    if found is None:
        raise NotFound(Text("node_not_found"), id=str(id))
    return found


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Any]:
    if len(ids) > 100:
        raise BadUserInput(Text("too_many_ids", maximum=100), argument="ids", maximum=100)

    async def readable(value: str) -> Any:
        try:
            return await load_node(info, value)
        except Forbidden:
            return None

    return list(await asyncio.gather(*(readable(str(i)) for i in ids)))


def model_backed(*models: type) -> Callable[[type], type]:
    """Let a strawberry type be resolved from ORM rows directly (no per-row wrapper object).

    Place it *under* `@strawberry.type`, so it runs first.
    """

    def decorate(cls: type) -> type:
        def is_type_of(obj: Any, info: Any) -> bool:
            return isinstance(obj, (cls, *models))

        cls.is_type_of = staticmethod(is_type_of)  # type: ignore[attr-defined]
        return cls

    return decorate
