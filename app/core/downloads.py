"""Stored files sent to a browser or an API client so that they can never run there: a sandboxing
Content-Security-Policy on every one, private caching, and an attachment wherever the file could be active content
(a PDF, an Office file, an original upload). Only the app's own JPEG derivatives are shown inline."""

from __future__ import annotations

from flask import Response, send_file

from app.core.storage import storage

SANDBOX = "default-src 'none'; sandbox"


def send_stored_attachment(key: str, mimetype: str, download_name: str) -> Response:
    """A stored file as a download that is never kept in a shared cache."""
    response = send_file(storage().open(key), mimetype=mimetype, as_attachment=True, download_name=download_name)
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_derivative_image(key: str) -> Response:
    """A JPEG the app made itself (no metadata, upright), shown inline and cached by the browser for an hour."""
    response = send_file(storage().open(key), mimetype="image/jpeg", max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = SANDBOX
    return response
