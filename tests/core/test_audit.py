"""Every create, update and delete is recorded with who, when, what, and the values before and after."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.core.audit.models import AuditEntry
from app.core.audit.recorder import acting_as, audit_reason
from app.core.enums import Role
from app.extensions import db
from tests.conftest import login
from tests.factories import make_center, make_user


def _entries(entity_type: str, entity_id: int) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(query))


def test_create_update_delete_are_recorded_with_values_and_actor(db_ctx: Flask) -> None:
    admin = make_user(Role.ADMIN)
    with acting_as(admin.id):
        center = make_center(code="CAMR-X", name="Before")
        center.name = "After"
        db.session.commit()
        center_id = center.id
        db.session.delete(center)
        db.session.commit()

    created, updated, deleted = _entries("centers", center_id)
    assert (created.action, updated.action, deleted.action) == ("create", "update", "delete")
    assert created.changes["name"] == "Before"
    assert updated.changes == {"name": ["Before", "After"]}
    assert deleted.changes["name"] == "After"
    assert {created.actor_id, updated.actor_id, deleted.actor_id} == {admin.id}
    assert created.center_id == center_id
    assert created.at.tzinfo is not None


def test_tracked_records_know_who_created_and_changed_them(db_ctx: Flask) -> None:
    creator = make_user(Role.MANAGER)
    editor = make_user(Role.MANAGER)
    with acting_as(creator.id):
        center = make_center()
    with acting_as(editor.id):
        center.capacity = 80
        db.session.commit()
    assert center.created_by_id == creator.id
    assert center.updated_by_id == editor.id
    assert center.updated_at >= center.created_at


def test_password_hashes_never_reach_the_audit_log(db_ctx: Flask) -> None:
    user = make_user(Role.ENGINEER, password="first-password-1")
    from app.auth.services import user_set_password

    user_set_password(db.session, user, "second-password-2")
    db.session.commit()
    entries = _entries("users", user.id)
    for entry in entries:
        text = str(entry.changes)
        assert "argon2" not in text
        assert "password-1" not in text and "password-2" not in text
    assert entries[-1].changes == {"password_hash": ["***", "***"]}


def test_signing_in_leaves_no_audit_noise(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user_id = make_user(Role.MANAGER, email="maria@example.org").id
        before = len(_entries("users", user_id))
    login(client, "maria@example.org")
    client.post("/logout", data={})
    with app.app_context():
        assert len(_entries("users", user_id)) == before


def test_reason_is_attached_to_the_entries_it_covers(db_ctx: Flask) -> None:
    center = make_center()
    with audit_reason("Donor visit moved up"):
        center.capacity = 10
        db.session.commit()
    assert _entries("centers", center.id)[-1].reason == "Donor visit moved up"


def test_admin_reads_the_log_filtered_by_record_and_user(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        admin = make_user(Role.ADMIN, email="admin@example.org")
        with acting_as(admin.id):
            target = make_center(code="FILTER-ME")
            make_center(code="NOT-ME")
        target_id, admin_id = target.id, admin.id
    login(client, "admin@example.org")
    page = client.get(f"/admin/audit/?entity_type=centers&entity_id={target_id}").get_data(as_text=True)
    assert "FILTER-ME" in page and "NOT-ME" not in page
    page = client.get(f"/admin/audit/?actor_id={admin_id}").get_data(as_text=True)
    assert "FILTER-ME" in page and "NOT-ME" in page


def test_only_administrators_read_the_audit_log(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="manager@example.org")
    login(client, "manager@example.org")
    assert client.get("/admin/audit/").status_code == 403


def test_user_change_through_the_ui_is_audited_with_the_admin_as_actor(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        admin = make_user(Role.ADMIN, email="admin@example.org")
        engineer = make_user(Role.ENGINEER, email="eng@example.org", name="Old Name")
        admin_id, engineer_id = admin.id, engineer.id
    login(client, "admin@example.org")
    client.post(
        f"/admin/users/{engineer_id}",
        data={"name": "New Name", "role": "manager", "organization_id": "0", "active": "y"},
    )
    with app.app_context():
        entry = _entries("users", engineer_id)[-1]
        assert entry.actor_id == admin_id
        assert entry.changes["name"] == ["Old Name", "New Name"]
        assert entry.changes["role"] == ["engineer", "manager"]
        assert db.session.get(User, engineer_id).role is Role.MANAGER
