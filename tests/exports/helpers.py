"""Builders for export tests: the official IATI schema, and a portfolio of two donors' projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from lxml import etree

from app.extensions import db
from app.organizations.models import Organization
from tests.budgets.helpers import add_line, spend
from tests.conftest import SHARED
from tests.factories import make_center, make_organization, make_project

IATI_SCHEMA = SHARED / "standards" / "iati-2.03" / "iati-activities-schema.xsd"


def iati_schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema from ../shared (never copied into the project)."""
    if not IATI_SCHEMA.exists():
        pytest.skip(f"the IATI 2.03 schema is not at {IATI_SCHEMA} (../shared/standards is absent)")
    return etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))


def assert_valid(xml: bytes) -> etree._Element:
    schema = iati_schema()
    document = etree.fromstring(xml)
    if not schema.validate(document):
        raise AssertionError("\n".join(str(error) for error in schema.error_log))
    return document


@dataclass
class TwoDonors:
    ours: Any  # the project the first donor funds
    theirs: Any  # a project only the other donor funds
    donor: Organization
    other: Organization


def two_donors() -> TwoDonors:
    """Two donors, each funding one project of its own, with a budget line and an expenditure each."""
    donor = make_organization(acronym="DONA", name="Donor A Agency", iati_identifier="XX-DONA-1")
    other = make_organization(acronym="DONB", name="Donor B Agency", iati_identifier="XX-DONB-1")
    ours = make_project(
        make_center(code="CTR-A", name="Centro A", department="Cortés", municipality="Omoa"),
        code="PRJ-A",
        title="Proyecto de A",
        funder_ids=[donor.id],
    )
    theirs = make_project(
        make_center(
            code="CTR-B",
            name="Centro B",
            contact_name="Rosa Confidencial",
            contact_phone="+504 9999-1234",
            contact_email="rosa.confidencial@example.hn",
            address="Colonia Secreta, casa 7",
        ),
        code="PRJ-SECRET-B",
        title="Proyecto secreto de B",
        funder_ids=[other.id],
    )
    for project, funder, amount in ((ours, donor, "1234.56"), (theirs, other, "7777.77")):
        line = add_line(project, funder, description=f"Line of {funder.acronym}", unit_cost="500.00", quantity="4")
        spend(project, line, amount, spent_on=date(2025, 3, 1), supplier=f"Supplier of {funder.acronym}")
    db.session.commit()
    return TwoDonors(ours, theirs, donor, other)
