"""Pages of the projects feature: list, timeline, project page, and the forms that change a project."""

from __future__ import annotations

from typing import Any

from babel.dates import get_month_names
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers.response import Response

from app.auth.models import User
from app.centers.models import Center
from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectKind, ProjectState
from app.core.errors import Conflict, DomainError
from app.core.permissions import (
    STAFF,
    STEERING,
    can_change_phase,
    can_create_project,
    can_edit_milestone,
    can_edit_project,
    can_list_projects,
    can_log_milestone,
    can_override_gate,
    can_record_progress,
    can_view_project,
    can_view_staff_only_data,
    require,
)
from app.core.timeutil import today
from app.extensions import db
from app.organizations.models import Organization
from app.projects import services, tracking
from app.projects.activity import project_activity
from app.projects.forms import (
    NONE_CHOICE,
    ConflictRow,
    MilestoneCloseForm,
    MilestoneForm,
    PhaseForm,
    ProgressForm,
    ProjectForm,
    conflict_rows,
    project_filter_from_args,
)
from app.projects.gantt import GanttLabels, gantt_svg, phase_rows, project_row
from app.projects.gates import check_gate, gate_for
from app.projects.models import Milestone, Phase, Project
from app.projects.related import project_related

bp = Blueprint("projects", __name__, url_prefix="/projects", template_folder="templates")

TIMELINE_ROWS_PER_PAGE = 50
DUE_SOON_DAYS = 14
CONFLICT_STATUS = 409


# --- helpers --------------------------------------------------------------------------------------------
def _visible_project(project_id: int) -> Project:
    project = db.session.get(Project, project_id) or abort(404)
    require(can_view_project(current_user, project))
    return project


def _phase_of(project: Project, phase_id: int) -> Phase:
    return next((phase for phase in project.phases if phase.id == phase_id), None) or abort(404)


def _milestone_of(project: Project, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    return milestone


def _put_error(form: FlaskForm, error: DomainError, default: str) -> None:
    """Show a service's refusal on the field it names (or on ``default``), keeping what the user typed."""
    field = form._fields.get(error.field or "") or form[default]
    field.errors = [*field.errors, error.message]


def _after_conflict(form: FlaskForm, record: Any) -> list[ConflictRow]:
    """Undo the attempt and compare, field by field, what is saved now with what the user sent.

    The form then carries the version saved now: saving again means replacing those values, knowingly.
    """
    db.session.rollback()
    form.version.data = record.version
    form.version.raw_data = [str(record.version)]
    return conflict_rows(form, record)


def _gantt_labels(title: str) -> GanttLabels:
    months = get_month_names("abbreviated", locale=get_locale())
    return GanttLabels(
        planned=_("Planned"),
        actual=_("Actual"),
        today=_("Today"),
        no_dates=_("No planned dates"),
        title=title,
        months=[str(months[number]) for number in range(1, 13)],
    )


def _center_choices(current_id: int | None = None) -> list[tuple[int, str]]:
    centers = db.session.scalars(
        select(Center).where((Center.archived_at.is_(None)) | (Center.id == (current_id or 0))).order_by(Center.code)
    )
    return [(center.id, f"{center.code} — {center.name}") for center in centers]


def _user_choices(roles: tuple[Any, ...]) -> list[tuple[int, str]]:
    users = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(roles)).order_by(User.name))
    return [NONE_CHOICE] + [(user.id, user.name) for user in users]


def _project_choices(form: ProjectForm, project: Project | None = None) -> None:
    form.center_id.choices = _center_choices(project.center_id if project else None)
    form.manager_id.choices = _user_choices(STEERING)
    organizations = db.session.scalars(select(Organization).order_by(Organization.acronym))
    form.funder_ids.choices = [(org.id, f"{org.acronym} — {org.name}") for org in organizations]


def _project_values(form: ProjectForm) -> dict[str, Any]:
    return {
        "code": form.code.data or "",
        "title": form.title.data or "",
        "objective": form.objective.data or "",
        "kind": ProjectKind(form.kind.data),
        "center_id": form.center_id.data,
        "manager_id": form.manager_id.data or None,
        "funder_ids": form.funder_ids.data or [],
        "planned_start": form.planned_start.data,
        "planned_end": form.planned_end.data,
    }


def _milestone_choices(form: MilestoneForm, project: Project) -> None:
    form.phase_id.choices = [
        (phase.id, f"{phase.position}. {phase.kind.label}")
        for phase in sorted(project.phases, key=lambda p: p.position)
    ]
    form.owner_id.choices = _user_choices(STAFF)


def _milestone_values(form: MilestoneForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "phase_id": form.phase_id.data,
        "owner_id": form.owner_id.data or None,
        "planned_date": form.planned_date.data,
        "status": MilestoneStatus(form.status.data),
        "actual_date": form.actual_date.data,
        "notes": form.notes.data or "",
    }


