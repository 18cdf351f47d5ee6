"""Load and concurrent writes against the running app: gunicorn on PostgreSQL (or SQLite with --sqlite).

    python -m benchmarks.load [--seconds 30] [--clients 8] [--workers 4] [--sqlite]

Builds the synthetic portfolio of benchmarks.portfolio (1,000 centers, 5,000 projects, 50,000 milestones, budgets)
in a throwaway database, starts gunicorn, and lets CLIENTS signed-in managers work for SECONDS, each picking in turn:
the dashboard (a random page), a project page, an edit of a milestone's notes (through the real form, with its CSRF
token and version, on a small set of milestones that every client edits, so saves collide) and a photo upload (a
unique JPEG through the same endpoint the browser uses). It prints throughput, p50/p99 per action and the errors.

Then it checks that nothing was lost: every save the server confirmed is in the audit log with the value sent, each
milestone holds the value of its last confirmed save, a save refused as a conflict (409) changed nothing, and every
confirmed upload is a photo row whose three files are on disk.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import io
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.portfolio import (
    BENCH_DIR,
    MANAGERS,
    PASSWORD,
    ROOT,
    SECRET_KEY,
    free_port,
    postgres_database,
    prepare,
    sqlite_database,
)

HOT_MILESTONES = 12  # every client edits these: saves collide, as when a team updates the same plan
ACTIONS = (("dashboard", 40), ("project page", 30), ("milestone save", 20), ("photo upload", 10))
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    saves: list[tuple[int, str]] = field(default_factory=list)  # (milestone id, notes) the server confirmed
    refused: list[tuple[int, str]] = field(default_factory=list)  # saves answered 409
    uploads: list[str] = field(default_factory=list)  # SHA-256 of each photo the server confirmed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.timings.setdefault(action, []).append(seconds)
            if error:
                self.errors[f"{action}: {error}"] = self.errors.get(f"{action}: {error}", 0) + 1


@dataclass(frozen=True)
class World:
    port: int
    project_ids: list[int]
    milestones: dict[int, dict[str, str]]  # id -> the form's other fields, which the load never changes
    milestone_project: dict[int, int]
    photo_center: int
    photo_project: int
    max_page: int


class Client:
    def __init__(self, world: World, email: str) -> None:
        self.world = world
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        html = self.get("/login")
        self.post("/login", {"email": email, "password": PASSWORD, "csrf_token": _token(html)})

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.world.port}{path}"

    def get(self, path: str) -> str:
        with self.opener.open(self.url(path), timeout=60) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode()
        return self._send(path, body, {"Content-Type": "application/x-www-form-urlencoded"} | (headers or {}))

    def post_multipart(self, path: str, fields: dict[str, str], file: tuple[str, bytes]) -> tuple[int, bytes]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        filename, data = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Requested-With": "fetch"}
        return self._send(path, b"".join(parts), headers)

    def _send(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url(path), data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 302 after a save is the answer we measure, not the page it leads to


def _token(html: str) -> str:
    match = TOKEN.search(html)
    if match is None:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)


def _jpeg(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 (synthetic pictures)
    image = Image.new("RGB", (1200, 900), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(1100), rng.randrange(800)
        draw.rectangle((x, y, x + 100, y + 100), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _work(client: Client, world: World, tally: Tally, photos: list[bytes], until: float, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311
    names, weights = zip(*ACTIONS, strict=True)
    n = 0
    while time.monotonic() < until:
        action = rng.choices(names, weights)[0]
        n += 1
        started = time.perf_counter()
        error: str | None = None
        try:
            if action == "dashboard":
                client.get(f"/dashboard?page={rng.randint(1, world.max_page)}")
            elif action == "project page":
                client.get(f"/projects/{rng.choice(world.project_ids)}")
            elif action == "milestone save":
                error = _save_milestone(client, world, tally, rng, f"load {seed}-{n} {uuid.uuid4().hex[:8]}")
            else:
                with tally.lock:
                    data = photos.pop() if photos else None
                if data is None:
                    continue
                error = _upload(client, world, tally, data, f"IMG_{seed}_{n}.jpg")
        except urllib.error.HTTPError as failure:
            error = f"HTTP {failure.code}"
        except OSError as failure:
            error = failure.__class__.__name__
        tally.record(action, time.perf_counter() - started, error)


def _save_milestone(client: Client, world: World, tally: Tally, rng: random.Random, notes: str) -> str | None:
    milestone_id = rng.choice(list(world.milestones))
    path = f"/projects/{world.milestone_project[milestone_id]}/milestones/{milestone_id}"
    html = client.get(path)
    version = VERSION.search(html)
    if version is None:
        return "no version field"
    fields = world.milestones[milestone_id] | {
        "notes": notes,
        "version": version.group(1) or version.group(2),
        "csrf_token": _token(html),
    }
    status, _body = client.post(path, fields)
    if status == 302:
        with tally.lock:
            tally.saves.append((milestone_id, notes))
        return None
    if status == 409:
        with tally.lock:
            tally.conflicts += 1
            tally.refused.append((milestone_id, notes))
        return None
    return f"HTTP {status}"


def _upload(client: Client, world: World, tally: Tally, data: bytes, name: str) -> str | None:
    html = client.get(f"/photos/upload?center_id={world.photo_center}")
    fields = {"csrf_token": _token(html), "project_id": str(world.photo_project)}
    status, _body = client.post_multipart(f"/photos/upload?center_id={world.photo_center}", fields, (name, data))
    if status == 201:
        with tally.lock:
            tally.uploads.append(hashlib.sha256(data).hexdigest())
        return None
    return f"HTTP {status}"


@contextmanager
def _gunicorn(url: str, workers: int, uploads: Path) -> Iterator[int]:
    port = free_port()
    env = os.environ | {
        "REHABILITA_INSTANCE_PATH": str(BENCH_DIR / "instance"),
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "UPLOAD_FOLDER": str(uploads),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--timeout", "120", "app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _world(url: str, port: int) -> World:
    from sqlalchemy import create_engine, select

    from app.projects.models import Milestone, Project

    engine = create_engine(url)
    with engine.connect() as connection:
        project_ids = list(connection.scalars(select(Project.id)))
        hot_projects = project_ids[:3]
        rows = connection.execute(
            select(Milestone).where(Milestone.project_id.in_(hot_projects)).order_by(Milestone.id).limit(HOT_MILESTONES)
        ).all()
        center = connection.scalar(select(Project.center_id).where(Project.id == hot_projects[0]))
    engine.dispose()
    milestones = {
        row.id: {
            "title": row.title,
            "phase_id": str(row.phase_id),
            "owner_id": str(row.owner_id or 0),
            "planned_date": row.planned_date.isoformat(),
            "status": str(row.status.value),
            "actual_date": row.actual_date.isoformat() if row.actual_date else "",
        }
        for row in rows
    }
    return World(
        port=port,
        project_ids=project_ids,
        milestones=milestones,
        milestone_project={row.id: row.project_id for row in rows},
        photo_center=int(center or 0),
        photo_project=hot_projects[0],
        max_page=len(project_ids) // 25,
    )


def _verify(url: str, tally: Tally, uploads: Path) -> list[str]:
    """What the database and the disk hold against what the server confirmed. Returns the problems found."""
    from sqlalchemy import create_engine, select

    from app.core.audit.models import AuditEntry
    from app.photos.models import Photo
    from app.projects.models import Milestone

    problems = []
    engine = create_engine(url)
    with engine.connect() as connection:
        entries = connection.execute(
            select(AuditEntry.entity_id, AuditEntry.changes)
            .where(AuditEntry.entity_type == "milestones", AuditEntry.action == "update")
            .order_by(AuditEntry.id)
        ).all()
        written: dict[int, list[str]] = {}
        for entity_id, changes in entries:
            notes = (changes or {}).get("notes")
            if isinstance(notes, list) and len(notes) == 2:
                written.setdefault(int(entity_id), []).append(str(notes[1]))
        for milestone_id, notes in tally.saves:
            if notes not in written.get(milestone_id, []):
                problems.append(f"confirmed save missing from the audit log: milestone {milestone_id} {notes!r}")
        for milestone_id, notes in tally.refused:
            if notes in written.get(milestone_id, []):
                problems.append(f"a save refused as a conflict was written: milestone {milestone_id} {notes!r}")
        current = dict(connection.execute(select(Milestone.id, Milestone.notes).where(Milestone.id.in_(written))).all())
        for milestone_id, history in written.items():
            if current.get(milestone_id) != history[-1]:
                problems.append(f"milestone {milestone_id} holds {current.get(milestone_id)!r}, not its last save")
        photos = {
            row.sha256: row for row in connection.execute(select(Photo).where(Photo.sha256.in_(tally.uploads))).all()
        }
        for digest in tally.uploads:
            row = photos.get(digest)
            if row is None:
                problems.append(f"confirmed upload has no photo row: {digest[:12]}")
                continue
            for key in (row.original_key, row.display_key, row.thumb_key):
                if not (uploads / key).is_file():
                    problems.append(f"photo {row.id}: file {key} missing")
    engine.dispose()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    args = parser.parse_args()

    BENCH_DIR.mkdir(exist_ok=True)
    shutil.rmtree(BENCH_DIR / "instance", ignore_errors=True)
    uploads = BENCH_DIR / "load-uploads"
    shutil.rmtree(uploads, ignore_errors=True)
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    with sqlite_database() if args.sqlite else postgres_database() as url:
        print(f"Building the portfolio on {backend} …", flush=True)
        prepare(url)
        photos = [_jpeg(seed) for seed in range(int(args.seconds * args.clients))]
        with _gunicorn(url, args.workers, uploads) as port:
            world = _world(url, port)
            tally = Tally()
            clients = [Client(world, f"manager{i % MANAGERS + 1}@bench.example") for i in range(args.clients)]
            print(
                f"  {args.clients} clients for {args.seconds:.0f} s on gunicorn ({args.workers} workers) …", flush=True
            )
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=_work, args=(client, world, tally, photos, until, seed))
                for seed, client in enumerate(clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        problems = _verify(url, tally, uploads)

    total = sum(len(t) for t in tally.timings.values())
    print()
    print(f"{backend}, gunicorn {args.workers} sync workers, {args.clients} clients, {elapsed:.0f} s")
    print(f"{'action':<16} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for action, _weight in ACTIONS:
        times = sorted(tally.timings.get(action, []))
        if not times:
            continue
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{action:<16} {len(times):>6} {statistics.median(times) * 1000:>8.0f} {p99 * 1000:>8.0f}")
    print(f"throughput: {total / elapsed:.1f} actions/s; errors: {sum(tally.errors.values())}")
    for what, count in sorted(tally.errors.items()):
        print(f"  {count} x {what}")
    print(
        f"milestone saves confirmed: {len(tally.saves)}, refused as conflicts (409, the other save kept): "
        f"{tally.conflicts}; photos confirmed: {len(tally.uploads)}"
    )
    if problems:
        print(f"LOST OR WRONG: {len(problems)}")
        for problem in problems[:20]:
            print("  " + problem)
        return 1
    print("every confirmed save and upload is in the database (and on disk); no refused save was written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
