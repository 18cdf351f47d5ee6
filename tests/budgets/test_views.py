"""The budget pages as each role meets them."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from app.budgets.models import BudgetLine, ExchangeRate, Expenditure
from app.core.enums import Role, SpendKind
from app.extensions import db
from tests.budgets.helpers import add_line, add_rate, funded_project, spend
from tests.conftest import login
from tests.factories import make_user


def _sign_in(client: FlaskClient, role: Role = Role.MANAGER, **values: Any) -> Any:
    user = make_user(role, **values)
    login(client, user.email)
    client.post("/language", data={"lang": "en"})
    return user


def _line_form(funder_id: int, version: int | None = None, **changes: Any) -> dict[str, Any]:
    data = {
        "phase": "works",
        "category": "works",
        "description": "Roof of the dormitories",
        "quantity": "640",
        "unit": "m²",
        "unit_cost": "38.50",
        "currency": "USD",
        "funder_id": str(funder_id),
    }
    if version is not None:
        data["version"] = str(version)
    return data | changes


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@contextmanager
def _counting_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- lines ----------------------------------------------------------------------------------------------
def test_a_manager_adds_a_line_and_sees_it_on_the_budget_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        response = client.post(f"/budgets/project/{project.id}/lines/new", data=_line_form(funder.id))
        assert response.status_code == 302
        line = db.session.scalars(select(BudgetLine)).one()
        assert (line.quantity, line.unit_cost, line.total) == (Decimal("640"), Decimal("38.50"), Decimal("24640.00"))
        page = _text(client.get(f"/budgets/project/{project.id}"))
        assert "Roof of the dormitories" in page and "24,640.00" in page


@pytest.mark.parametrize("bad", ["38.505", "NaN", "1e3", "abc", "-1"])
def test_a_bad_unit_cost_is_refused_on_its_field_keeping_what_was_typed(
    app: Flask, client: FlaskClient, bad: str
) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        response = client.post(f"/budgets/project/{project.id}/lines/new", data=_line_form(funder.id, unit_cost=bad))
        page = _text(response)
        assert response.status_code == 200
        assert 'id="unit_cost-errors"' in page
        assert f'value="{bad}"' in page and 'value="Roof of the dormitories"' in page
        assert db.session.scalar(select(BudgetLine.id)) is None


def test_two_people_editing_the_same_line_the_second_is_refused_with_both_values(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        line = add_line(project, funder, description="Roof", quantity="10", unit_cost="100.00")
        url = f"/budgets/project/{project.id}/lines/{line.id}"
        read_version = line.version
        first = client.post(url, data=_line_form(funder.id, read_version, description="Roof", quantity="12"))
        assert first.status_code == 302

        second = client.post(url, data=_line_form(funder.id, read_version, description="Roof", quantity="15"))

        page = _text(second)
        assert second.status_code == 409
        assert "This record was changed by someone else while you edited it." in page
        assert "<td>12.000</td><td>15</td>" in page.replace("\n", "")
        assert 'value="15"' in page  # the second person's input is kept in the form
        db.session.expire_all()
        assert db.session.get(BudgetLine, line.id).quantity == Decimal("12")
        third = client.post(url, data=_line_form(funder.id, read_version + 1, description="Roof", quantity="15"))
        assert third.status_code == 302


def test_an_engineer_sees_the_budget_but_cannot_change_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.ENGINEER)
        project, (funder,) = funded_project()
        line = add_line(project, funder)
        assert client.get(f"/budgets/project/{project.id}").status_code == 200
        assert client.get(f"/budgets/project/{project.id}/lines/new").status_code == 403
        assert client.get(f"/budgets/project/{project.id}/lines/{line.id}").status_code == 403
        assert client.get(f"/budgets/project/{project.id}/entries/new").status_code == 403
        assert client.get("/budgets/rates").status_code == 403


# --- donors ---------------------------------------------------------------------------------------------
def test_a_donor_sees_only_the_lines_it_funds(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid, sida) = funded_project("USAID-X", "SIDA-X")
        add_line(project, usaid, description="Dormitory roof", unit_cost="100.00")
        theirs = add_line(project, sida, description="Water network", unit_cost="777.00")
        spend(project, theirs, "123.45", supplier="Secret supplier")
        _sign_in(client, Role.DONOR, organization_id=usaid.id)

        page = _text(client.get(f"/budgets/project/{project.id}"))
        assert "Dormitory roof" in page
        assert "Water network" not in page and "7,770.00" not in page and "Secret supplier" not in page
        entries = _text(client.get(f"/budgets/project/{project.id}/entries"))
        assert "Secret supplier" not in entries
        exported = client.get(f"/budgets/project/{project.id}/export/budget.csv").get_data().decode("utf-8-sig")
        assert "Dormitory roof" in exported and "Water network" not in exported
        assert client.get(f"/budgets/project/{project.id}/lines/new").status_code == 403


def test_a_donor_cannot_see_the_budget_of_a_project_it_does_not_fund(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, _ = funded_project()
        _sign_in(client, Role.DONOR)
        assert client.get(f"/budgets/project/{project.id}").status_code == 403
        assert client.get(f"/budgets/project/{project.id}/export/all.xlsx").status_code == 403


# --- commitments and expenditures -----------------------------------------------------------------------
def test_a_manager_records_an_expenditure_in_lempiras_and_the_page_shows_the_rate(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        line = add_line(project, funder, quantity="1", unit_cost="1000.00")
        add_rate("USD", "HNL", "25.000000", date(2025, 1, 1))
        response = client.post(
            f"/budgets/project/{project.id}/entries/new",
            data={
                "kind": "expenditure",
                "line_id": str(line.id),
                "spent_on": "2025-02-03",
                "supplier": "Ferretería",
                "document_number": "FAC-1",
                "amount": "2500.00",
                "currency": "HNL",
                "commitment_id": "0",
                "document_id": "0",
            },
        )
        assert response.status_code == 302
        entry = db.session.scalars(select(Expenditure)).one()
        assert entry.line_amount == Decimal("100.00")
        page = _text(client.get(f"/budgets/project/{project.id}"))
        assert "1 USD = 25.00 HNL" in page


def test_a_correction_keeps_the_original_and_shows_the_reversal(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        line = add_line(project, funder)
        wrong = spend(project, line, "120.00", document_number="FAC-9")
        response = client.post(
            f"/budgets/project/{project.id}/entries/{wrong.id}/correct",
            data={
                "kind": "expenditure",
                "line_id": str(line.id),
                "spent_on": "2025-03-01",
                "supplier": "Constructora",
                "amount": "102.00",
                "currency": "USD",
                "commitment_id": "0",
                "document_id": "0",
                "reason": "Typed 120 instead of 102",
            },
        )
        assert response.status_code == 302
        amounts = sorted(entry.amount for entry in db.session.scalars(select(Expenditure)))
        assert amounts == [Decimal("-120.00"), Decimal("102.00"), Decimal("120.00")]
        page = _text(client.get(f"/budgets/project/{project.id}/entries"))
        assert f"Reverses #{wrong.id}" in page and "Typed 120 instead of 102" in page
        assert f"/entries/{wrong.id}/correct" not in page  # a reversed entry offers no second correction


def test_a_correction_without_a_reason_saves_nothing(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        project, (funder,) = funded_project()
        line = add_line(project, funder)
        wrong = spend(project, line, "120.00")
        response = client.post(f"/budgets/project/{project.id}/entries/{wrong.id}/reverse", data={"reason": ""})
        assert response.status_code == 302
        assert len(db.session.scalars(select(Expenditure)).all()) == 1


# --- exchange rates -------------------------------------------------------------------------------------
def test_only_an_administrator_records_exchange_rates_and_a_date_is_recorded_once(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        _sign_in(client, Role.ADMIN)
        data = {
            "from_currency": "USD",
            "to_currency": "HNL",
            "rate": "24.6150",
            "valid_on": "2025-01-02",
            "source": "BCH",
        }
        assert client.post("/budgets/rates", data=data).status_code == 302
        again = client.post("/budgets/rates", data=data | {"rate": "24.70"})
        assert again.status_code == 200 and "already recorded" in _text(again)
        nan = client.post("/budgets/rates", data=data | {"rate": "NaN", "valid_on": "2025-01-03"})
        assert 'id="rate-errors"' in _text(nan)
        assert [r.rate for r in db.session.scalars(select(ExchangeRate))] == [Decimal("24.615")]


# --- performance ----------------------------------------------------------------------------------------
def _project_with_lines(count: int) -> int:
    project, funders = funded_project(f"A{count}", f"B{count}")
    for n in range(count):
        line = add_line(project, funders[n % 2], description=f"Line {n}", currency="USD" if n % 3 else "HNL")
        spend(project, line, "10.00")
        spend(project, line, "5.00", kind=SpendKind.COMMITMENT)
    return int(project.id)


def test_the_budget_page_takes_the_same_number_of_queries_for_5_or_40_lines(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client)
        add_rate("USD", "HNL", "25.000000", date(2025, 1, 1))
        small, large = _project_with_lines(5), _project_with_lines(40)
    counts = []
    for project_id in (small, large):
        client.get(f"/budgets/project/{project_id}")  # warm caches (the user, the session)
        with _counting_queries(app) as statements:
            response = client.get(f"/budgets/project/{project_id}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts
