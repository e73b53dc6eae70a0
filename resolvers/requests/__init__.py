"""Requests (demandes): the lists and loaders (`queries`), opening one (`opening`: evaluation,
support, fee change, termination), commenting (`comments`), moving it between colleagues and the
due times (`moves`), deciding it (`deciding`, with the table of approvals `APPROVALS`).

The package exports its modules' public names.
"""

from __future__ import annotations

from resolvers.requests.comments import (
    comment_request,
)
from resolvers.requests.deciding import (
    APPROVALS,
    REQUEST_ACTIONS,
    ApproveHook,
    decide_request,
)
from resolvers.requests.moves import (
    MAX_DUE_HOURS,
    DueTime,
    assign_request,
    cancel_request,
    close_request,
    due_at_for,
    end_requests_about,
    list_due_times,
    set_due_time,
    take_request,
)
from resolvers.requests.opening import (
    LIVE_CONTRACT_STATES,
    REQUEST_FIELDS,
    RequestData,
    create_request,
    new_reference,
    request_evaluation,
)
from resolvers.requests.queries import (
    ACTIVITY,
    COMMENT_ORDERINGS,
    COMPANY_REQUESTS,
    REQUEST_COMMENTS,
    REQUEST_ORDERINGS,
    STAFF_ROLES,
    UNDECIDED,
    PersonRequestCountLoader,
    PersonRequestFilter,
    PersonRequestsLoader,
    Relation,
    RequestFilter,
    list_colleagues,
    list_requests,
    overdue_condition,
    request_query,
)

__all__ = [
    "ACTIVITY",
    "APPROVALS",
    "COMMENT_ORDERINGS",
    "COMPANY_REQUESTS",
    "LIVE_CONTRACT_STATES",
    "MAX_DUE_HOURS",
    "REQUEST_ACTIONS",
    "REQUEST_COMMENTS",
    "REQUEST_FIELDS",
    "REQUEST_ORDERINGS",
    "STAFF_ROLES",
    "UNDECIDED",
    "ApproveHook",
    "DueTime",
    "PersonRequestCountLoader",
    "PersonRequestFilter",
    "PersonRequestsLoader",
    "Relation",
    "RequestData",
    "RequestFilter",
    "assign_request",
    "cancel_request",
    "close_request",
    "comment_request",
    "create_request",
    "decide_request",
    "due_at_for",
    "end_requests_about",
    "list_colleagues",
    "list_due_times",
    "list_requests",
    "new_reference",
    "overdue_condition",
    "request_evaluation",
    "request_query",
    "set_due_time",
    "take_request",
]
