"""The business journal: an AuditEvent in the same transaction as the change it records."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import ActorKind
from db.ids import encode_references
from db.models import AuditEvent
from resolvers.usecase import Actor
from tenancy import policy
from tenancy.masking import MASKERS

#: Columns no journal entry copies, whatever the model: the entry says them itself (its
#: entity_id, tenant_id, occurred_at) or they are bookkeeping (the optimistic-locking version).
NEVER_JOURNALED: Mapping[str, str] = MappingProxyType(
    {
        "id": "the entry's entity_id",
        "tenant_id": "the entry's tenant_id",
        "created_at": "the creation entry's occurred_at",
        "updated_at": "each entry's occurred_at",
        "version": "optimistic-locking counter, not a business value",
    }
)


@dataclass(frozen=True, slots=True)
class Journaled:
    """What the journal copies of one model's rows (`journaled` builds it)."""

    model: type[Any]
    #: The name the resolvers know it by (`COMPANY_FIELDS`, `PROFILE_FIELDS[User]`, ...).
    name: str
    #: The journaled columns (attribute names, in the model's order).
    fields: tuple[str, ...]
    #: Every other column, with the reason it is left out.
    excluded: Mapping[str, str]


#: Every `journaled(...)` declaration, for the test that checks models against them.
JOURNALED: list[Journaled] = []


def columns(model: type[Any]) -> tuple[str, ...]:
    """The model's column attributes, in its order."""
    return tuple(attr.key for attr in sa.inspect(model).column_attrs)


def journaled(model: type[Any], *, name: str, exclude: Mapping[str, str]) -> tuple[str, ...]:
    """The fields of `model` the journal records: every column but NEVER_JOURNALED and the
    declared exclusions (column → why it is left out).

    A column added to the model is journaled by default; leaving one out is an entry in
    `exclude`, in the diff a reviewer reads. Secrets (password and code hashes) must be
    excluded here; what the policy masks (policy.MASKS) is journaled masked by `snapshot`.
    """
    cols = columns(model)
    unknown = sorted(set(exclude) - set(cols))
    if unknown:
        raise ValueError(f"{model.__name__} has no column {unknown}: remove the exclusion")
    excluded = {k: v for k, v in NEVER_JOURNALED.items() if k in cols}
    excluded.update(exclude)
    fields = tuple(c for c in cols if c not in excluded)
    JOURNALED.append(Journaled(model, name, fields, MappingProxyType(excluded)))
    return fields


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def snapshot(row: Any, fields: Iterable[str], type_name: str | None = None) -> dict[str, Any]:
    """JSON-ready values of a row's fields (camelCase keys), masked as the policy masks them."""
    type_name = type_name or type(row).__name__
    values: dict[str, Any] = {}
    for name in fields:
        key = camel(name)
        value = _plain(getattr(row, name))
        mask = policy.MASKS.get(f"{type_name}.{key}")
        values[key] = MASKERS[mask](value) if mask is not None else value
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    session: AsyncSession,
    actor: Actor | None,
    *,
    tenant_id: uuid.UUID,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    system_label: str = "system",
    occurred_at: dt.datetime | None = None,
) -> AuditEvent:
    """Add the journal entry to the session (flushed with the change, committed with it).

    References to other rows (`shopId`, `shopIds`, `companyId`, ...) are kept as global ids,
    which a client follows with `node(id:)`."""
    event = AuditEvent(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        actor_kind=actor.kind if actor else ActorKind.SYSTEM,
        actor_id=actor.principal.user_id if actor else None,
        actor_label=actor.label if actor else system_label,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=encode_references(before),
        after=encode_references(after),
        reason=reason,
        request_id=actor.request_id if actor else None,
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    session.add(event)
    return event
