"""Browser tests: the real app on a real port, driven by Playwright in Debian's headless Chromium.

Skipped with a clear reason where Chromium or Playwright is missing (``make test`` installs Chromium when it can).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.conftest import base_config

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[str]:
    """The app with demo data, served by a threaded WSGI server on a free port of 127.0.0.1."""
    instance = tmp_path_factory.mktemp("live")
    database = instance / "rehabilita.db"
    shutil.copy(sqlite_template, database)
    config = base_config(instance, f"sqlite:///{database}")
    config.pop("SERVER_NAME")
    config["TESTING"] = False
    app = create_app(config)
    with app.app_context():
        from app.demo import load_demo

        load_demo(db.session())
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def sign_in(page: Any, base: str, email: str, password: str = "rehabilita-demo") -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def choose_language(page: Any, lang: str) -> None:
    """Pick a language in the switcher and wait for the page it reloads (the change submits a form)."""
    with page.expect_navigation():
        page.select_option("#lang-select", lang)
    page.wait_for_load_state("networkidle")
