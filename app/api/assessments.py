"""Site assessments written from the field: start a draft on a project with an active checklist, fill in its date,
summary, figures and answers, send it for review; a manager approves it or returns it with comments.

The same services and permission predicates as the assessment pages: only the author (or an administrator) edits a
draft, nobody reviews their own assessment, an approved assessment is read-only.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created, expected_version, single, visible_or_404
from app.api.inputs import CONTROL, DECIMAL_PATTERN, MAX_ID, Field, json_body, parse_fields
from app.api.problems import ApiProblem, invalid
from app.api.projects import visible_project
from app.api.records import assessment_json
from app.assessments import services
from app.assessments.indicators import Figures
from app.assessments.models import Assessment, ChecklistQuestion, ChecklistTemplate
from app.core.enums import AnswerType, AssessmentType
from app.core.errors import Conflict, DomainError
from app.core.permissions import (
    can_create_assessment,
    can_edit_assessment,
    can_list_assessments,
    can_review_assessment,
    can_view_assessment,
    require,
)
from app.extensions import db

ASSESSMENT_FIELDS = {
    "template_id": Field("integer", required=True, minimum=1, maximum=MAX_ID, description="An active checklist."),
    "assessment_type": Field("enum", required=True, enum_type=AssessmentType),
    "assessed_on": Field("date", required=True, description="The day of the visit; not in the future."),
}
FIGURE_FIELDS = {
    "occupancy_peak": Field("integer", nullable=True),
    "covered_area_m2": Field("decimal", nullable=True),
    "toilets": Field("integer", nullable=True),
    "accessible_toilets": Field("integer", nullable=True),
    "showers": Field("integer", nullable=True),
    "taps": Field("integer", nullable=True),
    "water_litres_per_day": Field("decimal", nullable=True),
}
SUMMARY = Field("string", max_length=20000)
# The figures and the answers are checked by their own tables (below); the rest of a body by these.
CREATE_FIELDS = ASSESSMENT_FIELDS | {"summary": SUMMARY}
CONTENT_FIELDS = {"assessed_on": ASSESSMENT_FIELDS["assessed_on"], "summary": SUMMARY}
NESTED = ("figures", "answers")
REVIEW_FIELDS = {
    "decision": Field("enum", required=True, choices=("approve", "return")),
    "comment": Field("string", max_length=4000, description="Required when the assessment is returned."),
}
MAX_ANSWERS = 500


def answer_value_json(answer: Any) -> Any:
    kind = answer.question.answer_type
    if kind is AnswerType.YES_NO:
        return answer.value_bool
    if kind is AnswerType.SCORE:
        return answer.value_int
    if kind is AnswerType.NUMBER:
        return None if answer.value_decimal is None else format(answer.value_decimal, "f")
    return answer.value_text


def assessment_detail_json(assessment: Assessment) -> dict[str, Any]:
    body = assessment_json(assessment)
    body["template_id"] = assessment.template_id
    body["links"]["self"] = url_for("api.assessment_get", assessment_id=assessment.id)
    body["answers"] = [
        {"question_id": a.question_id, "value": answer_value_json(a), "comment": a.comment}
        for a in sorted(assessment.answers, key=lambda a: a.question_id)
    ]
    return body


def _question_json(question: ChecklistQuestion) -> dict[str, Any]:
    return {
        "id": question.id,
        "text_es": question.text_es,
        "text_en": question.text_en,
        "answer_type": question.answer_type.value,
        "evidence_photo_required": question.evidence_photo_required,
    }


@bp.get("/checklists")
def checklists_list() -> Response:
    """The active checklists, with their questions: what a field app needs to start and fill in an assessment."""
    require(can_create_assessment(current_user))
    templates = db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.active.is_(True)).order_by(ChecklistTemplate.id)
    ).all()
    items = [
        {
            "id": template.id,
            "name": template.name,
            "assessment_type": template.assessment_type.value,
            "questions": [_question_json(q) for q in services.active_questions(template)],
        }
        for template in templates
    ]
    return jsonify({"items": items, "next": None})


@bp.post("/projects/<int:project_id>/assessments")
def assessment_create(project_id: int) -> Response:
    """Start a draft on the project's center; the summary, figures and answers may come in the same request."""
    project = visible_project(project_id)
    require(can_create_assessment(current_user))
    body = json_body()
    values = parse_fields({k: v for k, v in body.items() if k not in NESTED}, CREATE_FIELDS)
    summary = values.pop("summary", None)
    assessment = services.assessment_create(
        db.session(),
        author_id=current_user.id,
        center_id=project.center_id,
        project_id=project.id,
        **values,
    )
    if summary is not None or any(name in body for name in NESTED):
        _save(assessment, {"summary": summary or "", **{k: body[k] for k in NESTED if k in body}}, version=None)
    db.session.commit()
    return created(assessment, assessment_detail_json(assessment))


def visible_assessment(assessment_id: int) -> Assessment:
    return visible_or_404(Assessment, assessment_id, lambda a: can_view_assessment(current_user, a))


