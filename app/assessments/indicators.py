"""Capacity indicators of a center against humanitarian standards. Pure functions: figures in, verdicts out.

The engineer enters raw figures (occupancy at peak, covered floor area, toilets, showers, taps, water per day,
accessible toilets); every indicator is computed from them, never typed. Verdicts compare exactly (by cross
multiplication), so a center at exactly the standard passes and rounding of the shown value never flips a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

MIN = "min"
MAX = "max"


class Shape(StrEnum):
    """How an indicator is computed from two figures."""

    PERSONS_PER = "persons_per"  # occupancy / resource, at most the threshold
    PER_PERSON = "per_person"  # resource / occupancy, at least the threshold
    SHARE = "share"  # part / whole as a percentage, at least the threshold


@dataclass(frozen=True)
class Figures:
    """What the engineer counted or measured. ``None`` means not recorded."""

    occupancy_peak: int | None = None
    covered_area_m2: Decimal | None = None
    toilets: int | None = None
    accessible_toilets: int | None = None
    showers: int | None = None
    taps: int | None = None
    water_litres_per_day: Decimal | None = None


@dataclass(frozen=True)
class Threshold:
    key: str
    comparator: str  # MIN or MAX
    value: Decimal
    unit: str


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    shape: Shape
    figure: str  # the resource figure (or the part, for a share)
    comparator: str
    default: Decimal
    unit: str


# Defaults, to be checked by the administrator (they can be changed on the standards page):
# - Sphere Handbook 2018, WASH standards 2.1 and 3.2, and Shelter standard 3: at least 15 litres of water per
#   person per day, at most 20 persons per toilet (communal/emergency), at least 3.5 m² of covered living space
#   per person.
# - Showers and taps have no single Sphere figure for reception centers; common humanitarian guidance (UNHCR
#   Emergency Handbook, WASH cluster camp guidance) uses at most 50 persons per shower and 250 persons per tap.
# - Accessible toilets: at least 15 % of toilets, as commonly recommended (about 15 % of people live with a
#   disability, WHO World Report on Disability).
SPECS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("persons_per_toilet", Shape.PERSONS_PER, "toilets", MAX, Decimal("20"), "persons/toilet"),
    IndicatorSpec("persons_per_shower", Shape.PERSONS_PER, "showers", MAX, Decimal("50"), "persons/shower"),
    IndicatorSpec("persons_per_tap", Shape.PERSONS_PER, "taps", MAX, Decimal("250"), "persons/tap"),
    IndicatorSpec(
        "litres_per_person_day", Shape.PER_PERSON, "water_litres_per_day", MIN, Decimal("15"), "L/person/day"
    ),
    IndicatorSpec("covered_area_per_person", Shape.PER_PERSON, "covered_area_m2", MIN, Decimal("3.5"), "m²/person"),
    IndicatorSpec("accessible_toilet_share", Shape.SHARE, "accessible_toilets", MIN, Decimal("15"), "%"),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}


def default_thresholds() -> dict[str, Threshold]:
    return {spec.key: Threshold(spec.key, spec.comparator, spec.default, spec.unit) for spec in SPECS}


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``ok`` is None when it cannot be judged (a figure is missing, or nobody is there).

    ``value`` is None when it cannot be computed; with ``ok`` False that means the resource is missing
    altogether (people but no toilet: infinitely many persons per toilet).
    """

    key: str
    value: Decimal | None
    threshold: Decimal
    comparator: str
    unit: str
    ok: bool | None

    @property
    def unlimited(self) -> bool:
        return self.value is None and self.ok is False


@dataclass(frozen=True)
class Capacity:
    """How many people the center can receive before the first standard breaks, and which resource limits it.

    ``limits`` gives, per capacity indicator, the people its resource supports; ``people`` is their minimum.
    """

    people: int | None
    limiting: str | None
    limits: dict[str, int]


def _figure(figures: Figures, name: str) -> Decimal | None:
    value = getattr(figures, name)
    return None if value is None else Decimal(value)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _within(value_num: Decimal, value_den: Decimal, threshold: Decimal, comparator: str) -> bool:
    """Whether num/den satisfies the threshold, compared without dividing (den > 0)."""
    if comparator == MAX:
        return value_num <= threshold * value_den
    return value_num >= threshold * value_den


