"""Photos uploaded through the API meet the web form's checks; a project's IATI activity comes from the exports."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from PIL import Image
from sqlalchemy import func, select

from app.core.enums import Role
from app.extensions import db
from app.photos.models import Photo
from tests.api.conftest import bearer, problem_of, user_with_token
from tests.factories import make_organization, make_project, make_user


def _jpeg(colour: tuple[int, int, int] = (10, 120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload(client: FlaskClient, project_id: int, headers: dict[str, str], data: bytes, **fields: str) -> object:
    form = {"photo": (io.BytesIO(data), "obra.jpg"), **fields}
    url = f"/api/v1/projects/{project_id}/photos"
    # no_csrf: the test client would otherwise add a browser form's CSRF field, which the API does not know.
    return client.post(url, data=form, headers=headers, content_type="multipart/form-data", no_csrf=True)


def _photos(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Photo)) or 0)


def test_an_engineer_uploads_a_photo_from_the_field(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project = make_project()
        project_id, center_id = project.id, project.center_id
        headers = user_with_token(Role.ENGINEER)[1]
    response = _upload(client, project_id, headers, _jpeg(), caption="Techo", stage="before", phase="works")
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    assert (photo["center_id"], photo["project_id"], photo["mime"]) == (center_id, project_id, "image/jpeg")
    assert (photo["caption"], photo["stage"], photo["phase"], photo["width"]) == ("Techo", "before", "works", 64)
    assert response.headers["Location"] == photo["links"]["page"]


def test_the_web_forms_checks_refuse_what_is_not_a_photo_or_already_there(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        project_id = make_project().id
        headers = user_with_token(Role.MANAGER)[1]
    assert _upload(client, project_id, headers, _jpeg()).status_code == 201
    duplicate = _upload(client, project_id, headers, _jpeg())
    assert duplicate.status_code == 422 and "photo" in problem_of(duplicate)["errors"]
    not_a_photo = _upload(client, project_id, headers, b"%PDF-1.7 not a picture")
    assert not_a_photo.status_code == 422 and "photo" in problem_of(not_a_photo)["errors"]
    unknown = _upload(client, project_id, headers, _jpeg((1, 2, 3)), colour="red")
    assert unknown.status_code == 422 and "colour" in problem_of(unknown)["errors"]
    as_json = client.post(f"/api/v1/projects/{project_id}/photos", json={"photo": "x"}, headers=headers)
    assert as_json.status_code == 415
    assert _photos(app) == 1


def test_a_donor_may_not_upload_photos(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid = make_organization()
        project_id = make_project(funder_ids=[usaid.id]).id
        headers = bearer(make_user(Role.DONOR, organization_id=usaid.id))
    response = _upload(client, project_id, headers, _jpeg())
    assert response.status_code == 403
    assert _photos(app) == 0


def test_a_donor_gets_the_iati_activity_of_a_project_it_funds_and_no_other(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid, sida = make_organization(acronym="USAID"), make_organization(acronym="SIDA")
        funded = make_project(code="SPS-01", funder_ids=[usaid.id]).id
        other = make_project(code="OMOA-01", funder_ids=[sida.id]).id
        headers = bearer(make_user(Role.DONOR, organization_id=usaid.id))
    response = client.get(f"/api/v1/projects/{funded}/iati.xml", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    activities = etree.fromstring(response.get_data())
    assert activities.tag == "iati-activities"
    identifiers = [el.text for el in activities.iter("iati-identifier")]
    assert len(identifiers) == 1 and identifiers[0].endswith("SPS-01")
    refused = client.get(f"/api/v1/projects/{other}/iati.xml", headers=headers)
    assert refused.status_code == 404
    problem_of(refused)
