"""Milestones due soon or overdue, for the people who own them or manage their projects."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import MilestoneStatus, Role
from app.core.timeutil import today
from app.dashboard import notifications
from app.extensions import db
from tests.conftest import login
from tests.dashboard.helpers import add_milestone
from tests.factories import make_organization, make_project, make_user

DUE_SOON = 14


def _titles(user: object) -> list[str]:
    items = notifications.notifications_for(db.session, user, on=today(), due_soon_days=DUE_SOON)
    return [item.title for item in items]


def test_owner_sees_their_own_overdue_and_due_soon_milestones_most_overdue_first(db_ctx: Flask) -> None:
    engineer, colleague = make_user(Role.ENGINEER), make_user(Role.ENGINEER)
    project = make_project()
    add_milestone(project, 5, owner_id=engineer.id, title="Due in five days")
    add_milestone(project, -3, owner_id=engineer.id, title="Three days late")
    add_milestone(project, DUE_SOON + 1, owner_id=engineer.id, title="Too far ahead")
    add_milestone(project, -1, owner_id=engineer.id, title="Closed", status=MilestoneStatus.DONE)
    add_milestone(project, -1, owner_id=colleague.id, title="Someone else's")
    assert _titles(engineer) == ["Three days late", "Due in five days"]
    assert notifications.notification_count(db.session, engineer, on=today(), due_soon_days=DUE_SOON) == 2
    (late, _soon) = notifications.notifications_for(db.session, engineer, on=today(), due_soon_days=DUE_SOON)
    assert (late.overdue, late.days_late) == (True, 3)


def test_manager_also_sees_the_milestones_of_the_projects_they_manage(db_ctx: Flask) -> None:
    manager, engineer = make_user(Role.MANAGER), make_user(Role.ENGINEER)
    theirs = make_project(manager_id=manager.id)
    other = make_project()
    add_milestone(theirs, -2, owner_id=engineer.id, title="Engineer's, in the manager's project")
    add_milestone(theirs, 1, owner_id=manager.id, title="Manager's own, counted once")
    add_milestone(other, -2, owner_id=engineer.id, title="Not their project")
    assert _titles(manager) == ["Engineer's, in the manager's project", "Manager's own, counted once"]
    assert notifications.notification_count(db.session, manager, on=today(), due_soon_days=DUE_SOON) == 2
    # The engineer is concerned by what they own, in any project, and by nothing else.
    assert _titles(engineer) == ["Engineer's, in the manager's project", "Not their project"]


def test_preview_gives_the_first_few_and_the_total(db_ctx: Flask) -> None:
    engineer = make_user(Role.ENGINEER)
    project = make_project()
    for days in (4, -6, 2, -1, 9):
        add_milestone(project, days, owner_id=engineer.id, title=f"In {days}")
    items, total = notifications.notifications_preview(
        db.session, engineer, on=today(), due_soon_days=DUE_SOON, limit=3
    )
    assert [item.title for item in items] == ["In -6", "In -1", "In 2"]
    assert total == 5


def test_donor_gets_no_notifications(db_ctx: Flask) -> None:
    org = make_organization()
    donor = make_user(Role.DONOR, organization_id=org.id)
    add_milestone(make_project(funder_ids=[org.id]), -1, owner_id=donor.id)
    assert _titles(donor) == []
    assert notifications.notification_count(db.session, donor, on=today(), due_soon_days=DUE_SOON) is None


def _badge(html: str) -> int | None:
    found = re.search(r'id="nav-notifications".*?<span class="badge[^"]*">(\d+)</span>', html, re.S)
    return int(found.group(1)) if found else None


def test_navigation_badge_counts_due_milestones_on_every_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        engineer = make_user(Role.ENGINEER, email="e@example.org")
        project = make_project()
        add_milestone(project, -1, owner_id=engineer.id)
        add_milestone(project, 2, owner_id=engineer.id)
        add_milestone(project, 60, owner_id=engineer.id)
    login(client, "e@example.org")
    assert _badge(client.get("/dashboard").get_data(as_text=True)) == 2
    assert _badge(client.get("/search?q=zz").get_data(as_text=True)) == 2


def test_dashboard_panel_and_notifications_page_list_the_milestones(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        manager = make_user(Role.MANAGER, email="m@example.org")
        project = make_project(code="CAMR-9", manager_id=manager.id)
        add_milestone(project, -4, title="Planos aprobados")
        add_milestone(project, 0, title="Visita de obra")
        project_id = project.id
    login(client, "m@example.org")
    client.post("/language", data={"lang": "en"})
    dashboard = client.get("/dashboard").get_data(as_text=True)
    panel = dashboard[dashboard.index('id="upcoming-title"') :]
    assert panel.index("Planos aprobados") < panel.index("Visita de obra")
    assert "4 days late" in panel and "due today" in panel
    page = client.get("/notifications").get_data(as_text=True)
    assert "Planos aprobados" in page and "Visita de obra" in page
    assert f'href="/projects/{project_id}"' in page


def test_donor_has_no_badge_and_no_notifications_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.DONOR, email="d@example.org")
    login(client, "d@example.org")
    assert _badge(client.get("/dashboard").get_data(as_text=True)) is None
    assert client.get("/notifications").status_code == 403
