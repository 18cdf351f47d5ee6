"""The API blueprint: ``/api/v1``, authenticated by bearer token only, answering errors as problem documents."""

from __future__ import annotations

from flask import Blueprint

from app.api.auth import authenticate_api_request
from app.api.problems import register_problem_handlers
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer tokens only (see app.api.auth): a request another site makes a browser send carries no token, so there is
# nothing for CSRF protection to do, and a form post with the session cookie is refused as unauthenticated.
csrf.exempt(bp)
register_problem_handlers(bp)
bp.before_app_request(authenticate_api_request)


def api_blueprint() -> Blueprint:
    """The blueprint with every route on it (each resource module adds its routes when imported)."""
    from app.api import (  # noqa: F401
        agreements,
        assessments,
        budgets,
        centers,
        documents,
        downloads,
        exports,
        partners,
        phases,
        photos,
        projects,
        records,
        reports,
        views,
    )

    return bp
