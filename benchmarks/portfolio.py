"""Latency of the dashboard and a project page on a synthetic portfolio, served by gunicorn.

    python -m benchmarks.portfolio [--postgres] [--requests 400] [--concurrency 8]

Builds 1,000 centers, 5,000 projects (with their 5 phases), 50,000 milestones, 50,000 budget lines and 250,000
expenditures and commitments with bulk Core inserts in a
fresh SQLite file under .bench/ (or, with --postgres, in a throwaway database on 127.0.0.1:5432 that is dropped
at the end), starts the app under gunicorn (2 sync workers), signs in as a manager and measures p50 and p99 of
each endpoint with a bounded client loop (threads, one connection per request). Queries per page are counted
in-process with the test client. The target (../shared/PERFORMANCE.md): dashboard and project page p99 within 4x
a trivial endpoint's p99 in the same run, and queries per page that do not grow with the rows shown.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
PG_ADMIN_URL = os.environ.get("REHABILITA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-1"  # noqa: S105 (synthetic accounts in a throwaway database)
SECRET_KEY = "bench-" + uuid.uuid4().hex

CENTERS = 1_000
PROJECTS_PER_CENTER = 5
MILESTONES_PER_PHASE = 2  # 5 phases x 2 = 10 per project: 50,000 milestones
MANAGERS = 10
ENGINEERS = 20
DONOR_ORGS = 4
LINES_PER_PROJECT = 10  # 2 of them in lempiras, converted to dollars on the dashboard: 50,000 budget lines
ENTRIES_PER_LINE = 5  # 4 expenditures and a commitment: 250,000 entries
CATEGORIES = ("ASSESSMENT_DESIGN", "WORKS", "MATERIALS", "EQUIPMENT_FURNITURE", "SUPERVISION", "CONTINGENCY")

PHASES = ("evaluation", "partnership", "design", "works", "handover")
MUNICIPALITIES = (
    ("Cortés", "San Pedro Sula"),
    ("Cortés", "Omoa"),
    ("Cortés", "Choloma"),
    ("Francisco Morazán", "Distrito Central"),
    ("Atlántida", "La Ceiba"),
    ("Yoro", "El Progreso"),
    ("Ocotepeque", "Ocotepeque"),
    ("Choluteca", "Choluteca"),
)


# --- the synthetic portfolio ---------------------------------------------------------------------------
def _chunks(rows: list[dict[str, Any]], size: int = 5_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build_portfolio(connection: Any, *, today: date, seed: int = 20_26) -> dict[str, Any]:
    """Insert the synthetic portfolio with Core bulk inserts; returns the ids the benchmark needs."""
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.centers.models import Center
    from app.core.enums import PhaseStatus
    from app.organizations.models import Organization
    from app.projects.models import Milestone, Phase, Project, ProjectFunding

    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible on purpose)
    now = datetime.now(UTC)
    stamp = {"created_at": now, "updated_at": now}

    orgs = [{"name": "International Organization for Migration", "acronym": "IOM", "kind": "UN_AGENCY"}]
    orgs += [{"name": f"Donor agency {i}", "acronym": f"DON{i}", "kind": "DONOR"} for i in range(1, DONOR_ORGS + 1)]
    connection.execute(Organization.__table__.insert(), [o | stamp | {"country": "HN"} for o in orgs])
    org_ids = dict(
        connection.execute(
            Organization.__table__.select().with_only_columns(Organization.acronym, Organization.id)
        ).all()
    )
    donor_org_ids = [org_ids[f"DON{i}"] for i in range(1, DONOR_ORGS + 1)]

    password_hash = hash_password(PASSWORD)
    users = [("admin@bench.example", "ADMIN", org_ids["IOM"])]
    users += [(f"manager{i}@bench.example", "MANAGER", org_ids["IOM"]) for i in range(1, MANAGERS + 1)]
    users += [(f"engineer{i}@bench.example", "ENGINEER", org_ids["IOM"]) for i in range(1, ENGINEERS + 1)]
    users += [("donor@bench.example", "DONOR", donor_org_ids[0])]
    connection.execute(
        User.__table__.insert(),
        [
            {
                "email": email,
                "name": email.split("@")[0].title(),
                "password_hash": password_hash,
                "role": role,
                "organization_id": org,
                "active": True,
                "session_version": 1,
            }
            | stamp
            for email, role, org in users
        ],
    )
    user_ids = dict(connection.execute(User.__table__.select().with_only_columns(User.email, User.id)).all())
    manager_ids = [user_ids[f"manager{i}@bench.example"] for i in range(1, MANAGERS + 1)]
    engineer_ids = [user_ids[f"engineer{i}@bench.example"] for i in range(1, ENGINEERS + 1)]

    centers = []
    for i in range(1, CENTERS + 1):
        department, municipality = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        centers.append(
            {
                "code": f"C-{i:04d}",
                "name": f"Centro de atención {i}",
                "population": "RETURNED_ADULTS",
                "department": department,
                "municipality": municipality,
                "address": "",
                "contact_name": "",
                "contact_phone": "",
                "contact_email": "",
                "latitude": Decimal("15.5"),
                "longitude": Decimal("-88.0"),
                "version": 1,
            }
            | stamp
        )
    for chunk in _chunks(centers):
        connection.execute(Center.__table__.insert(), chunk)
    center_ids = [cid for (cid,) in connection.execute(Center.__table__.select().with_only_columns(Center.id))]

    projects, plans = [], []
    n = 0
    for center_id in center_ids:
        for _ in range(PROJECTS_PER_CENTER):
            n += 1
            state = rng.choices(range(6), weights=(15, 15, 20, 25, 10, 15))[0]  # 5 = completed
            # Started long enough ago to have reached its phase (phases last 108 days), some of them late.
            elapsed = 108 * state + rng.randint(0, 107) + (rng.randint(0, 90) if rng.random() < 0.3 else 0)
            start = today - timedelta(days=elapsed)
            on_hold = state < 5 and rng.random() < 0.06
            progress = 100 if state == 5 else (rng.randint(1, 99) if state == 3 else (100 if state == 4 else 0))
            last = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
            projects.append(
                {
                    "code": f"P-{n:05d}",
                    "title": f"Rehabilitación del centro, obra {n}",
                    "objective": "",
                    "kind": "REHABILITATION",
                    "center_id": center_id,
                    "manager_id": manager_ids[n % MANAGERS],
                    "planned_start": start,
                    "planned_end": start + timedelta(days=540),
                    "current_phase": PHASES[min(state, 4)].upper(),
                    "completed": state == 5,
                    "on_hold": on_hold,
                    "physical_progress": Decimal(progress),
                    "last_activity_at": None if n % 97 == 0 else last,
                    "version": 1,
                }
                | stamp
            )
            plans.append((start, state, on_hold))
    for chunk in _chunks(projects):
        connection.execute(Project.__table__.insert(), chunk)
    project_ids = [
        pid
        for (pid,) in connection.execute(Project.__table__.select().with_only_columns(Project.id).order_by(Project.id))
    ]

    phases, fundings = [], []
    for project_id, (start, state, on_hold) in zip(project_ids, plans, strict=True):
        for position, kind in enumerate(PHASES, start=1):
            index = position - 1
            status = (
                "DONE"
                if index < state
                else ("NOT_STARTED" if index > state else ("ON_HOLD" if on_hold else "IN_PROGRESS"))
            )
            phase_start = start + timedelta(days=108 * index)
            phases.append(
                {
                    "project_id": project_id,
                    "kind": kind.upper(),
                    "position": position,
                    "status": status,
                    "planned_start": phase_start,
                    "planned_end": phase_start + timedelta(days=107),
                    "gate_evidence": "",
                    "version": 1,
                }
                | stamp
            )
        for org_id in rng.sample(donor_org_ids, rng.randint(1, 2)):
            fundings.append({"project_id": project_id, "organization_id": org_id} | stamp)
    for chunk in _chunks(phases):
        connection.execute(Phase.__table__.insert(), chunk)
    for chunk in _chunks(fundings):
        connection.execute(ProjectFunding.__table__.insert(), chunk)

    phase_rows = connection.execute(
        Phase.__table__.select().with_only_columns(
            Phase.id, Phase.project_id, Phase.position, Phase.status, Phase.planned_start, Phase.planned_end
        )
    )
    milestones = []
    for phase_id, project_id, _position, status, phase_start, phase_end in phase_rows:
        for k in range(MILESTONES_PER_PHASE):
            planned = phase_start + (phase_end - phase_start) * (k + 1) // (MILESTONES_PER_PHASE + 1)
            if status is PhaseStatus.DONE:
                done = True
            elif status is PhaseStatus.NOT_STARTED:
                done = False
            else:
                done = planned < today and rng.random() < 0.6
            milestones.append(
                {
                    "project_id": project_id,
                    "phase_id": phase_id,
                    "title": f"Hito {k + 1} de la fase {phase_id}",
                    "owner_id": rng.choice(engineer_ids) if rng.random() < 0.8 else None,
                    "planned_date": planned,
                    "actual_date": planned if done else None,
                    "status": "DONE" if done else "OPEN",
                    "notes": "",
                    "version": 1,
                }
                | stamp
            )
    for chunk in _chunks(milestones):
        connection.execute(Milestone.__table__.insert(), chunk)
    lines, entries = _build_budgets(connection, project_ids, fundings, rng, stamp)
    return {
        "budget_lines": lines,
        "entries": entries,
        "project_id": project_ids[len(project_ids) // 2],
        "projects": len(project_ids),
        "milestones": len(milestones),
        "centers": len(center_ids),
    }


def _build_budgets(
    connection: Any, project_ids: list[int], fundings: list[dict[str, Any]], rng: random.Random, stamp: dict[str, Any]
) -> tuple[int, int]:
    """Budget lines per project (funded by the project's donors) and their expenditures and commitments."""
    from app.budgets.models import BudgetLine, ExchangeRate, Expenditure

    connection.execute(
        ExchangeRate.__table__.insert(),
        [
            {"from_currency": "HNL", "to_currency": "USD", "rate": Decimal("0.0405"), "valid_on": date(2020, 1, 1)}
            | stamp
        ],
    )
    funders: dict[int, list[int]] = {}
    for funding in fundings:
        funders.setdefault(funding["project_id"], []).append(funding["organization_id"])
    lines = []
    for project_id in project_ids:
        for k in range(LINES_PER_PROJECT):
            currency = "HNL" if k >= LINES_PER_PROJECT - 2 else "USD"
            quantity = Decimal(rng.randint(1, 400))
            unit_cost = Decimal(rng.randint(500, 900_000)) / 100 * (25 if currency == "HNL" else 1)
            lines.append(
                {
                    "project_id": project_id,
                    "phase": PHASES[k % len(PHASES)].upper(),
                    "category": CATEGORIES[k % len(CATEGORIES)],
                    "description": f"Partida {k + 1}",
                    "quantity": quantity,
                    "unit": "m²",
                    "unit_cost": unit_cost,
                    "total": (quantity * unit_cost).quantize(Decimal("0.01")),
                    "currency": currency,
                    "funder_id": rng.choice(funders[project_id]),
                    "version": 1,
                }
                | stamp
            )
    for chunk in _chunks(lines):
        connection.execute(BudgetLine.__table__.insert(), chunk)
    line_rows = connection.execute(
        BudgetLine.__table__.select().with_only_columns(
            BudgetLine.id, BudgetLine.project_id, BudgetLine.total, BudgetLine.currency
        )
    )
    entries = []
    for line_id, project_id, total, currency in line_rows:
        for k in range(ENTRIES_PER_LINE):
            amount = (Decimal(total) * Decimal(rng.randint(1, 30)) / 100).quantize(Decimal("0.01"))
            entries.append(
                {
                    "project_id": project_id,
                    "line_id": line_id,
                    "kind": "COMMITMENT" if k == 0 else "EXPENDITURE",
                    "spent_on": date(2025, 1 + k, 10),
                    "supplier": "Constructora del Valle",
                    "document_number": f"F-{line_id}-{k}",
                    "amount": amount,
                    "currency": currency,
                    "line_amount": amount,
                    "fx_inverted": False,
                    "note": "",
                }
                | stamp
            )
    for chunk in _chunks(entries):
        connection.execute(Expenditure.__table__.insert(), chunk)
    return len(lines), len(entries)


# --- databases -----------------------------------------------------------------------------------------
@contextmanager
def sqlite_database() -> Iterator[str]:
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / "portfolio.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    yield f"sqlite:///{path}"


@contextmanager
def postgres_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"rehabilita_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_config(url: str) -> dict[str, Any]:
    instance = BENCH_DIR / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": SECRET_KEY,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "LOG_LEVEL": "WARNING",
    }


