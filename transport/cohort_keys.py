"""Which cohort a subscribe message may join (transport/cohorts.py): its key.

Only live subscriptions of tenant staff without `after` join cohorts; replays keep the
per-subscriber path (each has its own position). Subscribers with the same document,
variables, operation name, role and tenant share a cohort; a field its own account reads
(policy.OWN_FIELDS, notifications) keeps the cohort to that account.

Cohorts whose keys differ only by the `filter` variable of `transactionRecorded` or
`terminalEventRecorded` form a family: the key carries, as `family`, the same key without it.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    NonNullTypeNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    parse,
    visit,
)
from graphql.language import Visitor

from tenancy import policy
from tenancy.policy import effective_role

#: Names of the fields whose reader depends on the row's owner (conservatively matched in
#: the document's text).
_OWNER_FIELD_NAMES = frozenset(field.partition(".")[2] for field in policy.OWN_FIELDS)
#: Subscriptions whose events are the subscriber's own (their notifications): never shared
#: between accounts, whatever their role.
_PER_USER_NAMES = _OWNER_FIELD_NAMES | frozenset({"notificationReceived"})


class CohortKey(NamedTuple):
    query: str
    variables: str
    operation_name: str | None
    role: str
    tenant_id: Any
    #: Cohorts differing only by their `filter` variable: the same key without it.
    family: CohortKey | None = None


class _AfterFinder(Visitor):
    """Whether an `after` argument may carry a value (then the subscription replays)."""

    def __init__(self, variables: dict[str, Any], defaults: dict[str, Any]) -> None:
        super().__init__()
        self.variables = variables
        self.defaults = defaults
        self.found = False

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value != "after" or isinstance(node.value, NullValueNode):
            return
        if isinstance(node.value, VariableNode):
            name = node.value.name.value
            if self.variables.get(name) is None and self.defaults.get(name) is None:
                return
        self.found = True


def _eligible(
    query: str, operation_name: str | None, variables: dict[str, Any] | None
) -> OperationDefinitionNode | None:
    """The operation to run, if it is a subscription whose `after` arguments are all null."""
    try:
        document: DocumentNode = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return None
    defaults = {
        d.variable.name.value: d.default_value
        for d in operations[0].variable_definitions or ()
        if d.default_value is not None and not isinstance(d.default_value, NullValueNode)
    }
    finder = _AfterFinder(variables or {}, defaults)
    visit(document, finder)
    return None if finder.found else operations[0]


class _VariableUses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.uses: dict[str, int] = {}

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.uses[node.name.value] = self.uses.get(node.name.value, 0) + 1


#: Root fields whose `filter` only decides which rows a subscriber receives, never what a
#: row's payload is: cohorts that differ only by it share each row's execution.
SHARED_FILTER_FIELDS = frozenset({"transactionRecorded", "terminalEventRecorded"})


def filter_variable(operation: OperationDefinitionNode) -> str | None:
    """The variable that is the subscription's `filter` and nothing else (so cohorts that
    differ only by it receive the same payload for a row they both receive), or None."""
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return None
    field = selections[0]
    if field.name.value not in SHARED_FILTER_FIELDS:
        return None
    values = [a.value for a in field.arguments or () if a.name.value == "filter"]
    if len(values) != 1 or not isinstance(values[0], VariableNode):
        return None
    name = values[0].name.value
    definitions = [d for d in operation.variable_definitions or () if d.variable.name.value == name]
    if len(definitions) != 1 or isinstance(definitions[0].type, NonNullTypeNode):
        return None
    uses = _VariableUses()
    visit(operation.selection_set, uses)
    return name if uses.uses.get(name) == 1 else None


def cohort_key(context: Any, message: Any, *, share_filters: bool = True) -> CohortKey | None:
    """The cohort this subscribe message may join, or None (per-subscriber path).

    `share_filters`: whether cohorts differing only by their `filter` share each row's
    execution (then the key carries its family's)."""
    principal = getattr(context, "principal", None)
    if (
        principal is None
        or principal.is_platform
        or principal.tenant_id is None
        or context.context_error is not None
        or context.live is None
    ):
        return None
    payload = message.get("payload") or {}
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str) or not (variables is None or isinstance(variables, dict)):
        return None
    operation = _eligible(query, operation_name, variables)
    if operation is None:
        return None
    try:
        canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    role = effective_role(principal).value
    if any(name in query for name in _PER_USER_NAMES):
        # A field its own account reads (policy.OWN_FIELDS): the payload depends on who
        # asks, not only on the role, so members share only their own executions.
        role = f"{role}:{principal.user_id}"
    family = None
    name = filter_variable(operation) if share_filters else None
    if name is not None:
        rest = {k: v for k, v in (variables or {}).items() if k != name}
        others = json.dumps(rest, sort_keys=True, separators=(",", ":"))
        family = CohortKey(query, others, operation_name, role, principal.tenant_id)
    return CohortKey(query, canonical, operation_name, role, principal.tenant_id, family)
