from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from tests.conftest import login
from tests.factories import make_user


def test_every_page_carries_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_and_load_assets_from_this_site(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    login(client, "admin@example.org")
    for path in ("/login", "/dashboard", "/admin/users/", "/admin/audit/"):
        html = client.get(path).get_data(as_text=True)
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head, f"inline script on {path}"
            assert "http" not in head, f"external script on {path}"
        assert "https://cdn" not in html
        assert 'style="' not in html


def test_session_cookie_is_httponly_and_samesite(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    response = login(client, "admin@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_bootstrap_is_served_by_the_app_itself(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert "/bootstrap/static/css/bootstrap.min.css" in html
    response = client.get("/bootstrap/static/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in response.data[:300]


def test_friendly_404_page(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_rate_limits_of_one_app_do_not_leak_into_the_next(tmp_path: Path) -> None:
    """Flask-Limiter's limiter is one object per process; a second app must not inherit the first one's limits."""
    from app import create_app
    from tests.conftest import base_config

    strict = create_app(base_config(tmp_path, "sqlite://") | {"RATELIMIT_DEFAULT": "1 per minute"})
    client = strict.test_client()
    assert [client.get("/login").status_code for _ in range(2)] == [200, 429]
    plain = create_app(base_config(tmp_path, "sqlite://"))
    client = plain.test_client()
    assert [client.get("/login").status_code for _ in range(3)] == [200, 200, 200]
