"""Administration of assessments: checklist templates (sections, questions) and the standards."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.assessments import checklists
from app.assessments.forms import QuestionForm, SectionForm, TemplateForm, thresholds_form
from app.assessments.indicators import SPEC_BY_KEY, SPECS
from app.assessments.models import ChecklistQuestion, ChecklistSection, ChecklistTemplate
from app.assessments.templates_default import template_ensure_default
from app.core.enums import AnswerType, AssessmentType
from app.core.errors import DomainError
from app.core.permissions import can_manage_templates, require
from app.extensions import db

bp = Blueprint("assessment_admin", __name__, url_prefix="/admin/checklists", template_folder="templates")


@bp.before_request
@login_required
def _only_admins() -> None:
    require(can_manage_templates(current_user))


def _put_error(form: FlaskForm, error: DomainError, default: str) -> None:
    field = form._fields.get(error.field or "") or form[default]
    field.errors = [*field.errors, error.message]


def _with_ids(form: FlaskForm, prefix: str) -> FlaskForm:
    """Give the fields of one of several forms on a page ids of their own (labels follow)."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
        field.label.field_id = field.id
    return form


def _template_or_404(template_id: int) -> ChecklistTemplate:
    return db.session.get(ChecklistTemplate, template_id) or abort(404)


def _section_of(template: ChecklistTemplate, section_id: int) -> ChecklistSection:
    return next((s for s in template.sections if s.id == section_id), None) or abort(404)


# --- templates ------------------------------------------------------------------------------------------
@bp.get("/")
def index() -> str:
    templates = db.session.scalars(
        select(ChecklistTemplate).order_by(ChecklistTemplate.active.desc(), ChecklistTemplate.name)
    ).all()
    return render_template("assessments/admin/index.html", templates=templates)


@bp.post("/default")
def ensure_default() -> Response:
    if template_ensure_default(db.session()):
        db.session.commit()
        flash(_("The default working-model checklist was created."), "success")
    else:
        flash(_("A working-model checklist already exists; nothing was created."), "info")
    return redirect(url_for("assessment_admin.index"))


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            template = checklists.template_create(
                db.session(), name=form.name.data or "", assessment_type=AssessmentType(form.assessment_type.data)
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "name")
        else:
            db.session.commit()
            flash(_("Checklist created. Add its sections and questions."), "success")
            return redirect(url_for("assessment_admin.edit", template_id=template.id))
    return render_template("assessments/admin/new.html", form=form), (400 if form.errors else 200)


