from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers.response import Response

from app.core.enums import OrganizationKind
from app.core.errors import DomainError
from app.core.permissions import can_manage_organizations, require
from app.extensions import db
from app.organizations import services
from app.organizations.forms import OrganizationForm
from app.organizations.models import Organization

bp = Blueprint("organizations", __name__, url_prefix="/admin/organizations", template_folder="templates")


@bp.before_request
@login_required
def _only_admins() -> None:
    require(can_manage_organizations(current_user))


def _values(form: OrganizationForm) -> services.OrganizationValues:
    return services.OrganizationValues(
        name=form.name.data or "",
        acronym=form.acronym.data or "",
        kind=OrganizationKind(form.kind.data),
        country=form.country.data or "",
        iati_identifier=form.iati_identifier.data,
    )


@bp.get("/")
def index() -> str:
    return render_template("organizations/index.html", organizations=services.organizations_all(db.session()))


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response:
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = services.organization_create(db.session(), _values(form))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Organization %(acronym)s created.", acronym=organization.acronym), "success")
            return redirect(url_for("organizations.index"))
    return render_template("organizations/form.html", form=form, organization=None)


@bp.route("/<int:organization_id>", methods=["GET", "POST"])
def edit(organization_id: int) -> str | Response:
    organization = db.session.get(Organization, organization_id) or abort(404)
    form = OrganizationForm(obj=organization)
    if request.method == "GET":
        form.kind.data = organization.kind.value
    if form.validate_on_submit():
        try:
            services.organization_update(db.session(), organization, _values(form))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Changes to %(acronym)s saved.", acronym=organization.acronym), "success")
            return redirect(url_for("organizations.index"))
    return render_template("organizations/form.html", form=form, organization=organization)
