"""SQLAlchemy 2 models for every entity of DESIGN §2.

Conventions, checked by tests/test_schema_keys.py:
- every tenant table leads its primary key, each unique constraint and each foreign key with
  `tenant_id`, so the schema can be distributed by tenant (Citus) without change;
- global tables (`tenants`, `platform_users`) are the only ones without `tenant_id`;
- money is an integer count of minor units plus an ISO 4217 currency, rates are basis points,
  times are `timestamptz`;
- mutable entities carry `version`, incremented by the ORM on every update (optimistic locking).

There are deliberately no ORM relationships: nested data is loaded by dataloaders with explicit,
batched queries, and composite tenant keys make implicit relationship writes error-prone.

One module per area (db/models/<area>.py); this package re-exports every model and
helper, so `from db import models as m` is the one way to reach them.
"""

from __future__ import annotations

from db.models.accounts import (
    PlatformSession,
    PlatformUser,
    Tenant,
    User,
    UserSession,
)
from db.models.activity import (
    PAN_LAST4_SQL,
    AuditEvent,
    TerminalEvent,
    Transaction,
)
from db.models.base import (
    APPEND_ONLY_TABLES,
    CURRENT_XID,
    DELETABLE_TABLES,
    GLOBAL_TABLES,
    NAMING_CONVENTION,
    XID8,
    Address,
    Base,
    TenantScoped,
    enum_column,
    fk,
    now_column,
)
from db.models.contracts import (
    Contract,
    ContractShop,
    FeeLine,
    FeeSchedule,
)
from db.models.documents import (
    Document,
    DocumentBlob,
    DocumentSettings,
)
from db.models.fleet import (
    Service,
    Terminal,
    TerminalCommand,
    TerminalOptions,
)
from db.models.merchants import (
    REQUEST_DUE_HOURS,
    Company,
    Request,
    RequestComment,
    RequestDueTime,
    Shop,
    TenantCounter,
)
from db.models.notifications import (
    Notification,
    NotificationEpisode,
    NotificationOutbox,
    NotificationPreference,
)

__all__ = [
    "APPEND_ONLY_TABLES",
    "CURRENT_XID",
    "DELETABLE_TABLES",
    "GLOBAL_TABLES",
    "NAMING_CONVENTION",
    "PAN_LAST4_SQL",
    "REQUEST_DUE_HOURS",
    "XID8",
    "Address",
    "AuditEvent",
    "Base",
    "Company",
    "Contract",
    "ContractShop",
    "Document",
    "DocumentBlob",
    "DocumentSettings",
    "FeeLine",
    "FeeSchedule",
    "Notification",
    "NotificationEpisode",
    "NotificationOutbox",
    "NotificationPreference",
    "PlatformSession",
    "PlatformUser",
    "Request",
    "RequestComment",
    "RequestDueTime",
    "Service",
    "Shop",
    "Tenant",
    "TenantCounter",
    "TenantScoped",
    "Terminal",
    "TerminalCommand",
    "TerminalEvent",
    "TerminalOptions",
    "Transaction",
    "User",
    "UserSession",
    "enum_column",
    "fk",
    "now_column",
]
