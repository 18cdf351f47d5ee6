"""Files go through one small interface: a local folder by default, an S3-compatible bucket as an option."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.storage import LocalStorage, S3Storage


@pytest.fixture
def s3_storage(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Storage]:
    moto = pytest.importorskip("moto", reason="moto is not installed")
    boto3 = pytest.importorskip("boto3")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="rehabilita")
        yield S3Storage("rehabilita", prefix="uploads", client=client)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    return request.getfixturevalue("s3_storage")


def test_bytes_come_back_under_a_server_generated_key(storage: Any) -> None:
    key = storage.put(b"hello photo", ".jpg")
    assert key.endswith(".jpg") and "/" in key
    assert storage.read(key) == b"hello photo"
    assert storage.open(key).read() == b"hello photo"
    assert storage.exists(key)
    storage.delete(key)
    assert not storage.exists(key)


def test_two_puts_never_share_a_key(storage: Any) -> None:
    assert storage.put(b"a", ".jpg") != storage.put(b"a", ".jpg")


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "ab/../../x"])
def test_keys_cannot_escape_the_storage(storage: Any, key: str) -> None:
    with pytest.raises((ValueError, FileNotFoundError)):
        storage.read(key)


def test_local_files_are_written_whole_and_not_world_readable(tmp_path: Path) -> None:
    backend = LocalStorage(tmp_path / "uploads")
    key = backend.put(b"x" * 1000, ".pdf")
    path = tmp_path / "uploads" / key
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    leftovers = [p for p in path.parent.iterdir() if p.name.startswith(".incoming-")]
    assert leftovers == []
    assert os.path.getsize(path) == 1000


def test_stored_keys_are_listed_without_probes_or_partial_writes(storage: Any) -> None:
    first = storage.put(b"one", ".jpg")
    second = storage.put(b"two", ".pdf")
    storage.write(".healthz/probe", b"probe")
    assert sorted(storage.list_keys()) == sorted([first, second])
    storage.delete(first)
    assert list(storage.list_keys()) == [second]


def test_a_restore_writes_bytes_back_under_their_own_key(storage: Any) -> None:
    storage.write("ab/abcdef.jpg", b"restored")
    assert storage.read("ab/abcdef.jpg") == b"restored"
    storage.write("ab/abcdef.jpg", b"replaced")
    assert storage.read("ab/abcdef.jpg") == b"replaced"
    with pytest.raises(ValueError):
        storage.write("../outside.jpg", b"x")


def test_an_empty_local_storage_lists_nothing(tmp_path: Path) -> None:
    assert list(LocalStorage(tmp_path / "never-created").list_keys()) == []


def test_stored_files_are_listed_with_their_size_and_time(storage: Any) -> None:
    from datetime import UTC, datetime, timedelta

    key = storage.put(b"12345", ".bin")
    files = {f.key: f for f in storage.list_files()}
    assert set(files) == {key}
    assert files[key].size == 5
    assert abs(files[key].modified_at - datetime.now(UTC)) < timedelta(minutes=5)
