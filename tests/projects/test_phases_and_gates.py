"""Phases move through their statuses; each one is closed only when its gate holds, or by an administrator's
written override."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.core.audit.models import AuditEntry
from app.core.enums import PhaseKind, PhaseStatus
from app.core.errors import Conflict, DomainError
from app.core.timeutil import today
from app.extensions import db
from app.projects.gates import GateResult, check_gate, gate_for, register_gate
from app.projects.models import Phase, Project
from app.projects.services import phase_update
from app.projects.tracking import progress_record
from tests.factories import make_project

EVIDENCE_PHASES = [PhaseKind.EVALUATION, PhaseKind.PARTNERSHIP, PhaseKind.DESIGN, PhaseKind.HANDOVER]
STARTED = today() - timedelta(days=30)


def _update(phase: Phase, **changes: Any) -> Phase:
    values: dict[str, Any] = {
        "version": phase.version,
        "status": phase.status,
        "planned_start": phase.planned_start,
        "planned_end": phase.planned_end,
        "actual_start": phase.actual_start,
        "actual_end": phase.actual_end,
        "gate_evidence": phase.gate_evidence,
    }
    values.update(changes)
    return phase_update(db.session, phase, **values)


def _close(phase: Phase, **changes: Any) -> Phase:
    return _update(phase, status=PhaseStatus.DONE, actual_start=STARTED, **changes)


@pytest.mark.parametrize("kind", EVIDENCE_PHASES)
def test_manager_cannot_close_a_phase_before_its_gate(db_ctx: Flask, kind: PhaseKind) -> None:
    phase = make_project().phase(kind)
    with pytest.raises(DomainError) as error:
        _close(phase)
    assert error.value.field == "status"
    assert gate_for(kind).requirement() in error.value.message
    db.session.rollback()
    assert db.session.get(Phase, phase.id).status is PhaseStatus.NOT_STARTED  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", EVIDENCE_PHASES)
def test_phase_closes_once_the_evidence_of_its_gate_is_given(db_ctx: Flask, kind: PhaseKind) -> None:
    project = make_project()
    _close(project.phase(kind), gate_evidence="Assessment approved 2025-03-02, ref EV-12")
    db.session.commit()
    phase = project.phase(kind)
    assert phase.status is PhaseStatus.DONE
    assert phase.actual_end == today()
    assert phase.gate_override_reason is None


def test_works_close_only_at_one_hundred_percent(db_ctx: Flask) -> None:
    project = make_project()
    works = project.phase(PhaseKind.WORKS)
    progress_record(db.session, project, reading_date=today(), percent=Decimal("99.5"), contractor="ACME")
    with pytest.raises(DomainError) as error:
        _close(works, gate_evidence="a typed note is not enough")
    assert "99.5" in error.value.message
    db.session.rollback()
    project = db.session.get(Project, project.id)  # type: ignore[assignment]
    progress_record(db.session, project, reading_date=today(), percent=Decimal("100"), contractor="ACME")
    _close(project.phase(PhaseKind.WORKS))
    db.session.commit()
    assert project.phase(PhaseKind.WORKS).status is PhaseStatus.DONE


def test_closing_needs_the_actual_start(db_ctx: Flask) -> None:
    phase = make_project().phase(PhaseKind.EVALUATION)
    with pytest.raises(DomainError) as error:
        _update(phase, status=PhaseStatus.DONE, gate_evidence="EV-12")
    assert error.value.field == "actual_start"


def test_starting_a_phase_sets_its_actual_start_to_today(db_ctx: Flask) -> None:
    phase = _update(make_project().phase(PhaseKind.EVALUATION), status=PhaseStatus.IN_PROGRESS)
    assert phase.actual_start == today()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_start": today(), "planned_end": today() - timedelta(days=1)}, "planned_end"),
        (
            {
                "status": PhaseStatus.DONE,
                "gate_evidence": "EV",
                "actual_start": today() - timedelta(days=2),
                "actual_end": today() - timedelta(days=3),
            },
            "actual_end",
        ),
        ({"status": PhaseStatus.IN_PROGRESS, "actual_start": today() + timedelta(days=1)}, "actual_start"),
        ({"status": PhaseStatus.NOT_STARTED, "actual_start": today()}, "actual_start"),
        ({"status": PhaseStatus.IN_PROGRESS, "actual_end": today()}, "actual_end"),
    ],
    ids=["planned-backwards", "actual-backwards", "future-start", "not-started-with-start", "open-with-end"],
)
def test_dates_out_of_order_are_refused_on_their_field(db_ctx: Flask, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as error:
        _update(make_project().phase(PhaseKind.EVALUATION), **changes)
    assert error.value.field == field


def test_manager_cannot_override_a_gate_even_with_a_reason(db_ctx: Flask) -> None:
    phase = make_project().phase(PhaseKind.PARTNERSHIP)
    with pytest.raises(DomainError) as error:
        _close(phase, override_reason="Signed, the scan comes later", may_override=False)
    assert error.value.field == "status"


def test_administrator_override_needs_a_written_reason(db_ctx: Flask) -> None:
    phase = make_project().phase(PhaseKind.PARTNERSHIP)
    with pytest.raises(DomainError) as error:
        _close(phase, override_reason="   ", may_override=True)
    assert error.value.field == "override_reason"


def test_administrator_override_is_kept_on_the_phase_and_in_the_audit_log(db_ctx: Flask) -> None:
    project = make_project()
    phase = project.phase(PhaseKind.PARTNERSHIP)
    reason = "Agreement signed on site; the scanned copy arrives next week"
    _close(phase, override_reason=reason, may_override=True)
    db.session.commit()
    assert phase.status is PhaseStatus.DONE
    assert phase.gate_override_reason == reason
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "phases", AuditEntry.entity_id == str(phase.id))
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None
    assert entry.reason == reason
    assert entry.changes["status"] == ["not_started", "done"]
    assert entry.project_id == project.id


def test_reopening_a_phase_clears_its_override_and_moves_the_current_phase_back(db_ctx: Flask) -> None:
    project = make_project()
    _close(project.phase(PhaseKind.EVALUATION), override_reason="urgent", may_override=True)
    db.session.commit()
    assert project.current_phase is PhaseKind.PARTNERSHIP
    _update(project.phase(PhaseKind.EVALUATION), status=PhaseStatus.IN_PROGRESS, actual_end=None)
    db.session.commit()
    assert project.phase(PhaseKind.EVALUATION).gate_override_reason is None
    assert project.current_phase is PhaseKind.EVALUATION


def test_every_phase_done_completes_the_project(db_ctx: Flask) -> None:
    project = make_project()
    progress_record(db.session, project, reading_date=today(), percent=Decimal("100"), contractor="ACME")
    for phase in project.phases:
        _close(phase, gate_evidence="ref")
    db.session.commit()
    assert project.completed
    assert project.current_phase is PhaseKind.HANDOVER


def test_on_hold_current_phase_puts_the_project_on_hold(db_ctx: Flask) -> None:
    project = make_project()
    _update(project.phase(PhaseKind.EVALUATION), status=PhaseStatus.ON_HOLD, actual_start=STARTED)
    assert project.on_hold


def test_saving_a_phase_read_before_another_save_is_a_conflict(db_ctx: Flask) -> None:
    phase = make_project().phase(PhaseKind.EVALUATION)
    read_version = phase.version
    _update(phase, gate_evidence="first")
    db.session.commit()
    with pytest.raises(Conflict):
        _update(phase, version=read_version, gate_evidence="second")


def test_a_later_feature_can_replace_a_gate_without_touching_the_services(db_ctx: Flask) -> None:
    class AlwaysClosed:
        needs_evidence = False

        def requirement(self) -> str:
            return "An approved assessment in the assessments module."

        def check(self, session: object, phase: Phase) -> GateResult:
            return GateResult(False, "No approved assessment yet.")

    previous = register_gate(PhaseKind.EVALUATION, AlwaysClosed())
    try:
        phase = make_project().phase(PhaseKind.EVALUATION)
        phase.gate_evidence = "typed evidence no longer counts"
        assert check_gate(db.session, phase) == GateResult(False, "No approved assessment yet.")
        with pytest.raises(DomainError, match=r"No approved assessment yet\."):
            _close(phase)
    finally:
        register_gate(PhaseKind.EVALUATION, previous)
