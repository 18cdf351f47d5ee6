"""API errors as ``application/problem+json`` (RFC 9457): type, title, status, detail, and per-field ``errors``.

The handlers are registered on the API blueprint, so they apply only to its routes; the app-wide handler in
:mod:`app.core.errors` hands unmatched ``/api/`` URLs (404, 405) here too, so every API answer has one shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response

from app.core.errors import Conflict, DomainError, NotFound
from app.extensions import db

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_TYPES = "/api/v1/problems/"
# Whole-record fields that are not one input field (a body that is not an object, say) are reported under "".
WHOLE_BODY = ""

TITLES = {
    400: _l("The request is not valid"),
    401: _l("Authentication is needed"),
    403: _l("You may not do this"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    412: _l("The record changed since you read it"),
    413: _l("The request is too large"),
    415: _l("Unsupported content type"),
    422: _l("Some values are not valid"),
    428: _l("If-Match is required"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
}
DETAILS = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid personal access token in the header Authorization: Bearer <token>."),
    403: _l("Your role does not allow this action."),
    404: _l("There is nothing here, or you may not see it."),
    405: _l("This address does not accept this method."),
    406: _l("This address cannot answer in the format asked for."),
    412: _l("Someone changed this record since you read it: read it again and send its new ETag in If-Match."),
    413: _l("The body of the request is larger than the server accepts."),
    415: _l("Send the body as application/json."),
    428: _l("Send the record's ETag in an If-Match header so that you do not overwrite someone else's change."),
    429: _l("Too many attempts; wait a moment and try again."),
    500: _l("Something went wrong on our side; the error was logged."),
}
SLUGS = {400: "bad-request", 412: "stale", 413: "too-large", 415: "content-type", 422: "validation", 428: "if-match"}


class ApiProblem(Exception):
    """Stop the request with a problem document; ``errors`` maps field names to their messages."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or "")
        self.status = status
        self.detail = detail
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})


def invalid(errors: Mapping[str, list[str]], detail: str | None = None) -> ApiProblem:
    """A 422 naming what is wrong with each field."""
    return ApiProblem(422, detail or _("Some values are not valid; see errors for each field."), errors)


def problem(
    status: int,
    detail: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    title = TITLES.get(status)
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES + SLUGS[status] if status in SLUGS else "about:blank",
        "title": str(title) if title else _("Error"),
        "status": status,
        "detail": detail or str(DETAILS.get(status, title or "")),
    }
    if errors:
        body["errors"] = {field: list(messages) for field, messages in errors.items()}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rehabilita"'
    return response


def http_problem(error: HTTPException) -> Response:
    """A werkzeug HTTP error (raised by routing, abort, the rate limiter, the body size limit) as a problem."""
    status = error.code or 500
    headers = {}
    original = error.get_response()
    for name in ("Allow", "Retry-After"):
        if name in original.headers:
            headers[name] = original.headers[name]
    return problem(status, headers=headers)


def _domain_problem(error: DomainError) -> Response:
    db.session.rollback()
    message = str(error.message)  # some services raise with a lazy string
    if isinstance(error, NotFound):
        return problem(404, message)
    if isinstance(error, Conflict):
        # In the API a version conflict can only come from the version the client sent in If-Match.
        return problem(412, message)
    return problem(422, message, {error.field or WHOLE_BODY: [message]})


def _api_problem(error: ApiProblem) -> Response:
    db.session.rollback()
    return problem(error.status, error.detail, error.errors, error.headers)


def _stale(error: StaleDataError) -> Response:
    db.session.rollback()
    return problem(412)


def _unexpected(error: Exception) -> Response:
    if current_app.testing and not current_app.config.get("RENDER_500_IN_TESTS"):
        raise error
    log.exception("unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return problem(500)


def register_problem_handlers(bp: Blueprint) -> None:
    bp.register_error_handler(ApiProblem, _api_problem)
    bp.register_error_handler(DomainError, _domain_problem)
    bp.register_error_handler(StaleDataError, _stale)
    bp.register_error_handler(HTTPException, http_problem)
    bp.register_error_handler(Exception, _unexpected)
