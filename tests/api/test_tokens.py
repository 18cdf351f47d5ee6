"""Personal access tokens: exchanged for an e-mail and password, shown once, stored hashed, revoked for good."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.api.models import ApiToken
from app.core.enums import Role
from app.core.timeutil import utcnow
from app.extensions import db
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _exchange(client: FlaskClient, email: str, password: str = PASSWORD, **extra: object) -> object:
    return client.post("/api/v1/tokens", json={"email": email, "password": password, **extra})


def test_a_user_exchanges_email_and_password_for_a_token_kept_only_as_a_hash(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = make_user(Role.ENGINEER, email="eng@example.org")
        response = _exchange(client, "ENG@example.org ", name="field tablet", expires_in_days=30)
        assert response.status_code == 201
        body = response.get_json()
        secret = body["token"]
        assert secret.startswith("rhb_") and len(secret) > 40
        assert body["name"] == "field tablet" and body["expires_at"] is not None
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert token is not None
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in {token.token_hash, token.prefix, token.name}
        assert secret.startswith(token.prefix)

        listed = client.get("/api/v1/centers", headers={"Authorization": f"Bearer {secret}"})
        assert listed.status_code == 200
        db.session.expire_all()
        assert token.last_used_at is not None


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "disabled account"])
def test_a_refused_exchange_does_not_say_why(app: Flask, client: FlaskClient, case: str) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org", active=case != "disabled account")
        email = "nobody@example.org" if case == "unknown e-mail" else "m@example.org"
        password = "not-the-password" if case == "wrong password" else PASSWORD
        response = _exchange(client, email, password)
        assert response.status_code == 401
        problem = problem_of(response)
        assert "token" not in problem
        assert problem["detail"] == _exchange(client, "nobody@example.org").get_json()["detail"]
        assert db.session.scalar(select(ApiToken)) is None


@pytest.mark.config(LOGIN_RATE_LIMIT="3 per minute")
def test_the_exchange_is_rate_limited_like_the_sign_in_form(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
    statuses = [_exchange(client, "m@example.org", "wrong-password").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = _exchange(client, "m@example.org")
    assert limited.status_code == 429
    problem_of(limited)


def test_a_revoked_token_no_longer_opens_the_api(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user, headers = user_with_token(Role.MANAGER)
        assert client.get("/api/v1/projects", headers=headers).status_code == 200
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert token is not None
        token.revoked_at = utcnow()
        db.session.commit()
    response = client.get("/api/v1/projects", headers=headers)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    problem_of(response)


def test_an_expired_token_and_a_disabled_account_are_refused(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        expired_user, expired = user_with_token(Role.MANAGER)
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == expired_user.id))
        assert token is not None
        token.expires_at = utcnow() - timedelta(seconds=1)
        disabled_user, disabled = user_with_token(Role.MANAGER)
        disabled_user.active = False
        db.session.commit()
    assert client.get("/api/v1/centers", headers=expired).status_code == 401
    assert client.get("/api/v1/centers", headers=disabled).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer ", "Basic bWFuYWdlcjpwYXNz", "Bearer rhb_made-up", "Bearer x" * 50])
def test_a_missing_or_bad_token_gets_401_with_a_bearer_challenge(client: FlaskClient, header: str) -> None:
    response = client.get("/api/v1/centers", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem_of(response)


def test_a_signed_in_browser_cookie_does_not_open_the_api(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        manager = make_user(Role.MANAGER)
        login(client, manager.email)
    assert client.get("/").status_code in (200, 302)
    assert client.get("/centers/").status_code == 200
    read = client.get("/api/v1/centers")
    write = client.post("/api/v1/centers", json={"code": "X", "name": "X"})
    assert (read.status_code, write.status_code) == (401, 401)


def test_the_api_sets_no_session_cookie(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _user, headers = user_with_token(Role.MANAGER)
    assert "Set-Cookie" not in client.get("/api/v1/centers", headers=headers).headers
    assert "Set-Cookie" not in client.get("/api/v1/centers").headers


def test_a_person_creates_lists_and_revokes_tokens_on_their_account_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        donor_id = make_user(Role.DONOR, email="donor@example.org").id
        other, _ = user_with_token(Role.MANAGER)
        other_token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
        login(client, "donor@example.org")
    client.post("/language", data={"lang": "en"})
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and "no tokens yet" in page.get_data(as_text=True)
    assert "Authorization: Bearer rhb_" in page.get_data(as_text=True)  # how to send one, shown whole

    created = client.post("/account/tokens/", data={"name": "Donor dashboard", "expires": "30"})
    text = created.get_data(as_text=True)
    assert created.status_code == 200
    secret = re.search(r'id="new-token-secret">(rhb_[^<]+)<', text)
    assert secret is not None and "will not be shown again" in text
    assert secret.group(1) not in client.get("/account/tokens/").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200

    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == donor_id))
    # Someone else's token cannot be revoked from this account.
    client.post("/account/tokens/revoke", data={"token_id": str(other_token_id)})
    revoked = client.post("/account/tokens/revoke", data={"token_id": str(token_id)}, follow_redirects=True)
    assert "was revoked" in revoked.get_data(as_text=True) and "Revoked" in revoked.get_data(as_text=True)
    assert client.get("/api/v1/projects", headers=headers).status_code == 401
    with app.app_context():
        other_token = db.session.get(ApiToken, other_token_id)
        assert other_token is not None and other_token.revoked_at is None


def test_the_token_page_needs_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = make_user(Role.MANAGER)
        login(client, user.email)
    response = client.post("/account/tokens/", data={"name": "x"}, no_csrf=True)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_token_needs_a_name(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        headers = bearer(make_user(Role.MANAGER, email="m@example.org"))
    assert headers["Authorization"].startswith("Bearer rhb_")
    response = _exchange(client, "m@example.org", name="   ")
    assert response.status_code == 422
    assert "name" in problem_of(response)["errors"]


def test_a_new_token_can_be_had_while_holding_a_revoked_one(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
    response = client.post(
        "/api/v1/tokens",
        json={"email": "m@example.org", "password": PASSWORD},
        headers={"Authorization": "Bearer rhb_revoked-long-ago"},
    )
    assert response.status_code == 201
