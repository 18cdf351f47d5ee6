"""A manager records a partnership agreement through the API — parties, signature, commitments — with the
agreement pages' rules; an engineer marks a commitment done from the site; every change moves the ETag."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.agreements.models import Agreement, Commitment
from app.core.enums import Role
from app.core.timeutil import today
from app.extensions import db
from tests.agreements.helpers import make_document
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_center, make_organization, make_project, make_user


def _setup(app: Flask) -> dict[str, Any]:
    with app.app_context():
        center = make_center()
        funder = make_organization(acronym="USAID")
        project = make_project(center, funder_ids=[funder.id])
        dinaf = make_organization(acronym="DINAF")
        iom = make_organization(acronym="OIM")
        signed_pdf = make_document(center, project_id=project.id)
        return {
            "center_id": center.id,
            "project_id": project.id,
            "dinaf": dinaf.id,
            "iom": iom.id,
            "document_id": signed_pdf.id,
            "manager": user_with_token(Role.MANAGER)[1],
            "engineer": user_with_token(Role.ENGINEER)[1],
            "donor": bearer(make_user(Role.DONOR, organization_id=funder.id)),
        }


def _patch(client: FlaskClient, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    etag = client.get(url, headers=headers).headers["ETag"]
    return client.patch(url, json=body, headers={**headers, "If-Match": etag})


def _on(client: FlaskClient, agreement_url: str, headers: dict[str, str]) -> dict[str, str]:
    """The headers of a change made on the agreement as it is now (its ETag in If-Match)."""
    return {**headers, "If-Match": client.get(agreement_url, headers=headers).headers["ETag"]}


def test_an_agreement_is_drafted_signed_and_followed_up(app: Flask, client: FlaskClient) -> None:
    s = _setup(app)
    manager, engineer, donor = s["manager"], s["engineer"], s["donor"]
    draft = {
        "code": "conv-dinaf-2025-01",
        "kind": "cooperation",
        "subject": "Rehabilitación del CAMR Omoa",
        "center_id": s["center_id"],
        "project_id": s["project_id"],
    }
    created = client.post("/api/v1/agreements", json=draft, headers=manager)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["code"], body["status"], body["parties"]) == ("CONV-DINAF-2025-01", "draft", [])
    url = body["links"]["self"]
    assert client.get(url, headers=donor).status_code == 404  # a donor sees signed agreements only

    signing = {
        "status": "signed",
        "signed_on": (today() - timedelta(days=1)).isoformat(),
        "signature_evidence": "Original en la oficina de OIM",
        "document_id": s["document_id"],
    }
    too_early = _patch(client, url, manager, signing)
    assert too_early.status_code == 422 and "status" in problem_of(too_early)["errors"]  # no parties yet

    etags = [client.get(url, headers=manager).headers["ETag"]]
    for organization, role in ((s["dinaf"], "signatory"), (s["iom"], "implementing")):
        party = {"organization_id": organization, "role": role}
        added = client.post(f"{url}/parties", json=party, headers=_on(client, url, manager))
        assert added.status_code == 200, added.get_json()
        etags.append(added.headers["ETag"])
    assert len(set(etags)) == 3
    signed = _patch(client, url, manager, signing)
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["status"] == "signed"
    assert client.get(url, headers=donor).status_code == 200

    due = (today() + timedelta(days=30)).isoformat()
    promise = {"organization_id": s["dinaf"], "description": "Designar un punto focal", "due_on": due}
    assert client.post(f"{url}/commitments", json=promise, headers=manager).status_code == 428
    stale = client.post(f"{url}/commitments", json=promise, headers={**manager, "If-Match": etags[0]})
    assert stale.status_code == 412
    with_commitment = client.post(f"{url}/commitments", json=promise, headers=_on(client, url, manager))
    assert with_commitment.status_code == 200, with_commitment.get_json()
    commitment_id = with_commitment.get_json()["commitments"][0]["id"]
    done_url = f"/api/v1/commitments/{commitment_id}/done"
    assert client.post(done_url, json={}, headers=_on(client, url, donor)).status_code == 403
    done = client.post(done_url, json={}, headers=_on(client, url, engineer))
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["commitments"][0]["done_on"] == today().isoformat()
    again = client.post(done_url, json={}, headers=_on(client, url, engineer))
    assert again.status_code == 422

    # A signed agreement keeps two parties; a party with commitments stays.
    for organization in (s["dinaf"], s["iom"], 999999):
        removal = client.delete(f"{url}/parties/{organization}", headers=_on(client, url, manager))
        assert removal.status_code == 422, removal.get_json()
    commitment_url = f"/api/v1/commitments/{commitment_id}"
    assert client.delete(commitment_url, headers=_on(client, url, engineer)).status_code == 403
    assert client.delete(commitment_url, headers=_on(client, url, manager)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == 0


def test_bad_agreements_are_refused_with_their_field_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    s = _setup(app)
    good = {"code": "A-1", "kind": "memorandum", "subject": "Uso del terreno", "center_id": s["center_id"]}
    assert client.post("/api/v1/agreements", json=good, headers=s["manager"]).status_code == 201
    cases = [
        (good, "code"),  # taken
        ({**good, "code": "A-2", "kind": "handshake"}, "kind"),
        ({**good, "code": "A-3", "center_id": 999999}, "center_id"),
        ({**good, "code": "A-4", "starts_on": "2025-05-01", "ends_on": "2025-01-01"}, "ends_on"),
        ({**good, "code": "A-5", "status": "expired"}, "status"),
        ({**good, "code": "A-6", "subject": "  "}, "subject"),
        ({**good, "code": "x" * 40}, "code"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/agreements", json=body, headers=s["manager"])
        assert response.status_code == 422, (body, response.get_json())
        assert field in problem_of(response)["errors"], (body, response.get_json())
    assert client.post("/api/v1/agreements", json={**good, "code": "B"}, headers=s["engineer"]).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Agreement)) == 1
