"""The Evaluation phase of a project closes once the center has an approved assessment for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.assessments.gate import ApprovedAssessmentGate, install_evaluation_gate
from app.core.enums import AssessmentType, PhaseKind, PhaseStatus
from app.core.errors import DomainError
from app.extensions import db
from app.projects.gates import check_gate, gate_for, register_gate
from app.projects.models import Project
from app.projects.services import phase_update
from tests.assessments.conftest import approved_assessment, make_site, new_assessment
from tests.factories import d


@pytest.fixture
def strict_gate(english: Flask) -> Iterator[None]:
    previous = gate_for(PhaseKind.EVALUATION)
    register_gate(PhaseKind.EVALUATION, ApprovedAssessmentGate(None))
    yield
    register_gate(PhaseKind.EVALUATION, previous)


def _close_evaluation(project: Project, evidence: str = "") -> None:
    phase = project.phase(PhaseKind.EVALUATION)
    phase_update(
        db.session,
        phase,
        version=phase.version,
        status=PhaseStatus.DONE,
        planned_start=phase.planned_start,
        planned_end=phase.planned_end,
        actual_start=d("2025-01-06"),
        actual_end=d("2025-03-10"),
        gate_evidence=evidence,
        override_reason="",
        may_override=False,
    )


def test_the_app_installs_the_assessment_gate_once(english: Flask) -> None:
    assert isinstance(gate_for(PhaseKind.EVALUATION), ApprovedAssessmentGate)
    installed = gate_for(PhaseKind.EVALUATION)
    install_evaluation_gate()
    assert gate_for(PhaseKind.EVALUATION) is installed


def test_evaluation_closes_only_once_an_assessment_is_approved(english: Flask, strict_gate: None) -> None:
    site = make_site()
    project = db.session.get(Project, site.project_id)
    draft = new_assessment(site)
    with pytest.raises(DomainError, match="approved assessment"):
        _close_evaluation(project, evidence="typed reference does not count in strict mode")
    db.session.rollback()
    assert not check_gate(db.session, project.phase(PhaseKind.EVALUATION)).ok
    approved_assessment(site)
    assert draft.id
    result = check_gate(db.session, project.phase(PhaseKind.EVALUATION))
    assert result.ok and AssessmentType.WORKING_MODEL.label in result.message
    _close_evaluation(project)
    db.session.commit()
    assert project.phase(PhaseKind.EVALUATION).status is PhaseStatus.DONE


def test_typed_evidence_still_counts_until_the_gate_is_strict(english: Flask) -> None:
    site = make_site()
    project = db.session.get(Project, site.project_id)
    phase = project.phase(PhaseKind.EVALUATION)
    assert not check_gate(db.session, phase).ok
    phase.gate_evidence = "Assessment EV-12 approved on paper"
    assert check_gate(db.session, phase).ok
