"""A server killed in the middle of an upload leaves no half record: the photo is absent, and the same file can be
sent again and is saved whole. Shown with a real server process killed with SIGKILL while the upload was being
stored, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.enums import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.photos.models import Photo
from tests.conftest import FormClient, login
from tests.factories import make_center, make_user
from tests.photos.conftest import make_jpeg

ROOT = Path(__file__).resolve().parents[2]

SERVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from werkzeug.serving import make_server
    from app import create_app
    from app.core.storage import LocalStorage
    from tests.conftest import base_config

    database, instance, port, marker = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    put = LocalStorage.put

    def slow_put(self, data, suffix):
        key = put(self, data, suffix)
        marker.write_text(key)  # the original is on disk; the record is not committed yet
        time.sleep(120)  # killed here
        return key

    LocalStorage.put = slow_put
    config = base_config(instance, database) | {"WTF_CSRF_ENABLED": False}
    config.pop("SERVER_NAME")
    make_server("127.0.0.1", port, create_app(config)).serve_forever()
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _multipart(center_id: int, data: bytes) -> tuple[bytes, str]:
    boundary = "rehabilita-crash-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="project_id"\r\n\r\n0\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="IMG_0001.JPG"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _sign_in_cookie(port: int) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/login",
        data=b"email=eng%40example.org&password=correct-horse-battery",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        urllib.request.build_opener(Keep()).open(request, timeout=30)
    except urllib.error.HTTPError as answer:  # the 302 after signing in
        return "; ".join(value.split(";")[0] for key, value in answer.headers.items() if key == "Set-Cookie")
    raise AssertionError("sign-in did not redirect")


def test_an_upload_cut_by_a_killed_server_leaves_no_record_and_can_be_sent_again(db_app: Flask, tmp_path: Path) -> None:
    with db_app.app_context():
        make_user(Role.ENGINEER, email="eng@example.org")
        center_id = make_center().id
    photo = make_jpeg((2000, 1500))
    port, marker = _free_port(), tmp_path / "stored"
    server = subprocess.Popen(  # the app in its own process, on a real port
        [sys.executable, "-c", SERVER, db_app.config["SQLALCHEMY_DATABASE_URI"], db_app.instance_path, str(port)]
        + [str(marker)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                cookie = _sign_in_cookie(port)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        body, content_type = _multipart(center_id, photo)
        upload = urllib.request.Request(
            f"http://127.0.0.1:{port}/photos/upload?center_id={center_id}",
            data=body,
            headers={"Content-Type": content_type, "Cookie": cookie, "X-Requested-With": "fetch"},
        )
        answers: list[object] = []

        def send() -> None:
            try:
                answers.append(urllib.request.urlopen(upload, timeout=60).status)  # noqa: S310 (http to our server)
            except (OSError, urllib.error.HTTPError) as error:
                answers.append(error)

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the upload never reached the storage"
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        sender.join(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert answers and not isinstance(answers[0], int), "the client was told the photo was saved"

    with db_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
    # Sent again to a server that runs: saved whole, not refused as a duplicate of a half record.
    db_app.test_client_class = FormClient
    client: FlaskClient = db_app.test_client()
    login(client, "eng@example.org")
    response = client.post(
        f"/photos/upload?center_id={center_id}",
        data={"project_id": "0", "photos": [(io.BytesIO(photo), "IMG_0001.JPG")]},
        headers={"X-Requested-With": "fetch"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    with db_app.app_context():
        saved = db.session.scalars(select(Photo)).one()
        assert (saved.width, saved.height) == (2000, 1500)
        # What the killed upload wrote is no record's file: the storage sweep finds it, and only it.
        from datetime import timedelta

        from app.core.storage import storage
        from app.operations.sweep import storage_sweep

        orphan = marker.read_text()
        found = storage_sweep(db.session(), storage(), grace=timedelta(0), now=utcnow() + timedelta(seconds=1))
        assert [f.key for f in found.orphans] == [orphan]
        storage_sweep(db.session(), storage(), grace=timedelta(0), delete=True, now=utcnow() + timedelta(seconds=1))
        assert not storage().exists(orphan)
        assert all(storage().exists(key) for key in (saved.original_key, saved.display_key, saved.thumb_key))
