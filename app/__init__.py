"""Rehabilita: follows the rehabilitation of migrant reception centers from evaluation to handover."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask_login import current_user

from app.config import load_settings
from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. ``config`` overrides every other source of settings (used by tests)."""
    instance_path = Path(
        (config or {}).get("INSTANCE_PATH") or os.environ.get("REHABILITA_INSTANCE_PATH") or PROJECT_ROOT / "instance"
    )
    app = Flask(__name__, instance_path=str(instance_path.resolve()))
    app.config.update(load_settings(instance_path, config))
    from app.operations.logs import configure_logging

    configure_logging(app)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from app.cli import register_cli

    register_cli(app)
    from app.operations.cli import register_operations_cli

    register_operations_cli(app)
    from app.operations.proxy import trust_proxies

    trust_proxies(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core import database  # noqa: F401  (installs the SQLite pragmas listener)
    from app.core.audit import recorder  # noqa: F401  (installs the audit listeners)
    from app.core.i18n import select_locale

    db.init_app(app)
    from app.core.timeutil import render_migration_type

    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_type,
    )
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    # The limiter is one object per process: limits an earlier app configured (RATELIMIT_DEFAULT…) must not carry
    # over into this one, which Flask-Limiter would otherwise do.
    limiter.limit_manager.set_default_limits([])
    limiter.limit_manager.set_application_limits([])
    limiter.init_app(app)
    from app.core.storage import init_storage

    init_storage(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to see this page.")  # type: ignore[assignment]
    login_manager.login_message_category = "info"

    from app.auth.services import load_session_user

    login_manager.user_loader(load_session_user)
    _import_models()


MODEL_MODULES = (
    "app.organizations.models",
    "app.auth.models",
    "app.core.audit.models",
    "app.centers.models",
    "app.projects.models",
    "app.photos.models",
    "app.assessments.models",
    "app.documents.models",
    "app.agreements.models",
    "app.budgets.models",
    "app.core.jobs.models",
    "app.reports.models",
    "app.downloads.models",
    "app.dashboard.models",
    "app.api.models",
)


def _import_models() -> None:
    """Import every model so that Alembic and relationships see the whole schema."""
    for module in MODEL_MODULES:
        import_module(module)


def _register_blueprints(app: Flask) -> None:
    from app.agreements.views import bp as agreements_bp
    from app.api.account import bp as tokens_bp
    from app.api.blueprint import api_blueprint
    from app.assessments.admin_views import bp as assessment_admin_bp
    from app.assessments.views import bp as assessments_bp
    from app.auth.views import bp as auth_bp
    from app.budgets.views import bp as budgets_bp
    from app.centers.views import bp as centers_bp
    from app.core.audit.views import bp as audit_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.documents.views import bp as documents_bp
    from app.downloads.views import bp as downloads_bp
    from app.exports.views import bp as exports_bp
    from app.operations.views import bp as operations_bp
    from app.organizations.views import bp as organizations_bp
    from app.photos.views import bp as photos_bp
    from app.projects.views import bp as projects_bp
    from app.reports.views import bp as reports_bp
    from app.users.views import bp as users_bp

    for blueprint in (
        auth_bp,
        users_bp,
        organizations_bp,
        audit_bp,
        dashboard_bp,
        centers_bp,
        projects_bp,
        photos_bp,
        documents_bp,
        agreements_bp,
        assessments_bp,
        assessment_admin_bp,
        budgets_bp,
        exports_bp,
        reports_bp,
        downloads_bp,
        operations_bp,
        tokens_bp,
        api_blueprint(),
    ):
        app.register_blueprint(blueprint)


def _register_hooks(app: Flask) -> None:
    from app.core.audit.recorder import set_actor
    from app.core.errors import register_error_handlers
    from app.core.i18n import register_i18n_filters
    from app.core.permissions import register_permission_globals
    from app.core.security import register_security_headers
    from app.core.templating import register_template_helpers

    register_error_handlers(app)
    register_security_headers(app)
    register_i18n_filters(app)
    register_permission_globals(app)
    register_template_helpers(app)

    @app.before_request
    def _fresh_locale() -> None:
        # The language is chosen per request (a user may have just switched it); never reuse an earlier choice.
        from flask_babel import refresh

        refresh()

    @app.before_request
    def _audit_actor() -> None:
        set_actor(current_user.id if current_user.is_authenticated else None)
        if not request.path.startswith("/api/"):
            # The API never reads the session cookie (app.api.auth), so it does not write one either.
            session.permanent = True

    @app.teardown_request
    def _forget_actor(error: BaseException | None) -> None:
        # Worker threads are reused: the next request or command must not inherit this user.
        set_actor(None)
