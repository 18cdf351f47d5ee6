"""Factories that build real records in the test database."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from app.auth.models import User
from app.auth.services import user_create
from app.centers.models import Center
from app.core.enums import OrganizationKind, Population, Role
from app.extensions import db
from app.organizations.models import Organization

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_organization(**values: Any) -> Organization:
    n = next(_seq)
    org = Organization(
        name=values.pop("name", f"Organization {n}"),
        acronym=values.pop("acronym", f"ORG{n}"),
        kind=values.pop("kind", OrganizationKind.DONOR),
        country=values.pop("country", "HN"),
        **values,
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_user(role: Role = Role.MANAGER, **values: Any) -> User:
    n = next(_seq)
    organization_id = values.pop("organization_id", None)
    if role is Role.DONOR and organization_id is None:
        organization_id = make_organization().id
    user = user_create(
        db.session,
        email=values.pop("email", f"user{n}@example.org"),
        name=values.pop("name", f"User {n}"),
        password=values.pop("password", PASSWORD),
        role=role,
        organization_id=organization_id,
    )
    for key, value in values.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def make_center(**values: Any) -> Center:
    n = next(_seq)
    center = Center(
        code=values.pop("code", f"CTR-{n}"),
        name=values.pop("name", f"Center {n}"),
        population=values.pop("population", Population.RETURNED_ADULTS),
        department=values.pop("department", "Cortés"),
        municipality=values.pop("municipality", "San Pedro Sula"),
        address=values.pop("address", ""),
        latitude=values.pop("latitude", Decimal("15.5")),
        longitude=values.pop("longitude", Decimal("-88.0")),
        **values,
    )
    db.session.add(center)
    db.session.commit()
    return center


def d(text: str) -> date:
    return date.fromisoformat(text)


def make_project(center: Center | None = None, **values: Any) -> Any:
    from app.projects.services import project_create

    n = next(_seq)
    center = center or make_center()
    project = project_create(
        db.session,
        code=values.pop("code", f"PRJ-{n}"),
        title=values.pop("title", f"Rehabilitation {n}"),
        center_id=center.id,
        planned_start=values.pop("planned_start", d("2025-01-06")),
        planned_end=values.pop("planned_end", d("2025-12-19")),
        **values,
    )
    db.session.commit()
    return project


def upload_photo(project: Any, filename: str = "photo.jpg", color: tuple[int, int, int] = (10, 120, 90)) -> Any:
    """A small JPEG uploaded to ``project`` through the real service: a Photo and its three stored files."""
    import io

    from PIL import Image

    from app.core.storage import storage
    from app.photos.services import PhotoDescription, photo_upload

    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(jpeg, "JPEG")
    photo = photo_upload(
        db.session(),
        storage(),
        jpeg.getvalue(),
        filename,
        center_id=project.center_id,
        project_id=project.id,
        description=PhotoDescription(),
        max_bytes=10**7,
        max_pixels=10**7,
    )
    db.session.commit()
    return photo
