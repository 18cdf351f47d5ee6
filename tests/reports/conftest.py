from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def inline_jobs(app: Flask) -> Flask:
    """Jobs run in the request that starts them, so a test sees the finished report at once."""
    app.config["JOBS_RUN_INLINE"] = True
    return app
