"""Spreadsheets: a budget imported from XLSX only when every row is valid; exports no spreadsheet can run."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

from app.budgets.models import BudgetLine
from app.budgets.xlsx_io import SpreadsheetRejected, check_xlsx, read_budget
from app.core.enums import BudgetCategory, PhaseKind, Role
from app.core.spreadsheets import Sheet, to_csv, to_xlsx
from app.extensions import db
from tests.budgets.helpers import HEADERS_ES, add_line, funded_project, good_row, spend, workbook
from tests.conftest import login
from tests.factories import make_project, make_user


def _sign_in(client: FlaskClient, role: Role = Role.MANAGER, **values: Any) -> Any:
    user = make_user(role, **values)
    login(client, user.email)
    client.post("/language", data={"lang": "en"})
    return user


def _upload(client: FlaskClient, project_id: int, data: bytes, name: str = "budget.xlsx") -> Any:
    return client.post(
        f"/budgets/project/{project_id}/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _line_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(BudgetLine)) or 0)


# --- reading --------------------------------------------------------------------------------------------
def test_a_bad_number_in_row_37_is_reported_as_row_37_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, _ = funded_project()
        rows = [good_row(n) for n in range(2, 60)]
        rows[35][2] = "twelve"  # the 36th data row is Excel's row 37 (the header is row 1)

        response = _upload(client, project.id, workbook(rows))

        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Row 37, Quantity: Enter a number" in page
        assert "1 row has errors; nothing was saved" in page
        assert 'id="row-37" ' in page.replace('class="table-danger" id="row-37"', 'id="row-37" ')
        assert "Save all" not in page
        assert _line_count() == 0


def test_every_error_of_a_row_is_listed_at_once(app_ctx: Flask) -> None:
    project, _ = funded_project()
    data = workbook([["Roofs", "", "1", "m", "1.234", "XYZ", "NOPE", "Later"]])
    row = read_budget(data, project).rows[0]
    assert row.number == 2
    assert set(row.errors) == {"category", "description", "unit_cost", "currency", "funder", "phase"}


def test_spanish_headers_and_labels_are_read(app_ctx: Flask) -> None:
    project, _ = funded_project()
    data = workbook(
        [
            ["Obras", "Cubierta", 3, "m²", 12.1, "usd", "don", "Diseño preliminar"],
            ["Imprevistos", "Imprevistos 5 %", "1", "global", "1,250.75", "HNL", "DON", "obras"],
        ],
        headers=HEADERS_ES,
    )
    preview = read_budget(data, project)
    assert preview.ok, [row.errors for row in preview.rows]
    first, second = preview.values
    assert (first.category, first.phase, first.unit_cost, first.total) == (
        BudgetCategory.WORKS,
        PhaseKind.DESIGN,
        Decimal("12.10"),
        Decimal("36.30"),
    )
    assert (second.category, second.currency, second.total) == (BudgetCategory.CONTINGENCY, "HNL", Decimal("1250.75"))


def test_a_missing_column_is_named(app_ctx: Flask) -> None:
    project, _ = funded_project()
    with force_locale("en"):
        preview = read_budget(workbook([["Works", "x", 1]], headers=["Category", "Description", "Quantity"]), project)
    assert not preview.ok and "missing: Unit cost, Currency, Funder, Phase" in preview.problems[0]


def test_files_that_are_not_plain_workbooks_are_refused_by_content() -> None:
    with pytest.raises(SpreadsheetRejected, match="not an Excel workbook"):
        check_xlsx(b"Category,Description\nWorks,Roof\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(SpreadsheetRejected, match="not an Excel workbook"):
        check_xlsx(buffer.getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    with pytest.raises(SpreadsheetRejected, match="macros"):
        check_xlsx(buffer.getvalue())
    with pytest.raises(SpreadsheetRejected, match="5 MB"):
        check_xlsx(b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))


def test_more_than_5000_rows_are_refused(app_ctx: Flask) -> None:
    project, _ = funded_project()
    with force_locale("en"), pytest.raises(SpreadsheetRejected, match="5,000 rows"):
        read_budget(workbook([good_row(n) for n in range(5001)]), project)


def test_a_valid_file_is_previewed_then_saved_in_one_go(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, _ = funded_project()
        response = _upload(client, project.id, workbook([good_row(n) for n in range(12)]))
        page = response.get_data(as_text=True)
        assert "All 12 rows are valid." in page and "300.00" in page
        assert _line_count() == 0  # a preview saves nothing
        token = page.split('name="token" type="hidden" value="')[1].split('"')[0]

        response = client.post(f"/budgets/project/{project.id}/import/confirm", data={"token": token})

        assert response.status_code == 302
        assert _line_count() == 12
        again = client.post(f"/budgets/project/{project.id}/import/confirm", data={"token": token})
        assert again.status_code == 302 and _line_count() == 12  # the stored file is gone: no double import


def test_an_import_token_works_only_for_the_person_who_uploaded(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, _ = funded_project()
        page = _upload(client, project.id, workbook([good_row()])).get_data(as_text=True)
        token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
        client.post("/logout", data={})
        _sign_in(client)
        client.post(f"/budgets/project/{project.id}/import/confirm", data={"token": token})
        assert _line_count() == 0
        client.post(f"/budgets/project/{project.id}/import/confirm", data={"token": token + "x"})
        assert _line_count() == 0


def test_an_engineer_cannot_import(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.ENGINEER)
        project, _ = funded_project()
        assert _upload(client, project.id, workbook([good_row()])).status_code == 403


def test_a_word_file_named_xlsx_is_refused_on_the_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, _ = funded_project()
        response = _upload(client, project.id, b"%PDF-1.4 not a workbook %%EOF")
        assert response.status_code == 400
        assert "This is not an Excel workbook" in response.get_data(as_text=True)


# --- writing --------------------------------------------------------------------------------------------
DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_csv_cells_that_start_like_formulas_are_neutralized_and_numbers_stay_numbers() -> None:
    sheet = Sheet("T", ["Text", "Amount"], [[text, Decimal("-12.50")] for text in DANGEROUS])
    data = to_csv(sheet)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in DANGEROUS]
    assert {row[1] for row in rows[1:]} == {"-12.50"}


def test_xlsx_cells_that_start_like_formulas_are_text_and_numbers_are_numbers() -> None:
    from openpyxl import load_workbook

    sheet = Sheet("=Evil", ["=Header"], [[text] for text in DANGEROUS] + [[Decimal("1234.56")]])
    book = load_workbook(io.BytesIO(to_xlsx([sheet])))
    cells = [row[0] for row in book.worksheets[0].iter_rows()]
    assert book.worksheets[0].title == "'=Evil"
    assert all(cell.data_type == "s" and str(cell.value).startswith("'") for cell in cells[:-1])
    assert cells[-1].data_type == "n" and cells[-1].value == 1234.56


def test_exports_of_a_project_carry_its_lines_and_entries(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        line = add_line(project, funder, description="=cmd|' /C calc'!A0")
        spend(project, line, "250.00", supplier="@evil")
        budget = client.get(f"/budgets/project/{project.id}/export/budget.csv")
        entries = client.get(f"/budgets/project/{project.id}/export/expenditures.csv")
        book = client.get(f"/budgets/project/{project.id}/export/all.xlsx")

        assert budget.headers["Content-Disposition"].startswith("attachment")
        budget_rows = list(csv.reader(io.StringIO(budget.get_data().decode("utf-8-sig"))))
        assert budget_rows[1][1] == "'=cmd|' /C calc'!A0" and budget_rows[1][8] == "1000.00"
        entry_rows = list(csv.reader(io.StringIO(entries.get_data().decode("utf-8-sig"))))
        assert entry_rows[1][5] == "'@evil" and entry_rows[1][7] == "250.00"
        assert book.mimetype.endswith("spreadsheetml.sheet") and book.get_data()[:2] == b"PK"


def test_an_exported_budget_imports_back_into_another_project(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project("SAME")
        add_line(project, funder, quantity="2.5", unit_cost="10.10", category=BudgetCategory.SUPERVISION)
        exported = client.get(f"/budgets/project/{project.id}/export/budget.xlsx").get_data()
        target = make_project(funder_ids=[funder.id])
        preview = read_budget(exported, target)
        assert preview.ok, [row.errors for row in preview.rows]
        (values,) = preview.values
        assert (values.category, values.quantity, values.unit_cost, values.total) == (
            BudgetCategory.SUPERVISION,
            Decimal("2.500"),
            Decimal("10.10"),
            Decimal("25.25"),
        )
