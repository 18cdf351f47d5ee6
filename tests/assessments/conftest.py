"""Builders for assessment tests: a center with a project, its people, and assessments at any stage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from app.assessments import services
from app.assessments.indicators import Figures
from app.assessments.models import Assessment, ChecklistQuestion, ChecklistTemplate
from app.assessments.templates_default import template_ensure_default
from app.auth.models import User
from app.core.audit.recorder import acting_as
from app.core.enums import AnswerType, AssessmentType, Role
from app.extensions import db
from tests.factories import make_center, make_project, make_user


@dataclass
class Site:
    engineer: User
    manager: User
    admin: User
    donor: User
    center_id: int
    project_id: int
    template_id: int


def make_site() -> Site:
    """A center with one project funded by the donor's organization, and one user per role."""
    engineer = make_user(Role.ENGINEER, email="eng@example.org", name="Elena Ingeniera")
    manager = make_user(Role.MANAGER, email="mgr@example.org", name="Mario Gerente")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    donor = make_user(Role.DONOR, email="donor@example.org")
    center = make_center(code="CAMR-SPS")
    project = make_project(center, funder_ids=[donor.organization_id], planned_start=date(2025, 1, 6))
    template_ensure_default(db.session)
    db.session.commit()
    template = db.session.scalars(db.select(ChecklistTemplate)).one()
    return Site(engineer, manager, admin, donor, center.id, project.id, template.id)


def new_assessment(
    site: Site, *, author: User | None = None, project: bool = True, on: str = "2025-03-02"
) -> Assessment:
    author = author or site.engineer
    with acting_as(author.id):
        assessment = services.assessment_create(
            db.session,
            author_id=author.id,
            center_id=site.center_id,
            project_id=site.project_id if project else None,
            template_id=site.template_id,
            assessment_type=AssessmentType.WORKING_MODEL,
            assessed_on=date.fromisoformat(on),
        )
        db.session.commit()
    return assessment


def question_of(assessment: Assessment, kind: AnswerType, evidence: bool | None = None) -> ChecklistQuestion:
    return next(
        q
        for s in assessment.template.sections
        for q in s.questions
        if q.answer_type is kind and (evidence is None or q.evidence_photo_required is evidence)
    )


def save(assessment: Assessment, figures: Figures | None = None, **changes: Any) -> Assessment:
    services.assessment_save(
        db.session,
        assessment,
        version=changes.pop("version", assessment.version),
        assessed_on=changes.pop("assessed_on", assessment.assessed_on),
        summary=changes.pop("summary", assessment.summary),
        figures=figures or services.figures_of(assessment),
        answers=changes.pop("answers", {}),
    )
    db.session.commit()
    return assessment


def approved_assessment(site: Site, figures: Figures | None = None, **kwargs: Any) -> Assessment:
    assessment = new_assessment(site, **kwargs)
    save(assessment, figures)
    services.assessment_submit(db.session, assessment)
    services.assessment_approve(db.session, assessment, reviewer_id=site.manager.id)
    db.session.commit()
    return assessment


CROWDED = Figures(
    occupancy_peak=180,
    covered_area_m2=Decimal("540"),
    toilets=8,
    accessible_toilets=1,
    showers=4,
    taps=2,
    water_litres_per_day=Decimal("3600"),
)


@pytest.fixture
def english(db_ctx: Flask) -> Iterator[Flask]:
    """The app context of ``db_ctx`` with messages in English, whatever the catalogs say."""
    with force_locale("en"):
        yield db_ctx