@bp.get("/assessments/<int:assessment_id>")
def assessment_get(assessment_id: int) -> Response:
    require(can_list_assessments(current_user))
    assessment = visible_assessment(assessment_id)
    return single(assessment, assessment_detail_json(assessment))


@bp.patch("/assessments/<int:assessment_id>")
def assessment_patch(assessment_id: int) -> Response:
    assessment = visible_assessment(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    version = expected_version(assessment)
    _save(assessment, json_body(), version=version)
    db.session.commit()
    return single(assessment, assessment_detail_json(assessment))


def _figures(assessment: Assessment, raw: Any) -> Figures:
    """The saved figures with those the client sent replacing them (null clears one)."""
    current = Figures(**{name: getattr(assessment, name) for name in services.FIGURE_NAMES})
    if raw is None:
        return current
    if not isinstance(raw, dict):
        raise invalid({"figures": [_("Expected an object.")]})
    try:
        changes = parse_fields(raw, FIGURE_FIELDS, partial=True)
    except ApiProblem as problem:
        raise invalid({f"figures.{name}": messages for name, messages in problem.errors.items()}) from None
    return replace(current, **changes)


def _answer_value(question: ChecklistQuestion, value: Any) -> Any:
    """A JSON value as the service takes it: the answer to a number question may come as a decimal string."""
    if question.answer_type is AnswerType.NUMBER and isinstance(value, str) and DECIMAL_PATTERN.fullmatch(value):
        return Decimal(value)
    return value


def _answers(assessment: Assessment, raw: Any) -> dict[int, services.AnswerInput]:
    if raw is None:
        return {}
    if not isinstance(raw, list) or len(raw) > MAX_ANSWERS:
        raise invalid({"answers": [_("Expected a list of answers.")]})
    questions = {q.id: q for q in services.active_questions(assessment.template, assessment)}
    answers: dict[int, services.AnswerInput] = {}
    errors: dict[str, list[str]] = {}
    for position, item in enumerate(raw):
        key = f"answers.{position}"
        if not isinstance(item, dict) or set(item) - {"question_id", "value", "comment"}:
            errors[key] = [_("Expected an object with question_id, value and comment.")]
            continue
        question_id = item.get("question_id")
        known = isinstance(question_id, int) and not isinstance(question_id, bool)
        question = questions.get(question_id) if known else None  # type: ignore[arg-type]
        if question is None:
            errors[key] = [_("That question is not part of this checklist.")]
            continue
        comment, value = item.get("comment", ""), item.get("value")
        if not isinstance(comment, str) or len(comment) > services.MAX_TEXT:
            errors[key] = [_("Use at most %(n)d characters.", n=services.MAX_TEXT)]
            continue
        if any(isinstance(text, str) and CONTROL.search(text) for text in (comment, value)):
            errors[key] = [_("Control characters are not allowed.")]
            continue
        if isinstance(value, float):
            errors[key] = [_('Expected a decimal number written as a string, for example "15.5".')]
            continue
        answers[question.id] = services.AnswerInput(value=_answer_value(question, value), comment=comment)
    if errors:
        raise invalid(errors)
    return answers


def _save(assessment: Assessment, body: dict[str, Any], *, version: int | None) -> None:
    values = parse_fields({k: v for k, v in body.items() if k not in NESTED}, CONTENT_FIELDS, partial=True)
    figures = _figures(assessment, body.get("figures"))
    answers = _answers(assessment, body.get("answers"))
    try:
        services.assessment_save(
            db.session(),
            assessment,
            version=version,
            assessed_on=values.get("assessed_on", assessment.assessed_on),
            summary=values.get("summary", assessment.summary),
            figures=figures,
            answers=answers,
        )
    except Conflict:
        raise
    except DomainError as error:
        field, message = error.field or "summary", str(error.message)
        if field.startswith("q_"):
            message = _("Question %(id)s: %(message)s", id=field[2:], message=message)
            field = "answers"
        elif field in FIGURE_FIELDS:
            field = f"figures.{field}"
        raise invalid({field: [message]}, message) from None


@bp.post("/assessments/<int:assessment_id>/submission")
def assessment_submit(assessment_id: int) -> Response:
    """Send a draft (or a returned assessment) to a manager for review."""
    assessment = visible_assessment(assessment_id)
    require(can_edit_assessment(current_user, assessment))
    services.assessment_submit(db.session(), assessment)
    db.session.commit()
    return single(assessment, assessment_detail_json(assessment))


@bp.post("/assessments/<int:assessment_id>/review")
def assessment_review(assessment_id: int) -> Response:
    """Approve a submitted assessment, or return it to its author with comments."""
    assessment = visible_assessment(assessment_id)
    require(can_review_assessment(current_user, assessment))
    values = parse_fields(json_body(), REVIEW_FIELDS)
    decide = services.assessment_approve if values["decision"] == "approve" else services.assessment_return
    decide(db.session(), assessment, reviewer_id=current_user.id, comment=values.get("comment", ""))
    db.session.commit()
    return single(assessment, assessment_detail_json(assessment))
