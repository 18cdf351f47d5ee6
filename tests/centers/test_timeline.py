"""A center's page tells its whole story: changes to the center and to every project held there."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.centers.services import center_timeline, center_update
from app.centers.timeline import describe
from app.core.audit.recorder import acting_as
from app.core.enums import OrganizationKind, PhaseKind, PhaseStatus, Role
from app.extensions import db
from tests.centers.helpers import center_values
from tests.conftest import login
from tests.factories import make_center, make_organization, make_project, make_user


def _start_works(project: Any) -> None:
    project.phase(PhaseKind.WORKS).status = PhaseStatus.IN_PROGRESS
    db.session.commit()


def test_the_timeline_holds_the_center_and_its_projects_and_nothing_else_in_one_query(
    db_ctx: Flask, english: None
) -> None:
    manager = make_user(Role.MANAGER, name="Mario Gerente")
    with acting_as(manager.id):
        center = make_center(code="CAMR-SPS")
        project = make_project(center, code="PRJ-SPS")
        elsewhere = make_project(make_center(code="OTHER"), code="PRJ-OTHER")
        center.capacity = 320
        db.session.commit()
        _start_works(project)
        _start_works(elsewhere)

    assert center.code == "CAMR-SPS"  # loaded before counting: the commit expired it
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        entries = center_timeline(db.session, center, limit=100)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(statements) == 1
    assert {entry.project_id for entry in entries} == {None, project.id}
    kinds = [(entry.entity_type, entry.action) for entry in entries]
    assert kinds[0] == ("phases", "update")  # newest first
    assert ("centers", "update") in kinds and ("centers", "create") in kinds and ("projects", "create") in kinds

    sentences = [item.sentence for item in describe(entries, {project.id: project.code})]
    assert sentences[0] == "Mario Gerente updated the phase “Works” of project PRJ-SPS"
    assert "Mario Gerente created project PRJ-SPS" in sentences
    assert "Mario Gerente updated the center CAMR-SPS" in sentences
    first = describe(entries[:1], {project.id: project.code})[0]
    assert [(c.label, c.before, c.after) for c in first.changes] == [("Status", "Not started", "In progress")]


def test_the_limit_keeps_the_newest_entries(db_ctx: Flask) -> None:
    center = make_center()
    for capacity in (10, 20, 30):
        center_update(db.session, center, center_values(code=center.code, capacity=capacity), center.version)
        db.session.commit()
    entries = center_timeline(db.session, center, limit=2)
    assert [entry.changes.get("capacity", [None, None])[1] for entry in entries] == [30, 20]


def test_a_donor_sees_only_the_story_of_the_projects_it_funds(db_ctx: Flask) -> None:
    donor = make_user(Role.DONOR)
    center = make_center()
    funded = make_project(center, funder_ids=[donor.organization_id])
    unfunded = make_project(center)
    center.contact_phone = "+504 9999-9999"
    db.session.commit()
    entries = center_timeline(db.session, center, limit=100, viewer=donor)
    assert entries
    assert {entry.project_id for entry in entries} == {funded.id}
    assert unfunded.id not in {entry.project_id for entry in entries}


def test_the_center_page_shows_project_changes_in_words(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        manager = make_user(Role.MANAGER, email="manager@example.org", name="Mario Gerente")
        with acting_as(manager.id):
            center = make_center(code="CAMR-SPS")
            project = make_project(center, code="PRJ-SPS", title="Rehabilitation of the dormitories")
            _start_works(project)
        center_id, project_id = center.id, project.id
    login(client, "manager@example.org")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    assert "Mario Gerente updated the phase “Works” of project PRJ-SPS" in page
    assert "Not started → In progress" in page
    assert "Rehabilitation of the dormitories" in page
    assert f'href="/projects/{project_id}"' in page
    assert "Mario Gerente created the center CAMR-SPS" in page


def test_archiving_reads_as_archived_in_the_timeline(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="manager@example.org", name="Mario Gerente")
        center_id = make_center(code="CAMR-OMOA").id
    login(client, "manager@example.org")
    client.post("/language", data={"lang": "en"})
    client.post(f"/centers/{center_id}/archive", data={})
    client.post(f"/centers/{center_id}/restore", data={})
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    assert "Mario Gerente archived the center CAMR-OMOA" in page
    assert "Mario Gerente restored the center CAMR-OMOA" in page


def test_a_donor_reads_which_organization_acted_not_who(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        iom_id = make_organization(acronym="IOM", kind=OrganizationKind.UN_AGENCY).id
        usaid_id = make_organization(acronym="USAID").id
        db.session.commit()
        manager = make_user(Role.MANAGER, name="Mario Gerente", organization_id=iom_id)
        make_user(Role.DONOR, email="donor@example.org", organization_id=usaid_id)
        with acting_as(manager.id):
            center = make_center(code="CAMR-SPS")
            project = make_project(center, code="PRJ-SPS", funder_ids=[usaid_id])
            _start_works(project)
        center_id = center.id
    login(client, "donor@example.org")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    assert "IOM updated the phase “Works” of project PRJ-SPS" in page
    assert "the funding by USAID of project PRJ-SPS" in page
    assert "Mario Gerente" not in page
    assert "created the center" not in page  # the center's own record is staff business