def prepare(url: str) -> dict[str, Any]:
    from flask_migrate import upgrade

    from app import create_app
    from app.core.timeutil import today
    from app.extensions import db

    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        with db.engine.begin() as connection:
            facts = build_portfolio(connection, today=today())
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        facts["build_seconds"] = time.perf_counter() - started
        db.engine.dispose()
    return facts


# --- measuring -----------------------------------------------------------------------------------------
@dataclass
class InProcess:
    status: int
    queries_warm: int
    queries_cold: int
    ms_warm: float
    ms_cold: float


def in_process(url: str, paths: list[str], email: str | None, runs: int = 30) -> dict[str, InProcess]:
    """Per path, with the test client in this process: SQL statements and median time of one request, with
    the dashboard's kept figures warm, and cold (cleared before each request, as after every change)."""
    from sqlalchemy import event

    from app import create_app
    from app.dashboard import cache
    from app.extensions import db

    app = create_app(app_config(url) | {"WTF_CSRF_ENABLED": False})
    results: dict[str, InProcess] = {}
    with app.app_context():
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        client = app.test_client()
        if email:
            client.post("/login", data={"email": email, "password": PASSWORD})
        client.get("/static/img/favicon.svg")
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            for path in paths:
                figures: dict[bool, tuple[int, int, float]] = {}
                for cold in (True, False):
                    timings = []
                    for _ in range(runs):
                        if cold:
                            cache.clear()
                        statements.clear()
                        started = time.perf_counter()
                        response = client.get(path)
                        timings.append(time.perf_counter() - started)
                    figures[cold] = (response.status_code, len(statements), statistics.median(timings) * 1000)
                results[path] = InProcess(
                    status=figures[False][0],
                    queries_warm=figures[False][1],
                    queries_cold=figures[True][1],
                    ms_warm=figures[False][2],
                    ms_cold=figures[True][2],
                )
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        db.engine.dispose()
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(url: str) -> Iterator[int]:
    port = free_port()
    env = os.environ | {
        "REHABILITA_INSTANCE_PATH": str(BENCH_DIR / "instance"),
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        # A log line per request would cost the measured requests time (and the server's output goes to a file).
        "LOG_LEVEL": "WARNING",
    }
    # To a file, not a pipe nobody reads while measuring: a full pipe would block the workers mid-request.
    server_log = (BENCH_DIR / "gunicorn.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = (BENCH_DIR / "gunicorn.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError("gunicorn did not start: " + output) from None
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        server_log.close()


def sign_in(port: int, email: str) -> str:
    """The Cookie header of a signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token.group(1)}).encode()
    opener.open(f"http://127.0.0.1:{port}/login", body)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


@dataclass
class Measure:
    label: str
    path: str
    statuses: dict[int, int]
    latencies: list[float]
    seconds: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[98] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def measure(
    port: int, pages: list[tuple[str, str, str | None]], requests: int, concurrency: int, rounds: int = 4
) -> list[Measure]:
    """Each endpoint in turn, ``requests`` in all split over ``rounds`` rounds, so that a burst of load from
    elsewhere on the machine falls on every endpoint alike rather than on whichever ran at that moment."""

    def one(path: str, cookie: str | None) -> tuple[int, float]:
        headers = {"Cookie": cookie} if cookie else {}
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        return response.status, time.perf_counter() - started

    latencies: dict[str, list[float]] = {path: [] for _label, path, _cookie in pages}
    statuses: dict[str, dict[int, int]] = {path: {} for _label, path, _cookie in pages}
    seconds: dict[str, float] = dict.fromkeys(latencies, 0.0)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _label, path, cookie in pages:  # warm both workers
            list(pool.map(one, [path] * concurrency * 4, [cookie] * concurrency * 4))
        for round_number in range(rounds):
            share = requests // rounds + (1 if round_number < requests % rounds else 0)
            for _label, path, cookie in pages:
                started = time.perf_counter()
                for status, latency in pool.map(one, [path] * share, [cookie] * share):
                    statuses[path][status] = statuses[path].get(status, 0) + 1
                    latencies[path].append(latency)
                seconds[path] += time.perf_counter() - started
    return [Measure(label, path, statuses[path], latencies[path], seconds[path]) for label, path, _cookie in pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway database on 127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint (default 400)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    args = parser.parse_args(argv)

    BENCH_DIR.mkdir(exist_ok=True)
    shutil.rmtree(BENCH_DIR / "instance", ignore_errors=True)
    database = postgres_database() if args.postgres else sqlite_database()
    manager = "manager1@bench.example"
    backend = "PostgreSQL" if args.postgres else "SQLite"
    with database as url:
        print(f"Building the portfolio on {backend} …", flush=True)
        facts = prepare(url)
        print(
            f"  {facts['centers']:,} centers, {facts['projects']:,} projects, {facts['milestones']:,} milestones, "
            f"{facts['budget_lines']:,} budget lines, {facts['entries']:,} expenditures and commitments "
            f"in {facts['build_seconds']:.1f} s",
            flush=True,
        )
        project_path = f"/projects/{facts['project_id']}"
        pages = [
            ("static file (favicon.svg)", "/static/img/favicon.svg", False),
            ("login page (rendered, no DB)", "/login", False),
            ("dashboard, page 1", "/dashboard", True),
            ("dashboard, sorted by overdue", "/dashboard?sort=overdue", True),
            ("dashboard, page 40 by activity", "/dashboard?sort=activity&page=40", True),
            ("project page", project_path, True),
            ("budget page", f"/budgets/project/{facts['project_id']}", True),
        ]
        print("  counting queries and timing in-process …", flush=True)
        local = in_process(url, [path for _label, path, signed in pages if signed], manager)
        local.update(in_process(url, [path for _label, path, signed in pages if not signed], None))
        with gunicorn(url) as port:
            cookie = sign_in(port, manager)
            print(f"  measuring over HTTP ({len(pages)} endpoints, {args.requests} requests) …", flush=True)
            results = measure(
                port,
                [(label, path, cookie if signed else None) for label, path, signed in pages],
                args.requests,
                args.concurrency,
            )

    print()
    print(
        f"{backend}, gunicorn 2 sync workers, {args.requests} requests per endpoint, {args.concurrency} in flight, "
        "endpoints taken in turn over 4 rounds"
    )
    print(
        "SQL and 'alone' columns: one request in-process (test client), median; cold = the dashboard's kept "
        "figures cleared first, as after any change to a project"
    )
    header = (
        f"{'endpoint':<31} {'status':<7} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>6}  {'SQL':>4} {'SQL cold':>8} "
        f"{'alone ms':>8} {'cold ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        statuses = ",".join(
            f"{code}:{n}" if len(result.statuses) > 1 else str(code) for code, n in sorted(result.statuses.items())
        )
        figures = local[result.path]
        print(
            f"{result.label:<31} {statuses:<7} {result.p50:>7.1f} {result.p99:>7.1f} {result.rate:>6.0f}  "
            f"{figures.queries_warm:>4} {figures.queries_cold:>8} {figures.ms_warm:>8.1f} {figures.ms_cold:>7.1f}"
        )
    by_path = {result.path: result for result in results}
    if 404 in by_path[project_path].statuses:
        print(f"\n{project_path} answered 404: the project page does not exist yet, its figures mean nothing.")
    print()
    for trivial_label, trivial_path in (("static favicon", "/static/img/favicon.svg"), ("login page", "/login")):
        trivial = by_path[trivial_path]
        for label, path in (
            ("dashboard", "/dashboard"),
            ("dashboard by overdue", "/dashboard?sort=overdue"),
            ("project page", project_path),
            ("budget page", f"/budgets/project/{facts['project_id']}"),
        ):
            ratio = by_path[path].p99 / trivial.p99
            verdict = "within" if ratio <= 4 else "OVER"
            print(f"p99 {label} / p99 {trivial_label}: {ratio:4.1f}x  ({verdict} the 4x target)")
    # Over HTTP the client and everything else running on the machine share the cores with the workers;
    # one request alone in-process shows what each page costs the server by itself.
    print()
    for label, path in (
        ("dashboard", "/dashboard"),
        ("dashboard by overdue", "/dashboard?sort=overdue"),
        ("project page", project_path),
        ("budget page", f"/budgets/project/{facts['project_id']}"),
    ):
        alone, login = local[path], local["/login"]
        print(
            f"in-process, alone: {label} / login page: {alone.ms_warm / login.ms_warm:4.1f}x "
            f"(kept figures cold: {alone.ms_cold / login.ms_warm:4.1f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
