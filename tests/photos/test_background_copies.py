"""A photo too large to decode during its upload is accepted on its header and content checks, shown as "being
prepared" with a grey placeholder, and gets its real copies from a background job; until then it stays out of
reports, ZIPs and the API's image. A photo whose pixels turn out damaged is marked unreadable, with the reason."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select, update

from app.core.enums import JobStatus, PhotoCopies, Role
from app.core.jobs.models import Job
from app.core.jobs.runner import run_job
from app.core.storage import storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.photos.models import Photo
from tests.api.conftest import bearer, problem_of
from tests.conftest import login
from tests.factories import make_center, make_project, make_user
from tests.photos.conftest import make_jpeg

# Photos above 0.1 megapixel are "large" here, so that test photos stay small.
LARGE = 100_000


def _world(app: Flask) -> dict[str, Any]:
    with app.app_context():
        engineer = make_user(Role.ENGINEER, email="eng@example.org")
        center = make_center(code="CANFM-BELEN")
        project = make_project(center)
        return {"center": center.id, "project": project.id, "headers": bearer(engineer)}


def _upload(client: FlaskClient, world: dict[str, Any], data: bytes, name: str = "grande.jpg") -> Any:
    return client.post(
        f"/photos/upload?center_id={world['center']}",
        data={"project_id": str(world["project"]), "caption": "Fachada", "photos": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )


def _photo(app: Flask) -> Photo:
    with app.app_context():
        photo = db.session.scalars(select(Photo)).one()
        db.session.expunge(photo)
        return photo


def _colour_of(data: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as image:
        return tuple(image.convert("RGB").getpixel((image.width // 2, image.height // 2)))  # type: ignore[arg-type]


@pytest.mark.config(PHOTO_BACKGROUND_PIXELS=LARGE)
def test_a_large_photo_waits_as_a_placeholder_then_gets_its_real_copies(app: Flask, client: FlaskClient) -> None:
    world = _world(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    red = make_jpeg(size=(1200, 900), color=(200, 30, 30))
    app.config["JOBS_RUN_INLINE"] = False
    app.extensions["job_executor"] = _NoPool()  # keep the job queued, to look at the photo meanwhile
    assert _upload(client, world, red).status_code == 200
    pending = _photo(app)
    assert pending.copies is PhotoCopies.PENDING and pending.job_id is not None
    assert (pending.width, pending.height) == (1200, 900)

    # A grey placeholder with the photo's proportions stands in, and the pages say why.
    shown = client.get(f"/photos/{pending.id}/display.jpg")
    assert shown.status_code == 200
    assert all(abs(got - grey) <= 3 for got, grey in zip(_colour_of(shown.data), (222, 226, 230), strict=True))
    assert Image.open(io.BytesIO(shown.data)).size == (1200, 900)
    page = client.get(f"/photos/{pending.id}").get_data(as_text=True)
    assert "being made in the background" in page and "Not in reports, ZIPs or exports" in page
    assert "Being prepared" in client.get(f"/photos/?center_id={world['center']}").get_data(as_text=True)
    # Nothing sends the placeholder anywhere as if it were the photo.
    image = client.get(f"/api/v1/photos/{pending.id}/image.jpg", headers=world["headers"])
    assert image.status_code == 409 and "still being prepared" in problem_of(image)["detail"]
    assert client.get(f"/api/v1/photos/{pending.id}", headers=world["headers"]).get_json()["copies"] == "pending"
    refused = client.post("/photos/zip", data={"photo_ids": [str(pending.id)]}, follow_redirects=True)
    assert "still being prepared" in refused.get_data(as_text=True)

    run_job(app, pending.job_id or 0)
    ready = _photo(app)
    assert ready.copies is PhotoCopies.READY
    assert _colour_of(client.get(f"/photos/{ready.id}/display.jpg").data)[0] > 150  # red, not grey
    assert client.get(f"/api/v1/photos/{ready.id}/image.jpg", headers=world["headers"]).status_code == 200
    # The placeholders are gone from storage: the original and the two real copies remain.
    with app.app_context():
        keys = set(storage().list_keys())
    assert keys == {ready.original_key, ready.display_key, ready.thumb_key}
    assert pending.display_key not in keys and pending.thumb_key not in keys


@pytest.mark.config(PHOTO_BACKGROUND_PIXELS=LARGE, JOBS_RUN_INLINE=True)
def test_a_large_photo_keeps_no_camera_metadata_in_its_copies(
    app: Flask, client: FlaskClient, photos_dir: Path
) -> None:
    world = _world(app)
    login(client, "eng@example.org")
    original = (photos_dir / "gps" / "DSCN0010.jpg").read_bytes()  # 640 x 480 with GPS: "large" here
    assert _upload(client, world, original).status_code == 200
    photo = _photo(app)
    assert photo.copies is PhotoCopies.READY and photo.gps_latitude is not None  # read from the header, for staff
    display = client.get(f"/photos/{photo.id}/display.jpg").data
    assert len(Image.open(io.BytesIO(display)).getexif()) == 0


@pytest.mark.config(PHOTO_BACKGROUND_PIXELS=LARGE, JOBS_RUN_INLINE=True)
def test_a_large_photo_with_damaged_pixels_is_marked_unreadable(app: Flask, client: FlaskClient) -> None:
    world = _world(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    whole = make_jpeg(size=(1600, 1200), color=(10, 90, 160), subsampling=0)
    cut = whole[: len(whole) * 2 // 3]  # a dropped connection: the header is fine, the pixels stop
    assert _upload(client, world, cut).status_code == 200  # accepted on its header...
    photo = _photo(app)
    assert photo.copies is PhotoCopies.FAILED  # ...and found damaged by the job
    with app.app_context():
        failed = db.session.get(Photo, photo.id)
        assert failed is not None and failed.job is not None and failed.job.status is JobStatus.FAILED
        error = failed.job.error
    page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert "could not be read" in page and "Delete it and upload it again" in page
    assert "Could not be read" in client.get(f"/photos/?center_id={world['center']}").get_data(as_text=True)
    image = client.get(f"/api/v1/photos/{photo.id}/image.jpg", headers=world["headers"])
    assert image.status_code == 409 and "could not be read" in problem_of(image)["detail"]
    assert error  # the reason, in the server's language


@pytest.mark.config(PHOTO_BACKGROUND_PIXELS=LARGE, JOBS_RUN_INLINE=True)
def test_copies_stopped_by_a_restart_can_be_made_again(app: Flask, client: FlaskClient) -> None:
    world = _world(app)
    login(client, "eng@example.org")
    client.post("/language", data={"lang": "en"})
    app.config["JOBS_RUN_INLINE"] = False
    app.extensions["job_executor"] = _NoPool()
    _upload(client, world, make_jpeg(size=(1200, 900), color=(30, 160, 30)))
    with app.app_context():  # the process making the copies died: its job is left "running", untouched
        photo = db.session.scalars(select(Photo)).one()
        an_hour_ago = utcnow() - timedelta(hours=1)
        db.session.execute(  # in SQL: the record-keeping listener would stamp an ORM change with "now"
            update(Job)
            .where(Job.id == photo.job_id)
            .values(status=JobStatus.RUNNING, started_at=an_hour_ago, updated_at=an_hour_ago)
        )
        db.session.commit()
        photo_id = photo.id
    page = client.get(f"/photos/{photo_id}").get_data(as_text=True)
    assert "The server stopped" in page and "Try again" in page
    app.config["JOBS_RUN_INLINE"] = True
    assert client.post(f"/photos/{photo_id}/copies", data={}).status_code == 302
    assert _photo(app).copies is PhotoCopies.READY
    again = client.post(f"/photos/{photo_id}/copies", data={}, follow_redirects=True)
    assert "nothing to try again" in again.get_data(as_text=True)


class _NoPool:
    """Stands in for the job thread pool: accepts jobs and never runs them, as a server killed at once would."""

    def submit(self, *args: Any, **kwargs: Any) -> None:
        return None
