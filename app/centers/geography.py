"""The geography the register needs: the departments of Honduras and the box the country fits in."""

from __future__ import annotations

from decimal import Decimal

# The 18 departments, spelled as Hondurans write them (proper names: not translated).
DEPARTMENTS: tuple[str, ...] = (
    "Atlántida",
    "Choluteca",
    "Colón",
    "Comayagua",
    "Copán",
    "Cortés",
    "El Paraíso",
    "Francisco Morazán",
    "Gracias a Dios",
    "Intibucá",
    "Islas de la Bahía",
    "La Paz",
    "Lempira",
    "Ocotepeque",
    "Olancho",
    "Santa Bárbara",
    "Valle",
    "Yoro",
)

# A box around the mainland, the Bay Islands and the Swan Islands. A point outside it is almost always a typing
# slip (a missing minus sign, latitude and longitude swapped), so the register refuses it.
LAT_MIN, LAT_MAX = Decimal("12.9"), Decimal("17.5")
LON_MIN, LON_MAX = Decimal("-89.4"), Decimal("-83.1")


def inside_honduras_box(latitude: Decimal, longitude: Decimal) -> bool:
    return LAT_MIN <= latitude <= LAT_MAX and LON_MIN <= longitude <= LON_MAX
