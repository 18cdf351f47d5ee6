"""Settings: defaults here, overridden by ``instance/config.py``, then by environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # hide_parameters: a failed statement is logged without its values (e-mails, password hashes).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "es",
    "BABEL_DEFAULT_TIMEZONE": "America/Tegucigalpa",
    "LANGUAGES": {"es": "Español", "en": "English"},
    "BOOTSTRAP_SERVE_LOCAL": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "ITEMS_PER_PAGE": 25,
    "DUE_SOON_DAYS": 14,
    # Agreements ending within this many days are flagged: renewing one takes weeks of signatures.
    "AGREEMENT_EXPIRY_DAYS": 60,
    # Longest the dashboard keeps portfolio-wide figures between requests (they are recomputed at once after
    # any change to a project); 0 computes them on every request.
    "DASHBOARD_CACHE_SECONDS": 300,
    "MAP_TILE_URL": "",
    "MAP_TILE_ATTRIBUTION": "",
    "UPLOAD_FOLDER": "",
    # Photos are refused above these sizes (decompression bombs, files too large to send from the field).
    "PHOTO_MAX_BYTES": 40 * 1024 * 1024,
    "PHOTO_MAX_PIXELS": 64_000_000,
    # Photos above this many pixels get their copies from a background job, not during the upload (0: never).
    "PHOTO_BACKGROUND_PIXELS": 24_000_000,
    # The daily e-mail digest (``flask send-digest``) is off until SMTP_HOST is set.
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_USE_TLS": False,
    "MAIL_FROM": "",
    # Address people reach the app at, for links in e-mails (https://rehabilita.example.org).
    "PUBLIC_URL": "",
    # "json" (one object per line) or "text"; empty: text under `flask run --debug` and in tests, else JSON.
    "LOG_FORMAT": "",
    "LOG_LEVEL": "INFO",
    # How many reverse proxies (nginx, a load balancer) stand in front of the app and set X-Forwarded-*; 0: none.
    "TRUSTED_PROXIES": 0,
    # Background jobs (reports, ZIPs, exports, digests): threads per app process; inline runs each job in the
    # request that starts it (tests).
    "JOBS_WORKERS": 2,
    "JOBS_RUN_INLINE": False,
    # A job marked running whose process has not signed for this long is failed (its process died).
    "JOBS_STALLED_SECONDS": 90,
    "JOBS_QUEUE": "rehabilita",
    "JOBS_TIMEOUT_SECONDS": 1800,
    # A prepared download (photo ZIP, portfolio export) is kept this many days for the person who asked.
    "DOWNLOADS_KEEP_DAYS": 7,
}

# Environment variables read as settings, with the type to convert them to.
ENV_SETTINGS: dict[str, type] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "RATELIMIT_STORAGE_URI": str,
    "SESSION_COOKIE_SECURE": bool,
    "MAP_TILE_URL": str,
    "MAP_TILE_ATTRIBUTION": str,
    "UPLOAD_FOLDER": str,
    "DUE_SOON_DAYS": int,
    "AGREEMENT_EXPIRY_DAYS": int,
    "PHOTO_MAX_BYTES": int,
    "STORAGE_S3_BUCKET": str,
    "STORAGE_S3_PREFIX": str,
    "STORAGE_S3_ENDPOINT_URL": str,
    "STORAGE_S3_REGION": str,
    "PHOTO_MAX_PIXELS": int,
    "PHOTO_BACKGROUND_PIXELS": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_USE_TLS": bool,
    "MAIL_FROM": str,
    "PUBLIC_URL": str,
    "LOG_FORMAT": str,
    "LOG_LEVEL": str,
    "TRUSTED_PROXIES": int,
    "JOBS_WORKERS": int,
    "JOBS_STALLED_SECONDS": float,
    "JOBS_QUEUE": str,
    "JOBS_TIMEOUT_SECONDS": int,
    "DOWNLOADS_KEEP_DAYS": float,
}


def _env_value(raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def normalise_database_url(url: str) -> str:
    """Accept the URL forms hosting platforms hand out and route PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key_from_instance(instance_path: Path) -> str:
    """Read the instance's secret key, generating it once (mode 0600) on first start."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def load_settings(instance_path: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Merge defaults, ``instance/config.py``, the environment and explicit overrides (tests), in that order."""
    settings: dict[str, Any] = dict(DEFAULTS)
    instance_config = instance_path / "config.py"
    if instance_config.exists():
        namespace: dict[str, Any] = {}
        exec(compile(instance_config.read_text(), str(instance_config), "exec"), namespace)  # noqa: S102
        settings.update({k: v for k, v in namespace.items() if k.isupper()})
    for name, kind in ENV_SETTINGS.items():
        raw = os.environ.get(f"REHABILITA_{name}") or os.environ.get(name)
        if raw:
            settings[name] = _env_value(raw, kind)
    settings.update(overrides or {})

    if "SQLALCHEMY_DATABASE_URI" not in settings:
        url = settings.get("DATABASE_URL") or f"sqlite:///{instance_path / 'rehabilita.db'}"
        settings["SQLALCHEMY_DATABASE_URI"] = url
    settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(settings["SQLALCHEMY_DATABASE_URI"])
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = secret_key_from_instance(instance_path)
    if not settings.get("UPLOAD_FOLDER"):
        settings["UPLOAD_FOLDER"] = str(instance_path.parent / "uploads")
    return settings
