"""Demo data: the three centers of the seed, the organizations around them and one account per role.

Loaded by ``flask demo`` (and ``make run``). Idempotent: a second run changes nothing. Never loaded into a
production database unless someone asks for it by name.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.services import user_create
from app.centers.models import Center
from app.core.enums import OrganizationKind, Population, Role
from app.organizations.models import Organization

DEMO_PASSWORD = "rehabilita-demo"  # noqa: S105 (documented demo credential, demo data only)

ORGANIZATIONS = [
    ("International Organization for Migration", "IOM", OrganizationKind.UN_AGENCY, "XM", "XM-DAC-47066"),
    ("Dirección de Niñez, Adolescencia y Familia", "DINAF", OrganizationKind.GOVERNMENT, "HN", None),
    (
        "Secretaría de Relaciones Exteriores y Cooperación Internacional",
        "SRECI",
        OrganizationKind.GOVERNMENT,
        "HN",
        None,
    ),
    ("Oficina Administradora de Bienes Incautados", "OABI", OrganizationKind.GOVERNMENT, "HN", None),
    ("Municipalidad de San Pedro Sula", "MSPS", OrganizationKind.MUNICIPALITY, "HN", None),
    ("Municipalidad de Omoa", "MOMOA", OrganizationKind.MUNICIPALITY, "HN", None),
    ("United Nations Children's Fund", "UNICEF", OrganizationKind.UN_AGENCY, "XM", "XM-DAC-41122"),
    (
        "United Nations High Commissioner for Refugees",
        "UNHCR",
        OrganizationKind.UN_AGENCY,
        "XM",
        "XM-DAC-41121",
    ),
    ("United States Agency for International Development", "USAID", OrganizationKind.DONOR, "US", "US-GOV-1"),
    ("Global Affairs Canada", "GAC", OrganizationKind.DONOR, "CA", "CA-3"),
    ("Luxembourg Ministry of Foreign and European Affairs", "LUX", OrganizationKind.DONOR, "LU", None),
    ("Swedish International Development Cooperation Agency", "SIDA", OrganizationKind.DONOR, "SE", "SE-0"),
]

CENTERS = [
    {
        "code": "CAMR-SPS",
        "name": "Centro de Atención al Migrante Retornado San Pedro Sula",
        "population": Population.RETURNED_ADULTS,
        "admin": "SRECI",
        "department": "Cortés",
        "municipality": "San Pedro Sula",
        "address": "San Pedro Sula, Cortés",
        "latitude": Decimal("15.504600"),
        "longitude": Decimal("-88.025000"),
        "capacity": 300,
        "usual_occupancy": 180,
    },
    {
        "code": "CAMR-OMOA",
        "name": "Centro de Atención al Migrante Retornado Omoa",
        "population": Population.UNACCOMPANIED_CHILDREN,
        "admin": "DINAF",
        "department": "Cortés",
        "municipality": "Omoa",
        "address": "Omoa, Cortés",
        "latitude": Decimal("15.776000"),
        "longitude": Decimal("-88.037000"),
        "capacity": 60,
        "usual_occupancy": 35,
    },
    {
        "code": "CANFM-BELEN",
        "name": "Centro de Atención para Niñez y Familias Migrantes Belén",
        "population": Population.CHILDREN_AND_FAMILIES,
        "admin": "DINAF",
        "department": "Cortés",
        "municipality": "San Pedro Sula",
        "address": "Barrio Belén, San Pedro Sula, Cortés",
        "latitude": Decimal("15.510000"),
        "longitude": Decimal("-88.015000"),
        "capacity": 120,
        "usual_occupancy": 70,
    },
]

USERS = [
    ("admin@example.org", "Ana Administradora", Role.ADMIN, "IOM"),
    ("manager@example.org", "Mario Gerente", Role.MANAGER, "IOM"),
    ("engineer@example.org", "Elena Ingeniera", Role.ENGINEER, "IOM"),
    ("donor@example.org", "Diana Donante", Role.DONOR, "USAID"),
]


def load_demo(session: Session) -> bool:
    """Add what is missing of the demo data. Returns False when it was all there already."""
    changed = False
    orgs = {org.acronym: org for org in session.scalars(select(Organization))}
    for name, acronym, kind, country, iati in ORGANIZATIONS:
        if acronym not in orgs:
            orgs[acronym] = Organization(name=name, acronym=acronym, kind=kind, country=country, iati_identifier=iati)
            session.add(orgs[acronym])
            changed = True
    session.flush()

    for email, name, role, org in USERS:
        if session.scalar(select(User).where(User.email == email)) is None:
            user_create(
                session,
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                organization_id=orgs[org].id,
            )
            changed = True

    existing = set(session.scalars(select(Center.code)))
    for spec in CENTERS:
        if spec["code"] in existing:
            continue
        values = {k: v for k, v in spec.items() if k != "admin"}
        session.add(Center(**values, administering_org_id=orgs[str(spec["admin"])].id))
        changed = True
    session.flush()

    from app.projects.demo import load_demo_projects

    changed = load_demo_projects(session) or changed

    from app.assessments.demo import load_demo_assessments

    changed = load_demo_assessments(session) or changed

    from app.agreements.demo import load_demo_agreements

    changed = load_demo_agreements(session) or changed

    from app.budgets.demo import load_demo_budgets

    changed = load_demo_budgets(session) or changed

    from app.core.storage import storage
    from app.photos.demo import load_demo_photos

    changed = load_demo_photos(session, storage()) or changed
    return changed
