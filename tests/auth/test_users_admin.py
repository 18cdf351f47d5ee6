from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth import services
from app.auth.models import User
from app.core.enums import Role
from app.core.errors import DomainError
from app.extensions import db
from tests.conftest import login
from tests.factories import make_organization, make_user


def test_admin_creates_a_user_who_can_then_sign_in(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    login(client, "admin@example.org")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "new@example.org",
            "name": "Nueva",
            "role": "engineer",
            "organization_id": "0",
            "password": "field-password-1",
            "active": "y",
        },
    )
    assert response.status_code == 302
    client.post("/logout", data={})
    assert login(client, "new@example.org", "field-password-1").status_code == 302


def test_duplicate_email_is_refused_on_the_field_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
        make_user(Role.ENGINEER, email="taken@example.org")
    login(client, "admin@example.org")
    client.post("/language", data={"lang": "en"})
    response = client.post(
        "/admin/users/new",
        data={
            "email": "TAKEN@example.org",
            "name": "Copy",
            "role": "engineer",
            "organization_id": "0",
            "password": "field-password-1",
        },
    )
    assert response.status_code == 200
    assert "A user with this e-mail already exists." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_donor_account_must_belong_to_an_organization(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        services.user_create(db.session, email="d@example.org", name="D", password="long-enough-1", role=Role.DONOR)
    assert error.value.field == "organization_id"
    org = make_organization()
    donor = services.user_create(
        db.session,
        email="d@example.org",
        name="D",
        password="long-enough-1",
        role=Role.DONOR,
        organization_id=org.id,
    )
    assert donor.organization_id == org.id


def test_the_last_active_administrator_cannot_be_demoted(db_ctx: Flask) -> None:
    admin = make_user(Role.ADMIN)
    with pytest.raises(DomainError):
        services.user_update(
            db.session,
            admin,
            name="A",
            role=Role.MANAGER,
            organization_id=None,
            active=True,
            acting_user_id=None,
        )
    db.session.rollback()
    second = make_user(Role.ADMIN)
    services.user_update(
        db.session,
        admin,
        name="A",
        role=Role.MANAGER,
        organization_id=None,
        active=True,
        acting_user_id=second.id,
    )
    db.session.commit()
    assert admin.role is Role.MANAGER


def test_admin_cannot_disable_their_own_account(db_ctx: Flask) -> None:
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN)
    with pytest.raises(DomainError) as error:
        services.user_update(
            db.session,
            admin,
            name="A",
            role=Role.ADMIN,
            organization_id=None,
            active=False,
            acting_user_id=admin.id,
        )
    assert error.value.field == "active"


def test_re_roling_a_user_ends_their_sessions(db_ctx: Flask) -> None:
    admin = make_user(Role.ADMIN)
    engineer = make_user(Role.ENGINEER)
    before = engineer.session_version
    services.user_update(
        db.session,
        engineer,
        name=engineer.name,
        role=Role.MANAGER,
        organization_id=None,
        active=True,
        acting_user_id=admin.id,
    )
    assert engineer.session_version == before + 1


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ENGINEER, Role.DONOR])
def test_only_admins_manage_users(app: Flask, client: FlaskClient, role: Role) -> None:
    with app.app_context():
        make_user(role, email="someone@example.org")
    login(client, "someone@example.org")
    assert client.get("/admin/users/").status_code == 403
    assert client.post("/admin/users/new", data={"email": "x@example.org"}).status_code == 403
