"""Commitments due and agreements about to end show on the dashboard and on the notifications page."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from app.extensions import db
from tests.agreements.helpers import add_commitment, days, make_signed
from tests.conftest import login
from tests.dashboard.helpers import counting_queries
from tests.factories import make_center, make_user


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})


def _setup(app: Flask) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        center = make_center()
        agreement = make_signed(center, code="CONV-OABI", ends_on=days(20), subject="Use of the seized property")
        add_commitment(agreement, days(-3), description="Hand over the keys of the building")
        add_commitment(agreement, days(5), description="Name a focal point")
        add_commitment(agreement, days(90), description="Far in the future")
        make_signed(center, code="CONV-LONG", ends_on=days(400))


def test_dashboard_lists_commitments_due_and_agreements_ending_soon(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    login(client, "m@example.org")
    _english(client)
    html = client.get("/dashboard").get_data(as_text=True)
    panel = html[html.index("Agreements to follow up") :]
    assert panel.index("Hand over the keys") < panel.index("Name a focal point")
    assert "3 days late" in panel and "in 5 days" in panel
    assert "ends in 20 days" in panel and "Use of the seized property" in panel
    assert "Far in the future" not in panel
    assert "CONV-LONG" not in panel


def test_notifications_page_has_the_agreements_section(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    login(client, "m@example.org")
    _english(client)
    html = client.get("/notifications").get_data(as_text=True)
    section = html[html.index('id="agreements"') :]
    assert "Hand over the keys" in section and "CONV-OABI" in section


def test_nothing_to_follow_up_says_so_on_the_notifications_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="e@example.org")
    login(client, "e@example.org")
    _english(client)
    html = client.get("/notifications").get_data(as_text=True)
    assert "No commitment is due and no agreement is about to end." in html
    assert "Agreements to follow up" not in client.get("/dashboard").get_data(as_text=True)


def test_donors_get_no_follow_up_panel(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    with app.app_context():
        make_user(Role.DONOR, email="d@example.org")
    login(client, "d@example.org")
    assert "CONV-OABI" not in client.get("/dashboard").get_data(as_text=True)


def test_the_panel_costs_the_same_queries_for_one_or_many_commitments(app: Flask, client: FlaskClient) -> None:
    _setup(app)
    login(client, "m@example.org")
    client.get("/dashboard")
    with app.app_context(), counting_queries() as few:
        client.get("/dashboard")
    with app.app_context():
        for n in range(12):
            agreement = make_signed(make_center(), code=f"CONV-{n}", ends_on=days(10 + n))
            add_commitment(agreement, days(n), description=f"Commitment {n}")
        db.session.commit()
    client.get("/dashboard")
    with app.app_context(), counting_queries() as many:
        client.get("/dashboard")
    assert few and len(few) == len(many), (few, many)
