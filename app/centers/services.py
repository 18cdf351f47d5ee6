"""The register of centers. Functions take a session and values, flush, and never commit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from app.centers.geography import DEPARTMENTS, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from app.centers.models import Center
from app.core.audit.models import AuditEntry
from app.core.audit.services import DONOR_FEED_TYPES, FEED_NOISE
from app.core.database import flush_or_explain
from app.core.enums import Population
from app.core.errors import Conflict, DomainError
from app.core.permissions import STAFF
from app.core.timeutil import utcnow
from app.organizations.models import Organization
from app.projects.models import Project
from app.projects.services import projects_visible_query

CODE_PATTERN = re.compile(r"^[\w.-]+$")
SIX_PLACES = Decimal("0.000001")
# Donors see where a center is to about a kilometre, never the exact door (see can_view_staff_only_data).
DONOR_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CenterValues:
    """What a person types about a center; the services clean and check it before it reaches the record."""

    code: str
    name: str
    population: Population
    department: str
    municipality: str
    administering_org_id: int | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    capacity: int | None = None
    usual_occupancy: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    @classmethod
    def of(cls, center: Center) -> CenterValues:
        return cls(**{name: getattr(center, name) for name in CENTER_FIELDS})


CENTER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CenterValues))


@dataclass(frozen=True)
class CenterFilter:
    population: Population | None = None
    department: str | None = None
    include_archived: bool = False


# --- checking what was typed ----------------------------------------------------------------------------
def _text(value: str | None, field: str, max_length: int, required_message: str | None = None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > max_length:
        raise DomainError(_("Use at most %(n)d characters.", n=max_length), field=field)
    return value


def _code(session: Session, raw: str, center: Center | None) -> str:
    # Capitals first: some letters grow when capitalised (ß → SS), and the stored code is the capitalised one.
    code = _text((raw or "").upper(), "code", 32, _("The short code is required."))
    if not CODE_PATTERN.match(code):
        raise DomainError(
            _("Use only letters, digits, dots and dashes in the code, for example CAMR-SPS."), field="code"
        )
    query = select(func.count()).select_from(Center).where(func.upper(Center.code) == code)
    if center is not None and center.id is not None:
        query = query.where(Center.id != center.id)
    if session.scalar(query):
        raise DomainError(_("Another center already uses the code %(code)s.", code=code), field="code")
    return code


def _coordinate(value: Decimal | None, field: str, limit: int) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or not -limit <= value <= limit:
        if field == "latitude":
            raise DomainError(_("A latitude lies between -90 and 90 degrees."), field=field)
        raise DomainError(_("A longitude lies between -180 and 180 degrees."), field=field)
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _position(latitude: Decimal | None, longitude: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither, within the globe, and inside the box around Honduras."""
    latitude = _coordinate(latitude, "latitude", 90)
    longitude = _coordinate(longitude, "longitude", 180)
    if latitude is None and longitude is None:
        return None, None
    if latitude is None:
        raise DomainError(_("Give the latitude too, or leave both coordinates empty."), field="latitude")
    if longitude is None:
        raise DomainError(_("Give the longitude too, or leave both coordinates empty."), field="longitude")
    bounds = {"lat_min": LAT_MIN, "lat_max": LAT_MAX, "lon_min": LON_MIN, "lon_max": LON_MAX}
    if not LAT_MIN <= latitude <= LAT_MAX:
        if LAT_MIN <= longitude <= LAT_MAX and LON_MIN <= latitude <= LON_MAX:
            raise DomainError(
                _("Latitude and longitude seem swapped: put the negative number in the longitude."), field="latitude"
            )
        raise DomainError(
            _("This latitude is outside Honduras (between %(lat_min)s and %(lat_max)s); check the number.", **bounds),
            field="latitude",
        )
    if not LON_MIN <= longitude <= LON_MAX:
        if LON_MIN <= -longitude <= LON_MAX:
            raise DomainError(
                _(
                    "This longitude is outside Honduras: longitudes in Honduras are negative (west of Greenwich). "
                    "Did you forget the minus sign?"
                ),
                field="longitude",
            )
        raise DomainError(
            _("This longitude is outside Honduras (between %(lon_min)s and %(lon_max)s); check the number.", **bounds),
            field="longitude",
        )
    return latitude, longitude


