"""AuditEvent: the business journal."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from db import models as m
from resolvers import loaders as rl
from resolvers.audit import entity_history
from resolvers.errors import Forbidden
from resolvers.pagination import ChildList
from schema.enums import ActorKind
from schema.guards import guarded
from schema.lazy import UserT
from schema.lists import child_list
from schema.relay import load_node, model_backed, register_node
from schema.scalars import JSON
from tenancy import policy


@strawberry.type(description="One entry of the business journal: who did what, before and after.")
@model_backed(m.AuditEvent)
class AuditEvent(relay.Node):
    id: relay.NodeID[str]
    actor_kind: ActorKind = strawberry.field(
        description="Whether a staff member, a platform administrator or Spring itself acted."
    )
    actor_label: str = strawberry.field(description="Who acted (e-mail, or the system task).")
    action: str = strawberry.field(description="E.g. contract.signed, service.blocked.")
    entity_type: str = strawberry.field(
        description="Kind of object changed, as in global IDs (Company, Contract, Service...)."
    )
    reason: str | None = strawberry.field(
        description="The reason given with the change (a block, a suspension...), if any."
    )
    request_id: str | None = strawberry.field(description="The API request that made the change.")
    occurred_at: dt.datetime = strawberry.field(
        description="When the change was made (UTC), in the same transaction as the change."
    )

    @guarded(
        "AuditEvent.before",
        "The values before the change, each shown as you may read the field it copies "
        "(left out when you may not, masked when you read it masked).",
    )
    def before(self, info: Info) -> JSON | None:
        return _journal_view(info, self.entity_type, self.before)

    @guarded(
        "AuditEvent.after",
        "The values after the change, each shown as you may read the field it copies "
        "(left out when you may not, masked when you read it masked).",
    )
    def after(self, info: Info) -> JSON | None:
        return _journal_view(info, self.entity_type, self.after)

    @strawberry.field(description="Global ID of the changed object.")
    def entity_id(self) -> strawberry.ID | None:
        if self.entity_id is None:
            return None
        return strawberry.ID(str(relay.GlobalID(self.entity_type, str(self.entity_id))))

    @strawberry.field(
        description="The changed object, as you may read it: null when it no longer exists or "
        "your role may not read its kind (its fields follow their own permissions). Lets a "
        "journal line name the object (a terminal's TID, a company's legal name...)."
    )
    async def entity(self, info: Info) -> relay.Node | None:
        if self.entity_id is None:
            return None
        try:
            found: Any = await load_node(
                info, str(relay.GlobalID(self.entity_type, str(self.entity_id)))
            )
        except Forbidden:
            return None
        return found

    @strawberry.field(description="The staff account that acted (null for platform or system).")
    async def actor(self, info: Info) -> UserT | None:
        if self.actor_kind != "USER" or self.actor_id is None:
            return None
        user: Any = await info.context.loaders.get(rl.UserByIdLoader).load(self.actor_id)
        return user


def _journal_view(info: Info, entity_type: str, snapshot: Any) -> Any:
    """A journal value as the reader may read it: the policy decides each key by the field
    of the entity's type (as the schema declares it) that the key copies."""
    return policy.journal_view(
        info.context.require_principal(), entity_type, snapshot, _field_names(info, entity_type)
    )


@functools.cache
def _names_of(schema: Any, type_name: str) -> frozenset[str]:
    definition = schema.get_type_by_name(type_name)
    fields = getattr(definition, "fields", None) or ()
    converter = schema.config.name_converter
    return frozenset(converter.get_graphql_name(f) for f in fields)


def _field_names(info: Info, type_name: str) -> frozenset[str]:
    """The API names of a type's fields (none for a name that is not an object type)."""
    return _names_of(info.schema, type_name)


def entity_journal(info: Info) -> ChildList:
    """How to list an entity's journal for this caller: sellers read their own actions only
    (the policy's row scope of AuditEvent)."""
    principal = info.context.require_principal()
    return entity_history(policy.row_scope(principal, "AuditEvent"), principal)


def journal(description: str) -> Any:
    """An entity's `auditEvents` field: its journal, newest first, as the caller may read it.

    audit_events = journal("The company's journal, newest first.")
    """
    return child_list(AuditEvent, entity_journal, description)


register_node("AuditEvent", rl.AuditEventByIdLoader)
