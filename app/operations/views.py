"""``GET /healthz`` for load balancers: no sign-in, no session cookie, no rate limit, no personal data."""

from __future__ import annotations

from flask import Blueprint, jsonify, session
from werkzeug.wrappers.response import Response

from app.core.storage import storage
from app.extensions import csrf, db, limiter
from app.operations.health import database_check, storage_check

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz() -> tuple[Response, int]:
    checks = {"database": database_check(db.session()), "storage": storage_check(storage())}
    healthy = all(answer == "ok" for answer in checks.values())
    response = jsonify({"status": "ok" if healthy else "fail", **checks})
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503


@bp.after_request
def _no_session(response: Response) -> Response:
    # The app marks every session permanent, which would send a cookie with each probe. An empty, unmodified
    # session is not saved: no Set-Cookie, and a cookie a browser sent along is left as it was.
    session.clear()
    session.modified = False
    return response
