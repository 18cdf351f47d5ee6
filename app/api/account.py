"""The account page where a person creates, lists and revokes their personal access tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers.response import Response

from app.api import tokens
from app.api.forms import RevokeTokenForm, TokenForm
from app.core.errors import DomainError
from app.core.permissions import can_manage_own_tokens, require
from app.extensions import db

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens", template_folder="templates")


def _page(form: TokenForm, secret: str | None = None) -> str:
    return render_template(
        "api/tokens.html",
        form=form,
        revoke_form=RevokeTokenForm(),
        tokens=tokens.tokens_of_user(db.session(), current_user),
        secret=secret,
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> str:
    require(can_manage_own_tokens(current_user))
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = tokens.token_create(
                db.session(), current_user, form.name.data or "", int(form.expires.data) if form.expires.data else None
            )
        except DomainError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, error.message]
        else:
            db.session.commit()
            # Shown on this page only, never put in a flash message: the session cookie would carry it.
            return _page(TokenForm(formdata=None), secret)
    return _page(form)


@bp.post("/revoke")
@login_required
def revoke() -> Response:
    require(can_manage_own_tokens(current_user))
    form = RevokeTokenForm()
    if form.validate_on_submit():
        try:
            token = tokens.token_of_user(db.session(), current_user, form.token_id.data or 0)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            tokens.token_revoke(db.session(), token)
            db.session.commit()
            flash(_("The token “%(name)s” was revoked: it no longer opens the API.", name=token.name), "success")
    else:
        flash(_("The token could not be revoked; please try again."), "danger")
    return redirect(url_for("tokens.index"))
