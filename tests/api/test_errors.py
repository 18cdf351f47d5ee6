"""Every API error is a problem document a person can read: 4xx for what the client sent, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.centers.models import Center
from app.core.enums import Role
from app.extensions import db
from tests.api.conftest import problem_of, user_with_token
from tests.factories import make_center

CENTER = {
    "code": "CAMR-OMOA",
    "name": "CAMR Omoa",
    "population": "unaccompanied_children",
    "department": "Cortés",
    "municipality": "Omoa",
}


@pytest.fixture
def manager(app: Flask) -> dict[str, str]:
    with app.app_context():
        return user_with_token(Role.MANAGER)[1]


def _centers(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Center)) or 0)


def test_invalid_json_is_a_400(app: Flask, client: FlaskClient, manager: dict[str, str]) -> None:
    response = client.post("/api/v1/centers", data='{"code": ', content_type="application/json", headers=manager)
    assert response.status_code == 400
    assert "JSON" in problem_of(response)["detail"]
    nan = client.post("/api/v1/centers", data='{"capacity": NaN}', content_type="application/json", headers=manager)
    assert nan.status_code == 400


def test_a_body_that_is_not_json_is_a_415(client: FlaskClient, manager: dict[str, str]) -> None:
    response = client.post("/api/v1/centers", data={"code": "X"}, headers=manager)
    assert response.status_code == 415
    problem_of(response)


def test_unknown_fields_and_wrong_types_are_named_in_a_422(app: Flask, client: FlaskClient, manager: dict) -> None:
    body = {**CENTER, "colour": "blue", "capacity": "many", "latitude": 15.5, "population": "adults"}
    response = client.post("/api/v1/centers", json=body, headers=manager)
    assert response.status_code == 422
    errors = problem_of(response)["errors"]
    assert set(errors) == {"colour", "capacity", "latitude", "population"}
    assert _centers(app) == 0


def test_a_json_array_or_a_bad_date_is_a_422(app: Flask, client: FlaskClient, manager: dict[str, str]) -> None:
    assert client.post("/api/v1/centers", json=[CENTER], headers=manager).status_code == 422
    with app.app_context():
        center_id = make_center().id
    project = {"code": "P-1", "title": "T", "center_id": center_id, "planned_start": "2025-02-30"}
    response = client.post("/api/v1/projects", json={**project, "planned_end": "31/12/2025"}, headers=manager)
    assert response.status_code == 422
    assert set(problem_of(response)["errors"]) == {"planned_start", "planned_end"}


def test_the_services_rules_come_back_as_422_on_their_field(app: Flask, client: FlaskClient, manager: dict) -> None:
    assert client.post("/api/v1/centers", json=CENTER, headers=manager).status_code == 201
    duplicate = client.post("/api/v1/centers", json={**CENTER, "code": "camr-omoa"}, headers=manager)
    assert duplicate.status_code == 422
    assert "CAMR-OMOA" in problem_of(duplicate)["errors"]["code"][0]
    swapped = client.post(
        "/api/v1/centers", json={**CENTER, "code": "B", "latitude": "-88.0", "longitude": "15.5"}, headers=manager
    )
    assert swapped.status_code == 422 and "latitude" in problem_of(swapped)["errors"]
    assert _centers(app) == 1


@pytest.mark.config(MAX_CONTENT_LENGTH=2048)
def test_an_oversized_body_is_a_413(app: Flask, client: FlaskClient, manager: dict[str, str]) -> None:
    response = client.post("/api/v1/centers", json={**CENTER, "address": "x" * 4096}, headers=manager)
    assert response.status_code == 413
    problem_of(response)
    assert _centers(app) == 0


def test_a_json_body_over_one_megabyte_is_a_413_whatever_the_upload_limit(client: FlaskClient, manager: dict) -> None:
    response = client.post("/api/v1/centers", json={**CENTER, "address": "x" * 1_100_000}, headers=manager)
    assert response.status_code == 413


def test_unknown_addresses_and_methods_are_problems_too(client: FlaskClient, manager: dict[str, str]) -> None:
    missing = client.get("/api/v1/nothing-here", headers=manager)
    assert missing.status_code == 404
    problem_of(missing)
    not_allowed = client.delete("/api/v1/centers", headers=manager)
    assert not_allowed.status_code == 405
    assert "GET" in not_allowed.headers["Allow"]
    problem_of(not_allowed)
    assert client.get("/api/v1/centers/99999999999999", headers=manager).status_code == 404


def test_a_role_that_may_not_write_gets_a_403(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _engineer, headers = user_with_token(Role.ENGINEER)
    response = client.post("/api/v1/centers", json=CENTER, headers=headers)
    assert response.status_code == 403
    problem_of(response)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=%%%", "cursor"),
        ("cursor=eyJhZnRlciI6ICJ4In0", "cursor"),
        ("department=Texas", "department"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_them(client: FlaskClient, manager: dict, query: str, field: str) -> None:
    response = client.get(f"/api/v1/centers?{query}", headers=manager)
    assert response.status_code == 400
    assert field in problem_of(response)["errors"]


def test_problems_speak_the_language_asked_for(app: Flask, client: FlaskClient, manager: dict[str, str]) -> None:
    spanish = client.post("/api/v1/centers", json={"colour": 1}, headers={**manager, "Accept-Language": "es"})
    english = client.post("/api/v1/centers", json={"colour": 1}, headers={**manager, "Accept-Language": "en"})
    assert problem_of(english)["errors"]["colour"] == ["This field is not known."]
    assert problem_of(spanish)["errors"]["colour"] != ["This field is not known."]


def test_a_code_that_grows_past_its_length_when_capitalised_is_a_422(
    app: Flask, client: FlaskClient, manager: dict
) -> None:
    # "ß" is one character but "SS" in capitals: 20 of them fit the input and not the column.
    response = client.post("/api/v1/centers", json={**CENTER, "code": "ß" * 20}, headers=manager)
    assert response.status_code == 422 and "code" in problem_of(response)["errors"]
    with app.app_context():
        center_id = make_center().id
    project = {"code": "ß" * 20, "title": "T", "center_id": center_id}
    response = client.post(
        "/api/v1/projects",
        json={**project, "planned_start": "2025-01-01", "planned_end": "2025-02-01"},
        headers=manager,
    )
    assert response.status_code == 422 and "code" in problem_of(response)["errors"]


def test_lone_surrogates_and_control_characters_are_refused(client: FlaskClient, manager: dict[str, str]) -> None:
    for bad in ('"CAMR\\ud800"', '"CAMR\\u0000"'):
        body = '{"code": %s, "name": "n", "population": "returned_adults", "department": "Yoro", "municipality": "m"}'
        response = client.post("/api/v1/centers", data=body % bad, content_type="application/json", headers=manager)
        assert response.status_code == 422 and "code" in problem_of(response)["errors"]


def test_accept_language_wins_over_the_language_saved_for_the_person(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        headers = user_with_token(Role.MANAGER, locale="es")[1]
    english = client.post("/api/v1/centers", json={"colour": 1}, headers={**headers, "Accept-Language": "en"})
    saved = client.post("/api/v1/centers", json={"colour": 1}, headers=headers)
    assert problem_of(english)["errors"]["colour"] == ["This field is not known."]
    assert problem_of(saved)["errors"]["colour"] == ["Este campo no existe."]
