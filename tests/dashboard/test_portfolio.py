"""The portfolio the dashboard shows: who sees what, the figures per project, filters, order and pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, ProjectState, Role
from app.core.timeutil import today
from app.dashboard import cache, services
from app.extensions import db
from app.projects.models import Project
from tests.dashboard.helpers import add_milestone, complete, reach_phase
from tests.factories import make_center, make_organization, make_project, make_user

DUE_SOON = 14


def _page(user: Any, per_page: int = 25, memo: Any = None, **filters: Any) -> Any:
    return services.portfolio_page(
        db.session,
        user,
        services.PortfolioFilter(**filters),
        on=today(),
        due_soon_days=DUE_SOON,
        per_page=per_page,
        memo=memo,
    )


def _codes(user: Any, **filters: Any) -> list[str]:
    return [row.code for row in _page(user, **filters).items]


def test_an_open_milestone_planned_yesterday_is_overdue_but_a_done_one_is_not(db_ctx: Flask) -> None:
    project = make_project(code="P1")
    add_milestone(project, -1)
    add_milestone(project, -1, status=MilestoneStatus.DONE)
    add_milestone(project, -30, status=MilestoneStatus.CANCELLED)
    (row,) = _page(make_user(Role.MANAGER)).items
    assert row.overdue == 1


def test_due_soon_counts_open_milestones_from_today_to_the_due_soon_horizon(db_ctx: Flask) -> None:
    project = make_project()
    add_milestone(project, 0)
    add_milestone(project, DUE_SOON)
    add_milestone(project, DUE_SOON + 1)
    add_milestone(project, 3, status=MilestoneStatus.DONE)
    (row,) = _page(make_user(Role.MANAGER)).items
    assert (row.overdue, row.due_soon) == (0, 2)


def test_each_row_has_its_five_phases_in_order_with_their_status(db_ctx: Flask) -> None:
    project = reach_phase(make_project(), PhaseKind.DESIGN, PhaseStatus.ON_HOLD)
    (row,) = _page(make_user(Role.ENGINEER)).items
    assert row.phase_statuses == (
        (PhaseKind.EVALUATION, PhaseStatus.DONE),
        (PhaseKind.PARTNERSHIP, PhaseStatus.DONE),
        (PhaseKind.DESIGN, PhaseStatus.ON_HOLD),
        (PhaseKind.WORKS, PhaseStatus.NOT_STARTED),
        (PhaseKind.HANDOVER, PhaseStatus.NOT_STARTED),
    )
    assert (row.current_phase, row.on_hold, row.completed) == (PhaseKind.DESIGN, True, False)
    assert row.center_code == project.center.code


def test_days_since_last_activity_come_from_the_maintained_column(db_ctx: Flask) -> None:
    make_project()
    # Written past the ORM: a change through it would itself be activity, stamped now.
    db.session.execute(Project.__table__.update().values(last_activity_at=datetime.now(UTC) - timedelta(days=9)))
    db.session.commit()
    (row,) = _page(make_user(Role.MANAGER)).items
    assert row.idle_days == 9


def test_donor_sees_only_the_projects_their_organization_funds(db_ctx: Flask) -> None:
    usaid, gac = make_organization(acronym="USAID"), make_organization(acronym="GAC")
    make_project(code="FUNDED", funder_ids=[usaid.id])
    make_project(code="BOTH", funder_ids=[usaid.id, gac.id])
    make_project(code="OTHER", funder_ids=[gac.id])
    make_project(code="NOBODY")
    donor = make_user(Role.DONOR, organization_id=usaid.id)
    assert _codes(donor) == ["BOTH", "FUNDED"]
    assert _page(donor).total == 2
    summary = services.portfolio_summary(db.session, donor, on=today())
    assert summary.total == 2


def test_donor_summary_counts_only_overdue_milestones_of_funded_projects(db_ctx: Flask) -> None:
    usaid = make_organization()
    add_milestone(make_project(funder_ids=[usaid.id]), -2)
    add_milestone(make_project(), -2)
    add_milestone(make_project(), -5)
    donor = make_user(Role.DONOR, organization_id=usaid.id)
    assert services.portfolio_summary(db.session, donor, on=today()).overdue_milestones == 1
    assert services.portfolio_summary(db.session, make_user(Role.ADMIN), on=today()).overdue_milestones == 3


def test_filters_by_center_donor_phase_and_status(db_ctx: Flask) -> None:
    omoa = make_center(code="CAMR-OMOA", name="Centro Omoa")
    belen = make_center(code="CANFM-BELEN", name="Centro Belén")
    gac = make_organization(acronym="GAC")
    make_project(omoa, code="EVAL")
    reach_phase(make_project(belen, code="WORKS", funder_ids=[gac.id]), PhaseKind.WORKS)
    reach_phase(make_project(belen, code="HELD"), PhaseKind.DESIGN, PhaseStatus.ON_HOLD)
    complete(make_project(omoa, code="DONE", funder_ids=[gac.id]))
    manager = make_user(Role.MANAGER)

    assert _codes(manager, center="omoa") == ["DONE", "EVAL"]
    assert _codes(manager, center="Belén") == ["HELD", "WORKS"]
    assert _codes(manager, funder_id=gac.id) == ["DONE", "WORKS"]
    assert _codes(manager, phase=PhaseKind.WORKS) == ["WORKS"]
    # A completed project is in no phase any more, even though its last phase is handover.
    assert _codes(manager, phase=PhaseKind.HANDOVER) == []
    assert _codes(manager, status=ProjectState.ACTIVE) == ["EVAL", "WORKS"]
    assert _codes(manager, status=ProjectState.ON_HOLD) == ["HELD"]
    assert _codes(manager, status=ProjectState.COMPLETED) == ["DONE"]
    assert _codes(manager, center="belén", status=ProjectState.ACTIVE) == ["WORKS"]


def test_center_filter_takes_like_wildcards_literally(db_ctx: Flask) -> None:
    make_project(make_center(code="C_1", name="Uno"), code="UNDERSCORE")
    make_project(make_center(code="CX1", name="Dos"), code="LETTER")
    assert _codes(make_user(Role.MANAGER), center="C_1") == ["UNDERSCORE"]
    assert _codes(make_user(Role.MANAGER), center="%") == []


def test_sorting_by_overdue_puts_the_latest_projects_first(db_ctx: Flask) -> None:
    one, three, none = make_project(code="ONE"), make_project(code="THREE"), make_project(code="NONE")
    add_milestone(one, -1)
    for days in (-1, -2, -40):
        add_milestone(three, days)
    add_milestone(none, 5)
    manager = make_user(Role.MANAGER)
    assert _codes(manager, sort="overdue", descending=True) == ["THREE", "ONE", "NONE"]
    assert _codes(manager, sort="overdue", descending=False) == ["NONE", "ONE", "THREE"]


def test_sorting_by_phase_follows_the_order_of_the_phases_with_completed_projects_last(db_ctx: Flask) -> None:
    complete(make_project(code="A-DONE"))
    reach_phase(make_project(code="B-WORKS"), PhaseKind.WORKS)
    reach_phase(make_project(code="C-PARTNER"), PhaseKind.PARTNERSHIP)
    make_project(code="D-EVAL")
    reach_phase(make_project(code="E-DESIGN"), PhaseKind.DESIGN)
    manager = make_user(Role.MANAGER)
    assert _codes(manager, sort="phase") == ["D-EVAL", "C-PARTNER", "E-DESIGN", "B-WORKS", "A-DONE"]
    assert _codes(manager, sort="phase", descending=True) == ["A-DONE", "B-WORKS", "E-DESIGN", "C-PARTNER", "D-EVAL"]


def test_sorting_by_center_and_by_last_activity(db_ctx: Flask) -> None:
    a = make_project(make_center(code="ZZ"), code="P-A")
    b = make_project(make_center(code="AA"), code="P-B")
    c = make_project(make_center(code="MM"), code="P-C")
    table = Project.__table__
    now = datetime.now(UTC)
    for project, days in ((a, 3), (b, 30)):
        db.session.execute(
            table.update().where(table.c.id == project.id).values(last_activity_at=now - timedelta(days=days))
        )
    db.session.execute(table.update().where(table.c.id == c.id).values(last_activity_at=None))
    db.session.commit()
    manager = make_user(Role.MANAGER)
    assert _codes(manager, sort="center") == ["P-B", "P-C", "P-A"]
    # Idle longest first: never any activity, then thirty days, then three.
    assert _codes(manager, sort="activity") == ["P-C", "P-B", "P-A"]
    assert _codes(manager, sort="activity", descending=True) == ["P-A", "P-B", "P-C"]


def test_pages_hold_twenty_five_projects(db_ctx: Flask) -> None:
    center = make_center()
    for n in range(27):
        make_project(center, code=f"P-{n:02d}")
    manager = make_user(Role.MANAGER)
    first, second = _page(manager), _page(manager, page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (27, 2, 25, 2)
    assert [row.code for row in second.items] == ["P-25", "P-26"]
    assert _page(manager, page=9).items == []


def test_ranked_pages_come_from_one_kept_order(db_ctx: Flask) -> None:
    center = make_center()
    for n in range(30):
        project = make_project(center, code=f"P-{n:02d}")
        for _ in range(n % 4):
            add_milestone(project, -3)
    manager = make_user(Role.MANAGER)
    kept: dict[Any, Any] = {}

    def memo(key: Any, compute: Any) -> Any:
        if key not in kept:
            kept[key] = compute()
        return kept[key]

    pages = [_page(manager, memo=memo, sort="overdue", descending=True, page=n) for n in (1, 2)]
    uncached = [_page(manager, sort="overdue", descending=True, page=n) for n in (1, 2)]
    assert [row.code for p in pages for row in p.items] == [row.code for p in uncached for row in p.items]
    assert [row.overdue for row in pages[0].items][:8] == [3] * 7 + [2]
    assert pages[0].total == 30
    # One order for both pages (and the total); each page's rows are kept besides.
    assert [key[5] for key in kept] == ["order", "rows", "rows"]


def test_summary_counts_projects_per_phase_on_hold_completed_and_overdue_milestones(db_ctx: Flask) -> None:
    make_project()
    make_project()
    reach_phase(make_project(), PhaseKind.WORKS, PhaseStatus.ON_HOLD)
    complete(make_project())
    late = make_project()
    add_milestone(late, -1)
    add_milestone(late, -10)
    add_milestone(late, -10, status=MilestoneStatus.DONE)
    summary = services.portfolio_summary(db.session, make_user(Role.ENGINEER), on=today())
    assert summary.active_per_phase == {
        PhaseKind.EVALUATION: 3,
        PhaseKind.PARTNERSHIP: 0,
        PhaseKind.DESIGN: 0,
        PhaseKind.WORKS: 1,
        PhaseKind.HANDOVER: 0,
    }
    assert (summary.on_hold, summary.completed, summary.overdue_milestones, summary.total) == (1, 1, 2, 5)


def test_kept_figures_are_recomputed_after_any_change_to_a_project(app: Flask) -> None:
    with app.app_context():
        project = make_project()
        milestone = add_milestone(project, -1)
        manager = make_user(Role.MANAGER)
        cache.clear()

        def overdue_total() -> int:
            memo = cache.memo_for(db.session, today())
            summary = memo("summary", lambda: services.portfolio_summary(db.session, manager, on=today()))
            return int(summary.overdue_milestones)

        assert overdue_total() == 1
        assert overdue_total() == 1
        milestone.status = MilestoneStatus.DONE
        milestone.actual_date = today()
        db.session.commit()  # the audit recorder stamps the project's last activity
        assert overdue_total() == 0


def test_query_strings_from_outside_never_break_the_filter(db_ctx: Flask) -> None:
    filters = services.PortfolioFilter.from_args(
        {"page": "-3", "sort": "'; drop table", "dir": "sideways", "phase": "nope", "status": "x", "donor": "abc"}
    )
    assert filters == services.PortfolioFilter(page=1)
    overdue = services.PortfolioFilter.from_args({"sort": "overdue"})
    assert overdue.descending  # most overdue first unless asked otherwise
