"""Language choice and locale-aware formatting (Spanish of Honduras by default, English)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency as babel_format_currency
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_login import current_user

# Babel locale used for each language the interface speaks: numbers, dates and money as people there write them.
FORMAT_LOCALES = {"es": "es_HN", "en": "en_US"}


def supported_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def chosen_language() -> str:
    """The user's saved language, else this browser session's choice, else the browser's, else Spanish."""
    languages = supported_languages()
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if request.blueprint == "api" and request.headers.get("Accept-Language"):
        # An API client names its language on each request; that wins over the language saved for the person.
        asked = request.accept_languages.best_match(languages)
        if asked:
            return str(asked)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    remembered = session.get("lang")
    if remembered in languages:
        return str(remembered)
    best = request.accept_languages.best_match(languages) if request else None
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale() -> str:
    return FORMAT_LOCALES.get(chosen_language(), chosen_language())


def money(amount: Decimal | None, currency: str) -> str:
    """An amount with its currency as the locale writes it (Babel), remembered: a dashboard shows the same few
    hundred amounts on every request, and Babel takes ~60 µs to lay out each one."""
    if amount is None:
        return ""
    locale = get_locale()
    return _money_text(amount, currency, str(locale) if locale is not None else FORMAT_LOCALES["es"])


@lru_cache(maxsize=8192)
def _money_text(amount: Decimal, currency: str, locale: str) -> str:
    # Equal amounts written with more or fewer zeros (1.5, 1.50) format alike: currency digits decide the decimals.
    return babel_format_currency(amount, currency, locale=locale)


def file_size(size: int) -> str:
    """A byte count as people read it: 900 kB, 1,5 MB, 12 MB (decimal units, the locale's separator)."""
    if size < 1_000_000:
        return f"{format_decimal(max(size, 1_000) // 1_000)} kB"
    megabytes = Decimal(size) / Decimal(1_000_000)
    return f"{format_decimal(megabytes, format='#,##0.#')} MB"


def register_i18n_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_datetime,
        decimal=format_decimal,
        percent=format_percent,
        money=money,
        file_size=file_size,
    )
    app.jinja_env.globals.update(chosen_language=chosen_language)
