"""Creating and editing projects: the rules a manager meets in the form, checked on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.core.enums import PhaseKind, PhaseStatus, ProjectKind, Role
from app.core.errors import Conflict, DomainError
from app.core.timeutil import today
from app.extensions import db
from app.projects.models import Phase, Project, ProjectFunding
from app.projects.services import project_create, project_update
from tests.factories import d, make_center, make_organization, make_project, make_user


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_new_project_gets_five_phases_in_order_and_its_funders(db_ctx: Flask) -> None:
    manager = make_user(Role.MANAGER)
    usaid, sida = make_organization(acronym="USAID"), make_organization(acronym="SIDA")
    project = project_create(
        db.session,
        code=" camr-sps-01 ",
        title="Rehabilitación",
        center_id=make_center().id,
        manager_id=manager.id,
        funder_ids=[usaid.id, sida.id, usaid.id],
        planned_start=d("2025-01-06"),
        planned_end=d("2025-12-19"),
    )
    db.session.commit()
    assert project.code == "CAMR-SPS-01"
    assert [p.kind for p in project.phases] == list(PhaseKind)
    assert all(p.status is PhaseStatus.NOT_STARTED for p in project.phases)
    assert project.funder_ids == {usaid.id, sida.id}
    assert project.current_phase is PhaseKind.EVALUATION


def test_duplicate_code_is_refused_on_the_code_field_whatever_the_case(db_ctx: Flask) -> None:
    make_project(code="CAMR-SPS-01")
    with pytest.raises(DomainError) as error:
        project_create(
            db.session,
            code="camr-sps-01",
            title="Copy",
            center_id=make_center().id,
            planned_start=d("2025-01-06"),
            planned_end=d("2025-12-19"),
        )
    assert error.value.field == "code"
    db.session.rollback()
    assert _count(Project) == 1


def test_end_before_start_is_refused_and_nothing_is_half_saved(db_ctx: Flask) -> None:
    center = make_center()
    org = make_organization()
    with pytest.raises(DomainError) as error:
        project_create(
            db.session,
            code="BACKWARDS",
            title="Backwards",
            center_id=center.id,
            funder_ids=[org.id],
            planned_start=d("2025-06-01"),
            planned_end=d("2025-05-31"),
        )
    assert error.value.field == "planned_end"
    db.session.rollback()
    assert (_count(Project), _count(Phase), _count(ProjectFunding)) == (0, 0, 0)


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.DONOR])
def test_only_a_manager_or_administrator_can_manage_a_project(db_ctx: Flask, role: Role) -> None:
    not_a_manager = make_user(role)
    with pytest.raises(DomainError) as error:
        project_create(
            db.session,
            code="P-1",
            title="Project",
            center_id=make_center().id,
            manager_id=not_a_manager.id,
            planned_start=d("2025-01-06"),
            planned_end=d("2025-12-19"),
        )
    assert error.value.field == "manager_id"


def test_unknown_funding_organization_is_refused(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        project_create(
            db.session,
            code="P-1",
            title="Project",
            center_id=make_center().id,
            funder_ids=[9999],
            planned_start=d("2025-01-06"),
            planned_end=d("2025-12-19"),
        )
    assert error.value.field == "funder_ids"


def _edit(project: Project, **changes: object) -> Project:
    values: dict[str, object] = {
        "version": project.version,
        "code": project.code,
        "title": project.title,
        "objective": project.objective,
        "kind": project.kind,
        "center_id": project.center_id,
        "manager_id": project.manager_id,
        "funder_ids": sorted(project.funder_ids),
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
    }
    values.update(changes)
    return project_update(db.session, project, **values)  # type: ignore[arg-type]


def test_editing_a_project_replaces_its_funders_and_keeps_the_others(db_ctx: Flask) -> None:
    usaid, gac, lux = (make_organization(acronym=a) for a in ("USAID", "GAC", "LUX"))
    project = make_project(funder_ids=[usaid.id, gac.id])
    _edit(project, funder_ids=[gac.id, lux.id], kind=ProjectKind.RECONSTRUCTION, title="New title")
    db.session.commit()
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project is not None
    assert project.funder_ids == {gac.id, lux.id}
    assert (project.kind, project.title) == (ProjectKind.RECONSTRUCTION, "New title")


def test_editing_to_another_projects_code_is_refused(db_ctx: Flask) -> None:
    make_project(code="TAKEN")
    project = make_project(code="MINE")
    with pytest.raises(DomainError) as error:
        _edit(project, code="taken")
    assert error.value.field == "code"


def test_editing_with_an_old_version_is_a_conflict_and_changes_nothing(db_ctx: Flask) -> None:
    project = make_project(title="Original")
    read_version = project.version
    _edit(project, title="First save")
    db.session.commit()
    with pytest.raises(Conflict):
        _edit(project, version=read_version, title="Second save")
    db.session.rollback()
    assert db.session.get(Project, project.id).title == "First save"  # type: ignore[union-attr]


def test_a_project_cannot_start_in_an_archived_center(db_ctx: Flask) -> None:
    from app.core.timeutil import utcnow

    center = make_center(archived_at=utcnow())
    with pytest.raises(DomainError) as error:
        project_create(
            db.session,
            code="P-1",
            title="P",
            center_id=center.id,
            planned_start=today(),
            planned_end=today() + timedelta(days=10),
        )
    assert error.value.field == "center_id"
