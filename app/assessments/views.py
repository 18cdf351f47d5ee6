"""Pages of site assessments: list, start, fill in, submit, review, revise, findings, evidence photos."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers.response import Response

from app.assessments import findings, services
from app.assessments.checklists import indicator_label, limit_label
from app.assessments.forms import (
    FIGURE_LABELS,
    AssessmentForm,
    CarryForm,
    EvidencePhotoForm,
    FindingForm,
    NewAssessmentForm,
    ReviewForm,
    answer_form_data,
    checklist_form,
)
from app.assessments.gate import install_evaluation_gate
from app.assessments.models import Assessment, ChecklistTemplate, Finding
from app.assessments.templates_default import template_ensure_default
from app.centers.models import Center
from app.core.enums import AssessmentType
from app.core.errors import Conflict, DomainError
from app.core.inputs import record_id
from app.core.permissions import (
    can_carry_finding,
    can_create_assessment,
    can_edit_assessment,
    can_list_assessments,
    can_review_assessment,
    can_revise_assessment,
    can_view_assessment,
    can_view_center,
    can_view_photo,
    require,
)
from app.core.storage import storage
from app.extensions import db
from app.photos.services import PhotoDescription
from app.projects.models import Project

bp = Blueprint("assessments", __name__, url_prefix="/assessments", template_folder="templates")
install_evaluation_gate()  # the projects' Evaluation phase now also closes on an approved assessment

CONFLICT_STATUS = 409


# --- helpers --------------------------------------------------------------------------------------------
def content_language() -> str:
    """The language checklist texts are shown in: English or Spanish."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "es"


