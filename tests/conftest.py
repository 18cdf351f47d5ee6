"""Test harness: every test gets a clean, migrated database — a SQLite file, or PostgreSQL where asked.

The schema is built the way production builds it, by the Alembic migrations: once per session into a template
(SQLite) or a throwaway database (PostgreSQL), then copied (SQLite) or truncated (PostgreSQL) for each test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db, limiter

PG_ADMIN_URL = os.environ.get("REHABILITA_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs() -> None:
    """Compile the message catalogs the way ``make translations`` does, so pytest alone also works."""
    from app.core.catalogs import compile_catalogs

    compile_catalogs()


def base_config(instance: Path, database_uri: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SERVER_NAME": "localhost",
    }


def _migrate(uri: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app(base_config(instance, uri))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    _migrate(f"sqlite:///{path}", folder)
    return path


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure to reach the server means: skip
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error.__class__.__name__}"


@pytest.fixture(scope="session")
def pg_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of our own on the local PostgreSQL, migrated once, dropped at the end of the session."""
    reason = _pg_reachable()
    if reason:
        pytest.skip(reason)
    name = f"rehabilita_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        _migrate(url, tmp_path_factory.mktemp("pg"))
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(app: Flask) -> None:
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _make_app(request: pytest.FixtureRequest, tmp_path: Path, backend: str, **overrides: Any) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    if backend == "sqlite":
        path = instance / "rehabilita.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        uri = f"sqlite:///{path}"
    else:
        uri = request.getfixturevalue("pg_database")
    config = base_config(instance, uri) | overrides
    # The limiter is one object for every app of the process, and Flask-Limiter keeps the first default limits it
    # is given (RATELIMIT_DEFAULT of one test would throttle every later test): each app starts without them.
    limiter.limit_manager.set_default_limits([])
    limiter.limit_manager.set_application_limits([])
    app = create_app(config)
    if backend == "postgresql":
        _truncate_all(app)
    with app.app_context():
        limiter.reset()
    # Kept dashboard figures are keyed by database address, which every PostgreSQL test of a worker shares.
    from app.dashboard import cache

    cache.clear()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh SQLite file."""
    marker = request.node.get_closest_marker("config")
    overrides = marker.kwargs if marker else {}
    yield from _make_app(request, tmp_path, "sqlite", **overrides)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, once on SQLite and once on PostgreSQL."""
    yield from _make_app(request, tmp_path, request.param)


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def db_ctx(db_app: Flask) -> Iterator[Flask]:
    with db_app.app_context():
        yield db_app


@pytest.fixture
def english() -> Iterator[None]:
    """Messages built outside a request in English (Spanish is the default); request it after the app context."""
    with force_locale("en"):
        yield


class FormClient(FlaskClient):
    """A test client that sends a valid CSRF token with every form post, as a browser that loaded the form would."""

    def csrf_token(self) -> str:
        raw = uuid.uuid4().hex
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", raw)
        serializer = URLSafeTimedSerializer(self.application.config["SECRET_KEY"], salt="wtf-csrf-token")
        return str(serializer.dumps(raw))

    def post(self, *args: Any, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if isinstance(data, dict) and "csrf_token" not in data and not kwargs.pop("no_csrf", False):
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        kwargs.pop("no_csrf", None)
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = FormClient
    return app.test_client()


def login(client: FlaskClient, email: str, password: str = "correct-horse-battery") -> Any:
    return client.post("/login", data={"email": email, "password": password})
