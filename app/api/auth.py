"""Who is calling the API: the owner of the bearer token, and nobody else.

The API never reads the session cookie. A browser that is signed in still sends its cookie to ``/api/``; if the
cookie counted, any site could make that browser write through the API (the API is exempt from CSRF, since a
token-authenticated request cannot be forged from another site). So for API routes the user Flask-Login hands to
views, templates and the audit log is set here from the token, before anything loads it from the cookie.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from app.api.problems import ApiProblem
from app.api.tokens import token_authenticate
from app.extensions import db, login_manager

API_BLUEPRINT = "api"
# Routes a client reaches without a token: getting one, and the description of the API.
PUBLIC_ENDPOINTS = frozenset({"api.tokens_create", "api.openapi"})


def _refused(detail: str, error: str = "invalid_token") -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": f'Bearer realm="rehabilita", error="{error}"'})


def authenticate_api_request() -> None:
    """Before every request: on API routes, the current user is the bearer token's owner (or anonymous)."""
    if request.blueprint != API_BLUEPRINT:
        return
    g._login_user = login_manager.anonymous_user()
    if request.endpoint in PUBLIC_ENDPOINTS:
        # Whatever token comes along (an expired one, while getting a new one) plays no part here.
        return
    header = request.headers.get("Authorization", "")
    if not header:
        raise ApiProblem(401)
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _refused(_("Use the header Authorization: Bearer <token>."), "invalid_request")
    user = token_authenticate(db.session(), secret.strip())
    if user is None:
        db.session.rollback()
        raise _refused(_("This token is not valid: it may have been revoked or have expired."))
    # Only the time of last use may have changed: keep it even if the request itself fails later.
    db.session.commit()
    g._login_user = user
