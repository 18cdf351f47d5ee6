from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.auth import services
from app.auth.models import User
from app.core.enums import Role
from app.core.errors import DomainError
from app.core.permissions import can_manage_users, require
from app.extensions import db
from app.organizations.models import Organization
from app.users.forms import NewUserForm, ResetPasswordForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")


@bp.before_request
@login_required
def _only_admins() -> None:
    require(can_manage_users(current_user))


def _organization_choices() -> list[tuple[int, str]]:
    orgs = db.session.scalars(select(Organization).order_by(Organization.acronym)).all()
    return [(0, "—")] + [(org.id, f"{org.acronym} — {org.name}") for org in orgs]


@bp.get("/")
def index() -> str:
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response:
    form = NewUserForm()
    form.organization_id.choices = _organization_choices()
    if form.validate_on_submit():
        try:
            user = services.user_create(
                db.session(),
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                role=Role(form.role.data),
                organization_id=form.organization_id.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(error.message)  # type: ignore[union-attr]
        else:
            db.session.commit()
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int) -> str | Response:
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    form.organization_id.choices = _organization_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.organization_id.data = user.organization_id or 0
    reset_form = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit():
        try:
            services.user_update(
                db.session(),
                user,
                name=form.name.data or "",
                role=Role(form.role.data),
                organization_id=form.organization_id.data or None,
                active=bool(form.active.data),
                acting_user_id=current_user.id,
            )
        except DomainError as error:
            db.session.rollback()
            form[error.field or "role"].errors.append(error.message)  # type: ignore[union-attr]
        else:
            db.session.commit()
            flash(_("Changes to %(email)s saved.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user, reset_form=reset_form)


@bp.post("/<int:user_id>/password")
def reset_password(user_id: int) -> str | Response:
    user = db.session.get(User, user_id) or abort(404)
    reset_form = ResetPasswordForm(prefix="reset")
    if reset_form.validate_on_submit():
        try:
            services.user_set_password(db.session(), user, reset_form.password.data or "")
        except DomainError as error:
            db.session.rollback()
            reset_form.password.errors.append(error.message)  # type: ignore[attr-defined]
        else:
            db.session.commit()
            flash(_("New password set for %(email)s; their sessions were closed.", email=user.email), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    form = UserForm(obj=user)
    form.organization_id.choices = _organization_choices()
    form.role.data = user.role.value
    return render_template("users/form.html", form=form, user=user, reset_form=reset_form), 400  # type: ignore[return-value]
