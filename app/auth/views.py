from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers.response import Response

from app.auth import services
from app.auth.forms import ChangePasswordForm, LanguageForm, LoginForm, LogoutForm
from app.core.errors import DomainError
from app.core.navigation import safe_next
from app.extensions import db, limiter

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _email_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.user_authenticate(db.session(), form.email.data or "", form.password.data or "")
        if user is None:
            db.session.commit()
            # Same words whether the e-mail is unknown, the password wrong or the account disabled.
            flash(_("The e-mail or the password is not correct."), "danger")
        else:
            # A new session on sign-in (no fixation), keeping the language chosen on the sign-in page.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
                if not user.locale:
                    user.locale = lang
            login_user(user)
            services.remember_session_version(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, url_for("dashboard.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    form = LogoutForm()
    if form.validate_on_submit():
        services.user_end_sessions(current_user)
        db.session.commit()
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.user_change_password(
                db.session(), current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            form[error.field or "new_password"].errors.append(error.message)
        else:
            db.session.commit()
            # This browser stays signed in; every other copy of the old cookie is now refused.
            services.remember_session_version(current_user)
            flash(_("Your password was changed. Your other sessions have been closed."), "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


@bp.post("/language")
def set_language() -> Response:
    form = LanguageForm()
    target = safe_next(form.next.data, url_for("dashboard.index"))
    if form.validate_on_submit():
        lang = form.lang.data or "es"
        session["lang"] = lang
        if current_user.is_authenticated:
            services.user_set_locale(db.session(), current_user, lang)
            db.session.commit()
    return redirect(target)
