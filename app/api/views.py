"""The API's own routes: exchanging an e-mail and password for a token, and the OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.inputs import JSON_MAX_BYTES, Field, json_body, parse_fields
from app.api.problems import ApiProblem
from app.api.serializers import iso
from app.api.tokens import MAX_EXPIRY_DAYS, NAME_MAX, token_create
from app.auth.services import normalise_email, user_authenticate
from app.core.audit.recorder import acting_as
from app.extensions import db, limiter

TOKEN_FIELDS = {
    "email": Field("string", required=True, max_length=254),
    "password": Field("string", required=True, max_length=200),
    "name": Field("string", max_length=NAME_MAX, description="What the token is for; shown in the token list."),
    "expires_in_days": Field("integer", nullable=True, minimum=1, maximum=MAX_EXPIRY_DAYS),
}


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _email_key() -> str:
    """Attempts are also counted per e-mail, as on the sign-in form, so that many addresses cannot share one."""
    request.max_content_length = JSON_MAX_BYTES
    try:
        body: Any = json.loads(request.get_data(cache=True))
    except ValueError:
        body = None
    email = body.get("email") if isinstance(body, dict) else None
    return "api-token:" + (normalise_email(email) if isinstance(email, str) else "")


@bp.post("/tokens")
@limiter.limit(_login_limit)
@limiter.limit(_login_limit, key_func=_email_key)
def tokens_create() -> tuple[Response, int]:
    values = parse_fields(json_body(), TOKEN_FIELDS)
    user = user_authenticate(db.session(), values["email"], values["password"])
    if user is None:
        db.session.commit()
        # Same words whether the e-mail is unknown, the password wrong or the account disabled.
        raise ApiProblem(401, _("The e-mail or the password is not correct."))
    with acting_as(user.id):
        token, secret = token_create(
            db.session(), user, values.get("name") or _("API token"), values.get("expires_in_days")
        )
    db.session.commit()
    body = {
        "id": token.id,
        "name": token.name,
        "token": secret,
        "prefix": token.prefix,
        "created_at": iso(token.created_at),
        "expires_at": iso(token.expires_at),
    }
    return jsonify(body), 201


@bp.get("/openapi.json")
def openapi() -> Response:
    from app.api.openapi import openapi_document

    return jsonify(openapi_document())
