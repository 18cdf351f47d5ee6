"""``flask backup`` and ``flask restore``: a whole instance goes into one archive and comes back record for record."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.core.storage import S3Storage, storage
from app.extensions import db
from tests.conftest import _make_app, base_config
from tests.factories import upload_photo


def _populate(app: Flask) -> None:
    """The demo data and one uploaded photo (its original, display and thumbnail files)."""
    with app.app_context():
        from app.demo import load_demo
        from app.projects.models import Project

        load_demo(db.session())
        db.session.commit()
        project = db.session.scalars(select(Project).order_by(Project.id)).first()
        assert project is not None, "the demo data has projects"
        upload_photo(project, "fachada.jpg", (200, 120, 30))
        db.session.remove()


@pytest.fixture
def source(tmp_path: Path, sqlite_template: Path) -> Iterator[Flask]:
    """A populated instance on SQLite."""
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(sqlite_template, folder / "source.db")
    app = create_app(base_config(folder, f"sqlite:///{folder / 'source.db'}"))
    _populate(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def _records(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, all columns, as SQLAlchemy reads them, ordered by primary key."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: [
                dict(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            for table in db.metadata.sorted_tables
        }


def _file_hashes(app: Flask) -> dict[str, str]:
    with app.app_context():
        store = storage()
        return {key: hashlib.sha256(store.read(key)).hexdigest() for key in store.list_keys()}


def _backup(app: Flask, path: Path) -> Any:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return result


def _restore(app: Flask, path: Path, *options: str) -> Any:
    return app.test_cli_runner().invoke(args=["restore", str(path), *options])


def _is_empty(app: Flask) -> bool:
    records = _records(app)
    return not any(records.values()) and not _file_hashes(app)


def test_a_populated_instance_comes_back_record_for_record(source: Flask, db_app: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    _backup(source, archive)

    result = _restore(db_app, archive)

    assert result.exit_code == 0, result.output
    assert "every hash verified" in result.output
    before, after = _records(source), _records(db_app)
    assert sum(len(rows) for rows in before.values()) > 50, "the demo data fills the tables"
    assert before["photos"] and before["audit_entries"] and before["budget_lines"]
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
    files = _file_hashes(source)
    assert len(files) >= 3
    assert _file_hashes(db_app) == files


def test_the_restored_database_hands_out_fresh_ids(source: Flask, db_app: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    _backup(source, archive)
    assert _restore(db_app, archive).exit_code == 0

    with db_app.app_context():
        from app.core.enums import OrganizationKind
        from app.organizations.models import Organization

        highest = db.session.scalar(select(db.func.max(Organization.id)))
        org = Organization(name="Nueva agencia", acronym="NUEVA", kind=OrganizationKind.DONOR, country="HN")
        db.session.add(org)
        db.session.commit()
        assert org.id > highest


def test_the_archive_lists_revision_counts_and_hashes(source: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    output = _backup(source, archive).output

    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = tar.getnames()
        photo_dump = tar.extractfile("database/photos.jsonl").read()  # type: ignore[union-attr]
    assert manifest["format"] == "rehabilita-backup" and manifest["format_version"] == 1
    with source.app_context(), db.engine.connect() as connection:
        from app.operations.backup import database_revision

        assert manifest["schema_revision"] == database_revision(connection)
    records = _records(source)
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {name: len(rows) for name, rows in records.items()}
    assert {f["key"]: f["sha256"] for f in manifest["files"]} == _file_hashes(source)
    assert f"files/{manifest['files'][0]['key']}" in names
    photos = next(t for t in manifest["tables"] if t["name"] == "photos")
    assert photos["sha256"] == hashlib.sha256(photo_dump).hexdigest()
    assert f"{sum(len(r) for r in records.values())} rows" in output


def _rewrite(archive: Path, damaged: Path, change: Any) -> None:
    """Copy ``archive`` to ``damaged``, passing each member's bytes through ``change(name, data)``."""
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w:gz") as out:
        for member in tar.getmembers():
            data = change(member.name, tar.extractfile(member).read())  # type: ignore[union-attr]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("target", ["files/", "database/photos.jsonl"])
def test_a_damaged_archive_is_refused_and_nothing_is_restored(
    source: Flask, app: Flask, tmp_path: Path, target: str
) -> None:
    archive, damaged = tmp_path / "backup.tar.gz", tmp_path / "damaged.tar.gz"
    _backup(source, archive)
    hit: list[str] = []

    def flip_one_byte(name: str, data: bytes) -> bytes:
        if name.startswith(target) and not hit:
            hit.append(name)
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    _rewrite(archive, damaged, flip_one_byte)

    result = _restore(app, damaged)

    assert hit and result.exit_code != 0
    assert "Nothing restored: the archive is damaged" in result.output
    assert _is_empty(app)


