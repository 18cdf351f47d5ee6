from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from app.extensions import db
from tests.conftest import login
from tests.factories import make_user

WRONG = "The e-mail or the password is not correct."


def test_user_signs_in_and_reaches_the_dashboard(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="maria@example.org")
    response = login(client, "Maria@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    "email,password", [("nobody@example.org", "whatever-123"), ("maria@example.org", "wrong-pass-1")]
)
def test_wrong_email_or_password_get_the_same_message(
    app: Flask, client: FlaskClient, email: str, password: str
) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="maria@example.org")
    client.post("/language", data={"lang": "en"})
    response = client.post("/login", data={"email": email, "password": password}, follow_redirects=True)
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_disabled_user_cannot_sign_in(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org", active=False)
    client.post("/language", data={"lang": "en"})
    response = login(client, "eng@example.org")
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)


def test_login_redirect_only_goes_to_this_site(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="maria@example.org")
    response = client.post(
        "/login",
        data={"email": "maria@example.org", "password": "correct-horse-battery", "next": "//evil.example/x"},
    )
    assert response.headers["Location"].endswith("/dashboard")


def test_pages_need_a_signed_in_user(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_form_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="maria@example.org")
    client.post("/language", data={"lang": "en"})
    response = client.post(
        "/login", data={"email": "maria@example.org", "password": "correct-horse-battery"}, no_csrf=True
    )
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


@pytest.mark.config(LOGIN_RATE_LIMIT="3 per minute")
def test_repeated_failed_logins_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    for _ in range(3):
        assert login(client, "someone@example.org", "bad-password-1").status_code == 200
    response = login(client, "someone@example.org", "bad-password-1")
    assert response.status_code == 429


def test_password_is_stored_as_argon2_hash(app: Flask) -> None:
    with app.app_context():
        user = make_user(Role.MANAGER, password="a-long-password")
        assert user.password_hash.startswith("$argon2id$")
        assert "a-long-password" not in user.password_hash
        db.session.remove()
