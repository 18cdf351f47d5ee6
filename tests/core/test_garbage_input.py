"""Every form refuses bad input with an answer, never a server error: each field of each form the demo data
offers is sent values people (and robots) really send — empty, far too long, impossible dates, huge numbers,
markup, control characters — by the roles allowed to use the form.

The app runs with TESTING on, so a server error raises here with its traceback instead of becoming a 500 page.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask

from tests.core.test_permission_walk import _client, _rules, _url, walk  # noqa: F401 (walk is a fixture)

GARBAGE = [
    "",
    " ",
    "x" * 20_000,
    "-1",
    "99999999999999999999999999",
    "NaN",
    "2026-02-30",
    "<script>alert(1)</script>",
    "\x00\x01\x1b",
    "🏚️→🏠 niñez",
]
# In an address: what overflows, goes negative, is not a number, or is markup.
MANGLED = ["", "-1", "99999999999999999999999999", "1e309", "<script>", "\x00"]
# Signing out and choosing a language are not forms about records; the API has its own tests.
SKIPPED = {"auth.logout", "auth.set_language"}
FIELD = re.compile(r'<(input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.I)
TYPE = re.compile(r'\btype="([^"]+)"', re.I)


def _fields(html: str) -> dict[str, str]:
    """The form fields of a page and their kind (text, file, select…), the CSRF token left to the client."""
    found = {}
    for match in FIELD.finditer(html):
        tag, name = match.group(1).lower(), match.group(2)
        kind = TYPE.search(match.group(0))
        found[name] = kind.group(1).lower() if kind and tag == "input" else tag
    found.pop("csrf_token", None)
    return found


def _payload(fields: dict[str, str], value: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, kind in fields.items():
        if kind == "file":
            data[name] = (io.BytesIO(value.encode("utf-8", "surrogatepass") or b"\xff"), "garbage.jpg")
        elif kind not in ("submit", "button", "hidden") or name not in ("next",):
            data[name] = value
    return data


# Managers' forms are a subset of administrators'; engineers see the field forms (photos, assessments, progress).
@pytest.mark.parametrize("role", ["admin", "engineer"])
def test_no_form_answers_bad_input_with_a_server_error(walk: tuple[Flask, dict[str, Any]], role: str) -> None:  # noqa: F811
    app, arguments = walk
    client = _client(app, role)
    tried = 0
    for rule in _rules(app, "POST"):
        if rule.endpoint in SKIPPED or rule.rule.startswith("/api/"):
            continue
        url = _url(app, rule, arguments)
        page = client.get(url) if "GET" in rule.methods else None
        if page is not None and page.status_code != 200:
            continue  # a form this role may not open
        fields = _fields(page.get_data(as_text=True)) if page is not None else {"reason": "text", "note": "text"}
        for value in GARBAGE:
            response = client.post(url, data=_payload(fields, value), content_type="multipart/form-data")
            assert response.status_code < 500, f"{rule.endpoint} answered {response.status_code} to {value[:30]!r}"
            tried += 1
    assert tried > 100, "the walk found almost no forms: is the demo data there?"


QUERY_NAMES = ("page", "center_id", "project_id", "organization_id", "actor_id", "line_id", "q", "sort", "dir")


@pytest.mark.parametrize("role", ["admin", "donor"])
def test_no_page_answers_a_mangled_address_with_a_server_error(walk: tuple[Flask, dict[str, Any]], role: str) -> None:  # noqa: F811
    app, arguments = walk
    client = _client(app, role)
    tried = 0
    for rule in _rules(app, "GET"):
        if rule.rule.startswith("/api/") or rule.endpoint in ("static", "auth.logout"):
            continue
        url = _url(app, rule, arguments).split("?")[0]
        for value in MANGLED:
            response = client.get(url, query_string={name: value for name in QUERY_NAMES})
            assert response.status_code < 500, f"{rule.endpoint} answered {response.status_code} to {value[:30]!r}"
            tried += 1
    assert tried > 100
