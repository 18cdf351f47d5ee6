"""Organizations. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.enums import OrganizationKind
from app.core.errors import DomainError
from app.organizations.models import Organization


@dataclass(frozen=True)
class OrganizationValues:
    name: str
    acronym: str
    kind: OrganizationKind
    country: str
    iati_identifier: str | None


def _check_unique(session: Session, values: OrganizationValues, exclude_id: int | None) -> None:
    def taken(column: object, value: str) -> bool:
        query = select(func.count()).select_from(Organization).where(func.lower(column) == value.lower())
        if exclude_id is not None:
            query = query.where(Organization.id != exclude_id)
        return bool(session.scalar(query))

    if taken(Organization.name, values.name):
        raise DomainError(_("Another organization already has this name."), field="name")
    if taken(Organization.acronym, values.acronym):
        raise DomainError(_("Another organization already uses this acronym."), field="acronym")
    if values.iati_identifier and taken(Organization.iati_identifier, values.iati_identifier):
        raise DomainError(_("Another organization already has this IATI identifier."), field="iati_identifier")


def _clean(values: OrganizationValues) -> OrganizationValues:
    return OrganizationValues(
        name=values.name.strip(),
        acronym=values.acronym.strip(),
        kind=values.kind,
        country=values.country.strip().upper(),
        iati_identifier=(values.iati_identifier or "").strip() or None,
    )


def organization_create(session: Session, values: OrganizationValues) -> Organization:
    values = _clean(values)
    _check_unique(session, values, exclude_id=None)
    organization = Organization(**values.__dict__)
    session.add(organization)
    session.flush()
    return organization


def organization_update(session: Session, organization: Organization, values: OrganizationValues) -> Organization:
    values = _clean(values)
    _check_unique(session, values, exclude_id=organization.id)
    for key, value in values.__dict__.items():
        setattr(organization, key, value)
    session.flush()
    return organization


def organizations_all(session: Session) -> list[Organization]:
    return list(session.scalars(select(Organization).order_by(Organization.kind, Organization.acronym)))
