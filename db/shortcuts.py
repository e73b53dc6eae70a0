"""The SQLAlchemy shortcuts Spring takes on its hottest read paths, all in this module.

SQLAlchemy's ORM and its Core results cost something per statement and per row. On the few
paths read many times a second (every transaction's claims, `node(id:)` on a terminal, the
supervision list's page of 100 transactions), Spring goes around part of that machinery. Each
shortcut gives what SQLAlchemy would have given; `tests/test_shortcuts.py` names each one and
compares it with SQLAlchemy's own result. `python -m bench.shortcuts` measures each one
against SQLAlchemy's own path (docs/performance.md, "The SQLAlchemy shortcuts").

Each shortcut, what it replaces, and who uses it:

- `first_row`, `driver_rows`: driver SQL on the DBAPI cursor, instead of
  `Connection.exec_driver_sql`. Each transaction's claims (db/session.py), `Plan.rows`.
- `Plan`: a Core select compiled once and run on the cursor, instead of `Connection.execute`.
  `TerminalOnlyByIdLoader` (resolvers/loaders.py: `node(id:)` on a terminal).
- `raw_rows`: a result's rows as the driver returned them, instead of `Result.all()` (Row
  objects, result processors). `paginate(records=...)` (resolvers/pagination.py).
- `ColumnReaders`: what SQLAlchemy's result processors would do to those raw values, as a
  table per enum column instead of a call per value. `Record.many`, `Plan.rows`.
- `Record`: a Core row as a plain read-only object, instead of an ORM instance. The
  transactions page and its places (resolvers/transactions.py).
- `detached`: a Core row as a detached ORM instance, instead of
  `Session.execute(select(Model))`. `TerminalOnlyByIdLoader`.

What a shortcut cannot reproduce it refuses, naming the column and what to do: under asyncpg
only enum columns need decoding (the driver decodes the rest itself), so any other column
type whose result needs SQLAlchemy's processing raises `MissingReader` when the module that
reads its table is imported (a `Numeric` column added to transactions, terminals, shops or
companies, say), instead of an obscure `TypeError` or a silently wrong value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import Column, Enum, Select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import Connection, CursorResult, Dialect

#: The dialect the application runs on (db/session.py: postgresql+asyncpg).
DIALECT: Dialect = asyncpg_dialect()
_MISSING = object()


# --------------------------------------------------------------------------- the cursor


def first_row(connection: Connection, statement: str, params: tuple[Any, ...]) -> Any:
    """The first row of driver SQL (`$1`... parameters) on the connection's own DBAPI cursor:
    what `exec_driver_sql(...).first()` returns, without SQLAlchemy building an execution
    context and a result for it. The statement listeners still hear it
    (`before_cursor_execute`: the statement counter), driver errors are translated and a lost
    connection invalidated as SQLAlchemy does (`_handle_dbapi_exception`); with `echo` on,
    the usual path is taken."""
    return _on_cursor(connection, statement, params, all_rows=False)


def driver_rows(connection: Connection, statement: str, params: tuple[Any, ...]) -> list[Any]:
    """All rows of driver SQL on the connection's own DBAPI cursor, as the driver returns
    them (no type processing): `first_row`'s path for a whole result."""
    return _on_cursor(connection, statement, params, all_rows=True)


def _on_cursor(
    connection: Connection, statement: str, params: tuple[Any, ...], *, all_rows: bool
) -> Any:
    if connection._echo:
        result = connection.exec_driver_sql(statement, params)
        return list(result.all()) if all_rows else result.first()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if connection._has_events or connection.engine._has_events:
            connection.dispatch.before_cursor_execute(
                connection, cursor, statement, params, None, False
            )
        cursor.execute(statement, params)
        return cursor.fetchall() if all_rows else cursor.fetchone()
    except Exception as error:
        connection._handle_dbapi_exception(error, statement, params, cursor, None)
    finally:
        cursor.close()


def raw_rows(result: CursorResult[Any]) -> list[Any]:
    """A Core result's rows as the driver returned them (tuples, no Row objects, no result
    processors; decode them with `ColumnReaders`), the result closed."""
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


# --------------------------------------------------------------------------- decoding


class MissingReader(TypeError):
    """A column whose values SQLAlchemy would convert, which the shortcuts cannot convert."""

    def __init__(self, column: Any, cause: BaseException | None = None) -> None:
        table = getattr(getattr(column, "table", None), "name", "?")
        because = f" (SQLAlchemy: {type(cause).__name__}: {cause})" if cause else ""
        super().__init__(
            f"column {table}.{column.key} of type {column.type}: its rows are read without "
            "SQLAlchemy's result processing (db/shortcuts.py), and its values would need "
            f"converting{because}. Only enum columns are converted there; give this type "
            "a reader in `ColumnReaders`, or read the table through the ORM."
        )


