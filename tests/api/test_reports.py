"""Donor reports through the API: asked for, built in the background, followed, downloaded - by whom the pages
allow."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_organization, make_project, make_user

REQUEST = {"scope": "project", "period_start": "2025-01-01", "period_end": "2025-06-30", "sections": ["summary"]}


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_a_manager_asks_for_a_report_and_its_donor_downloads_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid, sida = make_organization(acronym="USAID").id, make_organization(acronym="SIDA").id
        project_id = make_project(funder_ids=[usaid]).id
        manager = user_with_token(Role.MANAGER)[1]
        donor = bearer(make_user(Role.DONOR, organization_id=usaid))
        other_donor = bearer(make_user(Role.DONOR, organization_id=sida))
    body = {**REQUEST, "project_id": project_id, "donor_id": usaid}
    asked = client.post("/api/v1/reports", json=body, headers=manager)
    assert asked.status_code == 202, asked.get_json()
    assert asked.headers["Location"] == asked.get_json()["links"]["self"]

    status = client.get(asked.headers["Location"], headers=donor).get_json()
    assert (status["status"], status["ready"], status["sections"]) == ("done", True, ["summary"])
    pdf = client.get(status["links"]["file"], headers=donor)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert hashlib.sha256(pdf.data).hexdigest() == status["sha256"] == pdf.headers["X-Content-SHA256"]

    assert client.get(asked.headers["Location"], headers=other_donor).status_code == 404
    assert client.get("/api/v1/reports", headers=other_donor).get_json()["items"] == []
    assert client.post("/api/v1/reports", json=REQUEST, headers=donor).status_code == 403


def test_a_report_is_checked_before_it_is_queued(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        donor_id = make_organization().id
        project_id = make_project().id
        headers = user_with_token(Role.MANAGER)[1]
    not_funded = client.post(
        "/api/v1/reports", json={**REQUEST, "project_id": project_id, "donor_id": donor_id}, headers=headers
    )
    assert not_funded.status_code == 422 and "donor_id" in problem_of(not_funded)["errors"]
    no_sections = client.post(
        "/api/v1/reports", json={**REQUEST, "project_id": project_id, "sections": []}, headers=headers
    )
    assert no_sections.status_code == 422 and "sections" in problem_of(no_sections)["errors"]
    unknown = client.post("/api/v1/reports", json={**REQUEST, "sections": ["gossip"]}, headers=headers)
    assert unknown.status_code == 422 and "sections" in problem_of(unknown)["errors"]
    assert client.get("/api/v1/reports", headers=headers).get_json()["items"] == []


def test_a_file_that_is_not_built_yet_is_a_404_saying_so(app: Flask, client: FlaskClient) -> None:
    from app.core.enums import ReportScope
    from app.extensions import db
    from app.reports.gather import ReportRequest
    from app.reports.services import report_create
    from tests.factories import d

    with app.app_context():
        project_id = make_project().id
        report = report_create(
            db.session(),
            ReportRequest(
                scope=ReportScope.PROJECT,
                project_id=project_id,
                period_start=d("2025-01-01"),
                period_end=d("2025-02-01"),
            ),
        )
        db.session.commit()
        report_id = report.id
        headers = user_with_token(Role.ENGINEER)[1]
    status = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    assert (status["status"], status["ready"], "file" in status["links"]) == ("queued", False, False)
    missing = client.get(f"/api/v1/reports/{report_id}/file", headers={**headers, "Accept-Language": "en"})
    assert missing.status_code == 404
    assert "not ready" in problem_of(missing)["detail"]
