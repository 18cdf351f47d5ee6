"""Every request leaves one JSON line on stderr with its request id — and never a password, token or e-mail."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.operations.logs import log_format
from tests.conftest import login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.config(LOG_FORMAT="json")


def _lines(captured: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def _requests(captured: str) -> list[dict[str, Any]]:
    return [entry for entry in _lines(captured) if entry["logger"] == "rehabilita.requests"]


def test_a_sign_in_is_logged_without_its_password_or_e_mail(
    client: FlaskClient, app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    with app.app_context():
        user_id = make_user(email="ingeniera@example.org").id
    capsys.readouterr()

    assert login(client, "ingeniera@example.org").status_code == 302
    client.get("/dashboard")
    client.post("/login", data={"email": "ingeniera@example.org", "password": "wrong-" + PASSWORD})

    captured = capsys.readouterr().err
    assert PASSWORD not in captured
    assert "ingeniera@example.org" not in captured and "ingeniera" not in captured
    assert "csrf_token" not in captured and "session=" not in captured
    sign_in, dashboard, refused = _requests(captured)
    assert sign_in["method"] == "POST" and sign_in["path"] == "/login" and sign_in["status"] == 302
    assert dashboard["path"] == "/dashboard" and dashboard["user_id"] == user_id
    assert set(dashboard) >= {"timestamp", "level", "logger", "message", "request_id", "duration_ms"}
    assert isinstance(dashboard["duration_ms"], float)
    assert refused["user_id"] == user_id, "signed in already: the failed attempt is still this person's request"


@pytest.mark.config(LOGIN_RATE_LIMIT="2 per minute", LOG_FORMAT="json")
def test_a_refused_sign_in_leaves_a_429_line_without_the_client_address(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test session's migrations (Alembic's fileConfig) disabled the library's logger; a server's is not.
    monkeypatch.setattr(logging.getLogger("flask-limiter"), "disabled", False)
    statuses = [
        login(client, "nadie@example.org", "wrong-password-1").status_code,
        login(client, "nadie@example.org", "wrong-password-2").status_code,
        login(client, "nadie@example.org", "wrong-password-3").status_code,
    ]

    captured = capsys.readouterr().err
    assert statuses[-1] == 429
    assert [entry["status"] for entry in _requests(captured)][-1] == 429
    assert "127.0.0.1" not in captured and "wrong-password" not in captured and "nadie" not in captured


def test_query_strings_are_left_out_of_the_log(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    client.get("/login?next=/reports&token=s3cr3t-t0ken")

    captured = capsys.readouterr().err
    assert "s3cr3t-t0ken" not in captured
    assert _requests(captured)[0]["path"] == "/login"


def test_a_sane_request_id_is_echoed_and_logged(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a-0001"})

    assert response.headers["X-Request-ID"] == "lb-7f3a-0001"
    assert _requests(capsys.readouterr().err)[0]["request_id"] == "lb-7f3a-0001"


@pytest.mark.parametrize("sent", [None, "x" * 65, "abc def", "id;Set-Cookie:x=1", '{"json":1}', "ünïcode"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(
    client: FlaskClient, capsys: pytest.CaptureFixture[str], sent: str | None
) -> None:
    headers = {"X-Request-ID": sent} if sent is not None else {}

    first = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    second = client.get("/healthz", headers=headers).headers["X-Request-ID"]

    assert first != sent and len(first) == 32 and first != second
    assert [entry["request_id"] for entry in _requests(capsys.readouterr().err)] == [first, second]


def test_errors_logged_during_a_request_carry_its_id(
    client: FlaskClient, app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    app.extensions["storage"] = None  # the storage probe fails and logs why

    response = client.get("/healthz", headers={"X-Request-ID": "probe-1"})

    assert response.status_code == 503
    problem = next(e for e in _lines(capsys.readouterr().err) if e["logger"] == "app.operations.health")
    assert problem["level"] == "ERROR" and problem["request_id"] == "probe-1" and "exception" in problem


@pytest.mark.config(LOG_FORMAT="")
def test_tests_and_debugging_log_plain_text_production_json(app: Flask) -> None:
    assert log_format(app) == "text"
    app.testing = False
    assert log_format(app) == "json"
    app.config["LOG_FORMAT"] = "text"
    assert log_format(app) == "text"