@dataclass(frozen=True)
class EnumReader:
    """One enum column: every stored value (and None) to its member, as SQLAlchemy's own
    processor maps it (a table, not a call per value); a value the table lacks goes through
    that processor, which raises its own LookupError."""

    members: Mapping[Any, Any]
    process: Callable[[Any], Any]

    def __call__(self, value: Any) -> Any:
        member = self.members.get(value, _MISSING)
        return self.process(value) if member is _MISSING else member


def reader_of(column: Column[Any], dialect: Dialect = DIALECT) -> EnumReader | None:
    """What SQLAlchemy's result processing does to one column's raw value: None (the
    driver's value as it is), an `EnumReader`, or `MissingReader` for anything else."""
    try:
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
    except Exception as error:  # e.g. Numeric under asyncpg wants the driver's type code
        raise MissingReader(column, error) from error
    if process is None:
        return None
    if not isinstance(column.type, Enum):
        raise MissingReader(column)
    members = {value: process(value) for value in column.type.enums}
    members[None] = None
    return EnumReader(members, process)


class ColumnReaders:
    """The readers of a set of columns, checked once (at import, by its users)."""

    def __init__(self, columns: Iterable[Column[Any]], dialect: Dialect = DIALECT) -> None:
        self.by_key: dict[str, EnumReader] = {}
        for column in columns:
            reader = reader_of(column, dialect)
            if reader is not None:
                self.by_key[column.key] = reader

    @functools.cache  # noqa: B019 - a few instances, alive as long as the process
    def for_keys(self, keys: tuple[str, ...]) -> tuple[tuple[int, EnumReader], ...]:
        """(position, reader) of the columns among `keys` that need one."""
        return tuple((i, self.by_key[k]) for i, k in enumerate(keys) if k in self.by_key)

    def rows(self, keys: tuple[str, ...], rows: Sequence[Any]) -> list[dict[str, Any]]:
        """Raw rows as {column key: value}, values as SQLAlchemy would have given them."""
        readers = self.for_keys(keys)
        if rows and len(rows[0]) != len(keys):
            raise ValueError(f"rows of {len(rows[0])} columns for {len(keys)} names")
        decoded = []
        for row in rows:
            columns = dict(zip(keys, row))  # noqa: B905 (lengths checked above)
            for position, reader in readers:
                value = row[position]
                member = reader.members.get(value, _MISSING)
                columns[keys[position]] = reader.process(value) if member is _MISSING else member
            decoded.append(columns)
        return decoded


# --------------------------------------------------------------------------- objects


class Record:
    """A row read for a list, its columns as attributes, from a Core row: same attribute
    names and values as the ORM instance of `model` (a subclass names it), without the
    ORM's hydration (instance state, identity map, instrumented attributes). Read only:
    never added to a session. A subclass's model is checked when it is defined (imported):
    a column it cannot read raises `MissingReader` then."""

    model: ClassVar[type[Any]]
    readers: ClassVar[ColumnReaders]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.readers = ColumnReaders(cls.model.__table__.columns)

    @classmethod
    def of(cls, columns: dict[str, Any]) -> Any:
        record = cls.__new__(cls)
        record.__dict__ = columns
        return record

    @classmethod
    def many(cls, keys: tuple[str, ...], rows: Sequence[Any]) -> list[Any]:
        """Records of the driver's raw rows (`raw_rows`), enum columns made members."""
        of = cls.of
        return [of(columns) for columns in cls.readers.rows(keys, rows)]


def detached(model: type[Any], row: Mapping[str, Any]) -> Any:
    """A detached, read-only instance of `model` holding one Core row's columns (attribute
    names equal column keys): what the ORM would have built, without its unit-of-work
    bookkeeping. Never added to a session; for reads only."""
    instance = model._sa_class_manager.new_instance()
    instance.__dict__.update(row)
    return instance


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class Plan:
    """A Core select of table columns compiled once for a dialect: its SQL, each
    parameter's bind processor, and its columns' readers. `rows` runs it on the cursor."""

    sql: str
    parameters: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    keys: tuple[str, ...]
    readers: ColumnReaders

    @classmethod
    def of(cls, statement: Select[Any], dialect: Dialect) -> Plan:
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        parameters = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        )
        columns = list(statement.selected_columns)
        keys = tuple(column.key for column in columns)
        return cls(compiled.string, parameters, keys, ColumnReaders(columns, dialect))  # type: ignore[arg-type]

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The statement's rows in the connection's transaction, on the DBAPI cursor
        (`driver_rows`), each as {column key: value} decoded as Core would."""
        params = tuple(
            bind(values[name]) if bind else values[name] for name, bind in self.parameters
        )
        return self.readers.rows(self.keys, driver_rows(connection, self.sql, params))