# --- lists ----------------------------------------------------------------------------------------------
def _filter_context() -> dict[str, Any]:
    visible_centers = services.projects_visible_query(current_user).with_only_columns(Project.center_id)
    centers = db.session.scalars(select(Center).where(Center.id.in_(visible_centers)).order_by(Center.code))
    return {
        "filters": project_filter_from_args(request.args),
        "centers": list(centers),
        "phases": list(PhaseKind),
        "states": list(ProjectState),
    }


@bp.get("/")
@login_required
def index() -> str:
    require(can_list_projects(current_user))
    context = _filter_context()
    page = db.paginate(
        services.projects_filtered_query(current_user, context["filters"]),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    overdue = services.overdue_counts(db.session(), [project.id for project in page.items])
    return render_template("projects/index.html", page=page, overdue=overdue, **context)


@bp.get("/timeline")
@login_required
def timeline() -> str:
    require(can_list_projects(current_user))
    context = _filter_context()
    page = db.paginate(
        services.projects_filtered_query(current_user, context["filters"]),
        per_page=TIMELINE_ROWS_PER_PAGE,
        error_out=False,
    )
    svg = gantt_svg([project_row(project) for project in page.items], today(), _gantt_labels(_("Projects timeline")))
    # gantt_svg escapes every label it draws, so its output is safe markup.
    return render_template("projects/timeline.html", page=page, gantt=Markup(svg), **context)  # noqa: S704


# --- projects -------------------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    require(can_create_project(current_user))
    form = ProjectForm()
    _project_choices(form)
    if request.method == "GET":
        form.manager_id.data = current_user.id if current_user.role in STEERING else 0
    if form.validate_on_submit():
        try:
            project = services.project_create(db.session(), **_project_values(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "code")
        else:
            db.session.commit()
            flash(_("Project %(code)s created with its five phases.", code=project.code), "success")
            return redirect(url_for("projects.view", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None, conflict=None)


@bp.get("/<int:project_id>")
@login_required
def view(project_id: int) -> str:
    project = services.project_for_page(db.session(), project_id) or abort(404)
    require(can_view_project(current_user, project))
    on = today()
    svg = gantt_svg(phase_rows(project), on, _gantt_labels(_("Timeline of %(code)s", code=project.code)))
    return render_template(
        "projects/view.html",
        project=project,
        gates={phase.id: check_gate(db.session(), phase) for phase in project.phases},
        gantt=Markup(svg),  # noqa: S704  (gantt_svg escapes every label)
        activity=project_activity(db.session(), project, donor_view=not can_view_staff_only_data(current_user)),
        today=on,
        due_soon_days=DUE_SOON_DAYS,
        close_form=MilestoneCloseForm(),
        show_names=can_view_staff_only_data(current_user),
        related=project_related(db.session(), project, current_user),
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int) -> str | Response | tuple[str, int]:
    project = _visible_project(project_id)
    require(can_edit_project(current_user, project))
    # Values come from the record only when showing the form: a field missing from a post must not be
    # filled from the record (a missing version would otherwise pass the optimistic-locking check).
    form = ProjectForm(obj=project if request.method == "GET" else None)
    _project_choices(form, project)
    if request.method == "GET":
        form.kind.data = project.kind.value
        form.manager_id.data = project.manager_id or 0
        form.funder_ids.data = sorted(project.funder_ids)
        form.version.data = project.version
    if form.validate_on_submit():
        try:
            services.project_update(db.session(), project, version=form.version.data, **_project_values(form))
            db.session.commit()
        except (Conflict, StaleDataError):
            rows = _after_conflict(form, project)
            return render_template("projects/form.html", form=form, project=project, conflict=rows), CONFLICT_STATUS
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "code")
        else:
            flash(_("Changes to %(code)s saved.", code=project.code), "success")
            return redirect(url_for("projects.view", project_id=project.id))
    return render_template("projects/form.html", form=form, project=project, conflict=None)


# --- phases ---------------------------------------------------------------------------------------------
@bp.route("/<int:project_id>/phases/<int:phase_id>", methods=["GET", "POST"])
@login_required
def phase_edit(project_id: int, phase_id: int) -> str | Response | tuple[str, int]:
    project = _visible_project(project_id)
    require(can_change_phase(current_user, project))
    phase = _phase_of(project, phase_id)
    gate = gate_for(phase.kind)
    may_override = can_override_gate(current_user)
    form = PhaseForm(obj=phase if request.method == "GET" else None)
    form.gate_evidence.label.text = gate.requirement()
    if request.method == "GET":
        form.status.data = phase.status.value
        form.version.data = phase.version
    if form.validate_on_submit():
        before = phase.status
        try:
            services.phase_update(
                db.session(),
                phase,
                version=form.version.data,
                status=PhaseStatus(form.status.data),
                planned_start=form.planned_start.data,
                planned_end=form.planned_end.data,
                actual_start=form.actual_start.data,
                actual_end=form.actual_end.data,
                gate_evidence=form.gate_evidence.data or "",
                override_reason=(form.override_reason.data or "") if may_override else "",
                may_override=may_override,
            )
            db.session.commit()
        except (Conflict, StaleDataError):
            return _phase_page(project, phase, form, conflict=_after_conflict(form, phase)), CONFLICT_STATUS
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "status")
        else:
            if phase.status is not before:
                flash(
                    _("%(phase)s is now: %(status)s.", phase=phase.kind.label, status=phase.status.label),
                    "success",
                )
            else:
                flash(_("%(phase)s saved.", phase=phase.kind.label), "success")
            return redirect(url_for("projects.view", project_id=project.id, _anchor="phases"))
    return _phase_page(project, phase, form)


def _phase_page(project: Project, phase: Phase, form: PhaseForm, conflict: Any = None) -> str:
    gate = gate_for(phase.kind)
    return render_template(
        "projects/phase_form.html",
        project=project,
        phase=phase,
        form=form,
        gate=gate,
        gate_result=check_gate(db.session(), phase),
        may_override=can_override_gate(current_user),
        conflict=conflict,
    )


# --- milestones -----------------------------------------------------------------------------------------
@bp.route("/<int:project_id>/milestones/new", methods=["GET", "POST"])
@login_required
def milestone_create(project_id: int) -> str | Response:
    project = _visible_project(project_id)
    require(can_log_milestone(current_user, project))
    form = MilestoneForm()
    _milestone_choices(form, project)
    if request.method == "GET":
        form.phase_id.data = next(
            (p.id for p in project.phases if p.kind is project.current_phase), project.phases[0].id
        )
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        try:
            milestone = tracking.milestone_create(db.session(), project, **_milestone_values(form))
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("Milestone “%(title)s” logged.", title=milestone.title), "success")
            return redirect(url_for("projects.view", project_id=project.id, _anchor="milestones"))
    return render_template("projects/milestone_form.html", project=project, milestone=None, form=form, conflict=None)


