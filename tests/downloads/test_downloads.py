"""Files prepared in the background: only the person who asked gets them, built with their permissions as they
stand when the job runs; a failed build says why and can be tried again; files go when their time is up."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from app.auth.models import User
from app.core.enums import DownloadKind, JobStatus, Role
from app.core.errors import DomainError
from app.core.jobs.models import Job
from app.core.jobs.runner import run_job
from app.core.storage import storage
from app.core.timeutil import utcnow
from app.downloads import services
from app.downloads.models import Download
from app.extensions import db
from app.operations.sweep import storage_sweep
from app.photos.models import Photo
from app.photos.services import PhotoDescription, photo_delete, photo_upload
from tests.conftest import login
from tests.downloads.helpers import download_id, fetch_prepared
from tests.factories import make_center, make_project, make_user
from tests.photos.conftest import make_jpeg


def _photos(app: Flask, count: int = 3, **description: Any) -> dict[str, Any]:
    """A manager, an engineer and a donor funding the project, and ``count`` photos of that project."""
    with app.app_context():
        manager = make_user(Role.MANAGER, email="manager@example.org")
        engineer = make_user(Role.ENGINEER, email="engineer@example.org")
        donor = make_user(Role.DONOR, email="donor@example.org")
        center = make_center(code="CAMR-OMOA")
        project = make_project(center, funder_ids=[donor.organization_id])
        ids = []
        for n in range(count):
            photo = photo_upload(
                db.session(),
                storage(),
                make_jpeg(color=(n * 20 % 255, 90, 160)),
                f"baño {n}.jpg",
                center_id=center.id,
                project_id=project.id,
                description=PhotoDescription(caption=f"Baño {n}", **description),
                max_bytes=20_000_000,
                max_pixels=60_000_000,
            )
            ids.append(photo.id)
        db.session.commit()
        return {"photos": ids, "manager": manager.id, "engineer": engineer.id, "donor": donor.id}


def _engineer(world: dict[str, Any]) -> User:
    """The engineer of ``_photos``' world (inside an app context)."""
    engineer = db.session.get(User, world["engineer"])
    assert engineer is not None
    return engineer


def _ask_for_zip(user: User, photo_ids: list[int], language: str = "en") -> Download:
    """A ZIP asked for through the service (the job not started)."""
    return services.download_create(
        db.session(),
        user,
        DownloadKind.PHOTOS_ZIP,
        {"photo_ids": photo_ids},
        language=language,
        base_url="http://localhost/",
    )


def _ask_zip(client: FlaskClient, ids: list[int]) -> Any:
    return client.post("/photos/zip", data={"photo_ids": [str(i) for i in ids]})


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_a_photo_zip_is_prepared_and_fetched_by_the_person_who_asked(app: Flask, client: FlaskClient) -> None:
    world = _photos(app)
    login(client, "engineer@example.org")
    client.post("/language", data={"lang": "en"})
    started = _ask_zip(client, world["photos"])
    response = fetch_prepared(client, started)

    assert response.headers["Content-Disposition"].startswith("attachment; filename=photos-")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
    assert len(names) == 3 and all(name.endswith(".jpg") for name in names)
    assert any("Baño-0" in name for name in names)
    listing = client.get("/downloads/").get_data(as_text=True)
    assert "Photos (ZIP)" in listing and f"/downloads/{download_id(started)}" in listing
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Download the file" in page and "js/job-status.js" in page


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_nobody_else_reaches_a_prepared_file_not_even_an_administrator(app: Flask, client: FlaskClient) -> None:
    world = _photos(app)
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    login(client, "engineer@example.org")
    number = download_id(_ask_zip(client, world["photos"]))
    client.post("/logout", data={})
    for other in ("admin@example.org", "manager@example.org", "donor@example.org"):
        login(client, other)
        for url in (f"/downloads/{number}", f"/downloads/{number}/status", f"/downloads/{number}/file"):
            assert client.get(url).status_code == 404, (other, url)
        assert client.post(f"/downloads/{number}/retry", data={}).status_code == 404
        assert f"/downloads/{number}" not in client.get("/downloads/").get_data(as_text=True)
        client.post("/logout", data={})
    assert client.get(f"/downloads/{number}").status_code == 302  # anonymous: sign in first


