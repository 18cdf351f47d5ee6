"""Site assessments: list, create, fill in, submit, review, revise; indicators with before/after; the gate query.

Functions take a session and values, flush, and never commit. A broken rule raises DomainError with a
translated message naming the form field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from app.assessments.checklists import thresholds_load
from app.assessments.indicators import (
    Capacity,
    Comparison,
    Figures,
    Indicator,
    compare_indicators,
    compute_capacity,
    compute_indicators,
)
from app.assessments.models import (
    EDITABLE_STATUSES,
    Answer,
    Assessment,
    ChecklistQuestion,
    ChecklistTemplate,
    Finding,
)
from app.centers.models import Center
from app.core.enums import AnswerType, AssessmentStatus, AssessmentType, Role
from app.core.errors import Conflict, DomainError
from app.core.permissions import STAFF
from app.core.timeutil import today, utcnow
from app.projects.models import Project, ProjectFunding

SCORE_RANGE = range(0, 5)
FIGURE_NAMES = tuple(f.name for f in fields(Figures))
MAX_TEXT = 4000
# What the columns hold: a count is a 32-bit integer, the measures have 2 decimals.
MAX_COUNT = Decimal(2**31 - 1)
FIGURE_LIMITS = {"covered_area_m2": Decimal("99999999.99"), "water_litres_per_day": Decimal("9999999999.99")}
MAX_NUMBER_ANSWER = Decimal("999999999999.99")

AnswerValue = bool | int | Decimal | str | None


# --- reading --------------------------------------------------------------------------------------------
def assessments_visible_query(user: Any, center_id: int | None = None) -> Select[tuple[Assessment]]:
    """Assessments ``user`` may see, newest first: staff all; a donor only approved ones of funded projects."""
    query = select(Assessment).order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    if center_id:
        query = query.where(Assessment.center_id == center_id)
    role = getattr(user, "role", None)
    if user is None or not user.is_authenticated:
        return query.where(false())
    if role in STAFF:
        return query
    if role is Role.DONOR and user.organization_id is not None:
        funded = select(ProjectFunding.project_id).where(ProjectFunding.organization_id == user.organization_id)
        return query.where(Assessment.status == AssessmentStatus.APPROVED, Assessment.project_id.in_(funded))
    return query.where(false())


def figures_of(assessment: Assessment) -> Figures:
    return Figures(**{name: getattr(assessment, name) for name in FIGURE_NAMES})


def lineage_ids(session: Session, assessment: Assessment) -> list[int]:
    """This assessment and the versions it revised, newest first."""
    ids = [assessment.id]
    current = assessment.supersedes_id
    while current is not None and current not in ids:
        ids.append(current)
        current = session.scalar(select(Assessment.supersedes_id).where(Assessment.id == current))
    return ids


def assessment_previous(session: Session, assessment: Assessment) -> Assessment | None:
    """The latest approved assessment of the same center before this one that recorded figures (not a version
    of this same assessment): the "before" of a before/after comparison."""
    figure_columns = [getattr(Assessment, name).is_not(None) for name in FIGURE_NAMES]
    query = (
        select(Assessment)
        .where(
            Assessment.center_id == assessment.center_id,
            Assessment.status == AssessmentStatus.APPROVED,
            Assessment.id.not_in(lineage_ids(session, assessment)),
            Assessment.assessed_on <= assessment.assessed_on,
            or_(*figure_columns),
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    for candidate in session.scalars(query):
        if candidate.assessed_on < assessment.assessed_on or candidate.id < assessment.id:
            return candidate
    return None


@dataclass(frozen=True)
class IndicatorReport:
    indicators: list[Indicator]
    capacity: Capacity
    comparisons: list[Comparison]
    previous: Assessment | None

    @property
    def short(self) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.ok is False]


def assessment_indicators(session: Session, assessment: Assessment) -> IndicatorReport:
    """Indicators against the standards in force now, the limiting resource, and before/after."""
    thresholds = thresholds_load(session)
    indicators = compute_indicators(figures_of(assessment), thresholds)
    previous = assessment_previous(session, assessment)
    before = compute_indicators(figures_of(previous), thresholds) if previous else None
    return IndicatorReport(
        indicators=indicators,
        capacity=compute_capacity(figures_of(assessment), thresholds),
        comparisons=compare_indicators(before, indicators),
        previous=previous,
    )


def active_questions(template: ChecklistTemplate, assessment: Assessment | None = None) -> list[ChecklistQuestion]:
    """The questions asked: the active ones, plus deactivated ones this assessment already answered."""
    answered = {a.question_id for a in assessment.answers if a.answered} if assessment else set()
    return [
        question
        for section in template.sections
        for question in section.questions
        if question.active or question.id in answered
    ]


def evidence_missing(assessment: Assessment) -> list[ChecklistQuestion]:
    """Questions that require an evidence photo and have none linked yet."""
    missing = []
    for question in active_questions(assessment.template, assessment):
        if not question.evidence_photo_required:
            continue
        answer = assessment.answer_for(question.id)
        if answer is None or answer.evidence_photo_id is None:
            missing.append(question)
    return missing


def open_revision(session: Session, assessment: Assessment) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(
            Assessment.supersedes_id == assessment.id,
            Assessment.status.in_([*EDITABLE_STATUSES, AssessmentStatus.SUBMITTED]),
        )
    )


# --- creating and filling in ----------------------------------------------------------------------------
def _check_place(session: Session, center_id: int, project_id: int | None) -> Center:
    center = session.get(Center, center_id)
    if center is None:
        raise DomainError(_("Choose an existing center."), field="center_id")
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.center_id != center_id:
            raise DomainError(_("That project is not a project of this center."), field="project_id")
    return center


def _check_date(assessed_on: date | None) -> date:
    if assessed_on is None:
        raise DomainError(_("Give the date of the assessment."), field="assessed_on")
    if assessed_on > today():
        raise DomainError(_("The date of an assessment cannot be in the future."), field="assessed_on")
    return assessed_on


def assessment_create(
    session: Session,
    *,
    author_id: int,
    center_id: int,
    project_id: int | None,
    template_id: int,
    assessment_type: AssessmentType,
    assessed_on: date | None,
) -> Assessment:
    """Start a draft assessment of a center (and project) with an active checklist."""
    _check_place(session, center_id, project_id)
    template = session.get(ChecklistTemplate, template_id)
    if template is None or not template.active:
        raise DomainError(_("Choose an active checklist."), field="template_id")
    assessment = Assessment(
        center_id=center_id,
        project_id=project_id,
        template_id=template.id,
        assessment_type=assessment_type,
        assessed_on=_check_date(assessed_on),
        status=AssessmentStatus.DRAFT,
        author_id=author_id,
        review_comment="",
        summary="",
    )
    session.add(assessment)
    session.flush()
    return assessment


def require_editable(assessment: Assessment) -> None:
    if not assessment.editable:
        message = _("This assessment can no longer be changed (%(status)s).", status=assessment.status.label)
        if assessment.status is AssessmentStatus.APPROVED:
            message += " " + _("Revise it to make a new version.")
        raise DomainError(message, field="summary")


def _check_figures(figures: Figures) -> None:
    for name in FIGURE_NAMES:
        value = getattr(figures, name)
        if value is not None and value < 0:
            raise DomainError(_("A count or a measure cannot be negative."), field=name)
        if value is not None and value > FIGURE_LIMITS.get(name, MAX_COUNT):
            raise DomainError(_("This figure is too large to be right; check it."), field=name)
    if (
        figures.accessible_toilets is not None
        and figures.toilets is not None
        and figures.accessible_toilets > figures.toilets
    ):
        raise DomainError(_("There cannot be more accessible toilets than toilets."), field="accessible_toilets")


def _clean_value(question: ChecklistQuestion, value: AnswerValue) -> AnswerValue:
    field = f"q_{question.id}"
    if value is None or value == "":
        return None
    kind = question.answer_type
    if kind is AnswerType.YES_NO and isinstance(value, bool):
        return value
    if kind is AnswerType.SCORE and isinstance(value, int) and not isinstance(value, bool):
        if value not in SCORE_RANGE:
            raise DomainError(_("A score goes from 0 to 4."), field=field)
        return value
    if kind is AnswerType.NUMBER and isinstance(value, int | Decimal) and not isinstance(value, bool):
        if value < 0:
            raise DomainError(_("A count or a measure cannot be negative."), field=field)
        if value > MAX_NUMBER_ANSWER:
            raise DomainError(_("This figure is too large to be right; check it."), field=field)
        return Decimal(value)
    if kind is AnswerType.TEXT and isinstance(value, str):
        return value.strip()[:MAX_TEXT] or None
    raise DomainError(_("This answer does not fit the question."), field=field)


def _set_answer(answer: Answer, question: ChecklistQuestion, value: AnswerValue, comment: str) -> None:
    kind = question.answer_type
    answer.value_bool = value if kind is AnswerType.YES_NO else None  # type: ignore[assignment]
    answer.value_int = value if kind is AnswerType.SCORE else None  # type: ignore[assignment]
    answer.value_decimal = value if kind is AnswerType.NUMBER else None  # type: ignore[assignment]
    answer.value_text = value if kind is AnswerType.TEXT else None  # type: ignore[assignment]
    answer.comment = comment


@dataclass(frozen=True)
class AnswerInput:
    value: AnswerValue = None
    comment: str = ""


def assessment_save(
    session: Session,
    assessment: Assessment,
    *,
    version: int | None,
    assessed_on: date | None,
    summary: str,
    figures: Figures,
    answers: Mapping[int, AnswerInput],
) -> Assessment:
    """Save the date, summary, raw figures and answers of a draft (or returned) assessment.

    ``answers`` maps question ids to the input; questions not in it are left as they are.
    """
    require_editable(assessment)
    if version is not None and version != assessment.version:
        raise Conflict(_("This record was changed by someone else while you edited it."))
    assessment.assessed_on = _check_date(assessed_on)
    _check_figures(figures)
    questions = {q.id: q for q in active_questions(assessment.template, assessment)}
    cleaned: dict[int, tuple[AnswerValue, str]] = {}
    for question_id, given in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise DomainError(_("That question is not part of this checklist."), field="summary")
        cleaned[question_id] = (_clean_value(question, given.value), given.comment.strip()[:MAX_TEXT])
    assessment.summary = summary.strip()[:20000]
    # Touch the record so that a save changing only answers still moves the version other editors compare with.
    assessment.updated_at = utcnow()
    for name in FIGURE_NAMES:
        setattr(assessment, name, getattr(figures, name))
    for question_id, (value, comment) in cleaned.items():
        answer = assessment.answer_for(question_id)
        if answer is None:
            if value is None and not comment:
                continue
            answer = Answer(question_id=question_id)
            assessment.answers.append(answer)
        _set_answer(answer, questions[question_id], value, comment)
    session.flush()
    return assessment


# --- workflow -------------------------------------------------------------------------------------------
def assessment_submit(session: Session, assessment: Assessment) -> Assessment:
    """Send a draft (or a returned assessment) to a manager for review."""
    if not assessment.editable:
        raise DomainError(_("Only a draft or a returned assessment can be submitted."), field="status")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    session.flush()
    return assessment


def _require_reviewable(assessment: Assessment, reviewer_id: int) -> None:
    if assessment.status is not AssessmentStatus.SUBMITTED:
        raise DomainError(_("Only a submitted assessment can be reviewed."), field="decision")
    if assessment.author_id == reviewer_id:
        raise DomainError(_("Nobody may review their own assessment."), field="decision")


def assessment_approve(session: Session, assessment: Assessment, *, reviewer_id: int, comment: str = "") -> Assessment:
    """Approve a submitted assessment; from now on it is read-only. An approved revision supersedes the version
    it revised."""
    _require_reviewable(assessment, reviewer_id)
    assessment.status = AssessmentStatus.APPROVED
    assessment.reviewer_id = reviewer_id
    assessment.review_comment = comment.strip()[:MAX_TEXT]
    assessment.decided_at = utcnow()
    if assessment.supersedes_id is not None:
        earlier = session.get(Assessment, assessment.supersedes_id)
        if earlier is not None and earlier.status is AssessmentStatus.APPROVED:
            earlier.status = AssessmentStatus.SUPERSEDED
    session.flush()
    return assessment


def assessment_return(session: Session, assessment: Assessment, *, reviewer_id: int, comment: str) -> Assessment:
    """Send a submitted assessment back to its author; the comment says what to change."""
    _require_reviewable(assessment, reviewer_id)
    if not comment.strip():
        raise DomainError(_("Say what must change before the assessment can be approved."), field="comment")
    assessment.status = AssessmentStatus.RETURNED
    assessment.reviewer_id = reviewer_id
    assessment.review_comment = comment.strip()[:MAX_TEXT]
    assessment.decided_at = utcnow()
    session.flush()
    return assessment


def assessment_revise(session: Session, assessment: Assessment, *, author_id: int) -> Assessment:
    """A new draft copying an approved assessment (figures, answers, findings); once approved it supersedes it.

    If a revision is already under way, that one is returned instead of starting a second.
    """
    if assessment.status is not AssessmentStatus.APPROVED:
        raise DomainError(_("Only an approved assessment can be revised."), field="status")
    existing = open_revision(session, assessment)
    if existing is not None:
        return existing
    revision = Assessment(
        center_id=assessment.center_id,
        project_id=assessment.project_id,
        template_id=assessment.template_id,
        assessment_type=assessment.assessment_type,
        assessed_on=assessment.assessed_on,
        status=AssessmentStatus.DRAFT,
        author_id=author_id,
        review_comment="",
        summary=assessment.summary,
        supersedes_id=assessment.id,
        **{name: getattr(assessment, name) for name in FIGURE_NAMES},
    )
    for answer in assessment.answers:
        revision.answers.append(
            Answer(
                question_id=answer.question_id,
                value_bool=answer.value_bool,
                value_int=answer.value_int,
                value_decimal=answer.value_decimal,
                value_text=answer.value_text,
                comment=answer.comment,
                evidence_photo_id=answer.evidence_photo_id,
            )
        )
    for finding in assessment.findings:
        revision.findings.append(
            Finding(
                position=finding.position,
                description=finding.description,
                location=finding.location,
                severity=finding.severity,
                recommended_action=finding.recommended_action,
                cost_estimate=finding.cost_estimate,
                currency=finding.currency,
                source_finding_id=finding.id,
                work_item_project_id=finding.work_item_project_id,
                carried_at=finding.carried_at,
            )
        )
    session.add(revision)
    session.flush()
    return revision


# --- the evaluation gate --------------------------------------------------------------------------------
def approved_assessments_of_project(project: Project) -> Select[Assessment]:
    """The approved assessments of the project's center that belong to the project: linked to it, or not linked
    to any project and dated within its planned span (unordered)."""
    return select(Assessment).where(
        Assessment.center_id == project.center_id,
        Assessment.status == AssessmentStatus.APPROVED,
        or_(
            Assessment.project_id == project.id,
            Assessment.project_id.is_(None)
            & (Assessment.assessed_on >= project.planned_start)
            & (Assessment.assessed_on <= project.planned_end),
        ),
    )


def approved_assessment_for_project(session: Session, project: Project) -> Assessment | None:
    """The latest of :func:`approved_assessments_of_project`."""
    return session.scalar(
        approved_assessments_of_project(project).order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1)
    )
