"""The one permission policy: which role may run which operation and read which field.

It is data, not `if` statements: the schema's guards are generated from it, each guarded
field's description says who may read it, and docs/permissions.md is printed from it
(`spring permissions`; a test keeps the file in sync).

Rules:
- An operation (root field or mutation) not listed is denied to everyone.
- A role listed in READS_ONLY reads only the fields listed there, wherever it reaches them
  (a mutation's payload included); every other field is denied to it.
- Otherwise a field not listed in FIELDS is readable by whoever reached it through an allowed
  operation, and a listed one is FULL, MASKED (a masking rule applies) or denied (absent).
- OWN_FIELDS: the account a row is (a User) reads those fields of its own row.
- A denied field resolves to null with a FORBIDDEN error at its path, on every path to it:
  root fields, nested fields, mutation and subscription payloads.
- A journal value (AuditEvent.before/after) is shown as the field it was copied from
  (`journal_view`); a search matches only on fields the reader may read (`search_fields`).
- ROW_SCOPES narrow the rows of a type for a role (e.g. a seller sees only their own actions
  in the journal); the resolvers apply the scope the policy names.
- PLATFORM_ADMIN acting inside a tenant (X-Tenant) has the rights of that tenant's SUPERVISOR;
  without a tenant, only the operations in PLATFORM_LEVEL_OPERATIONS.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
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
PLATFORM_LEVEL_OPERATIONS: frozenset[str] = frozenset(
    {
        "me",
        "tenants",
        "createTenant",
        "updateTenant",
        "updateMyProfile",
        "changePassword",
        "logout",
        "revokeSession",
    }
)

#: The only operations of an account whose password a supervisor reset (resetUserPassword):
#: until it chooses a new one, it may read itself, set the password, or leave.
WHILE_PASSWORD_CHANGE_REQUIRED: frozenset[str] = frozenset({"me", "changePassword", "logout"})

#: Operations a PLATFORM_ADMIN may not run even inside a tenant: a request is authored by one
#: of the partner's staff (it is the partner's "my requests"), not by the acquirer.
NOT_FOR_PLATFORM: frozenset[str] = frozenset({"requestEvaluation", "createRequest"})
#: Nor the moves that make or need a staff member of the tenant as holder or author.
NOT_FOR_PLATFORM |= {"takeRequest", "closeRequest", "cancelRequest"}

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
    "terminalCounts": STAFF,
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
    # Requests that move: the hotline dispatches problems, technicians take technical tickets,
    # the holder closes a support ticket, the author withdraws what it asked for.
    "assignRequest": roles(HOTLINE, SUPERVISOR),
    "takeRequest": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "closeRequest": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "cancelRequest": STAFF,
    "colleagues": STAFF,
    "setRequestDueTime": roles(SUPERVISOR),
    # Contracts and fees
    "createContract": roles(SELLER, SUPERVISOR),
    "updateContractDraft": roles(SELLER, SUPERVISOR),
    "signContract": roles(SELLER, SUPERVISOR),
    "changeContractFees": roles(SUPERVISOR),
    "suspendContract": roles(SUPERVISOR),
    "resumeContract": roles(SUPERVISOR),
    "terminateContract": roles(SUPERVISOR),
    # Documents: the seller collects the merchant's papers; the supervisor says which ones
    # an evaluation needs.
    "uploadCompanyDocument": roles(SELLER, SUPERVISOR),
    "setEvaluationDocumentKinds": roles(SUPERVISOR),
    # The tenant's logo on its contract documents: who may change the tenant's settings.
    "setTenantLogo": roles(SUPERVISOR),
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
    # Commands to terminals: who may configure a terminal's options may command it.
    "sendTerminalCommand": roles(TECHNICIAN, SUPERVISOR),
    "sendTerminalCommands": roles(TECHNICIAN, SUPERVISOR),
    # A new SoftPOS activation code: who may activate the service.
    "regenerateActivationCode": roles(TECHNICIAN, SUPERVISOR),
    # Staff accounts and tenants
    "createUser": roles(SUPERVISOR),
    "updateUser": roles(SUPERVISOR),
    "deactivateUser": roles(SUPERVISOR),
    "createTenant": roles(PLATFORM_ADMIN),
    # The tenant's own notification delays: its supervisor (a platform admin with X-Tenant).
    "updateTenantSettings": roles(SUPERVISOR),
    "updateTenant": roles(PLATFORM_ADMIN),
    # The account page: one's own profile, password and sessions (a person's, so not SERVICE,
    # whose password a supervisor sets with updateUser; it may still end its own session).
    "updateMyProfile": STAFF | roles(PLATFORM_ADMIN),
    "changePassword": STAFF | roles(PLATFORM_ADMIN),
    "logout": EVERYONE,
    "revokeSession": STAFF | roles(PLATFORM_ADMIN),
    "resetUserPassword": roles(SUPERVISOR),
    # Live supervision: ingestion by the acquiring platform, subscriptions by staff
    "recordTransactions": roles(SERVICE),
    "recordTerminalEvents": roles(SERVICE),
    "enrollSoftposDevice": roles(SERVICE),
    # The terminal gateway collects the commands queued for terminals (and marks them SENT).
    "pendingTerminalCommands": roles(SERVICE),
    "transactionRecorded": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "terminalEventRecorded": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    "terminalStatusChanged": roles(HOTLINE, TECHNICIAN, SUPERVISOR),
    # Notifications (the bell): each reads and sets only their own
    "notifications": STAFF,
    "markNotificationsRead": STAFF,
    "updateNotificationPreferences": STAFF,
    "notificationReceived": STAFF,
}

#: Read-only checks of a mutation's input (check → the mutation): the mutation's use case run
#: on a draft without writing anything, answering the user errors the mutation would (the
#: console validates its forms as the user types). Who may run the mutation may run its check.
CHECKS: dict[str, str] = {"validateCompany": "createCompany", "validateShop": "createShop"}
OPERATIONS.update({check: OPERATIONS[mutation] for check, mutation in CHECKS.items()})
NOT_FOR_PLATFORM |= {check for check, mutation in CHECKS.items() if mutation in NOT_FOR_PLATFORM}

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
        SERVICE: Access.FULL,  # it sent them; it reads them back in its payload only
    },
    "Transaction.authorizationCode": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
        SERVICE: Access.FULL,  # it sent them; it reads them back in its payload only
    },
    # The machine account reads the outcome of the transactions it sends (declined, why).
    "Transaction.responseCode": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
        SERVICE: Access.FULL,
    },
    "Transaction.responseMessage": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
        SERVICE: Access.FULL,
    },
    "TransactionStatsBucket.topResponseCodes": {
        HOTLINE: Access.FULL,
        TECHNICIAN: Access.FULL,
        SUPERVISOR: Access.FULL,
    },
    "Terminal.events": {HOTLINE: Access.FULL, TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    # Commands sent to a terminal and how they ended: read like its technical journal.
    "Terminal.commands": {HOTLINE: Access.FULL, TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "AuditEvent.before": {TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "AuditEvent.after": {TECHNICIAN: Access.FULL, SUPERVISOR: Access.FULL},
    "User.lastLoginAt": {SUPERVISOR: Access.FULL},
    # What an account may do is its own business (the console reads it through `me`).
    "User.permissions": {},
    # Everyone picks an assignee by name and role; only a supervisor reads their e-mails.
    "Colleague.email": {SUPERVISOR: Access.FULL},
    # One's sessions: the account itself only (OWN_FIELDS), not even a supervisor.
    "User.sessions": {},
    "User.passwordChangeRequired": {SUPERVISOR: Access.FULL},
    # A user's bell and choices are their own (OWN_FIELDS), whoever reads the User.
    "User.unreadNotificationCount": {},
    "User.notificationPreferences": {},
    # The contract's document shows its fees: read like them. A company's documents hold
    # identity papers and bank details: the seller who collects them and the supervisor.
    "Contract.document": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
    "Contract.documents": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
    "Company.documents": {SELLER: Access.FULL, SUPERVISOR: Access.FULL},
    "Request.documents": {SELLER: Access.FULL, SUPERVISOR: Access.FULL},
    # A FEE_CHANGE request's payload holds the proposed fees: read like the contract's fees.
    "Request.payload": {SELLER: Access.FULL, HOTLINE: Access.FULL, SUPERVISOR: Access.FULL},
}

#: Owner rules: "Type.field" → the access the row's own account has to it (a User reads its
#: own last login), whatever its role's rule in FIELDS.
OWN_FIELDS: dict[str, Access] = {
    "User.lastLoginAt": Access.FULL,
    "User.permissions": Access.FULL,
    "User.sessions": Access.FULL,
    "User.passwordChangeRequired": Access.FULL,
    "User.unreadNotificationCount": Access.FULL,
    "User.notificationPreferences": Access.FULL,
}

#: Roles that read only what is listed ("Type.field", or "Type.*" for every field of a type),
#: wherever they reach it; any other field is denied to them (null and FORBIDDEN). A machine
#: account reads back what its own work needs: what it just wrote (ids, statuses, TIDs,
#: versions), counts and user errors; it never browses from there to shops, companies,
#: people or histories. FIELDS still applies on top (a listed field guarded there needs the
#: role in its rule too).
READS_ONLY: dict[Role, frozenset[str]] = {
    SERVICE: frozenset(
        {
            # Its own account (`me`).
            "User.id",
            "User.email",
            "User.fullName",
            "User.role",
            "User.status",
            "User.tenant",
            "Tenant.id",
            "Tenant.slug",
            "Tenant.name",
            "Tenant.heartbeatIntervalSeconds",
            # What its mutations answer.
            "RecordTransactionsPayload.*",
            "RecordTerminalEventsPayload.*",
            "EnrollSoftposDevicePayload.*",
            "LogoutPayload.*",
            "UserError.*",
            "Transaction.id",
            "Transaction.externalId",
            "Transaction.type",
            "Transaction.amount",
            "Transaction.currency",
            "Transaction.scheme",
            "Transaction.entryMode",
            "Transaction.status",
            "Transaction.occurredAt",
            "Transaction.recordedAt",
            "Transaction.responseCode",
            "Transaction.responseMessage",
            "Transaction.maskedPan",
            "Transaction.authorizationCode",
            # The reversal's original and the terminal it named: rows it wrote or named.
            "Transaction.originalTransaction",
            "Transaction.terminal",
            "ResponseCode.*",
            "TerminalEvent.id",
            "TerminalEvent.kind",
            "TerminalEvent.code",
            "TerminalEvent.message",
            "TerminalEvent.occurredAt",
            "TerminalEvent.recordedAt",
            "Terminal.id",
            "Terminal.kind",
            "Terminal.tid",
            "Terminal.serialNumber",
            "Terminal.model",
            "Terminal.osVersion",
            "Terminal.appVersion",
            "Terminal.status",
            "Terminal.version",
            "Service.id",
            "Service.kind",
            "Service.status",
            "Service.activationCodeExpiresAt",
            "Service.version",
            "Service.terminal",
            # The commands it collects for terminals (pendingTerminalCommands).
            "TerminalCommand.id",
            "TerminalCommand.kind",
            "TerminalCommand.status",
            "TerminalCommand.terminal",
            "TerminalCommand.createdAt",
            "TerminalCommand.expiresAt",
            "TerminalCommand.sentAt",
        }
    ),
}

#: Node types whose whole content copies a guarded field: `node`/`nodes` on such an ID answer
#: as that field does for the caller's role (FORBIDDEN / null), so the field's rule cannot be
#: sidestepped with a known ID.
NODE_RULES: dict[str, str] = {"FeeSchedule": "Contract.currentFees"}

#: (createRequest, role) → the request types that role may open.
REQUEST_TYPES: dict[Role, frozenset[str]] = {
    SELLER: frozenset({"SUPPORT", "FEE_CHANGE", "TERMINATION"}),
    HOTLINE: frozenset({"SUPPORT", "TERMINATION"}),
    TECHNICIAN: frozenset({"SUPPORT"}),
    SUPERVISOR: frozenset({"SUPPORT", "FEE_CHANGE", "TERMINATION"}),
}

#: Request type → the roles that may hold (be assigned, take) such a request: the roles that
#: can act on it. Only a supervisor decides an evaluation, a fee change or a termination.
REQUEST_HOLDERS: dict[str, frozenset[Role]] = {
    "SUPPORT": frozenset({HOTLINE, TECHNICIAN, SUPERVISOR}),
    "EVALUATION": frozenset({SUPERVISOR}),
    "FEE_CHANGE": frozenset({SUPERVISOR}),
    "TERMINATION": frozenset({SUPERVISOR}),
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


def _listed(only: frozenset[str], field: str) -> bool:
    return field in only or f"{field.partition('.')[0]}.*" in only


def field_readable(only: frozenset[str], type_name: str, field_name: str) -> bool:
    """Whether a READS_ONLY list lets its role read `type_name.field_name`."""
    return f"{type_name}.{field_name}" in only or f"{type_name}.*" in only


def reads_only(principal: Principal) -> frozenset[str] | None:
    """The only fields the caller's role may read (None: no such limit, FIELDS decides)."""
    return READS_ONLY.get(effective_role(principal))


def field_access(
    principal: Principal, field: str, *, owner_id: object | None = None
) -> Access | None:
    """FULL, MASKED, or None (denied) for the caller reading `field` ("Type.field").

    `owner_id`: the id of the account the row is, for the fields of OWN_FIELDS.
    """
    role = effective_role(principal)
    only = READS_ONLY.get(role)
    if only is not None and not _listed(only, field):
        return None
    rules = FIELDS.get(field)
    access = Access.FULL if rules is None else rules.get(role)
    if access is None and owner_id is not None and owner_id == principal.user_id:
        access = OWN_FIELDS.get(field)
    return access


def depends_on_owner(field: str) -> bool:
    """Whether who may read `field` depends on the row (its owner), not on the role alone."""
    return field in OWN_FIELDS


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


def journal_field(key: str, fields: Collection[str]) -> str | None:
    """The field of the entity's type a journal key copies: the key itself, or the relation
    an id key names (`companyId` → `company`, `shopIds` → `shops`); None for a detail that no
    field holds (e.g. a request's reference recorded with a fee change)."""
    if key in fields:
        return key
    if key.endswith("Ids") and key[:-3] + "s" in fields:
        return key[:-3] + "s"
    if key.endswith("Id") and key[:-2] in fields:
        return key[:-2]
    return None