def _visible(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(current_user, assessment):
        abort(404)  # a donor is not told that an assessment it may not see exists
    return assessment


def _finding_of(assessment: Assessment, finding_id: int) -> Finding:
    return next((f for f in assessment.findings if f.id == finding_id), None) or abort(404)


def _put_error(form: FlaskForm, error: DomainError, default: str) -> None:
    """Show a service's refusal on the field it names (or on ``default``), keeping what the user typed."""
    field = form._fields.get(error.field or "") or form[default]
    field.errors = [*field.errors, error.message]


def _project_choices(center_id: int | None) -> list[tuple[int, str]]:
    query = select(Project).where(Project.completed.is_(False)).order_by(Project.code)
    if center_id:
        query = query.where(Project.center_id == center_id)
    projects = db.session.scalars(query)
    if center_id:
        return [(0, "—")] + [(p.id, f"{p.code} — {p.title}") for p in projects]
    return [(0, "—")] + [(p.id, f"{p.code} — {p.title} ({p.center.code})") for p in projects]


def _checklist_form_for(assessment: Assessment, *, bound: bool) -> AssessmentForm:
    questions = services.active_questions(assessment.template, assessment)
    if bound:
        return checklist_form(questions, content_language())
    form = checklist_form(questions, content_language(), formdata=None, obj=assessment)
    for question in questions:
        answer = assessment.answer_for(question.id)
        form[f"q_{question.id}"].data = answer_form_data(question, answer)
        form[f"c_{question.id}"].data = answer.comment if answer else ""
    return form


def _photo_form(assessment: Assessment, *, bound: bool = False) -> EvidencePhotoForm:
    form = EvidencePhotoForm() if bound else EvidencePhotoForm(formdata=None)
    lang = content_language()
    choices = [("", _("The assessment in general"))]
    for question in services.active_questions(assessment.template):
        marker = " *" if question.evidence_photo_required else ""
        choices.append((f"q-{question.id}", _("Question: %(text)s", text=question.text(lang)[:90]) + marker))
    for finding in assessment.findings:
        choices.append((f"f-{finding.id}", _("Finding: %(text)s", text=finding.description[:90])))
    form.target.choices = choices
    if not bound:
        form.target.data = request.args.get("target", "")
    return form


def _render_edit(
    assessment: Assessment,
    *,
    form: AssessmentForm | None = None,
    finding_form: FindingForm | None = None,
    photo_form: EvidencePhotoForm | None = None,
    conflict: list[Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    photos = findings.assessment_photos(db.session(), assessment)
    return (
        render_template(
            "assessments/edit.html",
            assessment=assessment,
            form=form or _checklist_form_for(assessment, bound=False),
            finding_form=finding_form or FindingForm(formdata=None),
            photo_form=photo_form or _photo_form(assessment),
            sections=_sections(assessment),
            missing={q.id for q in services.evidence_missing(assessment)},
            photos={p.id: p for p in photos},
            finding_photos=findings.finding_photo_map(db.session(), assessment, photos),
            figure_labels=FIGURE_LABELS,
            conflict=conflict,
            lang=content_language(),
        ),
        status,
    )


def _sections(assessment: Assessment) -> list[tuple[Any, list[Any]]]:
    """(section, questions asked) pairs of the assessment's checklist, empty sections left out."""
    asked = {q.id for q in services.active_questions(assessment.template, assessment)}
    pairs = [(s, [q for q in s.questions if q.id in asked]) for s in assessment.template.sections]
    return [(section, questions) for section, questions in pairs if questions]


def _render_show(
    assessment: Assessment, *, review_form: ReviewForm | None = None, status: int = 200
) -> tuple[str, int]:
    photos = [p for p in findings.assessment_photos(db.session(), assessment) if can_view_photo(current_user, p)]
    carry_choices = _project_choices(assessment.center_id)[1:]
    return (
        render_template(
            "assessments/show.html",
            assessment=assessment,
            report=services.assessment_indicators(db.session(), assessment),
            indicator_label=indicator_label,
            limit_label=limit_label,
            sections=_sections(assessment),
            missing={q.id for q in services.evidence_missing(assessment)},
            photos={p.id: p for p in photos},
            finding_photos=findings.finding_photo_map(db.session(), assessment, photos),
            figure_labels=FIGURE_LABELS,
            review_form=review_form or ReviewForm(formdata=None),
            carry_choices=carry_choices,
            revision=services.open_revision(db.session(), assessment),
            lang=content_language(),
        ),
        status,
    )


# --- list and creation ----------------------------------------------------------------------------------
@bp.get("/")
@login_required
def index() -> str:
    require(can_list_assessments(current_user))
    center_id = request.args.get("center_id", type=record_id)
    center = db.session.get(Center, center_id) if center_id else None
    if center is not None and not can_view_center(current_user, center):
        abort(404)
    visible = services.assessments_visible_query(current_user, center.id if center else None)
    page = db.paginate(visible, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    # The filter offers only centers with an assessment this user may see.
    with_assessments = (
        services.assessments_visible_query(current_user).with_only_columns(Assessment.center_id).order_by(None)
    )
    centers = db.session.scalars(select(Center).where(Center.id.in_(with_assessments)).order_by(Center.code)).all()
    return render_template("assessments/index.html", page=page, center=center, centers=centers)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    require(can_create_assessment(current_user))
    if db.session.scalar(select(func.count()).select_from(ChecklistTemplate)) == 0:
        template_ensure_default(db.session())
        db.session.commit()
    form = NewAssessmentForm()
    centers = db.session.scalars(select(Center).where(Center.archived_at.is_(None)).order_by(Center.code))
    form.center_id.choices = [(c.id, f"{c.code} — {c.name}") for c in centers]
    templates = db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.active.is_(True)).order_by(ChecklistTemplate.name)
    ).all()
    form.template_id.choices = [(t.id, t.name) for t in templates]
    center_id = form.center_id.data if request.method == "POST" else request.args.get("center_id", type=record_id)
    form.project_id.choices = _project_choices(center_id)
    if request.method == "GET":
        form.center_id.data = center_id
        form.project_id.data = request.args.get("project_id", type=record_id) or 0
        wanted = AssessmentType.WORKING_MODEL
        form.assessment_type.data = wanted.value
        form.template_id.data = next((t.id for t in templates if t.assessment_type is wanted), None)
    if form.validate_on_submit():
        try:
            assessment = services.assessment_create(
                db.session(),
                author_id=current_user.id,
                center_id=form.center_id.data,
                project_id=form.project_id.data or None,
                template_id=form.template_id.data,
                assessment_type=AssessmentType(form.assessment_type.data),
                assessed_on=form.assessed_on.data,
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "center_id")
        else:
            db.session.commit()
            flash(_("Assessment started. Fill in the checklist, the figures and the findings."), "success")
            return redirect(url_for("assessments.edit", assessment_id=assessment.id))
    status = 400 if form.errors else 200
    return render_template("assessments/new.html", form=form, has_templates=bool(templates)), status


# --- one assessment -------------------------------------------------------------------------------------
@bp.get("/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> tuple[str, int]:
    return _render_show(_visible(assessment_id))


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assessment_id: int) -> Response | tuple[str, int]:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    if request.method == "GET":
        return _render_edit(assessment)
    form = _checklist_form_for(assessment, bound=True)
    if not form.validate_on_submit():
        return _render_edit(assessment, form=form, status=400)
    try:
        services.assessment_save(
            db.session(),
            assessment,
            version=form.version.data,
            assessed_on=form.assessed_on.data,
            summary=form.summary.data or "",
            figures=form.figures(),
            answers=form.answers(),
        )
        if "submit_for_review" in request.form:
            services.assessment_submit(db.session(), assessment)
        db.session.commit()
    except (Conflict, StaleDataError):
        db.session.rollback()
        rows = _conflict_rows(form, assessment)
        form.version.data = assessment.version
        form.version.raw_data = [str(assessment.version)]
        return _render_edit(assessment, form=form, conflict=rows, status=CONFLICT_STATUS)
    except DomainError as error:
        db.session.rollback()
        _put_error(form, error, "summary")
        return _render_edit(assessment, form=form, status=400)
    if "submit_for_review" in request.form:
        flash(_("Assessment submitted for review."), "success")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    flash(_("Assessment saved."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


def _conflict_rows(form: AssessmentForm, assessment: Assessment) -> list[tuple[str, str, str]]:
    """(label, saved now, submitted) for the date, the summary and the figures that differ."""

    def shown(value: Any) -> str:
        return "—" if value is None or value == "" else str(value)

    rows = []
    for name in ("assessed_on", "summary", *FIGURE_LABELS):
        saved, submitted = getattr(assessment, name), form[name].data
        if shown(saved) != shown(submitted):
            rows.append((str(form[name].label.text), shown(saved), shown(submitted)))
    return rows


@bp.post("/<int:assessment_id>/submit")
@login_required
def submit(assessment_id: int) -> Response:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    try:
        services.assessment_submit(db.session(), assessment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Assessment submitted for review."), "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/review")
@login_required
def review(assessment_id: int) -> Response | tuple[str, int]:
    assessment = _visible(assessment_id)
    require(can_review_assessment(current_user, assessment))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_show(assessment, review_form=form, status=400)
    try:
        if form.decision.data == "approve":
            services.assessment_approve(
                db.session(), assessment, reviewer_id=current_user.id, comment=form.comment.data or ""
            )
        else:
            services.assessment_return(
                db.session(), assessment, reviewer_id=current_user.id, comment=form.comment.data or ""
            )
    except DomainError as error:
        db.session.rollback()
        _put_error(form, error, "decision")
        return _render_show(assessment, review_form=form, status=400)
    db.session.commit()
    if form.decision.data == "approve":
        flash(_("Assessment approved."), "success")
    else:
        flash(_("Assessment returned to its author with your comments."), "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@bp.post("/<int:assessment_id>/revise")
@login_required
def revise(assessment_id: int) -> Response:
    assessment = _visible(assessment_id)
    require(can_revise_assessment(current_user, assessment))
    try:
        revision = services.assessment_revise(db.session(), assessment, author_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    db.session.commit()
    flash(_("A new version was started; it replaces the approved one once it is approved."), "success")
    if can_edit_assessment(current_user, revision):
        return redirect(url_for("assessments.edit", assessment_id=revision.id))
    return redirect(url_for("assessments.show", assessment_id=revision.id))


# --- findings -------------------------------------------------------------------------------------------
@bp.post("/<int:assessment_id>/findings")
@login_required
def finding_add(assessment_id: int) -> Response | tuple[str, int]:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    form = FindingForm()
    if form.validate_on_submit():
        try:
            findings.finding_add(db.session(), assessment, form.values())
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            db.session.commit()
            flash(_("Finding added."), "success")
            return redirect(url_for("assessments.edit", assessment_id=assessment.id, _anchor="findings"))
    return _render_edit(assessment, finding_form=form, status=400)


@bp.route("/<int:assessment_id>/findings/<int:finding_id>", methods=["GET", "POST"])
@login_required
def finding_edit(assessment_id: int, finding_id: int) -> str | Response | tuple[str, int]:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    finding = _finding_of(assessment, finding_id)
    form = FindingForm(obj=finding)
    if request.method == "GET":
        form.severity.data = finding.severity.value
    if form.validate_on_submit():
        try:
            findings.finding_update(db.session(), finding, form.values())
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "description")
        else:
            db.session.commit()
            flash(_("Finding saved."), "success")
            return redirect(url_for("assessments.edit", assessment_id=assessment.id, _anchor="findings"))
    status = 400 if form.errors else 200
    return render_template("assessments/finding.html", assessment=assessment, finding=finding, form=form), status


@bp.post("/<int:assessment_id>/findings/<int:finding_id>/delete")
@login_required
def finding_delete(assessment_id: int, finding_id: int) -> Response:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    try:
        findings.finding_delete(db.session(), _finding_of(assessment, finding_id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Finding deleted."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id, _anchor="findings"))


@bp.post("/<int:assessment_id>/findings/<int:finding_id>/carry")
@login_required
def finding_carry(assessment_id: int, finding_id: int) -> Response:
    assessment = _visible(assessment_id)
    finding = _finding_of(assessment, finding_id)
    require(can_carry_finding(current_user, finding))
    form = CarryForm()
    if not form.validate_on_submit():
        flash(_("Choose the project that takes this work item."), "danger")
    else:
        try:
            findings.finding_carry(db.session(), finding, form.project_id.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The finding is now a work item of the project's design phase."), "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id, _anchor="findings"))


# --- evidence photos ------------------------------------------------------------------------------------
def _photo_target(value: str) -> findings.PhotoTarget:
    kind, _sep, number = (value or "").partition("-")
    if number.isdigit() and kind == "q":
        return findings.PhotoTarget(question_id=int(number))
    if number.isdigit() and kind == "f":
        return findings.PhotoTarget(finding_id=int(number))
    return findings.PhotoTarget()


@bp.post("/<int:assessment_id>/photos")
@login_required
def photo_add(assessment_id: int) -> Response | tuple[str, int]:
    assessment = _visible(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    form = _photo_form(assessment, bound=True)
    file = request.files.get("photo")
    if not form.validate_on_submit():
        return _render_edit(assessment, photo_form=form, status=400)
    if not isinstance(file, FileStorage) or not file.filename:
        form.photo.errors = [_("Choose a photo.")]  # type: ignore[assignment]
        return _render_edit(assessment, photo_form=form, status=400)
    limit = current_app.config["PHOTO_MAX_BYTES"]
    try:
        findings.assessment_photo_add(
            db.session(),
            storage(),
            assessment,
            file.read(limit + 1),
            file.filename,
            target=_photo_target(form.target.data or ""),
            description=PhotoDescription(
                caption=form.caption.data or "",
                identifiable_people=bool(form.identifiable_people.data),
                consent_recorded=bool(form.consent_recorded.data) and bool(form.identifiable_people.data),
            ),
            max_bytes=limit,
            max_pixels=current_app.config["PHOTO_MAX_PIXELS"],
        )
    except DomainError as error:
        db.session.rollback()
        form.photo.errors = [error.message]  # type: ignore[assignment]
        return _render_edit(assessment, photo_form=form, status=400)
    db.session.commit()
    flash(_("Photo added to the assessment."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id, _anchor="photos"))
