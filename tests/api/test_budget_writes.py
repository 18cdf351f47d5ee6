"""Budget lines and spending written through the API, with the budget page's rules: every problem of a line named
at once, entries never edited but reversed, a donor confined to what it funds."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.budgets.models import BudgetLine, Expenditure
from app.core.enums import Role
from app.extensions import db
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.budgets.helpers import add_line, funded_project, spend
from tests.factories import make_user

LINE = {
    "phase": "works",
    "category": "works",
    "description": "Techo del dormitorio 2",
    "quantity": "120.5",
    "unit": "m²",
    "unit_cost": "850.25",
    "currency": "HNL",
}


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_manager_adds_and_changes_a_line_and_the_total_is_exact(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid,) = funded_project("USAID")
        project_id, funder_id = project.id, usaid.id
        headers = user_with_token(Role.MANAGER)[1]
    response = client.post(
        f"/api/v1/projects/{project_id}/budget-lines", json={**LINE, "funder_id": funder_id}, headers=headers
    )
    assert response.status_code == 201, response.get_json()
    line = response.get_json()
    assert line["total"] == {"amount": "102455.13", "currency": "HNL"}  # 120.5 x 850.25, rounded half up
    assert response.headers["Location"] == line["links"]["self"]
    url = line["links"]["self"]

    changed = client.patch(url, json={"quantity": "100"}, headers={**headers, "If-Match": response.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["total"] == {"amount": "85025.00", "currency": "HNL"}
    stale = client.patch(url, json={"quantity": "1"}, headers={**headers, "If-Match": response.headers["ETag"]})
    assert stale.status_code == 412
    with app.app_context():
        stored = db.session.get(BudgetLine, line["id"])
        assert stored is not None and stored.total == Decimal("85025.00")


def test_every_problem_of_a_line_is_named_at_once_and_nothing_is_added(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = funded_project("USAID")[0].id
        other_funder = funded_project("SIDA")[1][0].id
        headers = user_with_token(Role.ADMIN)[1]
    bad = {**LINE, "quantity": "-3", "currency": "XYZ", "description": "   ", "funder_id": other_funder}
    response = client.post(f"/api/v1/projects/{project_id}/budget-lines", json=bad, headers=headers)
    assert response.status_code == 422
    assert {"quantity", "currency", "description", "funder_id"} <= set(problem_of(response)["errors"])
    url = f"/api/v1/projects/{project_id}/budget-lines"
    floats = client.post(url, json={**LINE, "unit_cost": 850.25, "funder_id": 1}, headers=headers)
    assert floats.status_code == 422 and "unit_cost" in problem_of(floats)["errors"]
    assert _count(app, BudgetLine) == 0


def test_a_line_with_spending_cannot_be_removed_and_one_without_can(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid,) = funded_project("USAID")
        used = add_line(project, usaid)
        spend(project, used, "10.00")
        unused = add_line(project, usaid, description="Pintura")
        used_id, unused_id = used.id, unused.id
        headers = user_with_token(Role.MANAGER)[1]
    for line_id, status in ((used_id, 422), (unused_id, 204)):
        etag = client.get(f"/api/v1/budget-lines/{line_id}", headers=headers).headers["ETag"]
        response = client.delete(f"/api/v1/budget-lines/{line_id}", headers={**headers, "If-Match": etag})
        assert response.status_code == status, response.get_data(as_text=True)
    assert _count(app, BudgetLine) == 1


def test_spending_is_recorded_then_reversed_never_edited(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid,) = funded_project("USAID")
        line = add_line(project, usaid, currency="USD")
        project_id, line_id = project.id, line.id
        headers = user_with_token(Role.MANAGER)[1]
    entry = {
        "line_id": line_id,
        "kind": "expenditure",
        "spent_on": "2025-03-14",
        "supplier": "Ferretería El Progreso",
        "amount": "1250.40",
        "currency": "USD",
        "document_number": "F-0012",
    }
    recorded = client.post(f"/api/v1/projects/{project_id}/expenditures", json=entry, headers=headers)
    assert recorded.status_code == 201, recorded.get_json()
    body = recorded.get_json()
    assert body["amount"] == {"amount": "1250.40", "currency": "USD"} and body["line_id"] == line_id
    assert client.get(body["links"]["self"], headers=headers).get_json() == body

    reversal_url = f"/api/v1/expenditures/{body['id']}/reversal"
    without_reason = client.post(reversal_url, json={"reason": " "}, headers=headers)
    assert without_reason.status_code == 422 and "reason" in problem_of(without_reason)["errors"]
    reversed_ = client.post(reversal_url, json={"reason": "Factura duplicada"}, headers=headers)
    assert reversed_.status_code == 201, reversed_.get_json()
    assert reversed_.get_json()["amount"]["amount"] == "-1250.40"
    assert reversed_.get_json()["reverses_id"] == body["id"]
    again = client.post(reversal_url, json={"reason": "otra vez"}, headers=headers)
    assert again.status_code == 422
    assert _count(app, Expenditure) == 2


def test_bad_spending_is_refused_with_its_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid,) = funded_project("USAID")
        line_id = add_line(project, usaid, currency="USD").id
        project_id = project.id
        headers = user_with_token(Role.MANAGER)[1]
    good = {"line_id": line_id, "kind": "expenditure", "spent_on": "2025-03-14", "supplier": "A", "amount": "5"}
    cases = [
        ({**good, "currency": "USD", "amount": "0"}, "amount"),
        ({**good, "currency": "USD", "spent_on": "2999-01-01"}, "spent_on"),
        ({**good, "currency": "USD", "line_id": 999999}, "line_id"),
        ({**good, "currency": "EUR"}, "currency"),  # no EUR→USD rate on that day
        ({**good, "currency": "USD", "kind": "gift"}, "kind"),
        (good, "currency"),  # missing
    ]
    for body, field in cases:
        response = client.post(f"/api/v1/projects/{project_id}/expenditures", json=body, headers=headers)
        assert response.status_code == 422, (body, response.get_json())
        assert field in problem_of(response)["errors"], (body, response.get_json())
    assert _count(app, Expenditure) == 0


def test_engineers_and_donors_cannot_write_and_a_donor_reads_only_its_lines(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid, sida) = funded_project("USAID", "SIDA")
        ours = add_line(project, usaid)
        theirs = add_line(project, sida)
        theirs_entry = spend(project, theirs, "5.00")
        project_id, ours_id, theirs_id, theirs_entry_id = project.id, ours.id, theirs.id, theirs_entry.id
        usaid_id = usaid.id
        engineer = user_with_token(Role.ENGINEER)[1]
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
    for headers in (engineer, donor):
        response = client.post(
            f"/api/v1/projects/{project_id}/budget-lines", json={**LINE, "funder_id": usaid_id}, headers=headers
        )
        assert response.status_code == 403
    assert client.get(f"/api/v1/budget-lines/{ours_id}", headers=donor).status_code == 200
    assert client.get(f"/api/v1/budget-lines/{theirs_id}", headers=donor).status_code == 404
    assert client.get(f"/api/v1/expenditures/{theirs_entry_id}", headers=donor).status_code == 404
    assert _count(app, BudgetLine) == 2