def journal_view(
    principal: Principal, entity_type: str, snapshot: Any, fields: Collection[str]
) -> Any:
    """A journal snapshot as the caller may read it.

    Each key is shown as the caller may read the field of `entity_type` it copies (`fields`:
    that type's field names, from the schema): denied, the key is left out; masked, the value
    is masked. A key no field holds is shown only to a caller who may read every field of
    the type, so a value recorded under a new name is never shown to a role that a field's
    rule keeps out (a new field or journal action needs no list kept here); with no `fields`
    (not a type of the schema) no such key is shown.
    """
    if not isinstance(snapshot, dict):
        return snapshot
    from tenancy.masking import MASKERS  # masking imports this module

    whole: bool | None = None
    view: dict[str, Any] = {}
    for key, value in snapshot.items():
        name = journal_field(key, fields)
        if name is None:
            if whole is None:
                whole = bool(fields) and all(
                    field_access(principal, f"{entity_type}.{f}") is not None for f in fields
                )
            if whole:
                view[key] = value
            continue
        field = f"{entity_type}.{name}"
        access = field_access(principal, field)
        if access is None:
            continue
        if access is Access.MASKED and field in MASKS:
            value = MASKERS[MASKS[field]](value)
        view[key] = value
    return view


def search_fields(principal: Principal, fields: Collection[str]) -> frozenset[str]:
    """Of the fields a search may match on ("Type.field"), those the caller may read: a
    match on any other would confirm a value the caller may not see."""
    return frozenset(f for f in fields if field_access(principal, f) is not None)


