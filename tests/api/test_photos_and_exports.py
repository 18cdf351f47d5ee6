"""Photos uploaded through the API meet the web form's checks; a project's IATI activity comes from the exports."""

from __future__ import annotations

import io

import pytest
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
    assert response.headers["Location"] == photo["links"]["self"] == f"/api/v1/photos/{photo['id']}"


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


def test_a_donor_lists_only_shareable_photos_and_gets_them_without_camera_metadata(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        funder = make_organization(acronym="USAID")
        project = make_project(funder_ids=[funder.id])
        project_id = project.id
        staff = user_with_token(Role.ENGINEER)[1]
        donor = bearer(make_user(Role.DONOR, organization_id=funder.id))
        outsider = bearer(make_user(Role.DONOR, organization_id=make_organization(acronym="SIDA").id))
    site = _upload(client, project_id, staff, _jpeg((200, 10, 10)), caption="Fachada", stage="before")
    people = _upload(client, project_id, staff, _jpeg((10, 10, 200)), caption="Niños", identifiable_people="true")
    consented = _upload(
        client, project_id, staff, _jpeg((10, 200, 10)), identifiable_people="true", consent_recorded="true"
    )
    site_id, people_id, consented_id = (r.get_json()["id"] for r in (site, people, consented))  # type: ignore[attr-defined]

    def listed(headers: dict[str, str], query: str = "") -> list[int]:
        response = client.get(f"/api/v1/projects/{project_id}/photos{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return sorted(p["id"] for p in response.get_json()["items"])

    assert listed(staff) == sorted([site_id, people_id, consented_id])
    assert listed(donor) == sorted([site_id, consented_id])  # never identifiable people without consent
    assert listed(staff, "?stage=before") == [site_id]
    assert client.get(f"/api/v1/projects/{project_id}/photos", headers=outsider).status_code == 404
    assert client.get(f"/api/v1/photos/{people_id}", headers=donor).status_code == 404
    assert client.get(f"/api/v1/photos/{people_id}/image.jpg", headers=donor).status_code == 404

    image = client.get(f"/api/v1/photos/{site_id}/image.jpg", headers=donor)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert "sandbox" in image.headers["Content-Security-Policy"]
    decoded = Image.open(io.BytesIO(image.data))
    assert decoded.format == "JPEG" and not decoded.getexif()
    assert client.get(f"/api/v1/photos/{site_id}/image.jpg").status_code == 401


def test_a_photo_from_a_real_camera_loses_its_gps_in_the_api_copy(app: Flask, client: FlaskClient) -> None:
    from tests.conftest import SHARED

    photos = sorted((SHARED / "testdata" / "photos" / "gps").glob("*.jp*g")) if SHARED.exists() else []
    with_gps = [p for p in photos if 0x8825 in Image.open(p).getexif()]
    if not with_gps:
        pytest.skip("no camera photo with GPS in ../shared/testdata/photos")
    with app.app_context():
        project_id = make_project().id
        headers = user_with_token(Role.ENGINEER)[1]
    uploaded = _upload(client, project_id, headers, with_gps[0].read_bytes())
    assert uploaded.status_code == 201, uploaded.get_json()  # type: ignore[attr-defined]
    image = client.get(uploaded.get_json()["links"]["image"], headers=headers)  # type: ignore[attr-defined]
    assert image.status_code == 200
    assert 0x8825 not in Image.open(io.BytesIO(image.data)).getexif()


def test_portfolio_exports_through_the_api_hold_only_what_a_donor_funds(app: Flask, client: FlaskClient) -> None:
    import csv
    import zipfile

    from openpyxl import load_workbook

    with app.app_context():
        usaid, sida = make_organization(acronym="USAID"), make_organization(acronym="SIDA")
        make_project(code="SPS-01", funder_ids=[usaid.id])
        make_project(code="OMOA-01", funder_ids=[sida.id])
        donor = bearer(make_user(Role.DONOR, organization_id=usaid.id))
        staff = user_with_token(Role.MANAGER)[1]

    iati = client.get("/api/v1/exports/iati.xml", headers=donor)
    assert iati.status_code == 200
    identifiers = [el.text for el in etree.fromstring(iati.get_data()).iter("iati-identifier")]
    assert len(identifiers) == 1 and identifiers[0].endswith("SPS-01")
    staff_iati = etree.fromstring(client.get("/api/v1/exports/iati.xml", headers=staff).get_data())
    assert len(list(staff_iati.iter("iati-activity"))) == 2

    projects = client.get("/api/v1/exports/projects.csv", headers=donor)
    assert projects.status_code == 200 and projects.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(projects.get_data(as_text=True).lstrip("\ufeff"))))
    codes = {cell for row in rows for cell in row}
    assert "SPS-01" in codes and "OMOA-01" not in codes
    assert any(cell.startswith("#") for cell in rows[1])  # the HXL hashtag row

    workbook = client.get("/api/v1/exports/portfolio.xlsx", headers=donor)
    assert workbook.status_code == 200 and workbook.headers["Content-Disposition"].startswith("attachment")
    sheets = load_workbook(io.BytesIO(workbook.data), read_only=True).sheetnames
    assert len(sheets) >= 6
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/exports/portfolio-csv.zip", headers=donor).data))
    assert any(name.endswith(".csv") for name in archive.namelist())
    assert client.get("/api/v1/exports/pirates.csv", headers=donor).status_code == 404
    assert client.get("/api/v1/exports/portfolio.xlsx").status_code == 401


def test_the_portfolio_iati_export_validates_against_the_official_schema(app: Flask, client: FlaskClient) -> None:
    from tests.exports.helpers import assert_valid, iati_schema

    iati_schema()  # skips where ../shared is absent
    with app.app_context():
        make_project(code="SPS-01", funder_ids=[make_organization(acronym="USAID").id])
        staff = user_with_token(Role.ADMIN)[1]
    assert_valid(client.get("/api/v1/exports/iati.xml", headers=staff).get_data())