def _count(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise DomainError(_("A number of persons cannot be negative."), field=field)
    return value


def _clean(session: Session, values: CenterValues, center: Center | None = None) -> CenterValues:
    if not isinstance(values.population, Population):
        raise DomainError(_("Choose the population the center serves."), field="population")
    if values.department not in DEPARTMENTS:
        raise DomainError(_("Choose one of the departments of Honduras."), field="department")
    if values.administering_org_id is not None and session.get(Organization, values.administering_org_id) is None:
        raise DomainError(_("Choose an existing organization."), field="administering_org_id")
    latitude, longitude = _position(values.latitude, values.longitude)
    email = _text(values.contact_email, "contact_email", 254)
    if email and ("@" not in email or " " in email):
        raise DomainError(_("Enter a valid e-mail address."), field="contact_email")
    return replace(
        values,
        code=_code(session, values.code, center),
        name=_text(values.name, "name", 200, _("The name is required.")),
        municipality=_text(values.municipality, "municipality", 120, _("The municipality is required.")),
        address=(values.address or "").strip(),
        latitude=latitude,
        longitude=longitude,
        capacity=_count(values.capacity, "capacity"),
        usual_occupancy=_count(values.usual_occupancy, "usual_occupancy"),
        contact_name=_text(values.contact_name, "contact_name", 120),
        contact_phone=_text(values.contact_phone, "contact_phone", 40),
        contact_email=email,
    )


def _flush(session: Session) -> None:
    flush_or_explain(session, _("Another center already uses this code."))


# --- changing the register -----------------------------------------------------------------------------
def center_create(session: Session, values: CenterValues) -> Center:
    """A new center in the register, with its code stored in capitals."""
    clean = _clean(session, values)
    center = Center(**{name: getattr(clean, name) for name in CENTER_FIELDS})
    session.add(center)
    _flush(session)
    return center


def _check_version(center: Center, expected_version: int | None) -> None:
    if expected_version is None or expected_version != center.version:
        raise Conflict(_("This record was changed by someone else while you edited it."))


def center_update(session: Session, center: Center, values: CenterValues, expected_version: int | None) -> Center:
    """Save new values, unless the center changed since the person loaded the version they edited."""
    _check_version(center, expected_version)
    clean = _clean(session, values, center)
    for name in CENTER_FIELDS:
        setattr(center, name, getattr(clean, name))
    _flush(session)
    return center


def center_archive(session: Session, center: Center, expected_version: int | None = None) -> Center:
    """Hide the center from lists and from new projects; its history stays."""
    if expected_version is not None:
        _check_version(center, expected_version)
    if center.archived:
        raise DomainError(_("This center is already archived."))
    center.archived_at = utcnow()
    _flush(session)
    return center


def center_restore(session: Session, center: Center, expected_version: int | None = None) -> Center:
    if expected_version is not None:
        _check_version(center, expected_version)
    if not center.archived:
        raise DomainError(_("This center is not archived."))
    center.archived_at = None
    _flush(session)
    return center


# --- reading the register ------------------------------------------------------------------------------
def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in STAFF)


def visible_projects_clause(user: Any) -> ColumnElement[bool]:
    """The projects this user may see (``can_view_project``), as a condition on ``Project``."""
    return Project.id.in_(projects_visible_query(user).with_only_columns(Project.id))


def visible_centers_clause(user: Any) -> ColumnElement[bool]:
    """The SQL twin of ``can_view_center``: staff see every center, a donor those of the projects it may see."""
    if _is_staff(user):
        return true()
    return Center.id.in_(projects_visible_query(user).with_only_columns(Project.center_id))


def centers_query(filters: CenterFilter, user: Any) -> Select[Center]:
    """The centers this user may see, narrowed by the filters, in code order."""
    query = select(Center).where(visible_centers_clause(user)).order_by(Center.code)
    if not filters.include_archived:
        query = query.where(Center.archived_at.is_(None))
    if filters.population:
        query = query.where(Center.population == filters.population)
    if filters.department:
        query = query.where(Center.department == filters.department)
    return query


def center_project_counts(session: Session, center_ids: Iterable[int], user: Any) -> dict[int, int]:
    """How many projects (that this user may see) each center has, in one query."""
    ids = sorted(set(center_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Project.center_id, func.count(Project.id))
        .where(Project.center_id.in_(ids), visible_projects_clause(user))
        .group_by(Project.center_id)
    )
    return {center_id: count for center_id, count in rows}


def center_projects(session: Session, center: Center, user: Any) -> list[Project]:
    """The center's projects this user may see, with their phases, oldest first."""
    query = (
        select(Project)
        .where(Project.center_id == center.id, visible_projects_clause(user))
        .options(selectinload(Project.phases))
        .order_by(Project.planned_start, Project.code)
    )
    return list(session.scalars(query).unique())


def center_timeline(session: Session, center: Center, limit: int = 50, viewer: Any = None) -> list[AuditEntry]:
    """Everything that happened at the center, newest first, in one query.

    Staff (or no ``viewer``) see changes to the center itself and to all its projects; a donor sees the
    changes to the projects it may see, and not those to the center's record (contacts, exact position).
    """
    projects = select(Project.id).where(Project.center_id == center.id)
    if viewer is None or _is_staff(viewer):
        where = or_(AuditEntry.center_id == center.id, AuditEntry.project_id.in_(projects))
    else:
        where = AuditEntry.project_id.in_(projects.where(visible_projects_clause(viewer))) & (
            AuditEntry.entity_type.in_(DONOR_FEED_TYPES)
        )
    where = where & AuditEntry.entity_type.not_in(FEED_NOISE)
    query = select(AuditEntry).where(where).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query).unique())


def map_position(center: Center, exact: bool) -> tuple[float, float] | None:
    """Where to put the center's marker: exact for staff, rounded to about a kilometre for donors."""
    if center.latitude is None or center.longitude is None:
        return None
    if exact:
        return float(center.latitude), float(center.longitude)
    return (
        float(center.latitude.quantize(DONOR_PLACES, rounding=ROUND_HALF_UP)),
        float(center.longitude.quantize(DONOR_PLACES, rounding=ROUND_HALF_UP)),
    )