def _render_template_page(
    template: ChecklistTemplate,
    *,
    form: TemplateForm | None = None,
    section_forms: dict[int, FlaskForm] | None = None,
    new_section: FlaskForm | None = None,
    question_forms: dict[int, FlaskForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    if form is None:
        form = TemplateForm(formdata=None, obj=template)
        form.assessment_type.data = template.assessment_type.value
    section_forms = section_forms or {}
    question_forms = question_forms or {}
    for section in template.sections:
        if section.id not in section_forms:
            section_forms[section.id] = SectionForm(formdata=None, obj=section)
        _with_ids(section_forms[section.id], f"s{section.id}")
        if section.id not in question_forms:
            question_forms[section.id] = QuestionForm(formdata=None)
        _with_ids(question_forms[section.id], f"nq{section.id}")
    return (
        render_template(
            "assessments/admin/template.html",
            template=template,
            form=form,
            section_forms=section_forms,
            new_section=_with_ids(new_section or SectionForm(formdata=None), "ns"),
            question_forms=question_forms,
        ),
        status,
    )


@bp.route("/<int:template_id>", methods=["GET", "POST"])
def edit(template_id: int) -> Response | tuple[str, int]:
    template = _template_or_404(template_id)
    if request.method == "GET":
        return _render_template_page(template)
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            checklists.template_update(
                db.session(),
                template,
                name=form.name.data or "",
                assessment_type=AssessmentType(form.assessment_type.data),
                active=bool(form.active.data),
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "name")
        else:
            db.session.commit()
            flash(_("Checklist saved."), "success")
            return redirect(url_for("assessment_admin.edit", template_id=template.id))
    return _render_template_page(template, form=form, status=400)


@bp.post("/<int:template_id>/sections")
def section_add(template_id: int) -> Response | tuple[str, int]:
    template = _template_or_404(template_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            checklists.section_add(
                db.session(), template, title_es=form.title_es.data or "", title_en=form.title_en.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "title_es")
        else:
            db.session.commit()
            flash(_("Section added."), "success")
            return redirect(url_for("assessment_admin.edit", template_id=template.id, _anchor="sections"))
    return _render_template_page(template, new_section=form, status=400)


@bp.post("/<int:template_id>/sections/<int:section_id>")
def section_edit(template_id: int, section_id: int) -> Response | tuple[str, int]:
    template = _template_or_404(template_id)
    section = _section_of(template, section_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            checklists.section_update(
                db.session(),
                section,
                title_es=form.title_es.data or "",
                title_en=form.title_en.data or "",
                position=form.position.data if form.position.data is not None else section.position,
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "title_es")
        else:
            db.session.commit()
            flash(_("Section saved."), "success")
            return redirect(url_for("assessment_admin.edit", template_id=template.id, _anchor=f"section-{section.id}"))
    return _render_template_page(template, section_forms={section.id: form}, status=400)


@bp.post("/<int:template_id>/sections/<int:section_id>/questions")
def question_add(template_id: int, section_id: int) -> Response | tuple[str, int]:
    template = _template_or_404(template_id)
    section = _section_of(template, section_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            checklists.question_add(
                db.session(),
                section,
                text_es=form.text_es.data or "",
                text_en=form.text_en.data or "",
                answer_type=AnswerType(form.answer_type.data),
                evidence_photo_required=bool(form.evidence_photo_required.data),
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "text_es")
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for("assessment_admin.edit", template_id=template.id, _anchor=f"section-{section.id}"))
    return _render_template_page(template, question_forms={section.id: form}, status=400)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(question_id: int) -> str | Response | tuple[str, int]:
    question = db.session.get(ChecklistQuestion, question_id) or abort(404)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.answer_type.data = question.answer_type.value
    if form.validate_on_submit():
        try:
            checklists.question_update(
                db.session(),
                question,
                text_es=form.text_es.data or "",
                text_en=form.text_en.data or "",
                answer_type=AnswerType(form.answer_type.data),
                evidence_photo_required=bool(form.evidence_photo_required.data),
                active=bool(form.active.data),
                position=form.position.data if form.position.data is not None else question.position,
            )
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, "text_es")
        else:
            db.session.commit()
            flash(_("Question saved."), "success")
            template_id = question.section.template_id
            return redirect(
                url_for("assessment_admin.edit", template_id=template_id, _anchor=f"section-{question.section_id}")
            )
    status = 400 if form.errors else 200
    return render_template("assessments/admin/question.html", question=question, form=form), status


# --- standards ------------------------------------------------------------------------------------------
@bp.route("/standards", methods=["GET", "POST"])
def standards() -> str | Response | tuple[str, int]:
    rows = checklists.thresholds_ensure_defaults(db.session())
    db.session.commit()  # the defaults, created on first visit, are worth keeping even if nothing else is saved
    form = thresholds_form(
        [(spec.key, checklists.indicator_label(spec.key)) for spec in SPECS],
        **({} if request.method == "POST" else {"data": {row.key: row.value for row in rows}}),
    )
    if form.validate_on_submit():
        try:
            checklists.thresholds_update(db.session(), {spec.key: form[spec.key].data for spec in SPECS})
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error, SPECS[0].key)
        else:
            db.session.commit()
            flash(_("Standards saved. Every assessment page now compares with the new values."), "success")
            return redirect(url_for("assessment_admin.standards"))
    rows = checklists.thresholds_ensure_defaults(db.session())
    return render_template("assessments/admin/standards.html", form=form, rows=rows, specs=SPEC_BY_KEY), (
        400 if form.errors else 200
    )