@bp.route("/<int:project_id>/milestones/<int:milestone_id>", methods=["GET", "POST"])
@login_required
def milestone_edit(project_id: int, milestone_id: int) -> str | Response | tuple[str, int]:
    project = _visible_project(project_id)
    milestone = _milestone_of(project, milestone_id)
    require(can_edit_milestone(current_user, milestone))
    form = MilestoneForm(obj=milestone if request.method == "GET" else None)
    _milestone_choices(form, project)
    if request.method == "GET":
        form.status.data = milestone.status.value
        form.owner_id.data = milestone.owner_id or 0
        form.version.data = milestone.version
    if form.validate_on_submit():
        try:
            tracking.milestone_update(db.session(), milestone, version=form.version.data, **_milestone_values(form))
            db.session.commit()
        except (Conflict, StaleDataError):
            rows = _after_conflict(form, milestone)
            page = render_template(
                "projects/milestone_form.html", project=project, milestone=milestone, form=form, conflict=rows
            )
            return page, CONFLICT_STATUS
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "title")
        else:
            flash(_("Milestone “%(title)s” saved.", title=milestone.title), "success")
            return redirect(url_for("projects.view", project_id=project.id, _anchor="milestones"))
    return render_template(
        "projects/milestone_form.html", project=project, milestone=milestone, form=form, conflict=None
    )


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/close")
@login_required
def milestone_close(project_id: int, milestone_id: int) -> Response:
    project = _visible_project(project_id)
    milestone = _milestone_of(project, milestone_id)
    require(can_edit_milestone(current_user, milestone))
    form = MilestoneCloseForm()
    if not form.validate_on_submit():
        flash(_("The milestone could not be closed; please try again."), "danger")
    else:
        try:
            tracking.milestone_close(
                db.session(), milestone, version=form.version.data, actual_date=form.actual_date.data
            )
            db.session.commit()
        except (Conflict, StaleDataError):
            db.session.rollback()
            flash(
                _(
                    "“%(title)s” was changed by someone else meanwhile; check it and close it again.",
                    title=milestone.title,
                ),
                "warning",
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("Milestone “%(title)s” is done.", title=milestone.title), "success")
    return redirect(url_for("projects.view", project_id=project.id, _anchor="milestones"))


# --- works progress -------------------------------------------------------------------------------------
@bp.route("/<int:project_id>/progress/new", methods=["GET", "POST"])
@login_required
def progress_create(project_id: int) -> str | Response:
    project = _visible_project(project_id)
    require(can_record_progress(current_user, project))
    form = ProgressForm()
    if request.method == "GET" and project.progress_readings:
        form.contractor.data = project.progress_readings[0].contractor
    if form.validate_on_submit():
        try:
            tracking.progress_record(
                db.session(),
                project,
                reading_date=form.reading_date.data,
                percent=form.percent.data,
                contractor=form.contractor.data or "",
                notes=form.notes.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "percent")
        else:
            db.session.commit()
            flash(
                _(
                    "Progress recorded; the works are at %(percent)s %%.",
                    percent=f"{project.physical_progress.normalize():f}",
                ),
                "success",
            )
            return redirect(url_for("projects.view", project_id=project.id, _anchor="progress"))
    return render_template("projects/progress_form.html", project=project, form=form)
