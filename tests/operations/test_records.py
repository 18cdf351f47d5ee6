"""Rows become JSON values that lose nothing and come back as what their columns expect."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Integer, LargeBinary, MetaData, Numeric, String, Table

from app.core.enums import PhaseKind
from app.core.models import enum_column
from app.core.timeutil import UTCDateTime
from app.operations.records import decode_row, encode_row, restore_order

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("amount", Numeric(14, 2)),
    Column("rate", Numeric(18, 6)),
    Column("at", UTCDateTime()),
    Column("taken", DateTime()),
    Column("day", Date()),
    Column("phase", enum_column(PhaseKind)),
    Column("changes", JSON()),
    Column("blob", LargeBinary()),
    Column("name", String(20)),
    Column("parent_id", Integer, ForeignKey("things.id")),
)


def test_values_survive_a_trip_through_json_exactly() -> None:
    row = {
        "id": 7,
        "amount": Decimal("12345678901.10"),
        "rate": Decimal("0.040500"),
        "at": datetime(2026, 3, 1, 14, 5, 9, 123456, tzinfo=UTC),
        "taken": datetime(2025, 12, 31, 23, 59, 59),
        "day": date(2026, 2, 28),
        "phase": PhaseKind.WORKS,
        "changes": {"title": ["Antes", "Después"], "n": [1, None]},
        "blob": b"\x00\xff binary",
        "name": "Omoa",
        "parent_id": None,
    }

    written = json.dumps(encode_row(row))
    back = decode_row(things, json.loads(written))

    assert json.loads(written)["amount"] == "12345678901.10"
    assert json.loads(written)["phase"] == PhaseKind.WORKS.name
    assert back == {**row, "phase": PhaseKind.WORKS.name}
    assert back["at"].tzinfo is not None and back["taken"].tzinfo is None


def test_an_offset_time_keeps_its_instant() -> None:
    tegucigalpa = timezone(timedelta(hours=-6))
    at = datetime(2026, 3, 1, 8, 0, tzinfo=tegucigalpa)

    back = decode_row(things, json.loads(json.dumps(encode_row({"id": 1, "at": at}))))

    assert back["at"] == at.astimezone(UTC)


def test_a_row_that_points_at_its_own_table_is_linked_after_every_row_is_in() -> None:
    (plan,) = restore_order(metadata)

    assert plan.table is things and plan.deferred == ("parent_id",) and plan.key == ("id",)


def test_a_dump_with_columns_this_schema_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="columns not in this schema: colour"):
        decode_row(things, {"id": 1, "colour": "red"})
