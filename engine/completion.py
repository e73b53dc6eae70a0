"""A fast completion path for lists of objects (`SpringExecutor`).

graphql-core completes every field of every object on its own: a resolve info, strawberry's
resolver wrappers, the field's extensions, a type dispatch per value. On a page of 100
transactions with their terminal, shop and company that is about 2,100 field resolutions per
request, most of them an attribute read. `SpringExecutor` compiles, once per list field of
the operation, a plan of the item type's selection (after fragments, aliases and
@include/@skip: graphql-core's own field collection) that completes the whole list with
plain Python:

- a basic field (no resolver, no extension) is an attribute read and its leaf serializer;
- a policy-guarded attribute (a `PolicyGuard`, as `schema.guards.Guard` is) has its access
  decided once per plan from the role: denied gives null and the same FORBIDDEN error at its
  path, masked applies the policy's masking, as the guard itself does;
- `__typename` is a constant, a relay `id` the global ID strawberry would encode;
- a nested object read from an attribute (an edge's `node`) is completed by its own plan;
- a to-one relation declared with `to_one` (resolvers/relations.py) loads through the
  request's dataloaders, exactly as its resolver would (the same loader, the same key, at the
  same moment): the SQL statements stay batched and their number constant.

Everything else (arguments, custom resolvers, abstract types, lists inside the item, a value
of an unexpected type, any error but a denied field) goes through graphql-core's normal path
for that field, from the same place: `execute_field`. The plan mirrors graphql-core's
structure where it awaits (one coroutine per relation, `gather_with_cancel` where an object
has several pending fields), so results, errors and their order are the normal path's
(tests/test_fast_execution.py compares both on many documents and every role).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any, ClassVar

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path, Undefined, UndefinedType, gather_with_cancel
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from engine.plans import (
    ATTR,
    DENIED,
    GUARDED,
    NORMAL,
    OBJECT,
    RELATION,
    RELAY_ID,
    STATS,
    TYPENAME,
    FieldPlan,
    Plan,
    PolicyGuard,
    leaf_serializer,
    plain,
)
from resolvers.errors import Forbidden, Text
from resolvers.relations import ToOne
from tenancy import policy

_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
#: is_type_of functions known to ignore their `info` argument (relay's `model_backed`,
#: strawberry's generated ones): the plan may call them without building an info.
_INFO_FREE_IS_TYPE_OF = frozenset({"schema.relay", "strawberry.schema.schema_converter"})
_NODE_ID = relay.Node._id.__func__  # type: ignore[attr-defined]


class SpringExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with lists of objects completed by compiled plans."""

    #: Off: every field goes through graphql-core's normal path (tests compare both).
    enabled: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._fast = (
            self.enabled
            and self.abort_signal is None
            and not (manager is not None and manager.middlewares)
        )
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[FieldDetailsList, Plan | None]] = {}
        self._principal: Any = Undefined
        self._reads_only: frozenset[str] | UndefinedType | None = Undefined
        schema = self.schema
        self._roots = frozenset(
            t.name
            for t in (schema.query_type, schema.mutation_type, schema.subscription_type)
            if t is not None
        )

    # ------------------------------------------------------------------------- the policy

    def _denied_here(self, parent: GraphQLObjectType, field_name: str) -> bool:
        """Whether the caller's role reads only listed fields (`policy.READS_ONLY`) and this
        one is not among them. Root fields are operations (the policy's OPERATIONS decide
        them), introspection is the schema's own."""
        only = self._reads_only
        if only is Undefined:
            principal = self._require_principal()
            only = self._reads_only = (
                policy.reads_only(principal) if principal is not None else None
            )
        if only is None or parent.name in self._roots or field_name.startswith("__"):
            return False
        return not policy.field_readable(only, parent.name, field_name)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        """graphql-core's, after the policy's READS_ONLY rule: a field the caller's role may
        not read is null with FORBIDDEN at its path, however the object was reached."""
        if self._reads_only is not None and self._denied_here(
            parent_type, field_name := field_details_list[0].node.name.value
        ):
            field_def = self.schema.get_field(parent_type, field_name)
            if field_def is None:
                return Undefined
            self.handle_field_error(
                Forbidden(
                    Text("field_forbidden", field=f"{parent_type.name}.{field_name}"),
                    field=f"{parent_type.name}.{field_name}",
                ),
                field_def.type,
                field_details_list,
                path,
            )
            return None
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    # ------------------------------------------------------------------------- entry

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._fast and position_context is None and type(result) in (list, tuple):
            item_type = return_type.of_type
            object_type = item_type.of_type if type(item_type) is GraphQLNonNull else item_type
            if (
                type(object_type) is GraphQLObjectType
                and plain(field_details_list)
                and self._plain_items(result)
            ):
                plan = self._plan(object_type, field_details_list)
                if plan is not None:
                    return self._complete_list(plan, item_type, field_details_list, path, result)
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain_items(self, items: Sequence[Any]) -> bool:
        """No item the normal path treats apart (null, an exception, an awaitable)."""
        is_awaitable = self.is_awaitable
        for item in items:
            if item is None or isinstance(item, Exception) or is_awaitable(item):
                return False
        return True

    # ------------------------------------------------------------------------- compiling

    def _plan(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> Plan | None:
        key = (object_type, id(details))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = self._compile(object_type, details)
        self._plans[key] = (details, plan)
        return plan

    def _compile(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> Plan | None:
        is_type_of = object_type.is_type_of
        if is_type_of is not None and is_type_of.__module__ not in _INFO_FREE_IS_TYPE_OF:
            return None
        grouped, defer_usages, forbidden = self.collect_subfields(object_type, details)
        if defer_usages or forbidden:
            return None
        fields = []
        for name, sub_details in grouped.items():
            field = self._compile_field(object_type, name, sub_details)
            if field is not None:
                fields.append(field)
        return Plan(object_type, fields, is_type_of)

    def _compile_field(
        self, parent: GraphQLObjectType, name: str, details: FieldDetailsList
    ) -> FieldPlan | None:
        node = details[0].node
        field_name = node.name.value
        field_def = self.schema.get_field(parent, field_name)
        if field_def is None:
            return None  # the normal path leaves the key out too
        plan = FieldPlan(NORMAL, name, details)
        return_type = field_def.type
        plan.return_type = return_type
        plan.non_null = type(return_type) is GraphQLNonNull
        named = return_type.of_type if plan.non_null else return_type
        if field_name == "__typename":
            plan.kind, plan.value = TYPENAME, parent.name
            return plan
        if self._denied_here(parent, field_name):
            return plan  # execute_field answers FORBIDDEN at the field's path
        definition = field_def.extensions.get(_DEFINITION)
        if (
            not isinstance(definition, StrawberryField)
            or node.arguments
            or field_def.args
            or details[0].fragment_variable_values is not None
            or not plain(details)
        ):
            return plan
        resolver = definition.base_resolver
        extensions = definition.extensions
        if resolver is None and definition.default_resolver is getattr:
            plan.attr = definition.python_name
            if not extensions:
                if is_leaf_type(named):
                    plan.kind, plan.serialize = ATTR, leaf_serializer(named)
                elif type(named) is GraphQLObjectType:
                    nested = self._plan(named, details)
                    if nested is not None:
                        plan.kind, plan.plan = OBJECT, nested
                return plan
            if (
                len(extensions) == 1
                and isinstance(extensions[0], PolicyGuard)
                and not extensions[0].per_row
                and is_leaf_type(named)
            ):
                principal = self._require_principal()
                if principal is None:
                    return plan
                guard = extensions[0]
                access = guard.access_for(principal)
                plan.guard, plan.access = guard, access
                plan.serialize = leaf_serializer(named)
                plan.kind = DENIED if access is None else GUARDED
            return plan
        if resolver is None or extensions:
            return plan
        func = resolver.wrapped_func
        if getattr(func, "__func__", None) is _NODE_ID and is_leaf_type(named):
            origin = getattr(parent.extensions.get(_DEFINITION), "origin", None)
            if (
                isinstance(origin, type)
                and issubclass(origin, relay.Node)
                and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
                and origin.resolve_typename.__func__ is relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
            ):
                plan.kind, plan.attr = RELAY_ID, origin.resolve_id_attr()
                plan.serialize = leaf_serializer(named)
            return plan
        relation = getattr(func, "__spring_to_one__", None)
        if (
            isinstance(relation, ToOne)
            and not plan.non_null
            and type(named) is GraphQLObjectType
            and hasattr(self.context_value, "loaders")
        ):
            nested = self._plan(named, details)
            if nested is not None:
                plan.kind, plan.relation, plan.plan = RELATION, relation, nested
        return plan

    def _require_principal(self) -> Any:
        if self._principal is Undefined:
            try:
                self._principal = self.context_value.require_principal()
            except Exception:
                self._principal = None  # the normal path raises it per field
        return self._principal

    # ------------------------------------------------------------------------- completing
    #
    # Positions are plain tuples (prev, key, typename) while nothing needs them: a `Path`
    # (a NamedTuple, built by a Python-level __new__) is made only for an error or a field
    # handed to the normal path (`_path`).

    def _complete_list(
        self,
        plan: Plan,
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
        items: Sequence[Any],
    ) -> Any:
        """complete_iterable_value, each item by the plan."""
        STATS.lists += 1
        STATS.items += len(items)
        completed_results: list[Any] = []
        append = completed_results.append
        awaitable_indices: list[int] = []
        complete = self._complete_object
        for index, item in enumerate(items):
            item_path = (path, index, None)
            try:
                completed = complete(plan, item, item_path, details)
            except Exception as raw_error:
                try:
                    self.handle_field_error(raw_error, item_type, details, _path(item_path))
                except Exception:
                    pending = [completed_results[i] for i in awaitable_indices]
                    if pending:
                        self.settle_in_background(pending)
                    raise
                append(None)
                continue
            if type(completed) is dict:
                append(completed)
            else:
                append(self._await_item(completed, item_type, details, item_path))
                awaitable_indices.append(index)
        if not awaitable_indices:
            return completed_results

        async def get_completed_results() -> list[Any]:
            if len(awaitable_indices) == 1:
                index = awaitable_indices[0]
                completed_results[index] = await completed_results[index]
            else:
                await _run_as_tasks(completed_results, awaitable_indices)
            return completed_results

        return get_completed_results()

    async def _await_item(
        self,
        completed: Awaitable[Any],
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: _Position,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, details, _path(path))
            return None

    def _complete_object(
        self, plan: Plan, source: Any, path: _Position, details: FieldDetailsList
    ) -> Any:
        """complete_object_value + execute_fields for a planned selection.

        Returns the dict, or an awaitable of it when some fields are pending.
        """
        is_type_of = plan.is_type_of
        if is_type_of is not None and not is_type_of(source, None):
            raise invalid_return_type_error(plan.type, source, details)
        results: dict[str, Any] = {}
        pending: list[tuple[Any, ...]] | None = None
        typename = plan.typename
        real_path: Path | None = None
        try:
            for field in plan.fields:
                kind = field.kind
                name = field.name
                if kind is ATTR:
                    try:
                        value = getattr(source, field.attr)
                        if value is not None:
                            results[name] = field.serialize(value)  # type: ignore[misc]
                            continue
                        if not field.non_null:
                            results[name] = None
                            continue
                    except Exception:  # noqa: S110 (the normal path below reports it)
                        pass
                elif kind is OBJECT:
                    try:
                        value = getattr(source, field.attr)
                    except Exception:
                        value = Undefined
                    if (
                        value is not None
                        and value is not Undefined
                        and not isinstance(value, Exception)
                        and not self.is_awaitable(value)
                    ):
                        field_path = (path, name, typename)
                        try:
                            completed = self._complete_object(
                                field.plan,  # type: ignore[arg-type]
                                value,
                                field_path,
                                field.details,
                            )
                        except Exception as raw_error:
                            self.handle_field_error(
                                raw_error,
                                field.return_type,  # type: ignore[arg-type]
                                field.details,
                                _path(field_path),
                            )
                            results[name] = None
                            continue
                        if type(completed) is dict:
                            results[name] = completed
                        else:
                            results[name] = completed
                            waiting = (name, OBJECT, field, field_path)
                            pending = [*pending, waiting] if pending else [waiting]
                        continue
                    if value is None and not field.non_null:
                        results[name] = None
                        continue
                elif kind is RELATION:
                    results[name] = None  # keeps the key's place in the response
                    waiting = (name, RELATION, field, (path, name, typename))
                    pending = [*pending, waiting] if pending else [waiting]
                    continue
                elif kind is RELAY_ID:
                    if not isinstance(source, relay.Node):
                        value = getattr(source, field.attr, None)
                        if value is not None:
                            encoded = to_base64(typename, str(value))
                            results[name] = field.serialize(encoded)  # type: ignore[misc]
                            continue
                elif kind is GUARDED:
                    try:
                        value = field.guard.finish(field.access, getattr(source, field.attr))  # type: ignore[union-attr,arg-type]
                        if value is not None:
                            results[name] = field.serialize(value)  # type: ignore[misc]
                            continue
                        if not field.non_null:
                            results[name] = None
                            continue
                    except Exception:  # noqa: S110 (the normal path below reports it)
                        pass
                elif kind is DENIED:
                    real_path = real_path or _path(path)
                    self.handle_field_error(
                        field.guard.denied(),  # type: ignore[union-attr]
                        field.return_type,  # type: ignore[arg-type]
                        field.details,
                        Path(real_path, name, typename),
                    )
                    results[name] = None
                    continue
                elif kind is TYPENAME:
                    results[name] = field.value
                    continue
                # NORMAL, or a value the plan does not complete itself: graphql-core's path.
                STATS.normal_fields += 1
                real_path = real_path or _path(path)
                result = self.execute_field(
                    plan.type, source, field.details, Path(real_path, name, typename), None
                )
                if result is not Undefined:
                    results[name] = result
                    if self.is_awaitable(result):
                        waiting = (name, NORMAL, None, None)
                        pending = [*pending, waiting] if pending else [waiting]
        except Exception:
            if pending:
                made = self._awaitables(results, source, pending)
                self.settle_in_background([awaitable for _, awaitable in made])
            raise
        if not pending:
            return results
        if len(pending) == 1:
            # One coroutine does both what graphql-core's get_results and the field's
            # completion do: no suspension point moves (only the loaders' futures suspend).
            name, kind, field, field_path = pending[0]
            if kind is RELATION:
                return self._relation(field, source, field_path, results, name)  # type: ignore[arg-type]
            if kind is OBJECT:
                return self._await_into(results, name, field, field_path)  # type: ignore[arg-type]
        return self._gather_fields(results, self._awaitables(results, source, pending))

    def _awaitables(
        self, results: dict[str, Any], source: Any, pending: list[tuple[Any, ...]]
    ) -> list[tuple[str, Awaitable[Any]]]:
        """The awaitable of each pending field, as graphql-core would have made it."""
        made = []
        for name, kind, field, field_path in pending:
            if kind is RELATION:
                awaitable = self._relation(field, source, field_path)
            elif kind is OBJECT:
                awaitable = self._await_item(
                    results[name], field.return_type, field.details, field_path
                )
            else:
                awaitable = results[name]
            made.append((name, awaitable))
        return made

    async def _gather_fields(
        self, results: dict[str, Any], pending: list[tuple[str, Awaitable[Any]]]
    ) -> dict[str, Any]:
        if len(pending) == 1:
            name, awaitable = pending[0]
            results[name] = await awaitable
        else:
            awaited = await gather_with_cancel(*(awaitable for _, awaitable in pending))
            results.update(zip((name for name, _ in pending), awaited, strict=True))
        return results

    async def _await_into(
        self, results: dict[str, Any], name: str, field: FieldPlan, path: _Position
    ) -> dict[str, Any]:
        """_await_item of an object field, then get_results of its parent (one pending)."""
        try:
            value = await results[name]
        except Exception as raw_error:
            self.handle_field_error(
                raw_error,
                field.return_type,  # type: ignore[arg-type]
                field.details,
                _path(path),
            )
            value = None
        results[name] = value
        return results

    async def _relation(
        self,
        field: FieldPlan,
        source: Any,
        path: _Position,
        results: dict[str, Any] | None = None,
        name: str = "",
    ) -> Any:
        """complete_awaitable_value of a `to_one` resolver, without its wrappers. With
        `results`: stores the value there under `name` and returns them (its parent's
        get_results when it is the parent's only pending field)."""
        relation: ToOne = field.relation  # type: ignore[assignment]
        completed: Any = None
        try:
            key = getattr(source, relation.key)
            if key is not None:
                resolved = await self.context_value.loaders.get(relation.loader).load(key)
                if resolved is not None:
                    if isinstance(resolved, Exception):
                        raise resolved
                    completed = self._complete_object(
                        field.plan,  # type: ignore[arg-type]
                        resolved,
                        path,
                        field.details,
                    )
                    if type(completed) is not dict:
                        completed = await completed
        except Exception as raw_error:
            self.handle_field_error(
                raw_error,
                field.return_type,  # type: ignore[arg-type]
                field.details,
                _path(path),
            )
            completed = None
        if results is None:
            return completed
        results[name] = completed
        return results


#: A response position: a graphql-core `Path`, or the same triple as a plain tuple.
_Position = Path | tuple[Any, "str | int", "str | None"]


def _path(position: Any) -> Path:
    """The graphql-core `Path` of a position (plain tuples made into `Path`s, up the chain)."""
    if position is None or type(position) is Path:
        return position  # type: ignore[no-any-return]
    prev, key, typename = position
    return Path(_path(prev), key, typename)


async def _run_as_tasks(results: list[Any], indices: list[int]) -> None:
    """`gather_with_cancel` of the coroutines at `indices`, in `results` (replaced by their
    values), without a task for those that finish in their first step.

    graphql-core runs each item of a list as a task: all of them take their first step, in
    order, then those that wait on a future (a loader's batch) resume as it resolves. Items
    whose relations are already loaded (primed, cached) finish in that first step. Here the
    first steps run in order from this coroutine, and only an item that waits continues as
    a task (from where it stopped): the same steps in the same order, without a task per
    item. As with gather_with_cancel, the first failure is raised once every item has taken
    its first step, and the items still waiting are cancelled.
    """
    waiting: list[tuple[int, asyncio.Future[Any]]] = []
    failure: BaseException | None = None
    for index in indices:
        coroutine = results[index]
        try:
            yielded = coroutine.send(None)
        except StopIteration as stop:
            results[index] = stop.value
            continue
        except Exception as error:
            failure = failure or error
            results[index] = None
            continue
        if getattr(yielded, "_asyncio_future_blocking", None):
            # What a task does with a future it is handed: others may await it meanwhile.
            yielded._asyncio_future_blocking = False
        waiting.append((index, asyncio.ensure_future(_Resumed(coroutine, yielded).wait())))
    if failure is not None:
        for _, task in waiting:
            task.cancel()
        if waiting:
            await asyncio.gather(*(task for _, task in waiting), return_exceptions=True)
        raise failure
    if waiting:
        try:
            values = await asyncio.gather(*(task for _, task in waiting))
        except Exception:
            for _, task in waiting:
                if not task.done():
                    task.cancel()
            await asyncio.gather(*(task for _, task in waiting), return_exceptions=True)
            raise
        for (index, _), value in zip(waiting, values, strict=True):
            results[index] = value


class _Resumed:
    """A coroutine that already took its first step and yielded `first` (the future it
    waits on), continued under a task as if the task had started it."""

    __slots__ = ("coroutine", "first")

    def __init__(self, coroutine: Any, first: Any) -> None:
        self.coroutine = coroutine
        self.first = first

    async def wait(self) -> Any:
        return await self

    def __await__(self) -> Any:
        coroutine = self.coroutine
        value = self.first
        if getattr(value, "_asyncio_future_blocking", None) is False:
            # Handed on as Future.__await__ yields it ("blocking"), which the first step
            # did before `_run_as_tasks` cleared it.
            value._asyncio_future_blocking = True
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as error:  # a cancellation, thrown in by the task
                try:
                    value = coroutine.throw(error)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    value = coroutine.send(sent)
                except StopIteration as stop:
                    return stop.value