def may_open_request(principal: Principal, request_type: str) -> bool:
    return request_type in REQUEST_TYPES.get(effective_role(principal), frozenset())


@dataclass(frozen=True, slots=True)
class Permissions:
    """What one caller may do, as this policy says: what a client (the console) shows."""

    #: Root fields and mutations the caller may run.
    operations: tuple[str, ...]
    #: Of the fields given ("Type.field"), those the caller may not read (on a row that is
    #: not its own account: OWN_FIELDS are readable on its own row).
    denied_fields: tuple[str, ...]
    #: Of the fields given, those the caller reads masked.
    masked_fields: tuple[str, ...]
    #: The request types the caller may open with `createRequest`.
    request_types: tuple[str, ...]


def permissions_of(principal: Principal, fields: Iterable[str]) -> Permissions:
    """The caller's permissions; `fields`: every "Type.field" of the API (the schema's)."""
    operations = sorted(
        op for op in OPERATIONS.keys() | PUBLIC_OPERATIONS if may_run(principal, op)
    )
    denied: list[str] = []
    masked: list[str] = []
    for field in sorted(set(fields)):
        access = field_access(principal, field)
        if access is None:
            denied.append(field)
        elif access is Access.MASKED:
            masked.append(field)
    request_types = (
        sorted(REQUEST_TYPES.get(effective_role(principal), frozenset()))
        if may_run(principal, "createRequest")
        else []
    )
    return Permissions(tuple(operations), tuple(denied), tuple(masked), tuple(request_types))


def may_hold_request(role: Role, request_type: str) -> bool:
    """Whether a tenant account of `role` may hold (be assigned, take) such a request."""
    return role in REQUEST_HOLDERS.get(request_type, frozenset())


def roles_allowed(operation: str) -> list[Role]:
    return sorted(OPERATIONS.get(operation, frozenset()), key=list(Role).index)


def field_roles(field: str) -> dict[Role, Access]:
    return dict(sorted(FIELDS.get(field, {}).items(), key=lambda kv: list(Role).index(kv[0])))


def render_markdown() -> str:
    """The permission matrix, generated from this policy (docs/permissions.md): written by
    tenancy/policy_doc.py, which reads this module's tables."""
    from tenancy.policy_doc import render_markdown as render

    return render()
