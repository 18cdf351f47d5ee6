"""Who sees which project: staff see all, a donor only what its organization funds."""

from __future__ import annotations

from flask import Flask

from app.core.enums import Role
from app.extensions import db
from app.projects.services import projects_visible_query
from tests.factories import make_organization, make_project, make_user


def _visible_codes(user: object) -> set[str]:
    return {p.code for p in db.session.scalars(projects_visible_query(user))}


def test_donor_sees_only_the_projects_its_organization_funds(db_ctx: Flask) -> None:
    usaid, gac = make_organization(acronym="USAID"), make_organization(acronym="GAC")
    make_project(code="FUNDED", funder_ids=[usaid.id, gac.id])
    make_project(code="OTHER", funder_ids=[gac.id])
    make_project(code="NOBODY")
    donor = make_user(Role.DONOR, organization_id=usaid.id)
    assert _visible_codes(donor) == {"FUNDED"}


def test_staff_see_every_project(db_ctx: Flask) -> None:
    make_project(code="A")
    make_project(code="B", funder_ids=[make_organization().id])
    for role in (Role.ADMIN, Role.MANAGER, Role.ENGINEER):
        assert _visible_codes(make_user(role)) == {"A", "B"}


def test_anonymous_sees_no_project(db_ctx: Flask) -> None:
    make_project(code="A")

    class Anonymous:
        is_authenticated = False

    assert _visible_codes(Anonymous()) == set()
