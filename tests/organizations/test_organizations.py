from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.enums import OrganizationKind, Role
from app.core.errors import DomainError
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.services import OrganizationValues, organization_create, organization_update
from tests.conftest import login
from tests.factories import make_user

IOM = OrganizationValues(
    "International Organization for Migration", "IOM", OrganizationKind.UN_AGENCY, "xm", "XM-DAC-47066"
)


def test_organization_is_created_with_clean_values(db_ctx: Flask) -> None:
    org = organization_create(db.session(), IOM)
    assert (org.country, org.iati_identifier) == ("XM", "XM-DAC-47066")


@pytest.mark.parametrize(
    "values,field",
    [
        (
            OrganizationValues(
                "international organization for migration", "OIM", OrganizationKind.UN_AGENCY, "XM", None
            ),
            "name",
        ),
        (OrganizationValues("Other", "iom", OrganizationKind.UN_AGENCY, "XM", None), "acronym"),
        (OrganizationValues("Other", "OTH", OrganizationKind.UN_AGENCY, "XM", "XM-DAC-47066"), "iati_identifier"),
    ],
)
def test_duplicates_are_refused_on_their_field(db_ctx: Flask, values: OrganizationValues, field: str) -> None:
    organization_create(db.session(), IOM)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        organization_create(db.session(), values)
    assert error.value.field == field


def test_an_organization_keeps_its_own_acronym_when_edited(db_ctx: Flask) -> None:
    org = organization_create(db.session(), IOM)
    changed = OrganizationValues(IOM.name, IOM.acronym, OrganizationKind.UN_AGENCY, "HN", IOM.iati_identifier)
    organization_update(db.session(), org, changed)
    assert org.country == "HN"


def test_admin_creates_an_organization_and_a_bad_iati_id_is_explained(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ADMIN, email="admin@example.org")
    login(client, "admin@example.org")
    client.post("/language", data={"lang": "en"})
    bad = client.post(
        "/admin/organizations/new",
        data={
            "name": "Global Affairs Canada",
            "acronym": "GAC",
            "kind": "donor",
            "country": "CA",
            "iati_identifier": "not an id",
        },
    )
    assert bad.status_code == 200
    assert "For example XM-DAC-47066." in bad.get_data(as_text=True)
    good = client.post(
        "/admin/organizations/new",
        data={
            "name": "Global Affairs Canada",
            "acronym": "GAC",
            "kind": "donor",
            "country": "CA",
            "iati_identifier": "CA-3",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ENGINEER, Role.DONOR])
def test_only_admins_manage_organizations(app: Flask, client: FlaskClient, role: Role) -> None:
    with app.app_context():
        make_user(role, email="someone@example.org")
    login(client, "someone@example.org")
    assert client.get("/admin/organizations/").status_code == 403
