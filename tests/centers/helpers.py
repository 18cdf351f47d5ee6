"""What a manager would type for a center, with the parts each test changes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from app.centers.services import CenterValues
from app.core.enums import Population

SPS = CenterValues(
    code="camr-sps",
    name="Centro de Atención al Migrante Retornado San Pedro Sula",
    population=Population.RETURNED_ADULTS,
    department="Cortés",
    municipality="San Pedro Sula",
    address="Col. Trejo, San Pedro Sula",
    latitude=Decimal("15.5046"),
    longitude=Decimal("-88.025"),
    capacity=300,
    usual_occupancy=180,
    contact_name="Marta López",
    contact_phone="+504 2550-0000",
    contact_email="camr.sps@example.org",
)


def center_values(**changes: Any) -> CenterValues:
    return replace(SPS, **changes)


def form_data(**changes: Any) -> dict[str, str]:
    """The same center as the browser posts it."""
    data = {
        "code": "CAMR-SPS",
        "name": SPS.name,
        "population": SPS.population.value,
        "administering_org_id": "0",
        "department": SPS.department,
        "municipality": SPS.municipality,
        "address": SPS.address,
        "latitude": "15.5046",
        "longitude": "-88.025",
        "capacity": "300",
        "usual_occupancy": "180",
        "contact_name": SPS.contact_name,
        "contact_phone": SPS.contact_phone,
        "contact_email": SPS.contact_email,
    }
    data.update({key: str(value) for key, value in changes.items()})
    return data
