"""The project pages as each role meets them."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import event, func, select

from app.core.audit.models import AuditEntry
from app.core.enums import PhaseKind, PhaseStatus, Role
from app.core.timeutil import today
from app.extensions import db
from app.projects.gates import gate_for
from app.projects.models import Milestone, Phase, Project
from app.projects.tracking import milestone_create, progress_record
from tests.conftest import login
from tests.factories import make_center, make_organization, make_project, make_user


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})


def _sign_in(client: FlaskClient, role: Role, **values: Any) -> int:
    user = make_user(role, **values)
    user_id, email = user.id, user.email
    login(client, email)
    _english(client)
    return int(user_id)


def _project_form(center_id: int, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "CAMR-SPS-01",
        "title": "Rehabilitación del CAMR",
        "objective": "Dormitorios y agua",
        "kind": "rehabilitation",
        "center_id": str(center_id),
        "manager_id": "0",
        "planned_start": "2025-01-06",
        "planned_end": "2025-12-19",
    }
    data.update(changes)
    return data


# --- creating and editing -------------------------------------------------------------------------------
def test_manager_creates_a_project_with_its_funders(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        center_id = make_center().id
        usaid_id = make_organization(acronym="USAID").id
        db.session.commit()
    response = client.post("/projects/new", data=_project_form(center_id, funder_ids=[str(usaid_id)]))
    assert response.status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project is not None
        assert response.headers["Location"].endswith(f"/projects/{project.id}")
        assert project.funder_ids == {usaid_id}
        assert len(project.phases) == 5


def test_duplicate_code_shows_on_the_field_and_keeps_what_was_typed(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        make_project(code="CAMR-SPS-01")
        center_id = make_center().id
    response = client.post("/projects/new", data=_project_form(center_id, title="Typed with care"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another project already uses the code CAMR-SPS-01." in page
    assert 'value="Typed with care"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Project)) == 1


def test_end_before_start_shows_on_the_end_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        center_id = make_center().id
    response = client.post("/projects/new", data=_project_form(center_id, planned_end="2024-12-31"))
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_second_of_two_concurrent_edits_is_refused_and_shows_both_versions(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project(code="P-1", title="Original title")
        project_id, center_id, version_read = project.id, project.center_id, project.version
    first = client.post(
        f"/projects/{project_id}/edit",
        data=_project_form(center_id, code="P-1", title="Saved by Ana", version=str(version_read)),
    )
    assert first.status_code == 302
    second = client.post(
        f"/projects/{project_id}/edit",
        data=_project_form(center_id, code="P-1", title="Typed by Mario", version=str(version_read)),
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "This record was changed by someone else while you edited it." in page
    assert "Saved by Ana" in page  # the value saved now
    assert "Typed by Mario" in page  # the user's input, kept
    with app.app_context():
        assert db.session.get(Project, project_id).title == "Saved by Ana"  # type: ignore[union-attr]


def test_after_a_conflict_saving_again_knowingly_replaces_the_saved_values(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project(code="P-1")
        project_id, center_id, version_read = project.id, project.center_id, project.version
    client.post(f"/projects/{project_id}/edit", data=_project_form(center_id, code="P-1", version=str(version_read)))
    with app.app_context():
        current = db.session.get(Project, project_id).version  # type: ignore[union-attr]
    stale = client.post(
        f"/projects/{project_id}/edit", data=_project_form(center_id, code="P-1", title="Mine", version="1")
    )
    assert f'name="version" type="hidden" value="{current}"' in stale.get_data(as_text=True)
    again = client.post(
        f"/projects/{project_id}/edit", data=_project_form(center_id, code="P-1", title="Mine", version=str(current))
    )
    assert again.status_code == 302


# --- who sees and does what -----------------------------------------------------------------------------
def test_donor_sees_the_projects_its_organization_funds_and_no_other(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid = make_organization(acronym="USAID")
        funded = make_project(code="FUNDED", funder_ids=[usaid.id]).id
        unfunded = make_project(code="HIDDEN", funder_ids=[make_organization().id]).id
        _sign_in(client, Role.DONOR, organization_id=usaid.id)
    assert client.get(f"/projects/{funded}").status_code == 200
    assert client.get(f"/projects/{unfunded}").status_code in (403, 404)
    listing = client.get("/projects/").get_data(as_text=True)
    assert "FUNDED" in listing
    assert "HIDDEN" not in listing
    timeline = client.get("/projects/timeline").get_data(as_text=True)
    assert "FUNDED" in timeline
    assert "HIDDEN" not in timeline


def test_donor_cannot_change_anything(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid = make_organization()
        project = make_project(funder_ids=[usaid.id])
        project_id, phase_id = project.id, project.phases[0].id
        _sign_in(client, Role.DONOR, organization_id=usaid.id)
    assert client.get(f"/projects/{project_id}/edit").status_code == 403
    assert client.get(f"/projects/{project_id}/phases/{phase_id}").status_code == 403
    assert client.get(f"/projects/{project_id}/milestones/new").status_code == 403
    assert client.get(f"/projects/{project_id}/progress/new").status_code == 403
    assert client.get("/projects/new").status_code == 403


def test_engineer_records_progress_but_cannot_edit_the_project(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.ENGINEER)
        project = make_project(code="P-1")
        project_id, center_id = project.id, project.center_id
    response = client.post(
        f"/projects/{project_id}/progress/new",
        data={"reading_date": today().isoformat(), "percent": "35.5", "contractor": "Constructora Sula"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Project, project_id).physical_progress == Decimal("35.50")  # type: ignore[union-attr]
    assert client.get(f"/projects/{project_id}/edit").status_code == 403
    edit = client.post(f"/projects/{project_id}/edit", data=_project_form(center_id, code="P-1", title="Hacked"))
    assert edit.status_code == 403
    assert client.get(f"/projects/{project_id}/milestones/new").status_code == 403


def test_progress_outside_the_range_is_shown_on_the_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.ENGINEER)
        project_id = make_project().id
    response = client.post(
        f"/projects/{project_id}/progress/new",
        data={"reading_date": today().isoformat(), "percent": "150", "contractor": "Constructora Sula"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Progress is a percentage between 0 and 100." in page
    assert 'value="Constructora Sula"' in page


# --- phases ---------------------------------------------------------------------------------------------
def _phase_form(**changes: Any) -> dict[str, Any]:
    data = {"status": "done", "actual_start": (today() - timedelta(days=10)).isoformat(), "version": "1"}
    data.update(changes)
    return data


def test_gate_refusal_shows_on_the_status_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project()
        project_id, phase_id = project.id, project.phase(PhaseKind.EVALUATION).id
    response = client.post(f"/projects/{project_id}/phases/{phase_id}", data=_phase_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.test_request_context(), force_locale("en"):
        expected = gate_for(PhaseKind.EVALUATION).requirement()
    assert "This phase cannot be closed yet" in page
    assert html.escape(expected) in page  # the label says what this phase's gate expects
    assert "override_reason" not in page  # managers are not offered the override
    with app.app_context():
        assert db.session.get(Phase, phase_id).status is PhaseStatus.NOT_STARTED  # type: ignore[union-attr]


def test_manager_closes_a_phase_by_giving_the_evidence(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project()
        project_id, phase_id = project.id, project.phase(PhaseKind.EVALUATION).id
    response = client.post(
        f"/projects/{project_id}/phases/{phase_id}", data=_phase_form(gate_evidence="Approved 2025-03-02, ref EV-12")
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is now: Done" in page
    with app.app_context():
        project = db.session.get(Project, project_id)  # type: ignore[assignment]
        assert project.current_phase is PhaseKind.PARTNERSHIP


def test_administrator_overrides_a_gate_with_a_reason_kept_in_the_audit_log(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.ADMIN)
        project = make_project()
        project_id, phase_id = project.id, project.phase(PhaseKind.WORKS).id
    without_reason = client.post(f"/projects/{project_id}/phases/{phase_id}", data=_phase_form())
    assert "write why the gate is overridden" in without_reason.get_data(as_text=True)
    response = client.post(
        f"/projects/{project_id}/phases/{phase_id}", data=_phase_form(override_reason="Contractor bankrupt; closed")
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.reason.is_not(None)))
        assert entry is not None
        assert (entry.entity_type, entry.reason) == ("phases", "Contractor bankrupt; closed")
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Contractor bankrupt; closed" in page


# --- milestones -----------------------------------------------------------------------------------------
def test_milestone_in_a_foreign_phase_is_refused_on_the_phase_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        mine = make_project().id
        foreign_phase = make_project().phases[0].id
    response = client.post(
        f"/projects/{mine}/milestones/new",
        data={
            "title": "Sneaky",
            "phase_id": str(foreign_phase),
            "owner_id": "0",
            "planned_date": today().isoformat(),
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "Choose one of this project&#39;s phases." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Milestone)) == 0


def test_manager_logs_then_closes_a_milestone_and_the_feed_tells_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER, name="Mario Gerente")
        project = make_project()
        project_id, phase_id = project.id, project.phase(PhaseKind.PARTNERSHIP).id
    created = client.post(
        f"/projects/{project_id}/milestones/new",
        data={
            "title": "Agreement signed",
            "phase_id": str(phase_id),
            "owner_id": "0",
            "planned_date": (today() - timedelta(days=2)).isoformat(),
            "status": "open",
        },
    )
    assert created.status_code == 302
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Overdue" in page
    with app.app_context():
        milestone = db.session.scalar(select(Milestone))
        assert milestone is not None
        milestone_id, version = milestone.id, milestone.version
    closed = client.post(f"/projects/{project_id}/milestones/{milestone_id}/close", data={"version": str(version)})
    assert closed.status_code == 302
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Mario Gerente" in page
    assert "Agreement signed" in page
    with app.app_context():
        milestone = db.session.get(Milestone, milestone_id)  # type: ignore[assignment]
        assert milestone.actual_date == today()


# --- pages ----------------------------------------------------------------------------------------------
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


def _project_with_milestones(count: int) -> int:
    project = make_project()
    owner = make_user(Role.ENGINEER)
    for n in range(count):
        phase = project.phases[n % 5]
        milestone_create(
            db.session,
            project,
            title=f"Milestone {n}",
            phase_id=phase.id,
            owner_id=owner.id,
            planned_date=today() + timedelta(days=n - count // 2),
        )
    progress_record(db.session, project, reading_date=today(), percent=Decimal("20"), contractor="ACME")
    db.session.commit()
    return int(project.id)


def test_project_page_query_count_does_not_grow_with_milestones(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        few, many = _project_with_milestones(5), _project_with_milestones(50)
    client.get(f"/projects/{few}")  # warm up: the first request opens the connection and loads the templates
    counts = []
    for project_id in (few, many):
        with _counting_queries(app) as statements:
            response = client.get(f"/projects/{project_id}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] < 20


def test_project_page_shows_header_phases_gantt_and_feed(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        usaid = make_organization(acronym="USAID")
        project_id = make_project(code="SPS-01", title="<b>Bold</b> title", funder_ids=[usaid.id]).id
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page
    assert "<b>Bold</b>" not in page
    assert "USAID" in page
    assert "<svg" in page
    assert "Evaluation of the working model" in page
    assert "Activity" in page


def _advance(project: Project, done: int, then: PhaseStatus | None = None) -> None:
    from app.projects.services import project_refresh_summary

    for phase in project.phases[:done]:
        phase.status = PhaseStatus.DONE
    if then is not None:
        project.phases[done].status = then
    project_refresh_summary(project)
    db.session.commit()


@pytest.mark.parametrize(
    ("query", "shown"),
    [("phase=works", {"IN-WORKS", "PAUSED"}), ("status=on_hold", {"PAUSED"}), ("status=active", {"FRESH", "IN-WORKS"})],
)
def test_list_and_timeline_filter_by_phase_and_status(
    app: Flask, client: FlaskClient, query: str, shown: set[str]
) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        make_project(code="FRESH")
        _advance(make_project(code="IN-WORKS"), 3)
        _advance(make_project(code="PAUSED"), 3, then=PhaseStatus.ON_HOLD)
    for path in ("/projects/", "/projects/timeline"):
        page = client.get(f"{path}?{query}").get_data(as_text=True)
        assert {code for code in ("FRESH", "IN-WORKS", "PAUSED") if code in page} == shown, path


def test_a_post_without_the_version_read_is_treated_as_a_conflict(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project(code="P-1", title="Original")
        project_id, center_id = project.id, project.center_id
    response = client.post(f"/projects/{project_id}/edit", data=_project_form(center_id, code="P-1", title="Blind"))
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Project, project_id).title == "Original"  # type: ignore[union-attr]


def test_milestone_edited_meanwhile_is_not_overwritten(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project()
        phase_id = project.phases[0].id
        milestone = milestone_create(
            db.session, project, title="Visit the center", phase_id=phase_id, planned_date=today()
        )
        db.session.commit()
        project_id, milestone_id, version_read = project.id, milestone.id, milestone.version
    form = {"phase_id": str(phase_id), "owner_id": "0", "planned_date": today().isoformat(), "status": "open"}
    url = f"/projects/{project_id}/milestones/{milestone_id}"
    first = client.post(url, data={**form, "title": "Visit with DINAF", "version": str(version_read)})
    assert first.status_code == 302
    second = client.post(url, data={**form, "title": "Visit alone", "version": str(version_read)})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Visit with DINAF" in page and "Visit alone" in page
    with app.app_context():
        assert db.session.get(Milestone, milestone_id).title == "Visit with DINAF"  # type: ignore[union-attr]


def test_phase_edited_meanwhile_is_not_overwritten(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _sign_in(client, Role.MANAGER)
        project = make_project()
        project_id, phase_id = project.id, project.phase(PhaseKind.EVALUATION).id
    url = f"/projects/{project_id}/phases/{phase_id}"
    first = client.post(url, data={"status": "in_progress", "gate_evidence": "EV-1", "version": "1"})
    assert first.status_code == 302
    second = client.post(url, data={"status": "on_hold", "gate_evidence": "EV-2", "version": "1"})
    assert second.status_code == 409
    assert "EV-1" in second.get_data(as_text=True)
    with app.app_context():
        phase = db.session.get(Phase, phase_id)
        assert phase is not None
        assert (phase.status, phase.gate_evidence) == (PhaseStatus.IN_PROGRESS, "EV-1")
