"""``flask storage-sweep``: stored files no record points to are found once they are older than the grace period,
and removed only when asked; every file a photo, document version or report uses is left alone."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask

from app.core.storage import LocalStorage, storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.operations.sweep import storage_sweep
from app.photos.services import photo_print_image
from tests.agreements.helpers import make_document
from tests.factories import make_center, make_project, upload_photo

DAY = 24 * 3600


def _age(store: LocalStorage, key: str, seconds: float) -> None:
    path = store.root / key
    then = time.time() - seconds
    os.utime(path, (then, then))


def _in_use(app_ctx: Flask) -> set[str]:
    project = make_project(make_center())
    photo = upload_photo(project)
    photo_print_image(storage(), photo)  # the print copy is made on demand and kept
    document = make_document(project.center)
    db.session.commit()
    keys = {photo.original_key, photo.display_key, photo.thumb_key, document.latest.storage_key}  # type: ignore[union-attr]
    keys.add(next(k for k in storage().list_keys() if k.endswith(".print.jpg")))
    return keys


def test_old_unreferenced_files_are_found_and_removed_only_when_asked(app_ctx: Flask) -> None:
    store = storage()
    assert isinstance(store, LocalStorage)
    in_use = _in_use(app_ctx)
    old_orphan = store.put(b"left by a killed upload", ".jpg")
    young_orphan = store.put(b"an upload being recorded right now", ".jpg")
    for key in (*in_use, old_orphan):
        _age(store, key, 3 * DAY)
    stale_temp = store.root / "ab" / ".incoming-killed"
    stale_temp.parent.mkdir(parents=True, exist_ok=True)
    stale_temp.write_bytes(b"half a file")
    os.utime(stale_temp, (time.time() - 3 * DAY, time.time() - 3 * DAY))

    dry = storage_sweep(db.session(), store)
    assert [f.key for f in dry.orphans] == [old_orphan]
    assert (dry.recent_orphans, dry.referenced, dry.removed) == (1, len(in_use), 0)
    assert dry.orphan_bytes == len(b"left by a killed upload")
    assert store.exists(old_orphan) and stale_temp.exists()

    done = storage_sweep(db.session(), store, delete=True)
    assert done.removed == 1 and done.incomplete_removed == 1
    assert not store.exists(old_orphan) and not stale_temp.exists()
    assert store.exists(young_orphan)
    assert all(store.exists(key) for key in in_use)


def test_a_shorter_grace_period_reaches_younger_files(app_ctx: Flask) -> None:
    store = storage()
    orphan = store.put(b"x", ".pdf")
    assert storage_sweep(db.session(), store).orphans == []
    later = utcnow() + timedelta(hours=2)
    found = storage_sweep(db.session(), store, grace=timedelta(hours=1), now=later)
    assert [f.key for f in found.orphans] == [orphan]


def test_the_command_lists_then_removes(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        store = storage()
        assert isinstance(store, LocalStorage)
        orphan = store.put(b"unconfirmed budget import", ".xlsx")
        _age(store, orphan, 2 * DAY)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["storage-sweep"])
    assert listed.exit_code == 0, listed.output
    assert orphan in listed.output and "Found 1 unreferenced files" in listed.output and "--delete" in listed.output
    removed = runner.invoke(args=["storage-sweep", "--delete", "--older-than-hours", "12"])
    assert removed.exit_code == 0 and "Removed 1 unreferenced files" in removed.output
    with app.app_context():
        assert not storage().exists(orphan)
    assert runner.invoke(args=["storage-sweep", "--older-than-hours", "0"]).exit_code != 0
