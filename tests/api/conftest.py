"""Helpers for the API tests: bearer tokens for users made by the factories."""

from __future__ import annotations

from typing import Any

from app.api.tokens import token_create
from app.auth.models import User
from app.core.enums import Role
from app.extensions import db
from tests.factories import make_user


def bearer(user: User, **values: Any) -> dict[str, str]:
    """The Authorization header of a new token of ``user`` (inside an app context)."""
    _token, secret = token_create(db.session(), user, values.pop("name", "tests"), **values)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def user_with_token(role: Role = Role.MANAGER, **values: Any) -> tuple[User, dict[str, str]]:
    user = make_user(role, **values)
    return user, bearer(user)


def problem_of(response: Any) -> dict[str, Any]:
    """The problem document of an error response, checked to be one."""
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == response.status_code
    assert {"type", "title", "status", "detail"} <= set(body)
    return dict(body)
