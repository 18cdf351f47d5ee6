"""A project manager steers a phase through the API with the web form's rules: the gate holds a phase open until
its evidence is given, an administrator may override it with a reason, a stale If-Match changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import PhaseKind, PhaseStatus, Role
from app.core.timeutil import today
from app.extensions import db
from app.projects.models import Phase
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_organization, make_project, make_user


def _phase(app: Flask, kind: PhaseKind = PhaseKind.EVALUATION) -> tuple[int, int]:
    with app.app_context():
        project = make_project()
        return project.id, project.phase(kind).id


def _patch(client: FlaskClient, phase_id: int, headers: dict[str, str], body: dict[str, object]) -> object:
    etag = client.get(f"/api/v1/phases/{phase_id}", headers=headers).headers["ETag"]
    return client.patch(f"/api/v1/phases/{phase_id}", json=body, headers={**headers, "If-Match": etag})


def _stored(app: Flask, phase_id: int) -> Phase:
    with app.app_context():
        phase = db.session.get(Phase, phase_id)
        assert phase is not None
        db.session.expunge(phase)
        return phase


def test_a_manager_starts_then_closes_a_phase_once_its_gate_has_evidence(app: Flask, client: FlaskClient) -> None:
    project_id, phase_id = _phase(app)
    with app.app_context():
        headers = user_with_token(Role.MANAGER)[1]
    listed = client.get(f"/api/v1/projects/{project_id}/phases", headers=headers).get_json()["items"]
    assert phase_id in [p["id"] for p in listed]
    assert [p["position"] for p in listed] == sorted(p["position"] for p in listed)

    started = _patch(client, phase_id, headers, {"status": "in_progress"})
    assert started.status_code == 200, started.get_json()
    assert started.get_json()["actual_start"] == today().isoformat()

    refused = _patch(client, phase_id, headers, {"status": "done"})
    assert refused.status_code == 422
    assert "status" in problem_of(refused)["errors"]
    assert _stored(app, phase_id).status is PhaseStatus.IN_PROGRESS

    closed = _patch(client, phase_id, headers, {"status": "done", "gate_evidence": "Assessment EV-12 approved"})
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert (body["status"], body["actual_end"], body["gate_overridden"]) == ("done", today().isoformat(), False)
    assert body["gate_evidence"] == "Assessment EV-12 approved"

    reopened = _patch(client, phase_id, headers, {"status": "in_progress"})
    assert reopened.status_code == 200, reopened.get_json()
    assert reopened.get_json()["actual_end"] is None  # a reopened phase has no end
    assert _stored(app, phase_id).actual_end is None


def test_only_an_administrator_overrides_a_gate_and_must_say_why(app: Flask, client: FlaskClient) -> None:
    _project_id, phase_id = _phase(app, PhaseKind.WORKS)
    with app.app_context():
        manager = user_with_token(Role.MANAGER)[1]
        admin = user_with_token(Role.ADMIN)[1]
    start = (today() - timedelta(days=10)).isoformat()
    asked = {"status": "done", "actual_start": start, "override_reason": "Works handed over by the municipality"}
    by_manager = _patch(client, phase_id, manager, asked)
    assert by_manager.status_code == 422
    assert _stored(app, phase_id).status is PhaseStatus.NOT_STARTED
    without_reason = _patch(client, phase_id, admin, {**asked, "override_reason": "  "})
    assert without_reason.status_code == 422 and "override_reason" in problem_of(without_reason)["errors"]
    by_admin = _patch(client, phase_id, admin, asked)
    assert by_admin.status_code == 200, by_admin.get_json()
    assert by_admin.get_json()["gate_overridden"] is True
    assert _stored(app, phase_id).gate_override_reason == "Works handed over by the municipality"


def test_a_stale_or_missing_if_match_changes_nothing(app: Flask, client: FlaskClient) -> None:
    _project_id, phase_id = _phase(app)
    with app.app_context():
        headers = user_with_token(Role.MANAGER)[1]
    url = f"/api/v1/phases/{phase_id}"
    old = client.get(url, headers=headers).headers["ETag"]
    assert client.patch(url, json={"status": "in_progress"}, headers={**headers, "If-Match": old}).status_code == 200
    stale = client.patch(url, json={"planned_end": "2025-12-01"}, headers={**headers, "If-Match": old})
    assert stale.status_code == 412
    assert client.patch(url, json={"planned_end": "2025-12-01"}, headers=headers).status_code == 428
    assert _stored(app, phase_id).planned_end != date(2025, 12, 1)


def test_bad_values_are_named_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    _project_id, phase_id = _phase(app)
    with app.app_context():
        headers = user_with_token(Role.MANAGER)[1]
    before = _stored(app, phase_id)
    cases = [
        ({"status": "finished"}, "status"),
        ({"planned_start": "2025-02-30"}, "planned_start"),
        ({"planned_start": "2025-06-01", "planned_end": "2025-01-01"}, "planned_end"),
        ({"status": "in_progress", "actual_start": (today() + timedelta(days=3)).isoformat()}, "actual_start"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = _patch(client, phase_id, headers, body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in problem_of(response)["errors"], (body, response.get_json())
    after = _stored(app, phase_id)
    assert (after.status, after.planned_start, after.planned_end, after.version) == (
        before.status,
        before.planned_start,
        before.planned_end,
        before.version,
    )


def test_engineers_and_donors_read_phases_but_cannot_steer_them(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        funder = make_organization(acronym="USAID")
        project = make_project(funder_ids=[funder.id])
        phase_id = project.phase(PhaseKind.EVALUATION).id
        elsewhere = make_project().phase(PhaseKind.EVALUATION).id
        engineer = user_with_token(Role.ENGINEER)[1]
        donor = bearer(make_user(Role.DONOR, organization_id=funder.id))
    for headers in (engineer, donor):
        assert _patch(client, phase_id, headers, {"status": "in_progress"}).status_code == 403
    shown = client.get(f"/api/v1/phases/{phase_id}", headers=donor)
    assert shown.status_code == 200 and shown.get_json()["gate_evidence"] is None
    assert client.get(f"/api/v1/phases/{elsewhere}", headers=donor).status_code == 404
    assert _stored(app, phase_id).status is PhaseStatus.NOT_STARTED