def _indicator(spec: IndicatorSpec, figures: Figures, threshold: Threshold) -> Indicator:
    occupancy = _figure(figures, "occupancy_peak")
    resource = _figure(figures, spec.figure)

    def result(value: Decimal | None, ok: bool | None) -> Indicator:
        return Indicator(spec.key, value, threshold.value, threshold.comparator, threshold.unit, ok)

    if spec.shape is Shape.SHARE:
        whole = _figure(figures, "toilets")
        if resource is None or whole is None or whole <= 0:
            return result(None, None)
        return result(
            _round(resource * 100 / whole), _within(resource * 100, whole, threshold.value, threshold.comparator)
        )
    if occupancy is None or resource is None or occupancy <= 0:
        # Nobody there: persons per toilet is zero, but per-person supplies are undefined; either way nothing to
        # judge against a per-person standard.
        if spec.shape is Shape.PERSONS_PER and occupancy == 0 and resource is not None and resource > 0:
            return result(Decimal("0.00"), True)
        return result(None, None)
    if spec.shape is Shape.PERSONS_PER:
        if resource <= 0:
            return result(None, False)
        return result(_round(occupancy / resource), _within(occupancy, resource, threshold.value, threshold.comparator))
    return result(_round(resource / occupancy), _within(resource, occupancy, threshold.value, threshold.comparator))


def compute_indicators(figures: Figures, thresholds: dict[str, Threshold] | None = None) -> list[Indicator]:
    """Every indicator, in a fixed order; thresholds missing from ``thresholds`` take their default."""
    chosen = default_thresholds() | (thresholds or {})
    return [_indicator(spec, figures, chosen[spec.key]) for spec in SPECS]


def _people_supported(spec: IndicatorSpec, resource: Decimal, threshold: Decimal) -> int | None:
    """The most people ``resource`` serves within the standard; None when the standard sets no limit."""
    if spec.shape is Shape.PERSONS_PER:
        return int((resource * threshold).to_integral_value(rounding=ROUND_FLOOR))
    if threshold <= 0:
        return None
    return int((resource / threshold).to_integral_value(rounding=ROUND_FLOOR))


def compute_capacity(figures: Figures, thresholds: dict[str, Threshold] | None = None) -> Capacity:
    """People the center can receive before any per-person standard breaks (the accessible share is not one).

    Resources not recorded are left out; with none recorded the capacity is unknown.
    """
    chosen = default_thresholds() | (thresholds or {})
    limits: dict[str, int] = {}
    for spec in SPECS:
        if spec.shape is Shape.SHARE:
            continue
        resource = _figure(figures, spec.figure)
        if resource is None or resource < 0:
            continue
        supported = _people_supported(spec, resource, chosen[spec.key].value)
        if supported is not None:
            limits[spec.key] = supported
    if not limits:
        return Capacity(None, None, {})
    # Ties go to the first in SPECS order, so the answer is stable.
    limiting = min(limits, key=lambda key: limits[key])
    return Capacity(limits[limiting], limiting, limits)


@dataclass(frozen=True)
class Comparison:
    """One indicator before (an earlier assessment) and after (this one)."""

    key: str
    before: Indicator | None
    after: Indicator

    @property
    def trend(self) -> str | None:
        """ "better", "worse" or "same" relative to the standard's direction; None when it cannot be said."""
        before, after = self.before, self.after
        if before is None:
            return None
        if before.unlimited or after.unlimited:
            if before.unlimited and after.unlimited:
                return "same"
            if after.value is None and not after.unlimited:
                return None
            return "better" if before.unlimited else ("worse" if before.value is not None else None)
        if before.value is None or after.value is None:
            return None
        if before.value == after.value:
            return "same"
        lower_is_better = after.comparator == MAX
        return "better" if (after.value < before.value) == lower_is_better else "worse"


def compare_indicators(before: list[Indicator] | None, after: list[Indicator]) -> list[Comparison]:
    earlier = {indicator.key: indicator for indicator in before or []}
    return [Comparison(indicator.key, earlier.get(indicator.key), indicator) for indicator in after]
