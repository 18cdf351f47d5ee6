from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response

from app.centers.forms import CenterForm
from app.centers.geography import DEPARTMENTS
from app.centers.models import Center
from app.centers.related import center_record_counts
from app.centers.services import (
    CENTER_FIELDS,
    CenterFilter,
    CenterValues,
    center_archive,
    center_create,
    center_project_counts,
    center_projects,
    center_restore,
    center_timeline,
    center_update,
    centers_query,
    map_position,
)
from app.centers.timeline import describe, organization_names
from app.core.enums import Population
from app.core.errors import Conflict, DomainError
from app.core.inputs import record_id
from app.core.permissions import (
    can_edit_center,
    can_list_centers,
    can_view_center,
    can_view_staff_only_data,
    require,
)
from app.extensions import db
from app.organizations.models import Organization

bp = Blueprint("centers", __name__, url_prefix="/centers", template_folder="templates")

TIMELINE_LENGTH = 50
FILTER_CHOICES: dict[str, Any] = {"populations": list(Population), "departments": DEPARTMENTS}


def _filters(args: MultiDict[str, str], include_archived: bool = True) -> CenterFilter:
    population = args.get("population", "")
    department = args.get("department", "")
    return CenterFilter(
        population=Population(population) if population in {p.value for p in Population} else None,
        department=department if department in DEPARTMENTS else None,
        include_archived=include_archived and args.get("archived") == "1",
    )


def _organization_choices() -> list[tuple[int, str]]:
    orgs = db.session.scalars(select(Organization).order_by(Organization.acronym)).all()
    return [(0, "—")] + [(org.id, f"{org.acronym} — {org.name}") for org in orgs]


def _center_or_404(center_id: int) -> Center:
    return db.session.get(Center, center_id) or abort(404)


def _put_error_on_form(form: CenterForm, error: DomainError) -> None:
    if error.field and error.field in form:
        form[error.field].errors.append(error.message)  # type: ignore[union-attr]
    else:
        flash(error.message, "danger")


