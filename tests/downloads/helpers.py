"""Follow a prepared download the way a browser does: its page, its status, then the file."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def download_id(started: TestResponse) -> int:
    """The id of the download a form started (it answers with a redirect to the download's page)."""
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    found = re.search(r"/downloads/(\d+)$", started.headers["Location"])
    assert found, started.headers["Location"]
    return int(found.group(1))


def fetch_prepared(client: FlaskClient, started: TestResponse) -> TestResponse:
    """The file of the download ``started`` began (jobs run inline in these tests), after checking that its page
    and status say it is ready."""
    number = download_id(started)
    page = client.get(f"/downloads/{number}")
    assert page.status_code == 200
    state = client.get(f"/downloads/{number}/status").get_json()
    assert state["status"] == "done", state
    assert state["download_url"].endswith(f"/downloads/{number}/file")
    response = client.get(f"/downloads/{number}/file")
    assert response.status_code == 200
    return response
