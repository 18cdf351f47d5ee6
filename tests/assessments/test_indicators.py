"""Capacity indicators: worked examples an engineer can check by hand, and properties that hold for any figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.assessments.indicators import (
    SPECS,
    Figures,
    Shape,
    Threshold,
    compare_indicators,
    compute_capacity,
    compute_indicators,
    default_thresholds,
)


def _by_key(figures: Figures, thresholds: dict[str, Threshold] | None = None) -> dict[str, object]:
    return {indicator.key: indicator for indicator in compute_indicators(figures, thresholds)}


CAMR = Figures(
    occupancy_peak=180,
    covered_area_m2=Decimal("540"),
    toilets=8,
    accessible_toilets=1,
    showers=4,
    taps=2,
    water_litres_per_day=Decimal("3600"),
)


def test_worked_example_of_a_crowded_center() -> None:
    result = _by_key(CAMR)
    toilet = result["persons_per_toilet"]
    assert toilet.value == Decimal("22.50") and toilet.ok is False  # 180 / 8 > 20
    assert result["persons_per_shower"].value == Decimal("45.00") and result["persons_per_shower"].ok is True
    assert result["persons_per_tap"].value == Decimal("90.00") and result["persons_per_tap"].ok is True
    assert result["litres_per_person_day"].value == Decimal("20.00") and result["litres_per_person_day"].ok is True
    assert result["covered_area_per_person"].value == Decimal("3.00")
    assert result["covered_area_per_person"].ok is False  # 540 / 180 = 3 m² < 3.5 m²
    assert result["accessible_toilet_share"].value == Decimal("12.50")
    assert result["accessible_toilet_share"].ok is False  # 1 of 8 < 15 %


def test_limiting_resource_is_the_first_standard_to_break() -> None:
    capacity = compute_capacity(CAMR)
    # toilets 8*20=160, showers 4*50=200, taps 2*250=500, water 3600/15=240, space 540/3.5=154.28 → 154
    assert capacity.limits == {
        "persons_per_toilet": 160,
        "persons_per_shower": 200,
        "persons_per_tap": 500,
        "litres_per_person_day": 240,
        "covered_area_per_person": 154,
    }
    assert capacity.people == 154
    assert capacity.limiting == "covered_area_per_person"


def test_exactly_at_the_standard_passes() -> None:
    result = _by_key(Figures(occupancy_peak=40, toilets=2, water_litres_per_day=Decimal("600")))
    assert result["persons_per_toilet"].ok is True  # 40 / 2 = 20, the limit itself
    assert result["litres_per_person_day"].ok is True  # 600 / 40 = 15


def test_missing_figures_leave_indicators_unjudged_without_crashing() -> None:
    result = _by_key(Figures())
    assert all(indicator.value is None and indicator.ok is None for indicator in result.values())
    assert compute_capacity(Figures()).people is None
    only_toilets = compute_capacity(Figures(toilets=3))
    assert (only_toilets.people, only_toilets.limiting) == (60, "persons_per_toilet")


def test_zero_occupancy_and_zero_resources() -> None:
    empty = _by_key(Figures(occupancy_peak=0, toilets=4, water_litres_per_day=Decimal("100")))
    assert empty["persons_per_toilet"].value == Decimal("0") and empty["persons_per_toilet"].ok is True
    assert empty["litres_per_person_day"].ok is None  # per person of nobody: nothing to judge
    no_toilets = _by_key(Figures(occupancy_peak=30, toilets=0))
    assert no_toilets["persons_per_toilet"].ok is False and no_toilets["persons_per_toilet"].unlimited
    assert no_toilets["accessible_toilet_share"].ok is None
    capacity = compute_capacity(Figures(occupancy_peak=30, toilets=0, showers=2))
    assert (capacity.people, capacity.limiting) == (0, "persons_per_toilet")


def test_changed_thresholds_change_the_verdict_and_the_capacity() -> None:
    stricter = default_thresholds() | {"persons_per_toilet": Threshold("persons_per_toilet", "max", Decimal("15"), "")}
    assert _by_key(Figures(occupancy_peak=36, toilets=2), stricter)["persons_per_toilet"].ok is False
    assert compute_capacity(Figures(toilets=2), stricter).people == 30


def test_before_and_after_trend_follows_the_direction_of_the_standard() -> None:
    before = compute_indicators(CAMR)
    after = compute_indicators(Figures(**{**CAMR.__dict__, "toilets": 10, "covered_area_m2": Decimal("500")}))
    trends = {row.key: row.trend for row in compare_indicators(before, after)}
    assert trends["persons_per_toilet"] == "better"  # fewer persons per toilet
    assert trends["covered_area_per_person"] == "worse"  # less space per person
    assert trends["persons_per_tap"] == "same"
    assert all(row.trend is None for row in compare_indicators(None, after))


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=5000))
measures = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False))
figures_strategy = st.builds(
    Figures,
    occupancy_peak=counts,
    covered_area_m2=measures,
    toilets=counts,
    accessible_toilets=counts,
    showers=counts,
    taps=counts,
    water_litres_per_day=measures,
)


@given(figures_strategy)
def test_capacity_never_exceeds_any_single_resources_limit(figures: Figures) -> None:
    capacity = compute_capacity(figures)
    if capacity.people is None:
        assert not capacity.limits
        return
    assert all(capacity.people <= limit for limit in capacity.limits.values())
    assert capacity.limits[capacity.limiting] == capacity.people


@given(figures_strategy)
def test_adding_a_toilet_never_lowers_capacity(figures: Figures) -> None:
    # Toilets counted (an unrecorded count is not "no toilets": it leaves toilets out of the capacity).
    counted = Figures(**{**figures.__dict__, "toilets": figures.toilets or 0})
    more = Figures(**{**counted.__dict__, "toilets": counted.toilets + 1})  # type: ignore[operator]
    before, after = compute_capacity(counted), compute_capacity(more)
    assert before.people is not None and after.people is not None
    assert after.people >= before.people


@given(figures_strategy)
def test_capacity_is_exactly_where_the_first_per_person_standard_breaks(figures: Figures) -> None:
    """With as many people as the capacity, every per-person standard holds; with one more, one breaks."""
    capacity = compute_capacity(figures)
    if capacity.people is None or capacity.people == 0:
        return
    per_person = {spec.key for spec in SPECS if spec.shape is not Shape.SHARE}
    at_capacity = _by_key(Figures(**{**figures.__dict__, "occupancy_peak": capacity.people}))
    assert all(at_capacity[key].ok is not False for key in per_person)
    beyond = _by_key(Figures(**{**figures.__dict__, "occupancy_peak": capacity.people + 1}))
    assert beyond[capacity.limiting].ok is False
