"""The report pages: who may ask for a report, follow it, and download it again byte for byte."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.core.enums import JobStatus, Role
from app.core.storage import storage
from app.extensions import db
from app.reports.models import Report
from tests.conftest import login
from tests.factories import make_user
from tests.reports.helpers import pdf_text, portfolio


def _form(donor_id: int, **values: Any) -> dict[str, Any]:
    return {
        "scope": "donor",
        "donor_id": str(donor_id),
        "project_id": "0",
        "center_id": "0",
        "period_start": "2025-01-01",
        "period_end": "2026-12-31",
        "language": "en",
        "sections": ["summary", "milestones", "budget", "photos", "risks"],
        "narrative": "Good <b>progress</b>",
        "next_steps": "Finish the roof.",
        **values,
    }


def test_a_manager_generates_a_report_and_downloads_it_again(
    app: Flask, inline_jobs: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        world = portfolio()
        make_user(Role.MANAGER, email="manager@example.org")
        donor_id = world.donor_a.id
    login(client, "manager@example.org")
    assert client.get("/reports/new").status_code == 200
    response = client.post("/reports/new", data=_form(donor_id))
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report is not None
        report_id, sha = report.id, report.sha256
        assert report.status is JobStatus.DONE and report.narrative == "Good <b>progress</b>"
    page = client.get(f"/reports/{report_id}")
    assert page.status_code == 200 and b"js/job-status.js" in page.data and b"<script>" not in page.data
    status = client.get(f"/reports/{report_id}/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download_url"]
    first = client.get(f"/reports/{report_id}/download")
    second = client.get(f"/reports/{report_id}/download")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == second.data
    assert hashlib.sha256(first.data).hexdigest() == sha == first.headers["X-Content-SHA256"]
    assert "Good <b>progress</b>" in pdf_text(first.data)
    assert b"reports.index" not in client.get("/reports/").data
    assert f"/reports/{report_id}".encode() in client.get("/reports/").data


def test_a_period_that_ends_before_it_starts_is_refused(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        world = portfolio()
        make_user(Role.MANAGER, email="manager@example.org")
        donor_id = world.donor_a.id
    login(client, "manager@example.org")
    response = client.post("/reports/new", data=_form(donor_id, period_start="2026-01-01", period_end="2025-01-01"))
    assert response.status_code == 422
    assert "El fin del período no puede ser anterior a su inicio.".encode() in response.data
    with app.app_context():
        assert db.session.scalar(select(Report)) is None


def test_donors_see_and_download_only_the_reports_made_for_them(
    app: Flask, inline_jobs: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        world = portfolio()
        make_user(Role.MANAGER, email="manager@example.org")
        make_user(Role.DONOR, email="alpha@example.org", organization_id=world.donor_a.id)
        make_user(Role.DONOR, email="beta@example.org", organization_id=world.donor_b.id)
        donor_id = world.donor_a.id
    login(client, "manager@example.org")
    client.post("/reports/new", data=_form(donor_id))
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report is not None and report.file_key
        report_id, stored = report.id, storage().read(report.file_key)
    client.post("/logout", data={})

    login(client, "alpha@example.org")
    assert f"/reports/{report_id}".encode() in client.get("/reports/").data
    assert client.get(f"/reports/{report_id}/download").data == stored
    assert client.get("/reports/new").status_code == 403
    assert client.post(f"/reports/{report_id}/retry", data={}).status_code == 403
    client.post("/logout", data={})

    login(client, "beta@example.org")
    assert f"/reports/{report_id}".encode() not in client.get("/reports/").data
    for url in (f"/reports/{report_id}", f"/reports/{report_id}/status", f"/reports/{report_id}/download"):
        assert client.get(url).status_code == 404


def test_engineers_read_reports_but_do_not_generate_them(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="engineer@example.org")
    login(client, "engineer@example.org")
    assert client.get("/reports/").status_code == 200
    assert client.get("/reports/new").status_code == 403
    assert client.post("/reports/new", data={}).status_code == 403


def test_a_failed_report_shows_its_error_and_can_be_retried(
    app: Flask, inline_jobs: Flask, client: FlaskClient, monkeypatch: Any
) -> None:
    from app.reports import services

    with app.app_context():
        world = portfolio()
        make_user(Role.MANAGER, email="manager@example.org")
        donor_id = world.donor_a.id
    login(client, "manager@example.org")

    def boom(data: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "report_pdf", boom)
    client.post("/reports/new", data=_form(donor_id))
    with app.app_context():
        report_id = db.session.scalar(select(Report.id))
    status = client.get(f"/reports/{report_id}/status").get_json()
    assert status["status"] == "failed" and "disk full" in status["error"] and status["download_url"] is None
    assert client.get(f"/reports/{report_id}/download").status_code == 404
    page = client.get(f"/reports/{report_id}").data
    assert b"disk full" in page and f"/reports/{report_id}/retry".encode() in page
    monkeypatch.undo()
    assert client.post(f"/reports/{report_id}/retry", data={}).status_code == 302
    assert client.get(f"/reports/{report_id}/status").get_json()["status"] == "done"
