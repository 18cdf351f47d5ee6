from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import User
from app.core.enums import Role
from app.extensions import db


def test_create_admin_makes_the_first_administrator(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--email", "Boss@Example.org", "--name", "Boss"],
        input="a-strong-password\na-strong-password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
        assert user is not None and user.role is Role.ADMIN


def test_create_admin_refuses_a_short_password_and_a_duplicate(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A"], input="short\nshort\n")
    assert result.exit_code != 0
    runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A"],
        input="long-enough-1\nlong-enough-1\n",
    )
    again = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A"],
        input="long-enough-1\nlong-enough-1\n",
    )
    assert again.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_demo_data_loads_once_with_one_account_per_role(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output
    for email in ("admin@example.org", "manager@example.org", "engineer@example.org", "donor@example.org"):
        assert email in first.output
    with app.app_context():
        counts = {
            table: db.session.scalar(select(func.count()).select_from(db.metadata.tables[table]))
            for table in ("users", "organizations", "centers", "projects", "milestones")
        }
    second = runner.invoke(args=["demo"])
    assert "Demo data already present." in second.output
    with app.app_context():
        for table, count in counts.items():
            assert db.session.scalar(select(func.count()).select_from(db.metadata.tables[table])) == count
        codes = set(db.session.scalars(select(db.metadata.tables["centers"].c.code)))
        assert {"CAMR-SPS", "CAMR-OMOA", "CANFM-BELEN"} <= codes
