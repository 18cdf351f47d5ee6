"""What an administrator maintains for assessments: checklist templates and the standards figures are held to.

Functions take a session and values, flush, and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.assessments.indicators import SPECS, Shape, Threshold, default_thresholds
from app.assessments.models import (
    Answer,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    StandardThreshold,
)
from app.core.enums import AnswerType, AssessmentType
from app.core.errors import DomainError

INDICATOR_LABELS = {
    "persons_per_toilet": _l("Persons per toilet"),
    "persons_per_shower": _l("Persons per shower"),
    "persons_per_tap": _l("Persons per tap"),
    "litres_per_person_day": _l("Water per person per day (litres)"),
    "covered_area_per_person": _l("Covered space per person (m²)"),
    "accessible_toilet_share": _l("Accessible toilets (share of all toilets, %)"),
}
# What limits the center's capacity, by the indicator whose standard breaks first.
LIMIT_LABELS = {
    "persons_per_toilet": _l("toilets"),
    "persons_per_shower": _l("showers"),
    "persons_per_tap": _l("water taps"),
    "litres_per_person_day": _l("water supply"),
    "covered_area_per_person": _l("covered space"),
}
DEFAULT_SOURCES = {
    "persons_per_toilet": "Sphere Handbook 2018, WASH standard 3.2",
    "persons_per_shower": "UNHCR Emergency Handbook / WASH cluster guidance",
    "persons_per_tap": "UNHCR Emergency Handbook / WASH cluster guidance",
    "litres_per_person_day": "Sphere Handbook 2018, WASH standard 2.1",
    "covered_area_per_person": "Sphere Handbook 2018, Shelter standard 3",
    "accessible_toilet_share": "Common humanitarian guidance (WHO: ~15 % of people live with a disability)",
}


def indicator_label(key: str) -> str:
    return str(INDICATOR_LABELS.get(key, key))


def limit_label(key: str) -> str:
    return str(LIMIT_LABELS.get(key, key))


# --- standards ------------------------------------------------------------------------------------------
def thresholds_load(session: Session) -> dict[str, Threshold]:
    """The standards in force: the administrator's values over the defaults. Reads only."""
    chosen = default_thresholds()
    for row in session.scalars(select(StandardThreshold)):
        if row.key in chosen:
            chosen[row.key] = Threshold(row.key, row.comparator, row.value, row.unit)
    return chosen


def thresholds_ensure_defaults(session: Session) -> list[StandardThreshold]:
    """Every standard as a record (the missing ones created with their default), in the indicators' order."""
    rows = {row.key: row for row in session.scalars(select(StandardThreshold))}
    for spec in SPECS:
        if spec.key not in rows:
            rows[spec.key] = StandardThreshold(
                key=spec.key,
                comparator=spec.comparator,
                value=spec.default,
                unit=spec.unit,
                source=DEFAULT_SOURCES.get(spec.key, ""),
            )
            session.add(rows[spec.key])
    session.flush()
    return [rows[spec.key] for spec in SPECS]


def thresholds_update(session: Session, values: Mapping[str, Decimal | None]) -> list[StandardThreshold]:
    """Set the value of each standard named in ``values``."""
    rows = {row.key: row for row in thresholds_ensure_defaults(session)}
    shapes = {spec.key: spec.shape for spec in SPECS}
    for key, value in values.items():
        if key not in rows:
            raise DomainError(_("Unknown standard."), field=key)
        if value is None or value <= 0:
            raise DomainError(_("A standard must be greater than zero."), field=key)
        if shapes[key] is Shape.SHARE and value > 100:
            raise DomainError(_("A share cannot be more than 100 %."), field=key)
        rows[key].value = value
    session.flush()
    return list(rows.values())


# --- templates ------------------------------------------------------------------------------------------
def _check_name(session: Session, name: str, template_id: int | None) -> str:
    name = " ".join(name.split())[:200]
    if not name:
        raise DomainError(_("Give the checklist a name."), field="name")
    taken = session.scalar(
        select(ChecklistTemplate.id).where(
            func.lower(ChecklistTemplate.name) == name.lower(), ChecklistTemplate.id != (template_id or 0)
        )
    )
    if taken is not None:
        raise DomainError(_("Another checklist already has this name."), field="name")
    return name


def template_create(session: Session, *, name: str, assessment_type: AssessmentType) -> ChecklistTemplate:
    template = ChecklistTemplate(name=_check_name(session, name, None), assessment_type=assessment_type, active=True)
    session.add(template)
    session.flush()
    return template


def template_update(
    session: Session, template: ChecklistTemplate, *, name: str, assessment_type: AssessmentType, active: bool
) -> ChecklistTemplate:
    template.name = _check_name(session, name, template.id)
    template.assessment_type = assessment_type
    template.active = active
    session.flush()
    return template


def _titles(title_es: str, title_en: str) -> tuple[str, str]:
    title_es, title_en = title_es.strip()[:200], title_en.strip()[:200]
    if not title_es:
        raise DomainError(_("Give the title in Spanish."), field="title_es")
    if not title_en:
        raise DomainError(_("Give the title in English."), field="title_en")
    return title_es, title_en


def section_add(session: Session, template: ChecklistTemplate, *, title_es: str, title_en: str) -> ChecklistSection:
    title_es, title_en = _titles(title_es, title_en)
    section = ChecklistSection(
        position=max((s.position for s in template.sections), default=0) + 1, title_es=title_es, title_en=title_en
    )
    template.sections.append(section)
    session.flush()
    return section


def section_update(
    session: Session, section: ChecklistSection, *, title_es: str, title_en: str, position: int
) -> ChecklistSection:
    section.title_es, section.title_en = _titles(title_es, title_en)
    section.position = position
    session.flush()
    return section


def _texts(text_es: str, text_en: str) -> tuple[str, str]:
    text_es, text_en = text_es.strip()[:2000], text_en.strip()[:2000]
    if not text_es:
        raise DomainError(_("Give the question in Spanish."), field="text_es")
    if not text_en:
        raise DomainError(_("Give the question in English."), field="text_en")
    return text_es, text_en


def question_add(
    session: Session,
    section: ChecklistSection,
    *,
    text_es: str,
    text_en: str,
    answer_type: AnswerType,
    evidence_photo_required: bool,
) -> ChecklistQuestion:
    text_es, text_en = _texts(text_es, text_en)
    question = ChecklistQuestion(
        position=max((q.position for q in section.questions), default=0) + 1,
        text_es=text_es,
        text_en=text_en,
        answer_type=answer_type,
        evidence_photo_required=evidence_photo_required,
        active=True,
    )
    section.questions.append(question)
    session.flush()
    return question


def question_update(
    session: Session,
    question: ChecklistQuestion,
    *,
    text_es: str,
    text_en: str,
    answer_type: AnswerType,
    evidence_photo_required: bool,
    active: bool,
    position: int,
) -> ChecklistQuestion:
    """Change a question. Its answer type is fixed once it has answers: old answers would lose their meaning."""
    if answer_type is not question.answer_type:
        answered = session.scalar(select(func.count()).select_from(Answer).where(Answer.question_id == question.id))
        if answered:
            raise DomainError(
                _(
                    "This question already has answers, so its answer type cannot change. "
                    "Deactivate it and add a new question instead."
                ),
                field="answer_type",
            )
    question.text_es, question.text_en = _texts(text_es, text_en)
    question.answer_type = answer_type
    question.evidence_photo_required = evidence_photo_required
    question.active = active
    question.position = position
    session.flush()
    return question
