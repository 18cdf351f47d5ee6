"""Organizations, agreements and budget lines through the API: read-only, and a donor sees only what it funds."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import AgreementStatus, Role
from tests.agreements.helpers import make_agreement, make_signed
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.budgets.helpers import add_line, funded_project, spend
from tests.factories import make_organization, make_user


def test_a_donor_reads_only_the_budget_lines_it_funds_with_money_as_strings(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid, sida) = funded_project("USAID", "SIDA")
        ours = add_line(project, usaid, quantity="2.5", unit_cost="1234.56", currency="HNL").id
        add_line(project, sida)
        project_id = project.id
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
        staff = user_with_token(Role.ENGINEER)[1]
    seen = client.get(f"/api/v1/projects/{project_id}/budget-lines", headers=donor).get_json()["items"]
    assert [line["id"] for line in seen] == [ours]
    assert seen[0]["quantity"] == "2.500"
    assert seen[0]["unit_cost"] == {"amount": "1234.56", "currency": "HNL"}
    assert seen[0]["total"] == {"amount": "3086.40", "currency": "HNL"}
    assert len(client.get(f"/api/v1/projects/{project_id}/budget-lines", headers=staff).get_json()["items"]) == 2


def test_a_donor_reads_only_the_spending_on_lines_it_funds(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid, sida) = funded_project("USAID", "SIDA")
        ours = add_line(project, usaid, currency="USD")
        paid = spend(project, ours, "250.10", supplier="Ferretería").id
        spend(project, add_line(project, sida), "99.00")
        project_id = project.id
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
        staff = user_with_token(Role.MANAGER)[1]
    seen = client.get(f"/api/v1/projects/{project_id}/expenditures", headers=donor).get_json()["items"]
    assert [(e["id"], e["amount"], e["supplier"]) for e in seen] == [
        (paid, {"amount": "250.10", "currency": "USD"}, "Ferretería")
    ]
    assert len(client.get(f"/api/v1/projects/{project_id}/expenditures", headers=staff).get_json()["items"]) == 2


def test_a_donor_reads_only_signed_agreements_of_projects_it_funds(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project, (usaid,) = funded_project("USAID")
        signed = make_signed(project.center, project_id=project.id).id
        draft = make_agreement(project.center, project_id=project.id, code="BORRADOR").id
        elsewhere = make_signed(code="OTRO").id
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
        staff = user_with_token(Role.MANAGER)[1]
    listed = client.get("/api/v1/agreements", headers=donor).get_json()["items"]
    assert [a["id"] for a in listed] == [signed]
    assert listed[0]["status"] == AgreementStatus.SIGNED.value and len(listed[0]["parties"]) == 2
    for hidden in (draft, elsewhere):
        response = client.get(f"/api/v1/agreements/{hidden}", headers=donor)
        assert response.status_code == 404
        problem_of(response)
    shown = client.get(f"/api/v1/agreements/{signed}", headers=donor)
    assert shown.status_code == 200 and shown.headers["ETag"]
    everything = client.get("/api/v1/agreements?status=draft", headers=staff).get_json()["items"]
    assert [a["id"] for a in everything] == [draft]


def test_organizations_are_listed_and_filtered_by_kind(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        from app.core.enums import OrganizationKind

        make_organization(acronym="DINAF", kind=OrganizationKind.GOVERNMENT)
        make_organization(acronym="USAID")
        headers = user_with_token(Role.ENGINEER)[1]
    government = client.get("/api/v1/organizations?kind=government", headers=headers).get_json()
    assert [o["acronym"] for o in government["items"]] == ["DINAF"]
    assert client.get("/api/v1/organizations?kind=pirates", headers=headers).status_code == 400
