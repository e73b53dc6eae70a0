"""List fields, declared: the root lists and the child connections.

`root_list` declares a root list (`companies`, `transactions`...): its `filter`, `orderBy`
and paging arguments, the policy's operation guarding it, and the Relay connection it
answers. `child_list` declares a field listing a parent's children (a company's shops, a
terminal's events), paged the same way; one dataloader per request pages the children of
every parent of the page in one statement (resolvers/pagination.py).
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.pagination import ChildList, Page
from schema import descriptions as d
from schema.guards import guarded
from schema.permissions import allowed, roles_note
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


@dataclass(frozen=True)
class Paging:
    """What the four paging arguments of a list say (GraphiQL shows it)."""

    first: str = d.FIRST
    after: str = d.AFTER
    last: str = d.LAST
    before: str = d.BEFORE

    def parameters(self) -> list[inspect.Parameter]:
        """first, after, last, before: a resolver's optional parameters, described."""
        return [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None,
                annotation=Annotated[kind, strawberry.argument(description=description)],
            )
            for name, kind, description in (
                ("first", int | None, self.first),
                ("after", str | None, self.after),
                ("last", int | None, self.last),
                ("before", str | None, self.before),
            )
        ]


#: The paging arguments' usual wording (schema/descriptions.py).
PAGING = Paging()


def child_list(
    node: Any,
    children: ChildList | Callable[[Info], ChildList],
    description: str,
    *,
    guard: str | None = None,
    paging: Paging = PAGING,
) -> Any:
    """A field of a parent type listing its children: `Connection[node]`, paged.

        shops = child_list(ShopT, rm.COMPANY_SHOPS, "The company's shops.")

    `node` is the children's type (a class, or its alias in schema/lazy.py when it is
    declared further down or in another domain); `children` is how resolvers/ lists them
    (a `ChildList`: model, parent column, order), or a function of the request giving it
    when it depends on the caller (the journal: schema/audit/types.py `journal`). The parent's
    `id` is the key. With `guard`, the field is `tenancy.policy.FIELDS[guard]`'s: nullable,
    null with FORBIDDEN for a role that may not read it, and its description says who may.
    """
    spec_of = children if callable(children) else None

    async def resolve(
        self: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        spec: Any = spec_of(info) if spec_of is not None else children
        return await child_connection(info, spec, self.id, first, after, last, before)

    # strawberry reads a resolver's arguments from its signature: this one's names the
    # arguments' types and descriptions as objects (this field's wording, not this module's).
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
            *paging.parameters(),
        ]
    )
    # The type rides on the field, not on a class annotation: a field without one keeps its
    # place among the type's resolver fields, so the SDL's field order is the class's.
    connection: Any = Connection[node]
    if guard is None:
        return strawberry.field(resolver=resolve, description=description, graphql_type=connection)
    return guarded(guard, description, resolver=resolve, graphql_type=connection | None)


@dataclass(frozen=True)
class ListFilter:
    """A root list's `filter` argument: its input type and what the list's items are called
    in its description ("Only the {items} matching every field given...")."""

    input: type
    items: str


@dataclass(frozen=True)
class ListOrder:
    """A root list's `orderBy` argument: its input type, the order without it (field name,
    descending?) and that order in words, for its description."""

    input: type
    default: tuple[str, bool]
    described: str


def root_list(
    fetch: Callable[..., Awaitable[Page[Any]]],
    operation: str,
    description: str,
    *,
    filter: ListFilter | None = None,
    order: ListOrder | None = None,
    paging: Paging = PAGING,
) -> Any:
    """A root list field, guarded by the policy's `operation`, its roles appended to the
    description (as `schema.mutations.mutation_field` does for mutations):

        companies: Connection[Company] | None = root_list(
            companies,
            "companies",
            "Merchants' companies.",
            filter=ListFilter(CompanyFilter, "companies"),
            order=ListOrder(CompanyOrder, ("LEGAL_NAME", False), "legal name, A to Z"),
        )

    Its arguments are `filter` (with `filter`), `orderBy` (with `order`), then first, after,
    last, before. `fetch(info, page, filter, order)` reads one page: `page` is the checked
    paging arguments, `filter` the input (an empty one when the client sent none), `order`
    the (field name, descending?) asked for or the default; `filter` and `order` are passed
    only when declared. The field answers `Connection.from_page` of that page.
    """
    filtered, ordered = filter, order  # the resolver's own `filter` is the client's

    async def resolve(
        info: Info,
        filter: Any = None,
        order_by: Any = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        asked: list[Any] = []
        if filtered is not None:
            asked.append(filter if filter is not None else filtered.input())
        if ordered is not None:
            asked.append(order_of(order_by, ordered.default))
        page = await fetch(info, page_args(first, after, last, before), *asked)
        return Connection.from_page(page)

    parameters = [
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)
    ]
    if filtered is not None:
        parameters.append(_argument("filter", filtered.input, d.filter_arg(filtered.items)))
    if ordered is not None:
        parameters.append(_argument("order_by", ordered.input, d.order_arg(ordered.described)))
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [*parameters, *paging.parameters()]
    )
    return strawberry.field(
        resolver=resolve,
        description=f"{description} {roles_note(operation)}",
        extensions=allowed(operation),
    )


def _argument(name: str, input_type: type, argument: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=None,
        annotation=Annotated[input_type | None, argument],
    )
