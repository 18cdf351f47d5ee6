"""A session cookie copied before logout or a password change stops working after it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from tests.conftest import FormClient, login
from tests.factories import make_user


def _copy_cookie(app: Flask, source: FlaskClient) -> FlaskClient:
    thief = app.test_client()
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_cookie_copied_before_logout_is_refused_after_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="maria@example.org")
    login(client, "maria@example.org")
    thief = _copy_cookie(app, client)
    assert thief.get("/dashboard").status_code == 200

    assert client.post("/logout", data={}).status_code == 302
    assert client.get("/dashboard").status_code == 302
    response = thief.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org")
    login(client, "eng@example.org")
    app.test_client_class = FormClient
    other_device = app.test_client()
    login(other_device, "eng@example.org")
    assert other_device.get("/dashboard").status_code == 200

    response = client.post(
        "/account/password",
        data={
            "current_password": "correct-horse-battery",
            "new_password": "new-password-42",
            "confirm": "new-password-42",
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302
    client.post("/logout", data={})
    assert login(client, "eng@example.org", "new-password-42").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org")
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    response = client.post(
        "/account/password",
        data={
            "current_password": "not-it-at-all",
            "new_password": "new-password-42",
            "confirm": "new-password-42",
        },
    )
    assert response.status_code == 200
    assert "The current password is not correct." in response.get_data(as_text=True)
    client.post("/logout", data={})
    assert login(client, "eng@example.org").status_code == 302


def test_disabling_a_user_ends_their_session(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
        victim = make_user(Role.ENGINEER, email="eng@example.org")
        victim_id = victim.id
    app.test_client_class = FormClient
    engineer = app.test_client()
    login(engineer, "eng@example.org")
    login(client, "admin@example.org")
    response = client.post(
        f"/admin/users/{victim_id}", data={"name": "Eng", "role": "engineer", "organization_id": "0"}
    )
    assert response.status_code == 302
    assert engineer.get("/dashboard").status_code == 302
