"""Export tests hold an app context around client calls to build data with the factories."""

from __future__ import annotations

import pytest
from flask_babel import refresh


@pytest.fixture(autouse=True)
def _locale_of_each_request(request: pytest.FixtureRequest) -> None:
    """Each request chooses its own language, as in production (see tests/budgets/conftest.py)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").before_request(refresh)


@pytest.fixture(autouse=True)
def _inline_jobs(request: pytest.FixtureRequest) -> None:
    """Whole-portfolio files are prepared by a job: here it runs in the request that asks, so it is ready at once."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["JOBS_RUN_INLINE"] = True