def test_the_file_is_built_with_the_askers_permissions_when_the_job_runs(app: Flask) -> None:
    """A photo marked as showing people without consent after the request is kept out all the same, and counted
    as left out; a photo deleted meanwhile is simply not there (not counted as left out for consent)."""
    world = _photos(app, count=4)
    with app.app_context():
        engineer = _engineer(world)
        download = _ask_for_zip(engineer, world["photos"], language="en")
        db.session.commit()
        job_id, number = download.job_id, download.id
        photo = db.session.get(Photo, world["photos"][0])
        assert photo is not None
        photo.identifiable_people = True
        gone = db.session.get(Photo, world["photos"][3])
        assert gone is not None
        photo_delete(db.session(), storage(), gone)
        db.session.commit()
    assert job_id is not None
    run_job(app, job_id)
    with app.app_context():
        done = db.session.get(Download, number)
        assert done is not None and done.status is JobStatus.DONE
        assert (done.items, done.left_out) == (2, 1)
        with zipfile.ZipFile(io.BytesIO(storage().read(done.file_key or ""))) as archive:
            assert len(archive.namelist()) == 2
            assert not any(name.startswith(f"{world['photos'][0]:05d}-") for name in archive.namelist())


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_a_build_that_cannot_be_made_says_why_and_can_be_tried_again(app: Flask, client: FlaskClient) -> None:
    world = _photos(app, count=1)
    with app.app_context():
        engineer = _engineer(world)
        download = _ask_for_zip(engineer, world["photos"], language="en")
        db.session.commit()
        job_id, number = download.job_id, download.id
        photo = db.session.get(Photo, world["photos"][0])
        photo.identifiable_people = True  # type: ignore[union-attr]
        db.session.commit()
    run_job(app, job_id or 0)
    login(client, "engineer@example.org")
    client.post("/language", data={"lang": "en"})
    state = client.get(f"/downloads/{number}/status").get_json()
    assert state["status"] == "failed" and state["ready"] is False and state["download_url"] is None
    assert state["error"] == "None of the photos asked for may be downloaded any more."
    assert client.get(f"/downloads/{number}/file").status_code == 404
    page = client.get(f"/downloads/{number}").get_data(as_text=True)
    assert "Try again" in page

    with app.app_context():
        photo = db.session.get(Photo, world["photos"][0])
        photo.consent_recorded = True  # type: ignore[union-attr]
        db.session.commit()
    retried = client.post(f"/downloads/{number}/retry", data={})
    assert retried.status_code == 302
    assert client.get(f"/downloads/{number}/status").get_json()["status"] == "done"
    with zipfile.ZipFile(io.BytesIO(client.get(f"/downloads/{number}/file").data)) as archive:
        assert len(archive.namelist()) == 1


def test_a_disabled_account_gets_nothing_prepared(app: Flask) -> None:
    world = _photos(app, count=1)
    with app.app_context():
        engineer = _engineer(world)
        download = _ask_for_zip(engineer, world["photos"], language="es")
        engineer.active = False
        db.session.commit()
        job_id, number = download.job_id, download.id
    run_job(app, job_id or 0)
    with app.app_context():
        failed = db.session.get(Download, number)
        assert failed is not None and failed.status is JobStatus.FAILED and failed.file_key is None


def test_a_person_has_at_most_three_files_in_preparation(app: Flask) -> None:
    world = _photos(app, count=1)
    with app.app_context():
        engineer = _engineer(world)
        for _ in range(services.MAX_PENDING):
            _ask_for_zip(engineer, world["photos"], language="en")
        with pytest.raises(DomainError):
            _ask_for_zip(engineer, world["photos"], language="en")
        # Someone else is not held back by it.
        manager = db.session.get(User, world["manager"])
        assert manager is not None
        services.download_create(
            db.session(), manager, DownloadKind.PORTFOLIO_XLSX, {}, language="en", base_url="http://localhost/"
        )


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_the_page_says_so_when_too_many_files_are_in_preparation(app: Flask, client: FlaskClient) -> None:
    world = _photos(app, count=1)
    with app.app_context():
        engineer = _engineer(world)
        for _ in range(services.MAX_PENDING):
            _ask_for_zip(engineer, world["photos"], language="en")
        db.session.commit()
    login(client, "engineer@example.org")
    client.post("/language", data={"lang": "en"})
    refused = client.post("/photos/zip", data={"photo_ids": [str(world["photos"][0])]}, follow_redirects=True)
    assert "You already have 3 files being prepared" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Download.id))) == services.MAX_PENDING


