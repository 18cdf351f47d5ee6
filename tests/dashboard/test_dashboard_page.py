"""The dashboard page as people see it, and what it costs the database."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import MilestoneStatus, PhaseKind, PhaseStatus, Role
from app.dashboard import cache
from app.extensions import db
from tests.budgets.helpers import add_line, add_rate, funded_project, spend
from tests.conftest import login
from tests.dashboard.helpers import add_milestone, counting_queries, reach_phase
from tests.factories import make_center, make_organization, make_project, make_user


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})


def _rows(html: str) -> list[str]:
    """Project codes in the order the table shows them."""
    start = html.index("portfolio-table")
    table = html[start : html.index("</table>", start)]
    return re.findall(r'<a class="fw-semibold" href="/projects/\d+">([^<]+)</a>', table)


def test_dashboard_shows_each_project_with_its_phase_bar_figures_and_no_budget_yet(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        project = reach_phase(make_project(code="CAMR-1", title="Techos y baños"), PhaseKind.DESIGN)
        add_milestone(project, -2)
        add_milestone(project, 3)
    login(client, "m@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    assert _rows(html) == ["CAMR-1"]
    assert "Techos y baños" in html
    bar = re.search(r'<div class="phase-bar[^>]*>(.*?)</div>', html, re.S)
    assert bar is not None
    assert re.findall(r'class="seg (\w+)"', bar.group(1)) == [
        "done",
        "done",
        "in_progress",
        "not_started",
        "not_started",
    ]
    assert 'aria-label="Evaluation of the working model: Done;' in html
    assert '<span class="badge text-bg-danger">1</span>' in html  # overdue
    assert '<span class="badge text-bg-warning">1</span>' in html  # due soon
    assert 'title="No budget recorded">—</span>' in html


def test_summary_cards_count_projects_per_phase_and_overdue_milestones(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="a@example.org")
        add_milestone(make_project(), -1)
        reach_phase(make_project(), PhaseKind.WORKS)
    login(client, "a@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    cards = re.findall(
        r'<span class="d-block small text-secondary">([^<]+)</span>\s*<span class="d-block fs-4[^"]*">(\d+)</span>',
        html,
    )
    figures = {label.split(". ", 1)[-1]: int(n) for label, n in cards}
    assert figures["Evaluation of the working model"] == 1
    assert figures["Works"] == 1
    assert figures["Overdue milestones"] == 1
    assert figures["Completed"] == 0


def test_filters_sorting_and_pages_travel_in_the_address(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        center = make_center(code="CAMR-OMOA")
        for n in range(27):
            make_project(center, code=f"P-{n:02d}")
        late = make_project(make_center(code="CANFM-BELEN"), code="Z-LATE")
        add_milestone(late, -1)
    login(client, "m@example.org")
    assert _rows(client.get("/dashboard").get_data(as_text=True))[:2] == ["P-00", "P-01"]
    assert _rows(client.get("/dashboard?page=2").get_data(as_text=True)) == ["P-25", "P-26", "Z-LATE"]
    assert _rows(client.get("/dashboard?sort=overdue").get_data(as_text=True))[0] == "Z-LATE"
    assert _rows(client.get("/dashboard?sort=code&dir=desc").get_data(as_text=True))[0] == "Z-LATE"
    assert _rows(client.get("/dashboard?center=belen").get_data(as_text=True)) == ["Z-LATE"]
    html = client.get("/dashboard?center=omoa&page=2").get_data(as_text=True)
    assert _rows(html) == ["P-25", "P-26"]
    # Sorting keeps the filter, and leaves the page.
    assert 'href="/dashboard?center=omoa&amp;sort=overdue"' in html


def test_donor_dashboard_lists_only_funded_projects_and_has_no_notifications(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        usaid = make_organization(acronym="USAID")
        make_user(Role.DONOR, email="d@example.org", organization_id=usaid.id)
        make_project(code="FUNDED", funder_ids=[usaid.id])
        add_milestone(make_project(code="SECRET"), -3, title="Confidential milestone")
    login(client, "d@example.org")
    html = client.get("/dashboard").get_data(as_text=True)
    assert _rows(html) == ["FUNDED"]
    assert "SECRET" not in html and "Confidential milestone" not in html
    assert 'id="nav-notifications"' not in html
    assert 'name="donor"' not in html  # no donor filter: a donor sees its own projects only


def test_bad_query_strings_still_show_the_dashboard(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="e@example.org")
        make_project()
    login(client, "e@example.org")
    for query in ("page=abc", "page=99", "sort=drop", "dir=up", "phase=moon", "status=%00", "donor=x", "center=%25"):
        assert client.get(f"/dashboard?{query}").status_code == 200, query


def test_budget_used_is_shown_per_project_and_a_donor_counts_only_the_lines_it_funds(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        project, (usaid, canada) = funded_project("USAID", "GAC")
        make_user(Role.DONOR, email="d@example.org", organization_id=usaid.id)
        add_rate("HNL", "USD", "0.04", date(2024, 1, 1))
        roof = add_line(project, usaid, quantity="1", unit_cost="1000.00")  # 1,000 USD
        spend(project, roof, "1250.00")  # over budget
        walls = add_line(project, canada, quantity="1", currency="HNL", unit_cost="75000.00")  # 3,000 USD
        spend(project, walls, "25000.00")  # 1,000 USD
    login(client, "m@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    # Everything: 2,250 spent of 4,000 USD.
    assert 'title="$2,250.00 / $4,000.00">56.2 %</span>' in html
    client.post("/logout", data={})
    login(client, "d@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    # USAID's line only: 1,250 of 1,000, over budget and marked so.
    assert '<span class="text-danger fw-semibold" title="$1,250.00 / $1,000.00">125 %</span>' in html
    assert "$4,000.00" not in html


def test_a_line_without_an_exchange_rate_is_flagged_not_hidden(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        project, (funder,) = funded_project("USAID")
        add_line(project, funder, quantity="1", unit_cost="1000.00")
        add_line(project, funder, quantity="1", currency="HNL", unit_cost="5000.00")  # no HNL rate on record
    login(client, "m@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    flagged = '<abbr class="text-warning-emphasis" title="Some lines are left out'
    assert f'title="$0.00 / $1,000.00">0 %</span>{flagged}' in html


def test_the_kept_rows_follow_spending_rates_and_center_names_at_once(app: Flask, client: FlaskClient) -> None:
    """The page's rows are kept between requests: a change to what they show appears on the next request."""
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        project, (funder,) = funded_project("USAID")
        add_line(project, funder, quantity="1", unit_cost="1000.00")
        line = add_line(project, funder, quantity="1", currency="HNL", unit_cost="5000.00")
        line_id, project_id, center_id = line.id, project.id, project.center_id
    cache.clear()
    login(client, "m@example.org")
    _english(client)
    flagged = '<abbr class="text-warning-emphasis" title="Some lines are left out'
    assert flagged in client.get("/dashboard").get_data(as_text=True)
    assert flagged in client.get("/dashboard").get_data(as_text=True)  # kept

    with app.app_context():
        add_rate("HNL", "USD", "0.04", date(2020, 1, 1))
    html = client.get("/dashboard").get_data(as_text=True)
    assert flagged not in html and 'title="$0.00 / $1,200.00">0 %</span>' in html

    with app.app_context():
        from app.budgets.models import BudgetLine
        from app.projects.models import Project

        spend(db.session.get(Project, project_id), db.session.get(BudgetLine, line_id), "2500.00")
    after = client.get("/dashboard").get_data(as_text=True)
    assert 'title="$100.00 / $1,200.00">8.3 %</span>' in after

    with app.app_context():
        from app.centers.models import Center

        center = db.session.get(Center, center_id)
        assert center is not None
        center.name = "Centro renombrado"
        db.session.commit()
    assert "Centro renombrado" in client.get("/dashboard").get_data(as_text=True)


