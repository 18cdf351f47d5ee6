"""Budget tests hold an app context around client calls to build data with the factories."""

from __future__ import annotations

import pytest
from flask_babel import refresh


@pytest.fixture(autouse=True)
def _locale_of_each_request(request: pytest.FixtureRequest) -> None:
    """Flask reuses an app context pushed by the test for every request made inside it, and Flask-Babel keeps
    the first request's language there. In production each request has a context of its own; so do these."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").before_request(refresh)
