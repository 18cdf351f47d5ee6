"""Numbers that come from people's requests, bounded before they reach the database.

A row id or a page number typed into an address or a hand-made form can be any length; SQLite stops at 2**63 and
PostgreSQL's INTEGER at 2**31. Out of range is "no such thing", not a server error.
"""

from __future__ import annotations

from typing import Any

# PostgreSQL INTEGER, the type of every id column.
MAX_RECORD_ID = 2**31 - 1
MAX_PAGE = 100_000


def record_id(value: Any) -> int:
    """A record id from a form or query string (0 stands for "none" in select fields).

    Raises ValueError (what WTForms' ``coerce`` and Werkzeug's ``args.get(type=...)`` expect) for anything else.
    """
    number = int(value)
    if not 0 <= number <= MAX_RECORD_ID:
        raise ValueError(f"not a record id: {value!r}")
    return number


def page_number(value: Any) -> int:
    """A page of a list: a whole number from 1 to MAX_PAGE; ValueError otherwise."""
    number = int(value)
    if not 1 <= number <= MAX_PAGE:
        raise ValueError(f"not a page number: {value!r}")
    return number
