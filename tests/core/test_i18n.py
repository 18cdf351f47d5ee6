from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_currency, format_date, format_decimal

from app.auth.models import User
from app.core.enums import Role
from app.extensions import db
from tests.conftest import login
from tests.factories import make_user


def test_spanish_is_the_default_language(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


def test_anonymous_visitor_switches_to_english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_language_choice_is_remembered_per_user(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user_id = make_user(Role.MANAGER, email="maria@example.org").id
    login(client, "maria@example.org")
    client.post("/language", data={"lang": "en"})
    client.post("/logout", data={})
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"
    other_browser = app.test_client()
    login(other_browser, "maria@example.org")
    assert '<html lang="en">' in other_browser.get("/dashboard").get_data(as_text=True)


def test_unknown_language_is_refused(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "xx"})
    assert '<html lang="es">' in client.get("/login").get_data(as_text=True)


def test_dates_numbers_and_money_follow_the_locale(app_ctx: Flask) -> None:
    with force_locale("es_HN"):
        assert format_date(date(2025, 3, 7), "long").endswith("de marzo de 2025")
        assert format_decimal(Decimal("1234.5")) == "1,234.5"
        assert "L" in format_currency(Decimal("1500.00"), "HNL")
    with force_locale("en_US"):
        assert format_date(date(2025, 3, 7), "long") == "March 7, 2025"
        assert format_currency(Decimal("1500.00"), "USD") == "$1,500.00"


def test_language_chosen_before_signing_in_is_kept_after_it(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user_id = make_user(Role.ENGINEER, email="eng@example.org").id
    client.post("/language", data={"lang": "en"})
    login(client, "eng@example.org")
    assert '<html lang="en">' in client.get("/dashboard", headers={"Accept-Language": "es"}).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"


def test_money_is_written_as_babel_writes_it_in_each_locale(app_ctx: Flask) -> None:
    """The remembered formatting gives what Babel gives, per locale and currency, and never mixes them up."""
    from babel.numbers import format_currency as babel_currency

    from app.core.i18n import money

    amounts = [Decimal("0"), Decimal("1.5"), Decimal("1.50"), Decimal("-2500.75"), Decimal("1234567.891")]
    for locale in ("es_HN", "en_US"):
        with force_locale(locale):
            for currency in ("HNL", "USD", "EUR"):
                for amount in amounts * 2:  # the second time from what was remembered
                    assert money(amount, currency) == babel_currency(amount, currency, locale=locale)
    with force_locale("en_US"):
        assert money(Decimal("1500"), "USD") == "$1,500.00"
    with force_locale("es_HN"):
        assert money(Decimal("1500"), "HNL").startswith("L")
    assert money(None, "USD") == ""
