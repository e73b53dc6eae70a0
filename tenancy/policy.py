"""The one permission policy: which role may run which operation and read which field.

It is data, not `if` statements: the schema's guards are generated from it, each guarded
field's description says who may read it, and docs/permissions.md is printed from it
(`spring permissions`; a test keeps the file in sync).

Rules:
- An operation (root field or mutation) not listed is denied to everyone.
- A field not listed in FIELDS is readable by whoever reached it through an allowed operation.
- A listed field is FULL, MASKED (a masking rule applies) or denied (absent): a denied field
  resolves to null with a FORBIDDEN error at its path.
- ROW_SCOPES narrow the rows of a type for a role (e.g. a seller sees only their own actions
  in the journal); the resolvers apply the scope the policy names.
- PLATFORM_ADMIN acting inside a tenant (X-Tenant) has the rights of that tenant's SUPERVISOR;
  without a tenant, only the operations in PLATFORM_LEVEL_OPERATIONS.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from tenancy.principal import Principal
from tenancy.roles import Role

SELLER, HOTLINE, TECHNICIAN, SUPERVISOR, SERVICE, PLATFORM_ADMIN = (
    Role.SELLER,
    Role.HOTLINE,
    Role.TECHNICIAN,
    Role.SUPERVISOR,
    Role.SERVICE,
    Role.PLATFORM_ADMIN,
)

STAFF: frozenset[Role] = frozenset({SELLER, HOTLINE, TECHNICIAN, SUPERVISOR})
EVERYONE: frozenset[Role] = frozenset(Role)


def roles(*members: Role) -> frozenset[Role]:
    return frozenset(members)


class Access(enum.StrEnum):
    FULL = "full"
    MASKED = "masked"


class Mask(enum.StrEnum):
    """Masking rules; the functions live with the schema's scalars (schema/masking.py)."""

    IBAN_LAST4 = "IBAN_LAST4"


class RowScope(enum.StrEnum):
    ALL = "all"
    OWN = "own"  # rows whose actor is the caller


#: Operations that need no token.
PUBLIC_OPERATIONS: frozenset[str] = frozenset({"login", "refreshToken"})

#: Operations a PLATFORM_ADMIN may run without naming a tenant.
PLATFORM_LEVEL_OPERATIONS: frozenset[str] = frozenset({"me", "tenants", "createTenant"})

#: Operations a PLATFORM_ADMIN may not run even inside a tenant: a request is authored by one
#: of the partner's staff (it is the partner's "my requests"), not by the acquirer.
NOT_FOR_PLATFORM: frozenset[str] = frozenset({"requestEvaluation", "createRequest"})

#: Operation → roles that may run it.
OPERATIONS: dict[str, frozenset[Role]] = {
    # Queries
    "me": EVERYONE,
    "node": STAFF,
    "nodes": STAFF,
    "companies": STAFF,
    "shops": STAFF,
    "contracts": STAFF,
    "services": STAFF,
    "terminals": STAFF,
    "transactions": STAFF,
    "transactionStats": STAFF,
    "terminalEvents": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "requests": STAFF,
    "auditEvents": STAFF,
    "search": STAFF,
    "responseCodes": STAFF,
    "users": roles(SUPERVISOR),
    "tenants": roles(PLATFORM_ADMIN),
    "simulateFees": roles(SELLER, HOTLINE, SUPERVISOR),
    "diagnoseTerminal": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    # Mutations: merchants and requests
    "createCompany": roles(SELLER, SUPERVISOR),
    "updateCompany": roles(SELLER, HOTLINE, SUPERVISOR),
    "createShop": roles(SELLER, SUPERVISOR),
    "updateShop": roles(SELLER, SUPERVISOR),
    "requestEvaluation": roles(SELLER, SUPERVISOR),
    "approveRequest": roles(SUPERVISOR),
    "rejectRequest": roles(SUPERVISOR),
    "createRequest": STAFF,
    "commentRequest": STAFF,
    # Contracts and fees
    "createContract": roles(SELLER, SUPERVISOR),
    "updateContractDraft": roles(SELLER, SUPERVISOR),
    "signContract": roles(SELLER, SUPERVISOR),
    "changeContractFees": roles(SUPERVISOR),
    "suspendContract": roles(SUPERVISOR),
    "resumeContract": roles(SUPERVISOR),
    "terminateContract": roles(SUPERVISOR),
    # Terminals and services
    "registerTerminal": roles(TECHNICIAN, SUPERVISOR),
    "assignTerminal": roles(TECHNICIAN, SUPERVISOR),
    "updateTerminalOptions": roles(TECHNICIAN, SUPERVISOR),
    "activateService": roles(TECHNICIAN, SUPERVISOR),
    "deactivateService": roles(TECHNICIAN, SUPERVISOR),
    "blockService": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "unblockService": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "blockTerminal": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "unblockTerminal": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "restockTerminal": roles(TECHNICIAN, SUPERVISOR),
    # Staff accounts and tenants
    "createUser": roles(SUPERVISOR),
    "updateUser": roles(SUPERVISOR),
    "deactivateUser": roles(SUPERVISOR),
    "createTenant": roles(PLATFORM_ADMIN),
    # Live supervision: ingestion by the acquiring platform, subscriptions by staff
    "recordTransactions": roles(SERVICE),
    "recordTerminalEvents": roles(SERVICE),
    "enrollSoftposDevice": roles(SERVICE),
    "transactionRecorded": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "terminalEventRecorded": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "terminalStatusChanged": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
}

