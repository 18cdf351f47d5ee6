"""One home for errors: domain errors carry a message a person can read; HTTP errors get friendly pages."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken. ``message`` is already translated; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """The record changed since the user read it (optimistic locking) or a unique value is taken."""


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"
    )


def register_error_handlers(app: Flask) -> None:
    def render_http_error(error: HTTPException) -> tuple[Response | str, int]:
        code = error.code or 500
        if request.path.startswith("/api/"):
            # URLs under /api/ that match no route (404, 405) answer like the API's own errors.
            from app.api.problems import http_problem

            return http_problem(error), code
        if _wants_json():
            body = {"type": "about:blank", "title": error.name, "status": code, "detail": error.description}
            response = jsonify(body)
            response.mimetype = "application/problem+json"
            return response, code
        template = f"errors/{code}.html" if code in (403, 404, 429) else "errors/generic.html"
        return render_template(template, error=error, code=code), code

    app.register_error_handler(HTTPException, render_http_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(Exception)
    def internal_error(error: Exception) -> tuple[str, int]:
        if app.testing and not app.config.get("RENDER_500_IN_TESTS"):
            raise error
        log.exception("unhandled error on %s %s", request.method, request.path)
        from app.extensions import db

        db.session.rollback()
        return render_template("errors/500.html"), 500
