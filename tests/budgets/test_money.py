"""Money arithmetic: Decimal to the cent, never a float; conversion with a dated rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.budgets.money import (
    Money,
    MoneyError,
    RateBook,
    StoredRate,
    cents,
    decimal_from_cell,
    line_total,
    parse_amount,
    parse_decimal,
    to_cents,
)

amounts = st.decimals(min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=2)
quantities = st.decimals(min_value=Decimal(0), max_value=Decimal("100000"), places=3)
unit_costs = st.decimals(min_value=Decimal(0), max_value=Decimal("1000000"), places=2)
rates = st.decimals(min_value=Decimal("1"), max_value=Decimal("10000"), places=6)


@given(st.lists(st.tuples(quantities, unit_costs), max_size=200))
def test_the_total_of_a_budget_is_the_sum_of_its_rounded_line_totals(lines: list[tuple[Decimal, Decimal]]) -> None:
    totals = [line_total(q, c) for q, c in lines]
    assert all(total == cents(total) for total in totals)
    assert sum(totals, Decimal(0)) == Decimal(sum(to_cents(t) for t in totals)) / 100
    # Adding in any order gives the same total: Decimal sums of cents are exact.
    assert sum(reversed(totals), Decimal(0)) == sum(totals, Decimal(0))


@given(quantities, unit_costs)
def test_a_line_total_is_rounded_half_up_once(quantity: Decimal, unit_cost: Decimal) -> None:
    exact = quantity * unit_cost
    total = line_total(quantity, unit_cost)
    assert abs(total - exact) <= Decimal("0.005")
    if exact - exact.quantize(Decimal("0.01"), rounding="ROUND_DOWN") == Decimal("0.005"):
        assert total > exact


@given(amounts, rates)
def test_converting_there_and_back_with_one_rate_stays_within_a_cent(amount: Decimal, rate: Decimal) -> None:
    book = RateBook([StoredRate("USD", "HNL", rate, date(2025, 1, 1))])
    there = book.rate("USD", "HNL", date(2025, 6, 1))
    back = book.rate("HNL", "USD", date(2025, 6, 1))
    assert there is not None and back is not None and back.inverted
    assert abs(back.convert(there.convert(amount)) - amount) <= Decimal("0.01")


@given(amounts, rates)
def test_converting_from_the_weaker_currency_and_back_is_off_by_at_most_half_a_cent_of_the_stronger(
    amount: Decimal, rate: Decimal
) -> None:
    book = RateBook([StoredRate("USD", "HNL", rate, date(2025, 1, 1))])
    to_usd, to_hnl = book.rate("HNL", "USD", date(2025, 2, 1)), book.rate("USD", "HNL", date(2025, 2, 1))
    assert to_usd is not None and to_hnl is not None
    # One US cent is worth `rate` lempira cents: no better can be done with amounts kept to the cent.
    assert abs(to_hnl.convert(to_usd.convert(amount)) - amount) <= Decimal("0.005") * rate + Decimal("0.005")


def test_the_latest_rate_on_or_before_the_date_is_used_and_says_which() -> None:
    book = RateBook(
        [
            StoredRate("USD", "HNL", Decimal("24.50"), date(2025, 1, 1)),
            StoredRate("USD", "HNL", Decimal("24.80"), date(2025, 6, 1)),
        ]
    )
    assert book.rate("USD", "HNL", date(2024, 12, 31)) is None
    may = book.rate("USD", "HNL", date(2025, 5, 31))
    june = book.rate("USD", "HNL", date(2025, 6, 1))
    assert may is not None and (may.stored, may.valid_on) == (Decimal("24.50"), date(2025, 1, 1))
    assert june is not None and june.convert(Decimal("100")) == Decimal("2480.00")
    inverse = book.rate("HNL", "USD", date(2025, 7, 1))
    assert inverse is not None and inverse.stored_pair == ("USD", "HNL")
    assert inverse.convert(Decimal("2480.00")) == Decimal("100.00")


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-inf", "1e5", "12,34", "1.2.3", "", "abc", "0x10"])
def test_amounts_that_are_not_plain_numbers_are_refused(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_an_amount_with_more_than_two_decimals_is_refused_with_a_message() -> None:
    with pytest.raises(MoneyError, match="2 decimals"):
        parse_amount("10.005")
    assert parse_decimal("10.005", places=3) == Decimal("10.005")


def test_amounts_people_type_are_read_exactly() -> None:
    assert parse_amount("1,234.5") == Decimal("1234.50")
    assert parse_amount(" 7 ") == Decimal("7.00")
    assert parse_amount("-0.10") == Decimal("-0.10")


def test_a_float_never_becomes_money() -> None:
    with pytest.raises(TypeError):
        parse_amount(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(0.1, "USD")  # type: ignore[arg-type]


def test_spreadsheet_numbers_come_back_as_the_number_typed() -> None:
    assert decimal_from_cell(0.1 + 0.2) == Decimal("0.3")
    assert decimal_from_cell(12.5) == Decimal("12.5")
    assert decimal_from_cell(7) == Decimal(7)
    assert decimal_from_cell(float("nan")) == "NaN"
    assert decimal_from_cell("  ") is None


def test_money_in_different_currencies_does_not_add_up() -> None:
    with pytest.raises(ValueError, match="cannot add"):
        Money(Decimal("1.00"), "USD") + Money(Decimal("1.00"), "HNL")
