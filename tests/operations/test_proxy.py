"""The client's address comes from X-Forwarded-For only when the app is told a proxy stands in front of it."""

from __future__ import annotations

import pytest
from flask import Flask, request


def _remote_addr(app: Flask) -> tuple[str, str]:
    app.add_url_rule("/_whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
    body = app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    address, scheme = body.get_data(as_text=True).split()
    return address, scheme


def test_forwarded_headers_are_ignored_by_default(app: Flask) -> None:
    assert _remote_addr(app) == ("127.0.0.1", "http")


@pytest.mark.config(TRUSTED_PROXIES=1)
def test_one_trusted_proxy_passes_on_the_client_address_and_scheme(app: Flask) -> None:
    assert _remote_addr(app) == ("203.0.113.7", "https")
