"""An engineer files a site assessment from the field through the API — checklist, figures, answers — and a
manager reviews it, with the assessment pages' rules: the author edits a draft, nobody approves their own work, an
approved assessment is read-only, and a bad value is named without losing what was saved."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.assessments.models import Assessment
from app.core.enums import AnswerType, AssessmentStatus
from app.extensions import db
from tests.api.conftest import bearer, problem_of
from tests.assessments.conftest import Site, make_site


def _site(app: Flask) -> tuple[Site, dict[str, str], dict[str, str], dict[str, str]]:
    with app.app_context():
        site = make_site()
        return site, bearer(site.engineer), bearer(site.manager), bearer(site.donor)


def _questions(client: FlaskClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    """One question of each answer type of the first active checklist."""
    checklists = client.get("/api/v1/checklists", headers=headers).get_json()["items"]
    by_type: dict[str, dict[str, Any]] = {}
    for question in checklists[0]["questions"]:
        by_type.setdefault(question["answer_type"], question)
    return by_type


def _start(client: FlaskClient, site: Site, headers: dict[str, str], **extra: Any) -> Any:
    body = {"template_id": site.template_id, "assessment_type": "working_model", "assessed_on": "2025-03-02", **extra}
    return client.post(f"/api/v1/projects/{site.project_id}/assessments", json=body, headers=headers)


def _patch(client: FlaskClient, url: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    etag = client.get(url, headers=headers).headers["ETag"]
    return client.patch(url, json=body, headers={**headers, "If-Match": etag})


def test_an_engineer_files_an_assessment_and_a_manager_approves_it(app: Flask, client: FlaskClient) -> None:
    site, engineer, manager, donor = _site(app)
    questions = _questions(client, engineer)
    assert {t.value for t in AnswerType} <= set(questions)
    started = _start(client, site, engineer, summary="Techo con goteras", figures={"toilets": 6, "showers": 4})
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    assert (body["status"], body["summary"], body["figures"]["toilets"]) == ("draft", "Techo con goteras", 6)
    url = body["links"]["self"]
    assert started.headers["Location"] == url

    answers = [
        {"question_id": questions["yes_no"]["id"], "value": True, "comment": "Agua potable 24 h"},
        {"question_id": questions["score"]["id"], "value": 3},
        {"question_id": questions["number"]["id"], "value": "12.5"},
        {"question_id": questions["text"]["id"], "value": "  Ventilación pobre  "},
    ]
    filled = _patch(client, url, engineer, {"figures": {"covered_area_m2": "350.75"}, "answers": answers})
    assert filled.status_code == 200, filled.get_json()
    saved = {a["question_id"]: a["value"] for a in filled.get_json()["answers"]}
    assert saved[questions["yes_no"]["id"]] is True
    assert saved[questions["score"]["id"]] == 3
    assert saved[questions["number"]["id"]] == "12.50"
    assert saved[questions["text"]["id"]] == "Ventilación pobre"
    figures = filled.get_json()["figures"]
    assert (figures["covered_area_m2"], figures["toilets"]) == ("350.75", 6)  # what was not sent is kept

    assert client.get(url, headers=donor).status_code == 404  # a donor sees approved assessments only
    submitted = client.post(f"{url}/submission", headers=engineer)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    own = client.post(f"{url}/review", json={"decision": "approve"}, headers=engineer)
    assert own.status_code == 403
    approved = client.post(f"{url}/review", json={"decision": "approve", "comment": "Bien"}, headers=manager)
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"
    assert _patch(client, url, engineer, {"summary": "later"}).status_code == 403  # read-only once approved
    shown = client.get(url, headers=donor)
    assert shown.status_code == 200 and shown.get_json()["author_id"] is None


def test_a_return_needs_a_comment_and_gives_the_draft_back(app: Flask, client: FlaskClient) -> None:
    site, engineer, manager, _donor = _site(app)
    url = _start(client, site, engineer).get_json()["links"]["self"]
    client.post(f"{url}/submission", headers=engineer)
    silent = client.post(f"{url}/review", json={"decision": "return"}, headers=manager)
    assert silent.status_code == 422 and "comment" in problem_of(silent)["errors"]
    returned = client.post(f"{url}/review", json={"decision": "return", "comment": "Falta fotos"}, headers=manager)
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    again = _patch(client, url, engineer, {"summary": "Con fotos"})
    assert again.status_code == 200 and again.get_json()["summary"] == "Con fotos"


def test_bad_values_are_named_and_the_saved_draft_is_untouched(app: Flask, client: FlaskClient) -> None:
    site, engineer, _manager, _donor = _site(app)
    questions = _questions(client, engineer)
    created = _start(client, site, engineer, summary="Primera visita", figures={"toilets": 4})
    url = created.get_json()["links"]["self"]
    cases = [
        ({"figures": {"toilets": -1}}, "figures.toilets"),
        ({"figures": {"toilets": 2, "accessible_toilets": 3}}, "figures.accessible_toilets"),
        ({"figures": {"covered_area_m2": "999999999999"}}, "figures.covered_area_m2"),
        ({"figures": {"showers": "four"}}, "figures.showers"),
        ({"figures": [1, 2]}, "figures"),
        ({"answers": [{"question_id": questions["score"]["id"], "value": 9}]}, "answers"),
        ({"answers": [{"question_id": questions["yes_no"]["id"], "value": "maybe"}]}, "answers"),
        ({"answers": [{"question_id": questions["number"]["id"], "value": 1.5}]}, "answers.0"),
        ({"answers": [{"question_id": 987654, "value": True}]}, "answers.0"),
        ({"answers": [{"question_id": questions["text"]["id"], "value": "a\x00b"}]}, "answers.0"),
        ({"answers": "yes"}, "answers"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = _patch(client, url, engineer, body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in problem_of(response)["errors"], (body, response.get_json())
    with app.app_context():
        stored = db.session.get(Assessment, created.get_json()["id"])
        assert stored is not None
        assert (stored.summary, stored.toilets, stored.accessible_toilets, stored.answers) == (
            "Primera visita",
            4,
            None,
            [],
        )
        assert stored.status is AssessmentStatus.DRAFT


def test_starting_an_assessment_is_checked_and_refused_to_donors(app: Flask, client: FlaskClient) -> None:
    site, engineer, _manager, donor = _site(app)
    assert _start(client, site, donor).status_code == 403
    assert client.get("/api/v1/checklists", headers=donor).status_code == 403
    future = _start(client, site, engineer, assessed_on="2999-01-01")
    assert future.status_code == 422 and "assessed_on" in problem_of(future)["errors"]
    wrong = _start(client, site, engineer, template_id=424242)
    assert wrong.status_code == 422 and "template_id" in problem_of(wrong)["errors"]
    missing = client.post(f"/api/v1/projects/{site.project_id}/assessments", json={}, headers=engineer)
    assert {"template_id", "assessment_type", "assessed_on"} <= set(problem_of(missing)["errors"])
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == 0


def test_another_engineer_cannot_edit_someone_elses_draft(app: Flask, client: FlaskClient) -> None:
    site, engineer, _manager, _donor = _site(app)
    url = _start(client, site, engineer).get_json()["links"]["self"]
    with app.app_context():
        from app.core.enums import Role
        from tests.factories import make_user

        colleague = bearer(make_user(Role.ENGINEER, email="otra@example.org"))
    assert _patch(client, url, colleague, {"summary": "mine now"}).status_code == 403
    assert client.post(f"{url}/submission", headers=colleague).status_code == 403
