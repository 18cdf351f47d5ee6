"""The register of centers, at the level of its services, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.centers.geography import DEPARTMENTS
from app.centers.models import Center
from app.centers.services import (
    CenterFilter,
    center_archive,
    center_create,
    center_project_counts,
    center_restore,
    center_update,
    centers_query,
    map_position,
)
from app.core.audit.models import AuditEntry
from app.core.enums import Population, Role
from app.core.errors import Conflict, DomainError
from app.core.permissions import can_view_center
from app.extensions import db
from tests.centers.helpers import center_values
from tests.factories import make_center, make_organization, make_project, make_user


def _count_centers() -> int:
    return db.session.scalar(select(func.count()).select_from(Center)) or 0


def test_the_code_is_stored_in_capitals_and_the_position_to_six_decimals(db_ctx: Flask) -> None:
    org = make_organization(acronym="SRECI")
    center = center_create(db.session, center_values(code="  camr-sps ", administering_org_id=org.id))
    db.session.commit()
    db.session.expire_all()
    assert center.code == "CAMR-SPS"
    assert center.latitude == Decimal("15.504600")
    assert center.administering_org is not None and center.administering_org.acronym == "SRECI"
    assert center.version == 1


def test_a_code_already_used_in_any_case_is_refused_on_the_code_field(db_ctx: Flask) -> None:
    make_center(code="CAMR-SPS")
    with pytest.raises(DomainError) as error:
        center_create(db.session, center_values(code="Camr-Sps"))
    assert error.value.field == "code"
    assert "CAMR-SPS" in error.value.message
    db.session.rollback()
    assert _count_centers() == 1


def test_a_code_with_spaces_is_refused(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        center_create(db.session, center_values(code="CAMR SPS"))
    assert error.value.field == "code"


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "words"),
    [
        ("95", "-88", "latitude", "between -90 and 90"),
        ("15.5", "-190", "longitude", "between -180 and 180"),
        ("40.4", "-3.7", "latitude", "outside Honduras"),  # Madrid
        ("15.5", "88.0", "longitude", "minus sign"),  # the minus sign forgotten
        ("-88.0", "15.5", "latitude", "swapped"),
        ("15.5", "-80.0", "longitude", "outside Honduras"),  # at sea, east of Gracias a Dios
        ("15.5", None, "longitude", "longitude too"),
        (None, "-88.0", "latitude", "latitude too"),
    ],
)
def test_a_position_outside_honduras_is_refused_with_a_clear_message(
    db_ctx: Flask, english: None, latitude: str | None, longitude: str | None, field: str, words: str
) -> None:
    values = center_values(
        latitude=Decimal(latitude) if latitude else None, longitude=Decimal(longitude) if longitude else None
    )
    with pytest.raises(DomainError) as error:
        center_create(db.session, values)
    assert error.value.field == field
    assert words in error.value.message
    db.session.rollback()
    assert _count_centers() == 0


def test_the_edges_of_the_honduras_box_and_no_position_at_all_are_accepted(db_ctx: Flask) -> None:
    center_create(db.session, center_values(code="A", latitude=Decimal("12.9"), longitude=Decimal("-89.4")))
    center_create(db.session, center_values(code="B", latitude=Decimal("17.5"), longitude=Decimal("-83.1")))
    center_create(db.session, center_values(code="C", latitude=None, longitude=None))
    db.session.commit()
    assert _count_centers() == 3


@pytest.mark.parametrize("field", ["capacity", "usual_occupancy"])
def test_negative_numbers_of_persons_are_refused(db_ctx: Flask, field: str) -> None:
    with pytest.raises(DomainError) as error:
        center_create(db.session, center_values(**{field: -1}))
    assert error.value.field == field


def test_an_occupancy_above_capacity_is_recorded_as_it_is(db_ctx: Flask) -> None:
    center = center_create(db.session, center_values(capacity=60, usual_occupancy=95))
    assert center.usual_occupancy == 95


def test_the_department_must_be_one_of_the_eighteen(db_ctx: Flask) -> None:
    assert len(DEPARTMENTS) == 18 and len(set(DEPARTMENTS)) == 18
    with pytest.raises(DomainError) as error:
        center_create(db.session, center_values(department="Petén"))
    assert error.value.field == "department"


def test_an_unknown_administering_organization_is_refused(db_ctx: Flask) -> None:
    with pytest.raises(DomainError) as error:
        center_create(db.session, center_values(administering_org_id=9999))
    assert error.value.field == "administering_org_id"


def test_an_update_is_saved_audited_and_bumps_the_version(db_ctx: Flask) -> None:
    center = center_create(db.session, center_values())
    db.session.commit()
    center_update(db.session, center, center_values(capacity=320), expected_version=1)
    db.session.commit()
    assert (center.capacity, center.version) == (320, 2)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "centers", AuditEntry.action == "update")
    ).one()
    assert entry.changes == {"capacity": [300, 320]}
    assert entry.center_id == center.id


def test_an_update_from_an_old_version_is_refused_and_changes_nothing(db_ctx: Flask) -> None:
    center = center_create(db.session, center_values())
    db.session.commit()
    center_update(db.session, center, center_values(capacity=320), expected_version=1)
    db.session.commit()
    with pytest.raises(Conflict):
        center_update(db.session, center, center_values(capacity=10, name="Someone else's"), expected_version=1)
    db.session.rollback()
    assert (center.capacity, center.version) == (320, 2)


def test_a_change_saved_by_another_request_meanwhile_becomes_a_conflict(db_ctx: Flask) -> None:
    center = center_create(db.session, center_values())
    db.session.commit()
    assert center.version == 1
    # Another request saves between our read and our flush.
    db.session.execute(text("UPDATE centers SET version = 2, capacity = 999 WHERE id = :id"), {"id": center.id})
    with pytest.raises(Conflict):
        center_update(db.session, center, center_values(capacity=320), expected_version=1)
    db.session.rollback()
    assert center.capacity == 300  # the concurrent UPDATE was in our rolled-back transaction too


def test_archive_hides_the_center_and_restore_brings_it_back(db_ctx: Flask) -> None:
    center = make_center(code="CAMR-OMOA")
    admin = make_user(Role.ADMIN)
    center_archive(db.session, center, expected_version=center.version)
    db.session.commit()
    assert center.archived_at is not None
    assert db.session.scalars(centers_query(CenterFilter(), admin)).all() == []
    assert db.session.scalars(centers_query(CenterFilter(include_archived=True), admin)).all() == [center]
    with pytest.raises(DomainError):
        center_archive(db.session, center)
    center_restore(db.session, center)
    db.session.commit()
    assert center.archived_at is None
    assert db.session.scalars(centers_query(CenterFilter(), admin)).all() == [center]


def test_an_archived_center_cannot_get_a_new_project(db_ctx: Flask) -> None:
    center = make_center()
    center_archive(db.session, center)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        make_project(center)
    assert error.value.field == "center_id"


def test_filters_narrow_by_population_and_department_in_code_order(db_ctx: Flask) -> None:
    admin = make_user(Role.ADMIN)
    make_center(code="B-CHILD", population=Population.UNACCOMPANIED_CHILDREN, department="Cortés")
    make_center(code="A-CHILD", population=Population.UNACCOMPANIED_CHILDREN, department="Francisco Morazán")
    make_center(code="C-ADULT", population=Population.RETURNED_ADULTS, department="Cortés")

    def codes(filters: CenterFilter) -> list[str]:
        return [c.code for c in db.session.scalars(centers_query(filters, admin))]

    assert codes(CenterFilter()) == ["A-CHILD", "B-CHILD", "C-ADULT"]
    assert codes(CenterFilter(population=Population.UNACCOMPANIED_CHILDREN)) == ["A-CHILD", "B-CHILD"]
    assert codes(CenterFilter(department="Cortés")) == ["B-CHILD", "C-ADULT"]


def test_a_donor_lists_only_the_centers_of_projects_it_funds(db_ctx: Flask) -> None:
    donor = make_user(Role.DONOR)
    other_donor = make_user(Role.DONOR)
    funded, unfunded, empty = make_center(code="FUNDED"), make_center(code="UNFUNDED"), make_center(code="EMPTY")
    make_project(funded, funder_ids=[donor.organization_id])
    make_project(funded, funder_ids=[other_donor.organization_id])
    make_project(unfunded, funder_ids=[other_donor.organization_id])
    engineer = make_user(Role.ENGINEER)

    for user in (donor, other_donor, engineer):
        listed = set(db.session.scalars(centers_query(CenterFilter(), user)))
        assert listed == {c for c in (funded, unfunded, empty) if can_view_center(user, c)}
    assert [c.code for c in db.session.scalars(centers_query(CenterFilter(), donor))] == ["FUNDED"]
    assert center_project_counts(db.session, [funded.id, unfunded.id, empty.id], donor) == {funded.id: 1}
    assert center_project_counts(db.session, [funded.id, unfunded.id, empty.id], engineer) == {
        funded.id: 2,
        unfunded.id: 1,
    }


def test_a_donor_without_organization_sees_no_center(db_ctx: Flask) -> None:
    donor = make_user(Role.DONOR)
    make_project(make_center(), funder_ids=[donor.organization_id])
    donor.organization_id = None
    assert db.session.scalars(centers_query(CenterFilter(), donor)).all() == []


def test_donors_see_positions_rounded_to_about_a_kilometre(db_ctx: Flask) -> None:
    center = make_center(latitude=Decimal("15.504600"), longitude=Decimal("-88.025400"))
    assert map_position(center, exact=True) == (15.5046, -88.0254)
    assert map_position(center, exact=False) == (15.50, -88.03)
    assert map_position(make_center(latitude=None, longitude=None), exact=True) is None
