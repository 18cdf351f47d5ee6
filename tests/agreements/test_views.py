"""The agreement pages as each role uses them: managers register and sign, engineers tick commitments off,
donors read the signed agreements of what they fund."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.agreements.models import Agreement, AgreementParty, Commitment
from app.agreements.services import agreement_update
from app.core.enums import AgreementStatus, Role
from app.core.timeutil import today
from app.extensions import db
from tests.agreements.helpers import add_commitment, days, make_agreement, make_signed, values_of
from tests.conftest import login
from tests.factories import make_center, make_organization, make_project, make_user


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})


def _setup(app: Flask) -> dict[str, Any]:
    with app.app_context():
        for role in (Role.ADMIN, Role.MANAGER, Role.ENGINEER):
            make_user(role, email=f"{role.value}@example.org")
        usaid = make_organization(acronym="USAID")
        make_user(Role.DONOR, email="donor@example.org", organization_id=usaid.id)
        center = make_center(code="CAMR-SPS")
        funded = make_project(center, code="SPS-01", funder_ids=[usaid.id])
        iom, sreci = make_organization(acronym="IOM"), make_organization(acronym="SRECI")
        signed = make_signed(center, code="CONV-17", project_id=funded.id)
        draft = make_agreement(center, code="DRAFT-1", project_id=funded.id, parties=(iom, sreci))
        other = make_signed(center, code="OTHER-1", project_id=make_project(center).id)
        commitment = add_commitment(signed, days(-4), description="Permiso de construcción")
        return {
            "center": center.id,
            "project": funded.id,
            "signed": signed.id,
            "draft": draft.id,
            "other": other.id,
            "commitment": commitment.id,
            "iom": iom.id,
            "sreci": sreci.id,
        }


def _form(agreement: Agreement, **changes: Any) -> dict[str, str]:
    data = {
        "code": agreement.code,
        "kind": agreement.kind.value,
        "subject": agreement.subject,
        "center_id": str(agreement.center_id),
        "project_id": str(agreement.project_id or 0),
        "status": agreement.status.value,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
        "starts_on": agreement.starts_on.isoformat() if agreement.starts_on else "",
        "ends_on": agreement.ends_on.isoformat() if agreement.ends_on else "",
        "document_id": str(agreement.document_id or 0),
        "signature_evidence": agreement.signature_evidence,
        "notes": agreement.notes,
        "version": str(agreement.version),
    }
    data.update(changes)
    return data


def test_manager_registers_an_agreement_adds_parties_and_a_commitment_then_signs_it(
    app: Flask, client: FlaskClient
) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    response = client.post(
        "/agreements/new",
        data={
            "code": "mou-dinaf",
            "kind": "memorandum",
            "subject": "Memorando OIM-DINAF",
            "center_id": str(ids["center"]),
            "project_id": str(ids["project"]),
            "status": "draft",
            "document_id": "0",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        agreement = db.session.scalar(select(Agreement).where(Agreement.code == "MOU-DINAF"))
        assert agreement is not None
        agreement_id = agreement.id
    page = f"/agreements/{agreement_id}"
    for org in (ids["iom"], ids["sreci"]):
        assert (
            client.post(f"{page}/parties", data={"organization_id": str(org), "role": "signatory"}).status_code == 302
        )
    response = client.post(
        f"{page}/commitments",
        data={"organization_id": str(ids["sreci"]), "description": "Ceder el terreno", "due_on": "2031-01-15"},
    )
    assert response.status_code == 302
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        assert agreement is not None
        data = _form(agreement, status="signed", signed_on=today().isoformat(), signature_evidence="Original en OIM")
    assert client.post(f"{page}/edit", data=data).status_code == 302
    body = client.get(page).get_data(as_text=True)
    assert "Signed" in body and "Ceder el terreno" in body and "SRECI" in body


def test_refused_signature_says_why_on_the_field_and_keeps_what_was_typed(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    with app.app_context():
        draft = db.session.get(Agreement, ids["draft"])
        assert draft is not None
        data = _form(draft, status="signed", signed_on=today().isoformat(), notes="Firmado en la reunión del lunes")
    response = client.post(f"/agreements/{ids['draft']}/edit", data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Link the signed document, or write where the signed original is kept." in body
    assert 'id="signature_evidence-errors"' in body
    assert "Firmado en la reunión del lunes" in body
    with app.app_context():
        assert db.session.get(Agreement, ids["draft"]).status is AgreementStatus.DRAFT  # type: ignore[union-attr]


def test_commitment_for_an_outsider_is_refused_on_the_page(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    with app.app_context():
        outsider = make_organization(acronym="OUT").id
    response = client.post(
        f"/agreements/{ids['draft']}/commitments",
        data={"organization_id": str(outsider), "description": "Algo", "due_on": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "A commitment is taken on by a party to the agreement." in response.get_data(as_text=True)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.agreement_id == ids["draft"])
        )
        assert count == 0


def test_concurrent_edit_shows_both_versions_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    with app.app_context():
        draft = db.session.get(Agreement, ids["draft"])
        assert draft is not None
        mine = _form(draft, subject="My subject")
        agreement_update(db.session, draft, values_of(draft, subject="Their subject"), draft.version)
        db.session.commit()
    response = client.post(f"/agreements/{ids['draft']}/edit", data=mine)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "This record was changed by someone else while you edited it." in body
    assert "Their subject" in body and 'value="My subject"' in body
    with app.app_context():
        assert db.session.get(Agreement, ids["draft"]).subject == "Their subject"  # type: ignore[union-attr]
    # Saving again from the conflict page replaces the saved values knowingly.
    with app.app_context():
        mine["version"] = str(db.session.get(Agreement, ids["draft"]).version)  # type: ignore[union-attr]
    assert client.post(f"/agreements/{ids['draft']}/edit", data=mine).status_code == 302


def test_engineer_marks_a_commitment_done_but_cannot_edit_the_agreement(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "engineer@example.org")
    signed, commitment = ids["signed"], ids["commitment"]
    assert client.post(f"/agreements/{signed}/commitments/{commitment}/done", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(Commitment, commitment).done_on == today()  # type: ignore[union-attr]
    assert client.get(f"/agreements/{signed}/edit").status_code == 403
    assert (
        client.post(
            f"/agreements/{signed}/parties", data={"organization_id": str(ids["iom"]), "role": "witness"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/agreements/{signed}/commitments",
            data={"organization_id": "1", "description": "x", "due_on": "2030-01-01"},
        ).status_code
        == 403
    )
    assert client.get(f"/agreements/{signed}/commitments/{commitment}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AgreementParty)) == 6


def test_donor_reads_only_signed_agreements_of_the_projects_it_funds(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "donor@example.org")
    _english(client)
    listing = client.get("/agreements/").get_data(as_text=True)
    assert "CONV-17" in listing and "DRAFT-1" not in listing and "OTHER-1" not in listing
    page = client.get(f"/agreements/{ids['signed']}")
    assert page.status_code == 200
    assert "Mark done" not in page.get_data(as_text=True) and "Add party" not in page.get_data(as_text=True)
    assert client.get(f"/agreements/{ids['draft']}").status_code == 403
    assert client.get(f"/agreements/{ids['other']}").status_code == 403
    assert client.post(f"/agreements/{ids['signed']}/commitments/{ids['commitment']}/done", data={}).status_code == 403


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("admin@example.org", 200),
        ("manager@example.org", 200),
        ("engineer@example.org", 403),
        ("donor@example.org", 403),
    ],
)
def test_only_managers_and_administrators_open_the_new_agreement_form(
    app: Flask, client: FlaskClient, email: str, expected: int
) -> None:
    _setup(app)
    login(client, email)
    assert client.get("/agreements/new").status_code == expected


def test_list_filters_and_overdue_commitments_are_marked(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    listing = client.get("/agreements/?status=draft").get_data(as_text=True)
    assert "DRAFT-1" in listing and "CONV-17" not in listing
    listing = client.get(f"/agreements/?organization_id={ids['iom']}").get_data(as_text=True)
    assert "DRAFT-1" in listing and "CONV-17" not in listing
    page = client.get(f"/agreements/{ids['signed']}").get_data(as_text=True)
    assert 'class="table-danger"' in page and "Overdue" in page


def test_anonymous_visitor_is_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    assert client.get("/agreements/").status_code == 302


def test_manager_removes_a_commitment_but_not_a_party_that_still_owes_one(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "manager@example.org")
    _english(client)
    signed, commitment = ids["signed"], ids["commitment"]
    with app.app_context():
        owing = db.session.get(Commitment, commitment)
        assert owing is not None
        party_id = next(p.id for p in owing.agreement.parties if p.organization_id == owing.organization_id)
    page = client.post(f"/agreements/{signed}/parties/{party_id}/remove", data={}, follow_redirects=True)
    assert "has commitments under this agreement" in page.get_data(as_text=True)
    assert client.post(f"/agreements/{signed}/commitments/{commitment}/remove", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(Commitment, commitment) is None
        assert db.session.get(AgreementParty, party_id) is not None