#: (operation, role) → the only input fields that role may change with it.
INPUT_LIMITS: dict[tuple[str, Role], frozenset[str]] = {
    ("updateCompany", HOTLINE): frozenset({"contactName", "contactEmail", "contactPhone"}),
}

#: (operation, role) → the states of the target in which that role may run it.
STATE_LIMITS: dict[tuple[str, Role], frozenset[str]] = {
    # A seller edits a merchant until it is ACTIVE; then only a supervisor may.
    ("updateCompany", SELLER): frozenset({"PROSPECT", "EVALUATION", "APPROVED", "REJECTED"}),
    ("updateShop", SELLER): frozenset({"PROSPECT", "EVALUATION", "APPROVED", "REJECTED"}),
    ("createShop", SELLER): frozenset({"PROSPECT", "EVALUATION", "APPROVED", "REJECTED"}),
}

#: "Type.field" → role → access. Roles absent from a field's map may not read it.
FIELDS: dict[str, Mapping[Role, Access]] = {
    "Company.iban": {
        SELLER: Access.FULL,
        HOTLINE: Access.MASKED,
        SUPERVISOR: Access.FULL,
    },
    "Company.bic": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
    "Contract.currentFees": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
    "Contract.feeHistory": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
    "Transaction.maskedPan": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "Transaction.authorizationCode": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "Transaction.responseCode": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "Transaction.responseMessage": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "TransactionStatsBucket.topResponseCodes": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "Terminal.events": {HOTLINE: Access.FULL, TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "AuditEvent.before": {TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "AuditEvent.after": {TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "User.lastLoginAt": {SUPERVISOR: Access.FULL},
    # A FEE_CHANGE request's payload holds the proposed fees: read like the contract's fees.
    "Request.payload": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
}

#: Node types whose whole content copies a guarded field: `node`/`nodes` on such an ID answer
#: as that field does for the caller's role (FORBIDDEN / null), so the field's rule cannot be
#: sidestepped with a known ID.
NODE_RULES: dict[str, str] = {"FeeSchedule": "Contract.currentFees"}

#: Journal snapshots (AuditEvent.before/after) hold values of guarded fields: a key is shown
#: only to the roles that may read the field it copies (the others see the key removed).
JOURNAL_KEYS: dict[str, str] = {
    "fees": "Contract.currentFees",
    "proposedFees": "Contract.currentFees",
    "iban": "Company.iban",
    "bic": "Company.bic",
}

#: (createRequest, role) → the request types that role may open.
REQUEST_TYPES: dict[Role, frozenset[str]] = {
    SELLER: frozenset({"SUPPORT", "FEE_CHANGE", "TERMINATION"}),
    HOTLINE: frozenset({"SUPPORT", "TERMINATION"}),
    TECHNICIAN: frozenset({"SUPPORT"}),
    SUPERVISOR: frozenset({"SUPPORT", "FEE_CHANGE", "TERMINATION"}),
}

#: "Type.field" → the masking rule applied for MASKED access.
MASKS: dict[str, Mask] = {"Company.iban": Mask.IBAN_LAST4}

#: (Type, role) → the rows that role sees; absent means ALL.
ROW_SCOPES: dict[tuple[str, Role], RowScope] = {("AuditEvent", SELLER): RowScope.OWN}


def effective_role(principal: Principal) -> Role:
    """The role whose rights apply: a platform admin inside a tenant acts as its supervisor."""
    if principal.is_platform and principal.tenant_id is not None:
        return SUPERVISOR
    return principal.role


def may_run(principal: Principal, operation: str) -> bool:
    if operation in PUBLIC_OPERATIONS:
        return True
    allowed = OPERATIONS.get(operation)
    if allowed is None:
        return False  # unknown operations are denied: nothing is open by omission
    if principal.is_platform:
        if PLATFORM_ADMIN in allowed:
            return True
        if operation in NOT_FOR_PLATFORM:
            return False
        return principal.tenant_id is not None and SUPERVISOR in allowed
    return principal.role in allowed


def field_access(principal: Principal, field: str) -> Access | None:
    """FULL, MASKED, or None (denied) for a guarded field; FULL for unguarded ones."""
    rules = FIELDS.get(field)
    if rules is None:
        return Access.FULL
    return rules.get(effective_role(principal))


def row_scope(principal: Principal, type_name: str) -> RowScope:
    return ROW_SCOPES.get((type_name, effective_role(principal)), RowScope.ALL)


def input_limit(principal: Principal, operation: str) -> frozenset[str] | None:
    """The input fields the caller may set with this operation (None: no limit)."""
    return INPUT_LIMITS.get((operation, effective_role(principal)))


def state_limit(principal: Principal, operation: str) -> frozenset[str] | None:
    """The target states in which the caller may run this operation (None: no limit)."""
    return STATE_LIMITS.get((operation, effective_role(principal)))


def node_readable(principal: Principal, type_name: str) -> bool:
    rule = NODE_RULES.get(type_name)
    return rule is None or field_access(principal, rule) is not None


def journal_view(principal: Principal, snapshot: Any) -> Any:
    """A journal snapshot without the keys whose field the caller may not read."""
    if not isinstance(snapshot, dict):
        return snapshot
    return {
        key: value
        for key, value in snapshot.items()
        if key not in JOURNAL_KEYS or field_access(principal, JOURNAL_KEYS[key]) is not None
    }


def may_open_request(principal: Principal, request_type: str) -> bool:
    return request_type in REQUEST_TYPES.get(effective_role(principal), frozenset())


def roles_allowed(operation: str) -> list[Role]:
    return sorted(OPERATIONS.get(operation, frozenset()), key=list(Role).index)


def field_roles(field: str) -> dict[Role, Access]:
    return dict(sorted(FIELDS.get(field, {}).items(), key=lambda kv: list(Role).index(kv[0])))


def render_markdown() -> str:
    """The permission matrix, generated from this policy (docs/permissions.md)."""
    columns = [SELLER, HOTLINE, TECHNICIAN, SUPERVISOR, SERVICE, PLATFORM_ADMIN]
    header = "| | " + " | ".join(r.value for r in columns) + " |"
    rule = "|---|" + "---|" * len(columns)
    lines = [
        "# Permissions",
        "",
        "Generated from `tenancy/policy.py` by `spring permissions`; a test fails when this",
        "file and the policy disagree. Edit the policy, then regenerate:",
        "`spring permissions > docs/permissions.md`.",
        "",
        "A PLATFORM_ADMIN acting inside a tenant (header `X-Tenant`) has that tenant's",
        "SUPERVISOR rights; without `X-Tenant` only the operations marked *platform* below.",
        "",
        "## Operations",
        "",
        header,
        rule,
    ]

    def mark(allowed: bool) -> str:
        return "yes" if allowed else "—"

    for operation in sorted(OPERATIONS) + sorted(PUBLIC_OPERATIONS):
        allowed = OPERATIONS.get(operation, EVERYONE)
        cells = []
        for role in columns:
            if role is PLATFORM_ADMIN:
                if operation in PUBLIC_OPERATIONS or PLATFORM_ADMIN in allowed:
                    cells.append("platform")
                elif SUPERVISOR in allowed and operation not in NOT_FOR_PLATFORM:
                    cells.append("in tenant")
                else:
                    cells.append("—")
            else:
                cells.append(mark(operation in PUBLIC_OPERATIONS or role in allowed))
        lines.append(f"| `{operation}` | " + " | ".join(cells) + " |")

    lines += [
        "",
        "## Guarded fields",
        "",
        "Fields not listed are readable by whoever may run the operation that reaches them.",
        "A denied field is `null` with a `FORBIDDEN` error at its path.",
        "",
        header,
        rule,
    ]
    for field in sorted(FIELDS):
        rules = FIELDS[field]
        cells = []
        for role in columns:
            access = rules.get(SUPERVISOR if role is PLATFORM_ADMIN else role)
            if access is None:
                cells.append("—")
            elif access is Access.MASKED:
                cells.append(f"masked ({MASKS[field].value})")
            else:
                cells.append("yes")
        lines.append(f"| `{field}` | " + " | ".join(cells) + " |")

    lines += ["", "## Limits within an operation", ""]
    for (operation, role), fields in sorted(INPUT_LIMITS.items()):
        lines.append(f"- `{operation}` by {role.value}: only {', '.join(sorted(fields))}.")
    for (operation, role), states in sorted(STATE_LIMITS.items()):
        lines.append(
            f"- `{operation}` by {role.value}: only while the company is "
            f"{', '.join(sorted(states))}."
        )

    for role, types in sorted(REQUEST_TYPES.items(), key=lambda kv: list(Role).index(kv[0])):
        lines.append(f"- `createRequest` by {role.value}: types {', '.join(sorted(types))}.")
    for type_name, rule in sorted(NODE_RULES.items()):
        lines.append(f"- `node` on a `{type_name}`: as `{rule}`.")
    lines += ["", "## Journal values", ""]
    lines.append(
        "`AuditEvent.before`/`after` leave out the keys copying a field the reader may not read:"
    )
    for key, field in sorted(JOURNAL_KEYS.items()):
        lines.append(f"- `{key}`: as `{field}`.")

    lines += ["", "## Row scopes", ""]
    for (type_name, role), scope in sorted(ROW_SCOPES.items()):
        lines.append(f"- `{type_name}` for {role.value}: {scope.value} rows only.")
    return "\n".join(lines) + "\n"
