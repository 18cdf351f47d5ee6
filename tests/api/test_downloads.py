"""Prepared downloads through the API: a ZIP of photos or the whole portfolio, asked for, prepared in the
background, followed and fetched — by the token's user alone, with that user's permissions."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.core.enums import Role
from app.downloads.services import MAX_PENDING
from app.extensions import db
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_organization, make_project, make_user, upload_photo


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_a_donor_asks_for_its_portfolio_workbook_and_nobody_else_fetches_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid, gac = make_organization(acronym="USAID").id, make_organization(acronym="GAC").id
        make_project(code="FUNDED-1", funder_ids=[usaid])
        make_project(code="OTHERS-1", funder_ids=[gac])
        donor = bearer(make_user(Role.DONOR, organization_id=usaid))
        admin = user_with_token(Role.ADMIN)[1]
    # Made in the language the client asks for, like the API's messages.
    asked = client.post(
        "/api/v1/downloads", json={"kind": "portfolio_xlsx"}, headers={**donor, "Accept-Language": "en"}
    )
    assert asked.status_code == 202, asked.get_json()
    assert asked.headers["Location"] == asked.get_json()["links"]["self"]
    status = client.get(asked.headers["Location"], headers=donor).get_json()
    assert (status["status"], status["ready"], status["items"]) == ("done", True, 1)
    response = client.get(status["links"]["file"], headers=donor)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(response.data).hexdigest() == status["sha256"] == response.headers["X-Content-SHA256"]
    codes = {
        row[0] for row in load_workbook(io.BytesIO(response.data))["Projects"].iter_rows(min_row=2, values_only=True)
    }
    assert codes == {"FUNDED-1"}

    listed = client.get("/api/v1/downloads", headers=donor).get_json()["items"]
    assert [item["id"] for item in listed] == [status["id"]]
    assert client.get(asked.headers["Location"], headers=admin).status_code == 404
    assert client.get(status["links"]["file"], headers=admin).status_code == 404
    assert client.get("/api/v1/downloads", headers=admin).get_json()["items"] == []


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_a_zip_of_photos_leaves_out_people_without_consent(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project = make_project()
        shared = upload_photo(project, "patio.jpg", color=(10, 200, 10))
        private = upload_photo(project, "sala.jpg", color=(200, 10, 10))
        private.identifiable_people = True
        db.session.commit()
        ids = [shared.id, private.id]
        expected = f"{shared.id:05d}-patio.jpg"
        engineer = user_with_token(Role.ENGINEER)[1]
    asked = client.post("/api/v1/downloads", json={"kind": "photos_zip", "photo_ids": ids}, headers=engineer)
    assert asked.status_code == 202, asked.get_json()
    status = client.get(asked.headers["Location"], headers=engineer).get_json()
    assert (status["items"], status["left_out"]) == (1, 1)
    archive = zipfile.ZipFile(io.BytesIO(client.get(status["links"]["file"], headers=engineer).data))
    assert archive.namelist() == [expected]


def test_a_request_for_a_file_is_checked_before_it_is_queued(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project = make_project()
        photo_id = upload_photo(project).id
        engineer = user_with_token(Role.ENGINEER)[1]
    ask = lambda body: client.post("/api/v1/downloads", json=body, headers=engineer)  # noqa: E731
    unknown = ask({"kind": "everything"})
    assert unknown.status_code == 422 and "kind" in problem_of(unknown)["errors"]
    no_photos = ask({"kind": "photos_zip"})
    assert no_photos.status_code == 422 and "photo_ids" in problem_of(no_photos)["errors"]
    missing = ask({"kind": "photos_zip", "photo_ids": [999999]})
    assert missing.status_code == 422 and "photo_ids" in problem_of(missing)["errors"]
    stray = ask({"kind": "portfolio_iati", "photo_ids": [photo_id]})
    assert stray.status_code == 422 and "photo_ids" in problem_of(stray)["errors"]
    too_many = ask({"kind": "photos_zip", "photo_ids": list(range(1, 502))})
    assert too_many.status_code == 422
    assert client.get("/api/v1/downloads", headers=engineer).get_json()["items"] == []

    # The runner is not started here (no inline jobs, no pool in this test client's requests): they stay queued.
    app.config["JOBS_RUN_INLINE"] = False
    app.extensions["job_executor"] = _NoPool()
    for _ in range(MAX_PENDING):
        assert ask({"kind": "photos_zip", "photo_ids": [photo_id]}).status_code == 202
    busy = client.post(
        "/api/v1/downloads", json={"kind": "portfolio_xlsx"}, headers={**engineer, "Accept-Language": "en"}
    )
    assert busy.status_code == 429 and "3 files being prepared" in problem_of(busy)["detail"]


class _NoPool:
    def submit(self, *args: object, **kwargs: object) -> None:
        return None
