"""An engineer records an assessment, a manager approves or returns it; approved assessments only change by revision.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.assessments import findings, services
from app.assessments.checklists import question_update, thresholds_load, thresholds_update
from app.assessments.indicators import Figures
from app.assessments.models import Assessment, ChecklistQuestion, ChecklistTemplate, Finding
from app.assessments.templates_default import DEFAULT_SECTIONS, template_ensure_default
from app.core.audit.models import AuditEntry
from app.core.enums import AnswerType, AssessmentStatus, AssessmentType, Severity
from app.core.errors import Conflict, DomainError
from app.core.permissions import can_edit_assessment, can_review_assessment
from app.extensions import db
from app.projects.models import Project
from tests.assessments.conftest import CROWDED, approved_assessment, make_site, new_assessment, question_of, save

FINDING = findings.FindingValues(
    description="Toilet doors cannot be locked",
    location="Block B, ground floor",
    severity=Severity.HIGH,
    recommended_action="Fit inside bolts on 8 doors",
    cost_estimate=Decimal("240.00"),
    currency="USD",
)


def test_default_template_is_created_once(english: Flask) -> None:
    assert template_ensure_default(db.session) is True
    assert template_ensure_default(db.session) is False
    db.session.commit()
    templates = db.session.scalars(select(ChecklistTemplate)).all()
    assert len(templates) == 1
    questions = [q for s in templates[0].sections for q in s.questions]
    assert len(questions) == sum(len(s.questions) for s in DEFAULT_SECTIONS)
    assert 25 <= len(questions) <= 35
    titles = {s.title_en for s in templates[0].sections}
    assert {"Protection", "Spaces for children", "Accessibility", "Fire and evacuation"} <= titles
    assert all(q.text_es and q.text_en for q in questions)


def test_engineer_cannot_approve_own_assessment(english: Flask) -> None:
    site = make_site()
    own = new_assessment(site, author=site.manager)
    services.assessment_submit(db.session, own)
    db.session.commit()
    assert not can_review_assessment(site.manager, own)
    with pytest.raises(DomainError, match="own assessment"):
        services.assessment_approve(db.session, own, reviewer_id=site.manager.id)
    db.session.rollback()
    assert db.session.get(Assessment, own.id).status is AssessmentStatus.SUBMITTED
    assert not can_review_assessment(site.engineer, own)  # engineers never review


def test_manager_approves_an_engineers_submitted_assessment(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    assert can_review_assessment(site.manager, assessment)
    with pytest.raises(DomainError):  # a draft is not reviewed
        services.assessment_approve(db.session, assessment, reviewer_id=site.manager.id)
    db.session.rollback()
    services.assessment_submit(db.session, assessment)
    services.assessment_approve(db.session, assessment, reviewer_id=site.manager.id, comment="Good")
    db.session.commit()
    assert assessment.status is AssessmentStatus.APPROVED
    assert assessment.reviewer_id == site.manager.id and assessment.decided_at is not None


def test_approved_assessment_is_read_only(english: Flask) -> None:
    site = make_site()
    assessment = approved_assessment(site, CROWDED)
    assert not can_edit_assessment(site.engineer, assessment)
    assert not can_edit_assessment(site.admin, assessment)
    with pytest.raises(DomainError, match="Revise"):
        save(assessment, Figures(occupancy_peak=10))
    db.session.rollback()
    with pytest.raises(DomainError):
        findings.finding_add(db.session, assessment, FINDING)
    db.session.rollback()
    assert db.session.get(Assessment, assessment.id).occupancy_peak == 180
    assert db.session.scalar(select(func.count()).select_from(Finding)) == 0


def test_returning_needs_a_comment_and_the_author_can_then_fix_and_resubmit(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    services.assessment_submit(db.session, assessment)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.assessment_return(db.session, assessment, reviewer_id=site.manager.id, comment="   ")
    assert refused.value.field == "comment"
    db.session.rollback()
    services.assessment_return(db.session, assessment, reviewer_id=site.manager.id, comment="Count the showers")
    db.session.commit()
    assert assessment.status is AssessmentStatus.RETURNED
    assert can_edit_assessment(site.engineer, assessment)
    save(assessment, Figures(showers=6))
    services.assessment_submit(db.session, assessment)
    db.session.commit()
    assert assessment.status is AssessmentStatus.SUBMITTED and assessment.showers == 6


def test_revise_makes_a_draft_that_supersedes_the_approved_version_once_approved(english: Flask) -> None:
    site = make_site()
    original = approved_assessment(site, CROWDED)
    yes_no = question_of(original, AnswerType.YES_NO)
    # Answers and findings cannot be added to the approved one, so build them on a fresh approved assessment.
    draft = new_assessment(site)
    save(draft, CROWDED, answers={yes_no.id: services.AnswerInput(False, "no bolts")})
    findings.finding_add(db.session, draft, FINDING)
    services.assessment_submit(db.session, draft)
    services.assessment_approve(db.session, draft, reviewer_id=site.manager.id)
    db.session.commit()

    revision = services.assessment_revise(db.session, draft, author_id=site.engineer.id)
    db.session.commit()
    assert revision.status is AssessmentStatus.DRAFT and revision.supersedes_id == draft.id
    assert revision.toilets == 8 and revision.answer_for(yes_no.id).value_bool is False
    assert [f.description for f in revision.findings] == [FINDING.description]
    assert services.assessment_revise(db.session, draft, author_id=site.engineer.id).id == revision.id
    assert draft.status is AssessmentStatus.APPROVED  # still in force while the revision is drafted

    save(revision, Figures(**{**CROWDED.__dict__, "toilets": 10}))
    services.assessment_submit(db.session, revision)
    services.assessment_approve(db.session, revision, reviewer_id=site.manager.id)
    db.session.commit()
    assert db.session.get(Assessment, draft.id).status is AssessmentStatus.SUPERSEDED
    assert revision.status is AssessmentStatus.APPROVED
    assert original.status is AssessmentStatus.APPROVED  # another assessment, untouched


def test_answers_are_checked_against_their_question(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    score = question_of(assessment, AnswerType.SCORE)
    number = question_of(assessment, AnswerType.NUMBER)
    with pytest.raises(DomainError) as refused:
        save(assessment, answers={score.id: services.AnswerInput(5)})
    assert refused.value.field == f"q_{score.id}"
    db.session.rollback()
    with pytest.raises(DomainError):
        save(assessment, answers={number.id: services.AnswerInput(Decimal("-2"))})
    db.session.rollback()
    with pytest.raises(DomainError) as refused:
        save(assessment, Figures(toilets=2, accessible_toilets=3))
    assert refused.value.field == "accessible_toilets"
    db.session.rollback()
    save(assessment, answers={score.id: services.AnswerInput(3, "leaks in block A")})
    answer = db.session.get(Assessment, assessment.id).answer_for(score.id)
    assert (answer.value_int, answer.comment) == (3, "leaks in block A")


def test_a_stale_version_is_refused_not_overwritten(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    read_version = assessment.version
    save(assessment, Figures(toilets=4))
    with pytest.raises(Conflict):
        save(assessment, Figures(toilets=9), version=read_version)
    db.session.rollback()
    assert db.session.get(Assessment, assessment.id).toilets == 4


def test_an_assessment_cannot_be_dated_in_the_future_or_tied_to_another_centers_project(english: Flask) -> None:
    site = make_site()
    with pytest.raises(DomainError) as refused:
        new_assessment(site, on="2999-01-01")
    assert refused.value.field == "assessed_on"
    db.session.rollback()
    from tests.factories import make_project

    other = make_project()
    with pytest.raises(DomainError) as refused:
        services.assessment_create(
            db.session,
            author_id=site.engineer.id,
            center_id=site.center_id,
            project_id=other.id,
            template_id=site.template_id,
            assessment_type=AssessmentType.STRUCTURAL,
            assessed_on=date(2025, 3, 1),
        )
    assert refused.value.field == "project_id"


def test_findings_of_an_approved_assessment_become_work_items_of_the_project(english: Flask) -> None:
    site = make_site()
    draft = new_assessment(site)
    finding = findings.finding_add(db.session, draft, FINDING)
    minor = findings.finding_add(db.session, draft, FINDING.__class__(**{**FINDING.__dict__, "severity": Severity.LOW}))
    db.session.commit()
    with pytest.raises(DomainError):  # not approved yet
        findings.finding_carry(db.session, finding, site.project_id)
    db.session.rollback()
    services.assessment_submit(db.session, draft)
    services.assessment_approve(db.session, draft, reviewer_id=site.manager.id)
    findings.finding_carry(db.session, minor, site.project_id)
    findings.finding_carry(db.session, finding, site.project_id)
    db.session.commit()
    with pytest.raises(DomainError):
        findings.finding_carry(db.session, finding, site.project_id)
    db.session.rollback()
    items = findings.work_items_for_project(db.session, site.project_id)
    assert [item.id for item in items] == [finding.id, minor.id]  # most severe first
    # A revision under way copies the items but does not list them twice.
    services.assessment_revise(db.session, draft, author_id=site.engineer.id)
    db.session.commit()
    assert len(findings.work_items_for_project(db.session, site.project_id)) == 2


def test_later_assessment_compares_with_the_previous_approved_one(english: Flask) -> None:
    site = make_site()
    before = approved_assessment(site, CROWDED, on="2025-01-10")
    after = new_assessment(site, on="2025-06-10")
    save(after, Figures(**{**CROWDED.__dict__, "toilets": 10}))
    report = services.assessment_indicators(db.session, after)
    assert report.previous is not None and report.previous.id == before.id
    trends = {row.key: row.trend for row in report.comparisons}
    assert trends["persons_per_toilet"] == "better"
    assert trends["persons_per_tap"] == "same"
    assert services.assessment_indicators(db.session, before).previous is None


def test_evaluation_gate_finds_an_approved_assessment_of_the_project_or_within_its_span(english: Flask) -> None:
    site = make_site()
    project = db.session.get(Project, site.project_id)
    assert services.approved_assessment_for_project(db.session, project) is None
    outside = approved_assessment(site, project=False, on="2024-11-01")  # before the project's span
    assert services.approved_assessment_for_project(db.session, project) is None
    inside = approved_assessment(site, project=False, on="2025-02-01")
    assert services.approved_assessment_for_project(db.session, project).id == inside.id
    assert outside.id != inside.id


def test_changes_are_in_the_audit_log_of_center_and_project(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    findings.finding_add(db.session, assessment, FINDING)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type.in_(["assessments", "assessment_findings"]))
    ).all()
    assert {e.entity_type for e in entries} == {"assessments", "assessment_findings"}
    assert all(e.center_id == site.center_id and e.project_id == site.project_id for e in entries)


def test_answer_type_is_fixed_once_a_question_has_answers(english: Flask) -> None:
    site = make_site()
    assessment = new_assessment(site)
    score = question_of(assessment, AnswerType.SCORE)
    save(assessment, answers={score.id: services.AnswerInput(2)})
    question = db.session.get(ChecklistQuestion, score.id)
    values = {"text_es": "x", "text_en": "x", "evidence_photo_required": False, "active": True, "position": 1}
    with pytest.raises(DomainError) as refused:
        question_update(db.session, question, answer_type=AnswerType.TEXT, **values)
    assert refused.value.field == "answer_type"
    db.session.rollback()
    question_update(db.session, question, answer_type=AnswerType.SCORE, **{**values, "active": False})
    db.session.commit()
    # Deactivated, it is no longer asked in new assessments but stays where it was answered.
    assert score.id in {q.id for q in services.active_questions(assessment.template, assessment)}
    fresh = new_assessment(site)
    assert score.id not in {q.id for q in services.active_questions(fresh.template, fresh)}


def test_standards_must_be_positive_and_shares_at_most_100(english: Flask) -> None:
    with pytest.raises(DomainError):
        thresholds_update(db.session, {"persons_per_toilet": Decimal("0")})
    db.session.rollback()
    with pytest.raises(DomainError):
        thresholds_update(db.session, {"accessible_toilet_share": Decimal("120")})
    db.session.rollback()
    thresholds_update(db.session, {"persons_per_toilet": Decimal("15")})
    db.session.commit()
    assert thresholds_load(db.session)["persons_per_toilet"].value == Decimal("15")


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        (Figures(covered_area_m2=Decimal("100000000")), "covered_area_m2"),  # the column holds 8 digits
        (Figures(water_litres_per_day=Decimal("10000000000")), "water_litres_per_day"),
        (Figures(toilets=2**31), "toilets"),  # a 32-bit count
    ],
    ids=["floor-area", "water", "toilets"],
)
def test_a_figure_too_large_for_its_column_is_refused_on_its_field(
    english: Flask, figures: Figures, field: str
) -> None:
    """On PostgreSQL such a number would overflow the column (an error page); it is a typing mistake to show."""
    assessment = new_assessment(make_site())
    with pytest.raises(DomainError) as error:
        save(assessment, figures)
    assert error.value.field == field
    db.session.rollback()
    stored = db.session.get(Assessment, assessment.id)
    assert stored is not None and getattr(stored, field) is None
