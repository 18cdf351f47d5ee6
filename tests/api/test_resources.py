"""Centers, projects, phases and milestones through the API: the web pages' permissions, pages that walk every row
once, ETags, and updates that refuse to overwrite someone else's change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.centers.models import Center
from app.core.enums import Role
from app.extensions import db
from app.projects.models import Milestone, Project
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_center, make_organization, make_project, make_user


def _walk(client: FlaskClient, url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every item of a list, following ``next`` links to the end."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    pages = 0
    while next_url:
        response = client.get(next_url, headers=headers)
        assert response.status_code == 200, response.get_json()
        items += response.get_json()["items"]
        next_url = response.get_json()["next"]
        pages += 1
        assert pages < 100
    return items


# --- donors see only what they fund ---------------------------------------------------------------------
def test_a_donor_sees_only_the_projects_it_funds(db_app: Flask) -> None:
    client = db_app.test_client()
    with db_app.app_context():
        ours, theirs = make_organization(acronym="USAID"), make_organization(acronym="SIDA")
        funded = make_project(funder_ids=[ours.id])
        other = make_project(funder_ids=[theirs.id])
        milestone_id = _milestone(other).id
        ids = {"funded": funded.id, "other": other.id, "other_center": other.center_id}
        headers = bearer(make_user(Role.DONOR, organization_id=ours.id))
    listed = _walk(client, "/api/v1/projects", headers)
    assert [p["id"] for p in listed] == [ids["funded"]]
    assert client.get(f"/api/v1/projects/{ids['funded']}", headers=headers).status_code == 200
    for url in (
        f"/api/v1/projects/{ids['other']}",
        f"/api/v1/projects/{ids['other']}/phases",
        f"/api/v1/projects/{ids['other']}/milestones",
        f"/api/v1/milestones/{milestone_id}",
        f"/api/v1/centers/{ids['other_center']}",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        problem_of(response)
    assert client.patch(f"/api/v1/projects/{ids['funded']}", json={}, headers=headers).status_code == 403


def test_a_donor_gets_no_contacts_and_only_a_rounded_position(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid = make_organization()
        center = make_center(latitude=Decimal("15.504612"), longitude=Decimal("-88.025019"), contact_name="Ana")
        make_project(center, funder_ids=[usaid.id])
        center_id = center.id
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
        staff = bearer(make_user(Role.ENGINEER))
    seen = client.get(f"/api/v1/centers/{center_id}", headers=donor).get_json()
    assert (seen["latitude"], seen["longitude"], seen["contact_name"]) == ("15.50", "-88.03", None)
    exact = client.get(f"/api/v1/centers/{center_id}", headers=staff).get_json()
    assert (exact["latitude"], exact["contact_name"]) == ("15.504612", "Ana")


# --- pagination and filters -----------------------------------------------------------------------------
def test_pages_walk_every_center_exactly_once(db_app: Flask) -> None:
    client = db_app.test_client()
    with db_app.app_context():
        expected = sorted(make_center(department="Yoro" if n % 3 else "Cortés").id for n in range(11))
        headers = user_with_token(Role.ENGINEER)[1]
    seen = [c["id"] for c in _walk(client, "/api/v1/centers?limit=3", headers)]
    assert seen == expected
    first = client.get("/api/v1/centers?limit=3&department=Yoro", headers=headers).get_json()
    assert "department=Yoro" in first["next"] and "limit=3" in first["next"]
    yoro = _walk(client, "/api/v1/centers?limit=3&department=Yoro", headers)
    assert {c["department"] for c in yoro} == {"Yoro"} and len(yoro) == 7
    assert client.get("/api/v1/centers", headers=headers).get_json()["next"] is None


def test_projects_filter_by_center_phase_and_status(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        center = make_center()
        center_id, mine = center.id, make_project(center).id
        make_project()
        headers = user_with_token(Role.MANAGER)[1]
    by_center = _walk(client, f"/api/v1/projects?center_id={center_id}", headers)
    assert [p["id"] for p in by_center] == [mine]
    assert len(_walk(client, "/api/v1/projects?phase=evaluation&status=active", headers)) == 2
    assert _walk(client, "/api/v1/projects?status=completed", headers) == []
    assert client.get("/api/v1/projects?phase=demolition", headers=headers).status_code == 400


# --- ETags and optimistic locking -----------------------------------------------------------------------
def test_a_read_has_an_etag_and_an_unchanged_record_answers_304(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = make_project().id
        headers = user_with_token(Role.ENGINEER)[1]
    first = client.get(f"/api/v1/projects/{project_id}", headers=headers)
    etag = first.headers["ETag"]
    assert etag == f'"v{first.get_json()["version"]}"'
    again = client.get(f"/api/v1/projects/{project_id}", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.get_data()
    head = client.head(f"/api/v1/projects/{project_id}", headers={**headers, "If-None-Match": etag})
    assert head.status_code == 304
    other = client.get(f"/api/v1/projects/{project_id}", headers={**headers, "If-None-Match": '"v999"'})
    assert other.status_code == 200


def test_an_update_needs_if_match_and_a_stale_one_changes_nothing(db_app: Flask) -> None:
    client = db_app.test_client()
    with db_app.app_context():
        center_id = make_center(name="Old name").id
        headers = user_with_token(Role.MANAGER)[1]
    url = f"/api/v1/centers/{center_id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    missing = client.patch(url, json={"name": "Nameless"}, headers=headers)
    assert missing.status_code == 428
    problem_of(missing)

    saved = client.patch(url, json={"name": "First edit"}, headers={**headers, "If-Match": etag})
    assert saved.status_code == 200 and saved.get_json()["name"] == "First edit"
    assert saved.headers["ETag"] != etag

    stale = client.patch(url, json={"name": "Second edit", "capacity": 5}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    problem_of(stale)
    with db_app.app_context():
        center = db.session.get(Center, center_id)
        assert center is not None and (center.name, center.capacity) == ("First edit", None)
        assert f'"v{center.version}"' == saved.headers["ETag"]


def test_changing_only_the_funders_moves_the_etag(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = make_project().id
        funder = make_organization().id
        headers = user_with_token(Role.MANAGER)[1]
    url = f"/api/v1/projects/{project_id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    changed = client.patch(url, json={"funder_ids": [funder]}, headers={**headers, "If-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["funder_ids"] == [funder]
    assert changed.headers["ETag"] != etag


# --- writing --------------------------------------------------------------------------------------------
def test_a_manager_creates_a_center_and_a_project_with_its_five_phases(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        funder = make_organization().id
        headers = user_with_token(Role.MANAGER)[1]
    center = client.post(
        "/api/v1/centers",
        json={
            "code": "canfm-belen",
            "name": "CANFM Belén",
            "population": "children_and_families",
            "department": "Francisco Morazán",
            "municipality": "Tegucigalpa",
            "latitude": "14.0818",
            "longitude": "-87.2068",
        },
        headers=headers,
    )
    assert center.status_code == 201
    body = center.get_json()
    assert (body["code"], body["latitude"]) == ("CANFM-BELEN", "14.081800")
    assert center.headers["Location"] == body["links"]["self"] and center.headers["ETag"]

    project = client.post(
        "/api/v1/projects",
        json={
            "code": "BEL-01",
            "title": "Rehabilitación",
            "center_id": body["id"],
            "funder_ids": [funder],
            "planned_start": "2026-01-05",
            "planned_end": "2026-12-18",
        },
        headers=headers,
    )
    assert project.status_code == 201, project.get_json()
    created = project.get_json()
    assert (created["status"], created["current_phase"], created["physical_progress"]) == (
        "active",
        "evaluation",
        "0.00",
    )
    phases = client.get(created["links"]["phases"], headers=headers).get_json()["items"]
    assert [p["kind"] for p in phases] == ["evaluation", "partnership", "design", "works", "handover"]


def test_a_manager_logs_and_closes_a_milestone(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project = make_project()
        project_id, design_id = project.id, project.phases[2].id
        headers = user_with_token(Role.MANAGER)[1]
    logged = client.post(
        f"/api/v1/projects/{project_id}/milestones",
        json={"title": "Planos aprobados", "planned_date": "2025-03-01", "phase_id": design_id},
        headers=headers,
    )
    assert logged.status_code == 201, logged.get_json()
    milestone = logged.get_json()
    assert (milestone["status"], milestone["phase_id"], milestone["actual_date"]) == ("open", design_id, None)

    url = milestone["links"]["self"]
    done = client.patch(
        url,
        json={"status": "done", "actual_date": "2025-03-04"},
        headers={**headers, "If-Match": logged.headers["ETag"]},
    )
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["actual_date"]) == ("done", "2025-03-04")
    future = client.patch(
        url, json={"actual_date": "2999-01-01"}, headers={**headers, "If-Match": done.headers["ETag"]}
    )
    assert future.status_code == 422 and "actual_date" in problem_of(future)["errors"]
    with app.app_context():
        saved = db.session.get(Milestone, milestone["id"])
        assert saved is not None and str(saved.actual_date) == "2025-03-04"
    listed = client.get(f"/api/v1/projects/{project_id}/milestones?status=done", headers=headers).get_json()
    assert [m["id"] for m in listed["items"]] == [milestone["id"]]


def test_an_engineer_reads_but_does_not_steer(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = make_project().id
        headers = user_with_token(Role.ENGINEER)[1]
    etag = client.get(f"/api/v1/projects/{project_id}", headers=headers).headers["ETag"]
    patch = client.patch(f"/api/v1/projects/{project_id}", json={"title": "x"}, headers={**headers, "If-Match": etag})
    assert patch.status_code == 403
    post = client.post(f"/api/v1/projects/{project_id}/milestones", json={"title": "x"}, headers=headers)
    assert post.status_code == 403
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project is not None and project.title != "x"


def _milestone(project: Project) -> Milestone:
    from app.projects.tracking import milestone_create
    from tests.factories import d

    milestone = milestone_create(
        db.session(), project, title="Hito", phase_id=project.phases[0].id, planned_date=d("2025-02-01")
    )
    db.session.commit()
    return milestone
