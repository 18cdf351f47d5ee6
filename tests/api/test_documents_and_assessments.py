"""A project's documents and assessments through the API: a donor sees what the pages show it, nothing more."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import DocumentStatus
from app.extensions import db
from app.projects.models import Project
from tests.agreements.helpers import make_document
from tests.api.conftest import bearer
from tests.assessments.conftest import CROWDED, approved_assessment, make_site, new_assessment


def test_a_donor_sees_approved_work_and_staff_see_drafts_too(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        site = make_site()
        project = db.session.get(Project, site.project_id)
        assert project is not None
        signed = make_document(project.center, project_id=project.id, title="Convenio").id
        make_document(project.center, DocumentStatus.DRAFT, project_id=project.id, title="Borrador")
        approved = approved_assessment(site, CROWDED).id
        new_assessment(site, on="2025-04-01")
        donor, engineer = bearer(site.donor), bearer(site.engineer)
    url = f"/api/v1/projects/{site.project_id}"

    documents = client.get(f"{url}/documents", headers=donor).get_json()["items"]
    assert [d["id"] for d in documents] == [signed]
    assert documents[0]["latest_version"]["content_type"] == "application/pdf"
    assert len(client.get(f"{url}/documents", headers=engineer).get_json()["items"]) == 2

    assessments = client.get(f"{url}/assessments", headers=donor).get_json()["items"]
    assert [a["id"] for a in assessments] == [approved]
    assert assessments[0]["figures"]["covered_area_m2"] == "540.00"
    assert (assessments[0]["author_id"], assessments[0]["review_comment"]) == (None, None)
    staff_view = client.get(f"{url}/assessments", headers=engineer).get_json()["items"]
    assert len(staff_view) == 2 and all(a["author_id"] for a in staff_view)
    drafts = client.get(f"{url}/assessments?status=draft", headers=engineer).get_json()["items"]
    assert [a["status"] for a in drafts] == ["draft"]
