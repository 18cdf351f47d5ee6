"""Table rows as dialect-neutral JSON values, and the order to put tables back in.

A value is written by what it is (a ``Decimal`` as its exact string, a time as ISO 8601 with its offset, an enum by
its stored name) and read back by what its column expects, so rows dumped from SQLite load into PostgreSQL and the
other way round without losing a digit or a microsecond.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, MetaData, Table
from sqlalchemy.sql.ddl import sort_tables_and_constraints
from sqlalchemy.types import TypeDecorator


def encode_value(value: Any) -> Any:
    """A JSON value for one column value read through SQLAlchemy Core."""
    if isinstance(value, enum.Enum):  # before str: our enums are StrEnums
        return value.name
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _python_type(column: Column[Any]) -> type | None:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # UTCDateTime says "object"; what it stores is its impl's type
        column_type = column_type.impl_instance
    try:
        kind: type = column_type.python_type
    except NotImplementedError:
        return None
    return kind


def decode_value(column: Column[Any], value: Any) -> Any:
    """The value to bind for ``column`` from what :func:`encode_value` wrote."""
    if value is None:
        return None
    kind = _python_type(column)
    if kind is None or issubclass(kind, enum.Enum) or isinstance(value, dict | list):
        return value  # enums bind by their stored name; JSON documents as they are
    if kind is Decimal:
        return Decimal(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is time:
        return time.fromisoformat(value)
    if kind is bytes:
        return base64.b64decode(value)
    return value


def encode_row(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {name: encode_value(value) for name, value in row.items()}


def decode_row(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name}: columns not in this schema: {', '.join(sorted(unknown))}")
    return {column.name: decode_value(column, row.get(column.name)) for column in table.columns}


@dataclass(frozen=True)
class TablePlan:
    """One table to fill: its columns that point at rows which may not exist yet are filled in afterwards."""

    table: Table
    deferred: tuple[str, ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.table.primary_key.columns)


def restore_order(metadata: MetaData) -> list[TablePlan]:
    """Tables parents first. A row may point at a later row of its own table (a photo paired with the one after
    it) and foreign keys may form a cycle between tables: such nullable columns are inserted empty and set once
    every row is in."""
    late: dict[str, set[str]] = {}
    ordered: list[Table] = []
    for table, constraints in sort_tables_and_constraints(metadata.tables.values()):
        if table is not None:
            ordered.append(table)
        else:
            for constraint in constraints:
                late.setdefault(constraint.table.name, set()).update(c.name for c in constraint.columns)
    for table in ordered:
        for constraint in table.foreign_key_constraints:
            if constraint.referred_table is table:
                late.setdefault(table.name, set()).update(c.name for c in constraint.columns)
    plans = []
    for table in ordered:
        deferred = tuple(sorted(late.get(table.name, ())))
        stuck = [name for name in deferred if not table.columns[name].nullable]
        if stuck:
            raise RuntimeError(f"{table.name}: cannot defer NOT NULL columns {stuck}")
        plans.append(TablePlan(table, deferred))
    return plans
