"""docs/permissions.md, printed from the policy's tables (`spring permissions`; a test keeps
the file in sync): the operations, the guarded fields, the limits, the read-only roles, own
rows, every path to a value and the row scopes."""

from __future__ import annotations

from tenancy.policy import (
    EVERYONE,
    FIELDS,
    HOTLINE,
    INPUT_LIMITS,
    MASKS,
    NODE_RULES,
    NOT_FOR_PLATFORM,
    OPERATIONS,
    OWN_FIELDS,
    PLATFORM_ADMIN,
    PUBLIC_OPERATIONS,
    READS_ONLY,
    REQUEST_HOLDERS,
    REQUEST_TYPES,
    ROW_SCOPES,
    SELLER,
    SERVICE,
    STATE_LIMITS,
    SUPERVISOR,
    TECHNICIAN,
    Access,
)
from tenancy.roles import Role


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
    for request_type, holders in sorted(REQUEST_HOLDERS.items()):
        held_by = ", ".join(r.value for r in sorted(holders, key=list(Role).index))
        lines.append(
            f"- `assignRequest` / `takeRequest` on a {request_type} request: held by {held_by}."
        )
    for type_name, rule in sorted(NODE_RULES.items()):
        lines.append(f"- `node` on a `{type_name}`: as `{rule}`.")
    lines += ["", "## Roles that read only what is listed", ""]
    for role, only in READS_ONLY.items():
        lines.append(
            f"{role.value} reads only these fields, wherever it reaches them (its mutations' "
            "payloads included); any other field is `null` with `FORBIDDEN` (a denied "
            "non-null field nulls its nearest nullable parent, as GraphQL requires):"
        )
        lines.append("")
        for type_name in sorted({f.partition(".")[0] for f in only}):
            names = sorted(f.partition(".")[2] for f in only if f.startswith(type_name + "."))
            shown = "every field" if "*" in names else ", ".join(f"`{n}`" for n in names)
            lines.append(f"- `{type_name}`: {shown}.")
        lines.append("")
    lines += ["## Own rows", ""]
    for field, access in sorted(OWN_FIELDS.items()):
        lines.append(
            f"- `{field}`: the account itself reads it ({access.value}), whatever its role."
        )
    lines += [
        "",
        "## Every path to a value",
        "",
        "The rules above hold wherever a value is reached: root fields, nested fields, `node`,",
        "mutation payloads and subscription payloads alike.",
        "",
        "- **Journal values** (`AuditEvent.before`/`after`): each key is shown as the reader may",
        "  read the field of the entity's type it copies (`iban` as `Company.iban`, `status` as",
        "  the entity's `status`, an id key such as `companyId` as the relation `company`):",
        "  denied, the key is absent; masked, the value is masked. A key that names no field",
        "  (a contract's `fees`, a fee change's `lines`, a request's `proposedFees`) is shown",
        "  only to a reader who may read every field of the entity's type: a TECHNICIAN, who",
        "  may not read a contract's fees, sees none of them in the journal either.",
        "- **Search**: `search` matches only on fields the reader may read; a value the reader",
        "  may not see (an authorization code for a SELLER) finds nothing.",
        "",
    ]

    lines += ["## Row scopes", ""]
    for (type_name, role), scope in sorted(ROW_SCOPES.items()):
        lines.append(f"- `{type_name}` for {role.value}: {scope.value} rows only.")
    return "\n".join(lines) + "\n"
