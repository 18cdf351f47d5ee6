"""``/healthz`` tells a load balancer whether this instance can reach its database and its storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.storage import LocalStorage, S3Storage
from tests.conftest import login
from tests.factories import make_user


def test_a_healthy_instance_answers_ok_without_a_session(client: FlaskClient, app: Flask) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    uploads = Path(app.config["UPLOAD_FOLDER"])
    assert not [p for p in uploads.rglob("*") if p.is_file()], "the storage probe is deleted again"


def test_a_signed_in_browser_keeps_its_cookie_untouched(client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        make_user(email="manager@example.org")
    assert login(client, "manager@example.org").status_code == 302

    response = client.get("/healthz")

    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert client.get("/").status_code == 302, "still signed in: sent on to the dashboard"
    assert client.get("/dashboard").status_code == 200


@pytest.mark.config(RATELIMIT_DEFAULT="2 per minute", RATELIMIT_ENABLED=True)
def test_a_load_balancer_probing_often_is_never_rate_limited(client: FlaskClient) -> None:
    assert [client.get("/healthz").status_code for _ in range(6)] == [200] * 6


@pytest.mark.config(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-folder/rehabilita.db")
def test_an_unreachable_database_answers_503(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "database": "fail", "storage": "ok"}


def test_a_storage_that_cannot_keep_files_answers_503(client: FlaskClient, app: Flask, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_bytes(b"")
    app.extensions["storage"] = LocalStorage(not_a_folder)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "database": "ok", "storage": "fail"}


def test_the_probe_goes_through_an_s3_bucket_and_leaves_nothing(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto = pytest.importorskip("moto", reason="moto is not installed")
    boto3 = pytest.importorskip("boto3")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        app.extensions["storage"] = S3Storage("rehabilita", client=s3)

        missing_bucket = client.get("/healthz")
        s3.create_bucket(Bucket="rehabilita")
        healthy = client.head("/healthz")

        assert missing_bucket.status_code == 503 and missing_bucket.get_json()["storage"] == "fail"
        assert healthy.status_code == 200
        assert s3.list_objects_v2(Bucket="rehabilita").get("KeyCount") == 0