@pytest.mark.config(JOBS_RUN_INLINE=True)
def test_files_whose_time_is_up_are_removed_with_their_records(app: Flask, client: FlaskClient) -> None:
    world = _photos(app, count=2)
    login(client, "engineer@example.org")
    old = download_id(_ask_zip(client, world["photos"][:1]))
    with app.app_context():
        expired = db.session.get(Download, old)
        assert expired is not None and expired.file_key
        old_key = expired.file_key
        assert storage().exists(old_key)
        expired.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        # Not yet removed, but no longer reachable.
    assert client.get(f"/downloads/{old}").status_code == 404
    assert client.get(f"/downloads/{old}/file").status_code == 404

    fresh = download_id(_ask_zip(client, world["photos"]))  # asking for another removes what expired
    with app.app_context():
        # (SQLite may give the new record the freed id: the file and the job tell them apart.)
        kept = db.session.get(Download, fresh)
        assert kept is not None and kept.file_key and storage().exists(kept.file_key)
        assert db.session.scalars(select(Download)).all() == [kept]
        assert kept.file_key != old_key and not storage().exists(old_key)
        assert db.session.scalars(select(Job)).all() == [kept.job]
        # A prepared file is not an orphan for the storage sweep.
        swept = storage_sweep(db.session(), storage(), grace=timedelta(0), delete=False)
        assert kept.file_key not in {orphan.key for orphan in swept.orphans}


def test_files_lost_in_a_restart_do_not_hold_the_person_back(app: Flask) -> None:
    """Three files were waiting in the pool of a server that was restarted: the next request fails them (each
    can be tried again) and is accepted."""
    world = _photos(app, count=1)
    app.config["JOBS_STALLED_SECONDS"] = 1
    with app.app_context():
        engineer = _engineer(world)
        asked = [_ask_for_zip(engineer, world["photos"], language="en") for _ in range(services.MAX_PENDING)]
        db.session.commit()
        db.session.execute(
            update(Job).where(Job.id.in_([d.job_id for d in asked])).values(updated_at=utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
        _ask_for_zip(engineer, world["photos"], language="en")
        db.session.commit()
        statuses = [db.session.get(Download, d.id).status for d in asked]  # type: ignore[union-attr]
        assert statuses == [JobStatus.FAILED] * services.MAX_PENDING


def test_on_redis_a_zip_waits_for_a_worker_and_is_then_fetched(app: Flask, client: FlaskClient) -> None:
    """With REDIS_URL the web process only queues the job; a `flask jobs-worker` makes the ZIP."""
    import uuid

    from app.core.jobs.queue import queue
    from tests.core.test_jobs_rq import REDIS_URL, redis_or_skip

    redis_or_skip()
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-{uuid.uuid4().hex}")
    world = _photos(app, count=2)
    login(client, "engineer@example.org")
    try:
        number = download_id(_ask_zip(client, world["photos"]))
        assert client.get(f"/downloads/{number}/status").get_json()["status"] == "queued"
        with app.app_context():  # as `flask jobs-worker` has
            worker = app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])
        assert worker.exit_code == 0, worker.output
        state = client.get(f"/downloads/{number}/status").get_json()
        assert state["status"] == "done", state
        with zipfile.ZipFile(io.BytesIO(client.get(f"/downloads/{number}/file").data)) as archive:
            assert len(archive.namelist()) == 2
    finally:
        with app.app_context():
            queue(app).delete(delete_jobs=True)