def _shown(form: CenterForm, name: str, value: Any) -> str:
    """A value as the form would show it (and save it), for the table of differences after a conflict."""
    if isinstance(value, Population):
        return value.label
    if isinstance(value, str):
        value = value.strip().upper() if name == "code" else value.strip()
    if value is None or value == "":
        return "—"
    if name == "administering_org_id":
        return dict(form.administering_org_id.choices or []).get(value, str(value))  # type: ignore[arg-type]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _conflict_rows(form: CenterForm, center: Center, submitted: CenterValues) -> list[dict[str, Any]]:
    """Per field: the value saved now and the one the person sent, the differing ones marked."""
    rows = []
    for name in CENTER_FIELDS:
        saved, sent = _shown(form, name, getattr(center, name)), _shown(form, name, getattr(submitted, name))
        rows.append({"label": str(form[name].label.text), "saved": saved, "submitted": sent, "differs": saved != sent})
    return rows


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_centers(current_user))
    filters = _filters(request.args)
    page = db.paginate(
        centers_query(filters, current_user), per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False
    )
    counts = center_project_counts(db.session(), (center.id for center in page.items), current_user)
    return render_template(
        "centers/index.html",
        page=page,
        counts=counts,
        filters=filters,
        **FILTER_CHOICES,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    require(can_edit_center(current_user))
    form = CenterForm()
    form.administering_org_id.choices = _organization_choices()
    if form.validate_on_submit():
        try:
            center = center_create(db.session(), form.values())
        except DomainError as error:
            db.session.rollback()
            _put_error_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Center %(code)s added to the register.", code=center.code), "success")
            return redirect(url_for("centers.show", center_id=center.id))
    return render_template("centers/form.html", form=form, center=None, conflict=None)


@bp.route("/<int:center_id>/edit", methods=["GET", "POST"])
@login_required
def edit(center_id: int) -> str | Response | tuple[str, int]:
    center = _center_or_404(center_id)
    require(can_edit_center(current_user, center))
    # On a post only what was sent counts: a missing version must not be filled in from the record.
    form = CenterForm(obj=center if request.method == "GET" else None)
    form.administering_org_id.choices = _organization_choices()
    if request.method == "GET":
        form.population.data = center.population.value
        form.administering_org_id.data = center.administering_org_id or 0
        form.version.data = str(center.version)
    if form.validate_on_submit():
        submitted = form.values()
        try:
            center_update(db.session(), center, submitted, form.expected_version())
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            # Keep what they typed, show what is saved now, and let them save again knowingly.
            conflict = _conflict_rows(form, center, submitted)
            form.version.data = str(center.version)
            return render_template("centers/form.html", form=form, center=center, conflict=conflict), 409
        except DomainError as error:
            db.session.rollback()
            _put_error_on_form(form, error)
        else:
            flash(_("Changes to %(code)s saved.", code=center.code), "success")
            return redirect(url_for("centers.show", center_id=center.id))
    return render_template("centers/form.html", form=form, center=center, conflict=None)


@bp.get("/<int:center_id>")
@login_required
def show(center_id: int) -> str:
    center = _center_or_404(center_id)
    require(can_view_center(current_user, center))
    projects = center_projects(db.session(), center, current_user)
    entries = center_timeline(db.session(), center, TIMELINE_LENGTH, viewer=current_user)
    codes = {project.id: project.code for project in projects}
    timeline = describe(
        entries,
        codes,
        organization_names(db.session(), entries),
        show_names=can_view_staff_only_data(current_user),
    )
    from app.documents.services import documents_visible_query
    from app.photos.services import PhotoFilter, photos_visible_query

    photos = db.session.scalars(photos_visible_query(current_user, PhotoFilter(center_id=center.id)).limit(6)).all()
    documents = db.session.scalars(documents_visible_query(current_user, center.id, None).limit(8)).all()
    counts = center_record_counts(db.session(), center, current_user)
    return render_template(
        "centers/show.html",
        center=center,
        projects=projects,
        timeline=timeline,
        timeline_length=TIMELINE_LENGTH,
        photos=photos,
        documents=documents,
        counts=counts,
    )


def _archive_or_restore(center_id: int, restore: bool) -> Response:
    center = _center_or_404(center_id)
    require(can_edit_center(current_user, center))
    version = request.form.get("version", type=record_id)
    try:
        if restore:
            center_restore(db.session(), center, version)
        else:
            center_archive(db.session(), center, version)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        if restore:
            flash(_("Center %(code)s restored.", code=center.code), "success")
        else:
            flash(
                _("Center %(code)s archived. Its history is kept; restore it at any time.", code=center.code), "success"
            )
    return redirect(url_for("centers.show", center_id=center.id))


@bp.post("/<int:center_id>/archive")
@login_required
def archive(center_id: int) -> Response:
    return _archive_or_restore(center_id, restore=False)


@bp.post("/<int:center_id>/restore")
@login_required
def restore(center_id: int) -> Response:
    return _archive_or_restore(center_id, restore=True)


def _map_centers() -> tuple[list[Center], dict[int, int], CenterFilter]:
    filters = _filters(request.args, include_archived=False)
    centers = list(db.session.scalars(centers_query(filters, current_user)))
    counts = center_project_counts(db.session(), (center.id for center in centers), current_user)
    return centers, counts, filters


@bp.get("/map", endpoint="map")
@login_required
def map_page() -> str:
    require(can_list_centers(current_user))
    centers, counts, filters = _map_centers()
    query_args: dict[str, Any] = request.args.to_dict()
    return render_template(
        "centers/map.html",
        centers=centers,
        counts=counts,
        filters=filters,
        **FILTER_CHOICES,
        exact=can_view_staff_only_data(current_user),
        source=url_for("centers.map_json", **query_args),
    )


@bp.get("/map.json")
@login_required
def map_json() -> Response:
    require(can_list_centers(current_user))
    centers, counts, _filters_used = _map_centers()
    exact = can_view_staff_only_data(current_user)
    points = []
    for center in centers:
        position = map_position(center, exact)
        points.append(
            {
                "id": center.id,
                "code": center.code,
                "name": center.name,
                "population": center.population.value,
                "population_label": center.population.label,
                "department": center.department,
                "municipality": center.municipality,
                "capacity": center.capacity,
                "projects": counts.get(center.id, 0),
                "latitude": position[0] if position else None,
                "longitude": position[1] if position else None,
                "url": url_for("centers.show", center_id=center.id),
            }
        )
    return jsonify({"exact": exact, "centers": points})