def test_a_truncated_archive_is_refused(source: Flask, app: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    _backup(source, archive)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    result = _restore(app, archive)

    assert result.exit_code != 0 and "Nothing restored: cannot read" in result.output
    assert _is_empty(app)


def test_a_failure_while_writing_files_rolls_everything_back(
    source: Flask, db_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = db_app
    archive = tmp_path / "backup.tar.gz"
    _backup(source, archive)
    with app.app_context():
        store = storage()
    real_write, calls = store.write, []

    def write_then_fail(key: str, data: bytes) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise OSError("disk full")
        real_write(key, data)

    monkeypatch.setattr(store, "write", write_then_fail)

    result = _restore(app, archive)

    assert result.exit_code != 0 and "Nothing restored: disk full" in result.output
    assert _is_empty(app), "the rows were rolled back and the file already written removed"


def test_restoring_onto_a_database_with_data_needs_force(source: Flask, db_app: Flask, tmp_path: Path) -> None:
    app = db_app
    archive = tmp_path / "backup.tar.gz"
    _backup(source, archive)
    with app.app_context():
        from tests.factories import make_organization

        make_organization(acronym="LOCAL")
        db.session.commit()
        stray = storage().put(b"a file of the database being replaced", ".pdf")
    before = _records(app)

    refused = _restore(app, archive)

    assert refused.exit_code != 0
    assert "already holds data" in refused.output and "--force" in refused.output
    assert _records(app) == before

    forced = _restore(app, archive, "--force")

    assert forced.exit_code == 0, forced.output
    assert "1 stored files that were not in the backup removed" in forced.output
    assert _records(app) == _records(source)
    assert _file_hashes(app) == _file_hashes(source)
    assert stray not in _file_hashes(app)


def test_a_backup_of_another_schema_revision_is_refused(source: Flask, app: Flask, tmp_path: Path) -> None:
    archive, other = tmp_path / "backup.tar.gz", tmp_path / "other.tar.gz"
    _backup(source, archive)

    def older_revision(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "0000_older"
        return json.dumps(manifest).encode()

    _rewrite(archive, other, older_revision)

    result = _restore(app, other)

    assert result.exit_code != 0 and "schema revision 0000_older" in result.output
    assert _is_empty(app)


def test_a_postgresql_backup_comes_back_into_sqlite(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> None:
    (tmp_path / "pg-source").mkdir()
    pg_source = _make_app(request, tmp_path / "pg-source", "postgresql")
    source = next(pg_source)
    try:
        _populate(source)
        archive = tmp_path / "backup.tar.gz"
        _backup(source, archive)

        result = _restore(app, archive)

        assert result.exit_code == 0, result.output
        restored = _records(app)
        for table, rows in _records(source).items():
            assert restored[table] == rows, f"{table} differs after the restore"
        assert _file_hashes(app) == _file_hashes(source)
    finally:
        pg_source.close()


def test_files_are_restored_into_and_backed_up_from_an_s3_bucket(
    source: Flask, app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto = pytest.importorskip("moto", reason="moto is not installed")
    boto3 = pytest.importorskip("boto3")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    archive, again = tmp_path / "backup.tar.gz", tmp_path / "again.tar.gz"
    _backup(source, archive)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="rehabilita")
        app.extensions["storage"] = S3Storage("rehabilita", prefix="uploads", client=client)

        assert _restore(app, archive).exit_code == 0
        assert _file_hashes(app) == _file_hashes(source)
        _backup(app, again)

    with tarfile.open(archive) as first, tarfile.open(again) as second:
        manifests = [json.loads(tar.extractfile("manifest.json").read()) for tar in (first, second)]  # type: ignore[union-attr]
    assert manifests[0]["files"] == manifests[1]["files"]
    assert manifests[0]["tables"] == manifests[1]["tables"]


def test_a_backup_is_not_written_into_the_upload_folder(source: Flask) -> None:
    inside = Path(source.config["UPLOAD_FOLDER"]) / "backups" / "b.tar.gz"

    result = source.test_cli_runner().invoke(args=["backup", "--output", str(inside)])

    assert result.exit_code != 0 and "outside the upload folder" in result.output
    assert not inside.exists()
