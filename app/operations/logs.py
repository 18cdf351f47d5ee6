"""Logs on stderr: one JSON object per line in production, plain text for people at a terminal.

Every request is logged once, when its response is ready, with a request id that is also sent back in
``X-Request-ID`` (taken from the incoming header when it is short and plain, so a proxy's id follows the request
through). Only the path is logged — never the query string (it may carry tokens), a form body, a cookie or a
header — and the user appears by id, never by e-mail.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from werkzeug.wrappers.response import Response

ACCESS_LOGGER = "rehabilita.requests"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# Attributes a record may carry beyond the message, in the order they are written.
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def request_id_from(header: str | None) -> str:
    """The incoming id when it is sane (at most 64 letters, digits and dashes), else a new random one."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamps the current request's id on every record, so an error logged deep inside a view can be matched
    with the request line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class _TextFilter(RequestIdFilter):
    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the record (a test capturing it sees the lines)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def log_format(app: Flask) -> str:
    """``LOG_FORMAT`` when set ("json" or "text"); otherwise text while debugging or testing, JSON in production."""
    chosen = str(app.config.get("LOG_FORMAT") or "").lower()
    if chosen in ("json", "text"):
        return chosen
    return "text" if app.debug or app.testing else "json"


def configure_logging(app: Flask) -> None:
    """Install the stderr handler on the root logger (replacing one an earlier app installed) and log requests."""
    fmt = log_format(app)
    handler = StderrHandler()
    handler.set_name("rehabilita")
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        # The development server's own request lines carry query strings; ours replace them.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
        handler.addFilter(_TextFilter())
    # Flask-Limiter logs the client's address with every refused request; the request line (status 429) suffices.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "rehabilita"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
    _enable_own_loggers()
    _log_requests(app)


def _enable_own_loggers() -> None:
    """Alembic's ``fileConfig`` disables every logger that exists when a migration runs in this process (tests,
    an upgrade from a shell): ours must keep speaking afterwards."""
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and (name == "app" or name.startswith(("app.", "rehabilita."))):
            logger.disabled = False


def _log_requests(app: Flask) -> None:
    access = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def _start() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        # A hook that answered before ours ran (a rate limit, say) leaves no id yet: make one now.
        request_id = g.get("request_id") or request_id_from(None)
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        user_id = current_user.id if current_user.is_authenticated else None
        response.headers[REQUEST_ID_HEADER] = request_id
        access.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response
