"""The declarative base, column helpers and the mixins every model builds on, and the
table lists the database grants derive from (db/migrate.py)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: UUID(as_uuid=True),
        dt.datetime: sa.DateTime(timezone=True),
        dict[str, Any]: JSONB,
    }


class XID8(sa.types.UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (`xid8`): the commit-order cursor of live feeds."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


#: The inserting transaction's id, set by the database (see docs/live.md).
CURRENT_XID = sa.text("pg_current_xact_id()")


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """A string column restricted to the enum's values by a named CHECK constraint."""
    return mapped_column(
        sa.Enum(
            enum_cls,
            name=enum_cls.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=32,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


def now_column(**kwargs: Any) -> Any:
    return mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now(), **kwargs)


def fk(table: str, column: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """A foreign key that carries tenant_id: (tenant_id, column) → table(tenant_id, id)."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"], ondelete=ondelete
    )


class TenantScoped(Base):
    """Base of every tenant-owned table: (tenant_id, id) is the primary key."""

    __abstract__ = True

    @declared_attr
    @classmethod
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            sa.ForeignKey("tenants.id", name=f"fk_{cls.__tablename__}_tenant_id_tenants"),
            primary_key=True,
            sort_order=-2,
        )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True,
        default=uuid.uuid4,
        server_default=sa.text("gen_random_uuid()"),
        sort_order=-1,
    )


class Address:
    """Postal address columns shared by companies and shops."""

    address_line1: Mapped[str] = mapped_column(sa.String(200))
    address_line2: Mapped[str | None] = mapped_column(sa.String(200))
    postal_code: Mapped[str] = mapped_column(sa.String(16))
    city: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2), default="FR")


#: Tables not owned by a tenant. Every other table must carry tenant_id (tests enforce it).
GLOBAL_TABLES: frozenset[str] = frozenset({"tenants", "platform_users", "platform_sessions"})

#: Append-only tables: the application role may insert and read, never update or delete.
APPEND_ONLY_TABLES: frozenset[str] = frozenset(
    {
        "transactions",
        "terminal_events",
        "audit_events",
        "request_comments",
        # Documents are never changed nor deleted by staff (only `spring purge-documents`).
        "documents",
        "document_blobs",
    }
)

#: Tables rows of which the application may delete (association rows edited on a draft).
DELETABLE_TABLES: frozenset[str] = frozenset(
    {
        "contract_shops",
        "fee_lines",
        # Pruned after 90 days (resolvers/notifications/overdue.py: prune).
        "notifications",
        "notification_outbox",
        "notification_episodes",
        # Ended sessions, 30 days after they end (resolvers/auth.py: prune_sessions).
        "user_sessions",
        "platform_sessions",
    }
)
