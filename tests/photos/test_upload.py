"""Engineers upload photos from the field; donors only ever see photos that may leave the app."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from app.core.audit.recorder import acting_as
from app.core.enums import Role
from app.extensions import db
from app.photos.models import Photo
from tests.conftest import login
from tests.downloads.helpers import fetch_prepared
from tests.factories import make_center, make_project, make_user
from tests.photos.conftest import make_jpeg


def _setup(app: Flask) -> dict[str, Any]:
    with app.app_context():
        engineer = make_user(Role.ENGINEER, email="eng@example.org")
        donor = make_user(Role.DONOR, email="donor@example.org")
        other_donor = make_user(Role.DONOR, email="other@example.org")
        center = make_center(code="CAMR-SPS")
        with acting_as(engineer.id):
            project = make_project(center, funder_ids=[donor.organization_id])
        return {"center": center.id, "project": project.id, "engineer": engineer.id, "other": other_donor.id}


def _upload(client: FlaskClient, ids: dict[str, Any], files: list[tuple[bytes, str]], **fields: Any) -> Any:
    data: dict[str, Any] = {"project_id": str(ids["project"]), "caption": "Baños", **fields}
    data["photos"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/photos/upload?center_id={ids['center']}", data=data, content_type="multipart/form-data")


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Photo)) or 0)


def test_a_refused_photo_does_not_lose_the_others(app: Flask, client: FlaskClient, photos_dir: Path) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    good = (photos_dir / "gps/DSCN0010.jpg").read_bytes()
    response = _upload(
        client, ids, [(good, "baño 1.jpg"), (b"<html>not a photo</html>", "photo.jpg"), (make_jpeg(), "tres.jpg")]
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This file is not a photo." in page
    assert 'value="Baños"' in page or "Baños" in page  # the form keeps what was typed
    assert _count(app) == 2
    with app.app_context():
        names = set(db.session.scalars(select(Photo.original_filename)))
        assert names == {"baño 1.jpg", "tres.jpg"}
        photo = db.session.scalar(select(Photo).where(Photo.original_filename == "baño 1.jpg"))
        assert photo.gps_latitude is not None and photo.created_by_id == ids["engineer"]
        assert photo.original_key.endswith(".jpg") and "baño" not in photo.original_key


def test_fetch_upload_answers_json_per_photo(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    ok = client.post(
        f"/photos/upload?center_id={ids['center']}",
        data={"project_id": "0", "photos": [(io.BytesIO(make_jpeg()), "a.jpg")]},
        headers={"X-Requested-With": "fetch"},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 201 and ok.json["ok"] is True
    again = client.post(
        f"/photos/upload?center_id={ids['center']}",
        data={"project_id": "0", "photos": [(io.BytesIO(make_jpeg()), "copy.jpg")]},
        headers={"X-Requested-With": "fetch", "Accept-Language": "en"},
        content_type="multipart/form-data",
    )
    assert again.status_code == 422
    assert again.json["ok"] is False and "already uploaded" in again.json["error"]
    assert _count(app) == 1


def test_original_is_private_and_served_as_a_download(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    _upload(client, ids, [(make_jpeg(), "a.jpg")])
    with app.app_context():
        photo_id = db.session.scalar(select(Photo.id))
    original = client.get(f"/photos/{photo_id}/original")
    assert original.status_code == 200
    assert original.headers["Content-Type"] == "application/octet-stream"
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert original.data == make_jpeg()
    thumb = client.get(f"/photos/{photo_id}/thumb.jpg")
    assert thumb.headers["Content-Type"] == "image/jpeg"
    assert "sandbox" in thumb.headers["Content-Security-Policy"]
    client.post("/logout", data={})
    login(client, "donor@example.org")
    assert client.get(f"/photos/{photo_id}/original").status_code == 403


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_donor_never_sees_people_without_consent(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    _upload(client, ids, [(make_jpeg(color=(1, 2, 3)), "public.jpg")])
    _upload(client, ids, [(make_jpeg(color=(9, 9, 9)), "kids.jpg")], identifiable_people="y")
    _upload(
        client, ids, [(make_jpeg(color=(200, 9, 9)), "consented.jpg")], identifiable_people="y", consent_recorded="y"
    )
    with app.app_context():
        by_name = {p.original_filename: p.id for p in db.session.scalars(select(Photo))}
    client.post("/logout", data={})
    login(client, "donor@example.org")
    gallery = client.get(f"/photos/?center_id={ids['center']}").get_data(as_text=True)
    assert f"/photos/{by_name['public.jpg']}/thumb.jpg" in gallery
    assert f"/photos/{by_name['consented.jpg']}/thumb.jpg" in gallery
    assert f"/photos/{by_name['kids.jpg']}/thumb.jpg" not in gallery
    assert client.get(f"/photos/{by_name['kids.jpg']}/display.jpg").status_code == 404
    assert client.get(f"/photos/{by_name['kids.jpg']}").status_code == 404
    archive = fetch_prepared(client, client.post("/photos/zip", data={"photo_ids": list(by_name.values())}))
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        assert len(z.namelist()) == 2
        for name in z.namelist():
            image = Image.open(io.BytesIO(z.read(name)))
            assert len(image.getexif()) == 0


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_staff_zip_leaves_out_photos_without_consent_and_says_so(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    _upload(client, ids, [(make_jpeg(color=(1, 2, 3)), "a.jpg")])
    _upload(client, ids, [(make_jpeg(color=(9, 9, 9)), "kids.jpg")], identifiable_people="y")
    with app.app_context():
        ids_all = [str(i) for i in db.session.scalars(select(Photo.id))]
    started = client.post("/photos/zip", data={"photo_ids": ids_all})
    archive = fetch_prepared(client, started)
    assert len(zipfile.ZipFile(io.BytesIO(archive.data)).namelist()) == 1
    client.post("/language", data={"lang": "en"})
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "1 photo(s) of people without recorded consent were left out of the download." in page


def test_other_donor_cannot_see_the_photos(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    _upload(client, ids, [(make_jpeg(), "a.jpg")])
    with app.app_context():
        photo_id = db.session.scalar(select(Photo.id))
    client.post("/logout", data={})
    login(client, "other@example.org")
    assert client.get(f"/photos/{photo_id}/thumb.jpg").status_code == 404


def test_before_and_after_photos_are_paired(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    _upload(client, ids, [(make_jpeg(color=(10, 10, 10)), "before.jpg")], stage="before")
    _upload(client, ids, [(make_jpeg(color=(250, 250, 250)), "after.jpg")], stage="after")
    with app.app_context():
        by_name = {p.original_filename: p.id for p in db.session.scalars(select(Photo))}
    wrong = client.post(
        f"/photos/{by_name['before.jpg']}", data={"stage": "before", "pair_of_id": by_name["after.jpg"]}
    )
    assert "Only an" in wrong.get_data(as_text=True)
    ok = client.post(f"/photos/{by_name['after.jpg']}", data={"stage": "after", "pair_of_id": by_name["before.jpg"]})
    assert ok.status_code == 302
    gallery = client.get(f"/photos/?center_id={ids['center']}").get_data(as_text=True)
    assert "Before and after" in gallery


def test_engineer_cannot_upload_to_a_center_that_does_not_exist(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    login(client, "eng@example.org")
    assert client.get("/photos/upload?center_id=999").status_code == 404


def test_donor_cannot_upload(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    login(client, "donor@example.org")
    assert _upload(client, ids, [(make_jpeg(), "a.jpg")]).status_code == 403
    assert _count(app) == 0


def test_admin_blurs_an_area_and_the_original_stays_untouched(app: Flask, client: FlaskClient) -> None:
    ids = _setup(app)
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    login(client, "eng@example.org")
    sharp = Image.new("RGB", (800, 600), (255, 255, 255))
    for x in range(0, 800, 4):  # fine vertical stripes: detail a blur destroys
        for y in range(600):
            sharp.putpixel((x, y), (0, 0, 0))
    raw = io.BytesIO()
    sharp.save(raw, "JPEG", quality=95)
    _upload(client, ids, [(raw.getvalue(), "face.jpg")])
    with app.app_context():
        photo = db.session.scalar(select(Photo))
        photo_id, old_display = photo.id, photo.display_key
    client.post("/logout", data={})
    login(client, "eng@example.org")
    assert (
        client.post(
            f"/photos/{photo_id}/redact",
            data={
                "redact-mode": "blur",
                "redact-left": "0",
                "redact-top": "0",
                "redact-width": "50",
                "redact-height": "100",
            },
        ).status_code
        == 403
    )
    client.post("/logout", data={})
    login(client, "admin@example.org")
    response = client.post(
        f"/photos/{photo_id}/redact",
        data={
            "redact-mode": "blur",
            "redact-left": "0",
            "redact-top": "0",
            "redact-width": "50",
            "redact-height": "100",
        },
    )
    assert response.status_code == 302
    shown = Image.open(io.BytesIO(client.get(f"/photos/{photo_id}/display.jpg").data)).convert("L")
    left = shown.crop((0, 0, 380, 600))
    right = shown.crop((420, 0, 800, 600))
    from PIL import ImageStat

    assert ImageStat.Stat(left).stddev[0] < 20 < ImageStat.Stat(right).stddev[0]
    assert client.get(f"/photos/{photo_id}/original").data == raw.getvalue()
    with app.app_context():
        photo = db.session.get(Photo, photo_id)
        assert photo.redacted and photo.display_key != old_display
    bad = client.post(
        f"/photos/{photo_id}/redact",
        data={
            "redact-mode": "crop",
            "redact-left": "80",
            "redact-top": "0",
            "redact-width": "50",
            "redact-height": "10",
        },
    )
    assert bad.status_code == 302


def test_photos_work_the_same_on_s3_compatible_storage(app: Flask, client: FlaskClient, monkeypatch: Any) -> None:
    import pytest

    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    from app.core.storage import S3Storage

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    ids = _setup(app)
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="photos")
        app.extensions["storage"] = S3Storage("photos", client=s3)
        login(client, "eng@example.org")
        _upload(client, ids, [(make_jpeg(), "s3.jpg")])
        with app.app_context():
            photo = db.session.scalar(select(Photo))
        stored = {obj["Key"] for obj in s3.list_objects_v2(Bucket="photos")["Contents"]}
        assert {photo.original_key, photo.display_key, photo.thumb_key} == stored
        assert client.get(f"/photos/{photo.id}/original").data == make_jpeg()
