"""Money as ``Decimal`` with a currency code: parsing, rounding to the cent and conversion with a dated rate.

Pure functions, no database and no request: the services and the spreadsheet import both use them. Never a float:
a float that reaches :func:`parse_amount` is refused, and spreadsheet numbers go through :func:`decimal_from_cell`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")
# Every currency here has two decimal places (ISO 4217 minor unit 2).
CURRENCIES: tuple[str, ...] = ("USD", "HNL", "EUR", "CAD", "SEK")
REPORTING_CURRENCY = "USD"
# Totals are summed in SQL as whole cents; on SQLite a NUMERIC value is a double, exact only below 2**53 cents.
# One trillion is far above any budget line and keeps every sum of many lines exact on both databases.
MAX_AMOUNT = Decimal("1000000000000")

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class MoneyError(ValueError):
    """A value people typed is not an acceptable number; ``message`` is translated, ready for a form field."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = str(message)


def cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent, halves away from zero (as accountants and spreadsheets round)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def from_cents(value: int | None) -> Decimal:
    return (Decimal(value or 0) / 100).quantize(CENT)


def to_cents(amount: Decimal) -> int:
    return int(cents(amount) * 100)


def line_total(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """Quantity x unit cost, rounded once, to the cent: every total and sum is built from these."""
    return cents(quantity * unit_cost)


def parse_decimal(text: str | Decimal | int, *, places: int, label: object = None) -> Decimal:
    """A number people typed ("1,234.50", "1234.5", " 7 "), with at most ``places`` decimals.

    Refuses floats (they have lost the decimal already), NaN, infinities, exponents and more decimals than
    ``places``, with a message that names ``label`` when given.
    """
    if isinstance(text, float):
        raise TypeError("money is never a float")
    if isinstance(text, bool):
        raise MoneyError(_l("Enter a number."))
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
        if _GROUPED_NUMBER.match(cleaned):
            cleaned = cleaned.replace(",", "")
        if not _PLAIN_NUMBER.match(cleaned):
            raise MoneyError(_l("Enter a number such as 1234.50 (a point for decimals)."))
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise MoneyError(_l("Enter a number such as 1234.50 (a point for decimals).")) from None
    if not value.is_finite():
        raise MoneyError(_l("Enter a number such as 1234.50 (a point for decimals)."))
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            raise MoneyError(_l("Enter a whole number."))
        raise MoneyError(_l("Use at most %(places)s decimals.", places=places))
    if abs(value) >= MAX_AMOUNT:
        raise MoneyError(_l("This number is too large."))
    return value if places == 0 else value.quantize(Decimal(1).scaleb(-places))


def parse_amount(text: str | Decimal | int) -> Decimal:
    """An amount of money: at most two decimals."""
    return parse_decimal(text, places=2)


def decimal_from_cell(value: object) -> Decimal | str | None:
    """A spreadsheet cell as a Decimal when it holds a number, else its text (to be parsed), else None.

    Spreadsheets store numbers as binary doubles shown with 15 significant digits: reading them back with 15
    digits gives the number the person typed (0.1 + 0.2 is 0.3 there too), never the binary noise.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "NaN"
        return Decimal(format(value, ".15g")).normalize() + 0
    return str(value).strip() or None


def normalize_currency(text: str) -> str:
    code = (text or "").strip().upper()
    if code not in CURRENCIES:
        raise MoneyError(_l("Use one of these currencies: %(codes)s.", codes=", ".join(CURRENCIES)))
    return code


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def rounded(self) -> Money:
        return Money(cents(self.amount), self.currency)


@dataclass(frozen=True)
class Rate:
    """How to turn ``from_currency`` into ``to_currency``: with the rate stored for the pair from ``valid_on``.

    ``stored`` is the rate as recorded (one unit of the stored pair's first currency in the second); when only
    the opposite pair was recorded the conversion divides by it (``inverted``) instead of multiplying, so no
    precision is lost to a rounded reciprocal.
    """

    from_currency: str
    to_currency: str
    stored: Decimal
    valid_on: date
    inverted: bool = False

    def convert(self, amount: Decimal) -> Decimal:
        return cents(amount / self.stored if self.inverted else amount * self.stored)

    @property
    def stored_pair(self) -> tuple[str, str]:
        """The pair as recorded, to show the rate the way it was entered: 1 USD = 24.65 HNL."""
        if self.inverted:
            return self.to_currency, self.from_currency
        return self.from_currency, self.to_currency

    @property
    def is_identity(self) -> bool:
        return self.from_currency == self.to_currency


@dataclass(frozen=True)
class StoredRate:
    from_currency: str
    to_currency: str
    rate: Decimal
    valid_on: date


class RateBook:
    """Dated exchange rates; picks the latest one on or before a date, read directly or inverted."""

    def __init__(self, rates: Iterable[StoredRate]) -> None:
        self._by_pair: dict[tuple[str, str], list[StoredRate]] = {}
        for rate in rates:
            self._by_pair.setdefault((rate.from_currency, rate.to_currency), []).append(rate)
        for entries in self._by_pair.values():
            entries.sort(key=lambda r: r.valid_on)

    def _latest(self, pair: tuple[str, str], on: date) -> StoredRate | None:
        found = None
        for rate in self._by_pair.get(pair, ()):
            if rate.valid_on > on:
                break
            found = rate
        return found

    def rate(self, from_currency: str, to_currency: str, on: date) -> Rate | None:
        """The rate to use on ``on``: the latest stored on or before it, the direct pair preferred when both
        directions were stored on that same latest date. None when no rate is known by then."""
        if from_currency == to_currency:
            return Rate(from_currency, to_currency, Decimal(1), on)
        direct = self._latest((from_currency, to_currency), on)
        inverse = self._latest((to_currency, from_currency), on)
        if direct and (inverse is None or direct.valid_on >= inverse.valid_on):
            return Rate(from_currency, to_currency, direct.rate, direct.valid_on)
        if inverse:
            return Rate(from_currency, to_currency, inverse.rate, inverse.valid_on, inverted=True)
        return None


def convert(money: Money, to_currency: str, rate: Rate) -> Money:
    if rate.from_currency != money.currency or rate.to_currency != to_currency:
        raise ValueError("rate does not match the currencies")
    return Money(rate.convert(money.amount), to_currency)
