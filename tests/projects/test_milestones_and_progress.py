"""Milestones of a project and the physical progress of its works."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.audit.models import AuditEntry
from app.core.enums import MilestoneStatus, PhaseKind, Role
from app.core.errors import Conflict, DomainError
from app.core.timeutil import today
from app.extensions import db
from app.projects.activity import project_activity
from app.projects.models import Milestone, ProgressReading, Project
from app.projects.tracking import milestone_close, milestone_create, milestone_update, progress_record
from tests.factories import make_project, make_user


def _log(project: Project, **values: Any) -> Milestone:
    values.setdefault("title", "Agreement signed")
    values.setdefault("phase_id", project.phase(PhaseKind.PARTNERSHIP).id)
    values.setdefault("planned_date", today() + timedelta(days=10))
    return milestone_create(db.session, project, **values)


def test_milestone_in_another_projects_phase_is_refused(db_ctx: Flask) -> None:
    mine, other = make_project(), make_project()
    with pytest.raises(DomainError) as error:
        _log(mine, phase_id=other.phase(PhaseKind.WORKS).id)
    assert error.value.field == "phase_id"


def test_milestone_in_a_phase_that_does_not_exist_is_refused(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        _log(make_project(), phase_id=999_999)
    assert error.value.field == "phase_id"


def test_moving_a_milestone_to_a_foreign_phase_is_refused_and_nothing_changes(db_ctx: Flask) -> None:
    mine, other = make_project(), make_project()
    milestone = _log(mine)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        milestone_update(
            db.session,
            milestone,
            version=milestone.version,
            title="Moved",
            phase_id=other.phase(PhaseKind.WORKS).id,
            planned_date=milestone.planned_date,
        )
    assert error.value.field == "phase_id"
    db.session.rollback()
    assert db.session.get(Milestone, milestone.id).title == "Agreement signed"  # type: ignore[union-attr]


def test_owner_must_be_staff(db_ctx: Flask) -> None:
    donor = make_user(Role.DONOR)
    with pytest.raises(DomainError) as error:
        _log(make_project(), owner_id=donor.id)
    assert error.value.field == "owner_id"


def test_overdue_is_computed_from_the_planned_date_and_status(db_ctx: Flask) -> None:
    project = make_project()
    late = _log(project, planned_date=today() - timedelta(days=1))
    due_today = _log(project, planned_date=today())
    done_late = _log(project, planned_date=today() - timedelta(days=5), status=MilestoneStatus.DONE)
    assert late.is_overdue()
    assert not due_today.is_overdue()
    assert not done_late.is_overdue()


def test_closing_a_milestone_sets_today_unless_a_date_is_given(db_ctx: Flask) -> None:
    project = make_project()
    first, second = _log(project), _log(project, title="Second")
    milestone_close(db.session, first, version=first.version)
    milestone_close(db.session, second, version=second.version, actual_date=today() - timedelta(days=2))
    assert (first.status, first.actual_date) == (MilestoneStatus.DONE, today())
    assert second.actual_date == today() - timedelta(days=2)
    with pytest.raises(DomainError):
        milestone_close(db.session, first, version=first.version)


def test_a_milestone_cannot_be_done_in_the_future(db_ctx: Flask) -> None:
    milestone = _log(make_project())
    with pytest.raises(DomainError) as error:
        milestone_close(db.session, milestone, version=milestone.version, actual_date=today() + timedelta(days=1))
    assert error.value.field == "actual_date"


def test_an_open_milestone_has_no_actual_date(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        _log(make_project(), actual_date=today())
    assert error.value.field == "actual_date"


def test_editing_a_milestone_read_before_another_save_is_a_conflict(db_ctx: Flask) -> None:
    milestone = _log(make_project())
    db.session.commit()
    read_version = milestone.version
    milestone_close(db.session, milestone, version=read_version)
    db.session.commit()
    with pytest.raises(Conflict):
        milestone_update(
            db.session,
            milestone,
            version=read_version,
            title="Renamed",
            phase_id=milestone.phase_id,
            planned_date=milestone.planned_date,
        )


def test_every_milestone_change_lands_in_the_project_feed(db_ctx: Flask) -> None:
    project = make_project()
    milestone = _log(project, title="Design approved")
    db.session.commit()
    milestone_close(db.session, milestone, version=milestone.version)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.project_id == project.id, AuditEntry.entity_type == "milestones")
    ).all()
    assert [entry.action for entry in entries] == ["create", "update"]
    with force_locale("en"):
        feed = project_activity(db.session, project)
    closing = next(item for item in feed if item.record == "Milestone" and item.changes)
    assert closing.label == "Design approved"
    assert {change.field for change in closing.changes} >= {"Status", "Actual date"}
    assert any(change.after == "Done" for change in closing.changes)


# --- works progress -------------------------------------------------------------------------------------
def test_project_progress_follows_the_latest_reading_by_date_not_by_entry(db_ctx: Flask) -> None:
    project = make_project()
    progress_record(
        db.session, project, reading_date=today() - timedelta(days=1), percent=Decimal("40"), contractor="ACME"
    )
    progress_record(
        db.session, project, reading_date=today() - timedelta(days=20), percent=Decimal("15"), contractor="ACME"
    )
    assert project.physical_progress == Decimal("40")
    progress_record(db.session, project, reading_date=today(), percent=Decimal("42.5"), contractor="ACME")
    db.session.commit()
    assert db.session.get(Project, project.id).physical_progress == Decimal("42.50")  # type: ignore[union-attr]


@pytest.mark.parametrize("percent", [Decimal("-0.01"), Decimal("100.01"), Decimal("NaN"), None])
def test_progress_outside_zero_to_one_hundred_is_refused(db_ctx: Flask, percent: Decimal | None) -> None:
    with pytest.raises(DomainError) as error:
        progress_record(db.session, make_project(), reading_date=today(), percent=percent, contractor="ACME")
    assert error.value.field == "percent"


def test_progress_dated_in_the_future_is_refused(db_ctx: Flask) -> None:
    project = make_project()
    with pytest.raises(DomainError) as error:
        progress_record(
            db.session, project, reading_date=today() + timedelta(days=1), percent=Decimal("5"), contractor="ACME"
        )
    assert error.value.field == "reading_date"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ProgressReading)) == 0