def test_dashboard_needs_a_signed_in_user(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _add_projects(start: int, stop: int) -> None:
    manager = make_user(Role.MANAGER, email="m@example.org") if start == 0 else None
    manager_id = manager.id if manager else _manager_id()
    engineer = make_user(Role.ENGINEER)
    funder = make_organization()
    if start == 0:
        add_rate("HNL", "USD", "0.04", date(2020, 1, 1))
    for n in range(start, stop):
        project = make_project(code=f"P-{n:03d}", manager_id=manager_id, funder_ids=[funder.id])
        # Money in two currencies, so the budget column converts: its queries must not grow with the rows either.
        spend(project, add_line(project, funder, unit_cost="100.00"), "250.00")
        spend(project, add_line(project, funder, currency="HNL", unit_cost="2500.00"), "5000.00")
        if n % 3 == 0:
            reach_phase(project, PhaseKind.WORKS, PhaseStatus.ON_HOLD if n % 2 else PhaseStatus.IN_PROGRESS)
        add_milestone(project, -2, owner_id=engineer.id)
        add_milestone(project, 5, owner_id=manager_id)
        add_milestone(project, -9, status=MilestoneStatus.DONE)


def _manager_id() -> int:
    from sqlalchemy import select

    from app.auth.models import User

    return int(db.session.scalar(select(User.id).where(User.email == "m@example.org")) or 0)


def _queries(app: Flask, client: FlaskClient, path: str) -> tuple[int, int, int]:
    """Rows shown, and SQL statements of one request with the kept figures cleared (cold) then kept (warm)."""
    with app.app_context():
        cache.clear()
        with counting_queries() as cold:
            html = client.get(path).get_data(as_text=True)
        with counting_queries() as warm:
            assert client.get(path).status_code == 200
    return len(_rows(html)), len(cold), len(warm)


@pytest.mark.parametrize(
    "path",
    ["/dashboard", "/dashboard?sort=overdue", "/dashboard?sort=phase&dir=desc", "/dashboard?center=Center&page=1"],
)
def test_the_number_of_queries_does_not_grow_with_the_projects_shown(
    app: Flask, client: FlaskClient, path: str
) -> None:
    with app.app_context():
        _add_projects(0, 5)
    login(client, "m@example.org")
    rows, *small = _queries(app, client, path)
    assert rows == 5
    with app.app_context():
        _add_projects(5, 40)
    rows, *large = _queries(app, client, path)
    assert rows == 25
    assert small == large, f"5 projects: {small}, 40 projects: {large} (cold, warm)"
