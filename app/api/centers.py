"""``/api/v1/centers``: the register of centers, with the permission predicates of the web pages."""

from __future__ import annotations

from dataclasses import replace

from flask_login import current_user
from werkzeug.wrappers.response import Response

from app.api.blueprint import bp
from app.api.http import created, expected_version, page, single, visible_or_404
from app.api.inputs import MAX_ID, Field, json_body, parse_fields, query_choice
from app.api.serializers import center_json
from app.centers import services
from app.centers.geography import DEPARTMENTS
from app.centers.models import Center
from app.core.enums import Population
from app.core.permissions import can_edit_center, can_list_centers, can_view_center, require
from app.extensions import db

CENTER_FIELDS = {
    "code": Field("string", required=True, max_length=32, description="Short code, for example CAMR-SPS."),
    "name": Field("string", required=True, max_length=200),
    "population": Field("enum", required=True, enum_type=Population),
    "department": Field("enum", required=True, choices=DEPARTMENTS),
    "municipality": Field("string", required=True, max_length=120),
    "administering_org_id": Field("integer", nullable=True, minimum=1, maximum=MAX_ID),
    "address": Field("string", max_length=2000),
    "latitude": Field("decimal", nullable=True, description='Degrees, as a string: "15.504".'),
    "longitude": Field("decimal", nullable=True, description='Degrees, as a string: "-88.025".'),
    "capacity": Field("integer", nullable=True, maximum=1_000_000),
    "usual_occupancy": Field("integer", nullable=True, maximum=1_000_000),
    "contact_name": Field("string", max_length=120),
    "contact_phone": Field("string", max_length=40),
    "contact_email": Field("string", max_length=254),
}
CENTER_FILTERS = ("population", "department", "include_archived")


def visible_center(center_id: int) -> Center:
    return visible_or_404(Center, center_id, lambda center: can_view_center(current_user, center))


@bp.get("/centers")
def centers_list() -> Response:
    require(can_list_centers(current_user))
    filters = services.CenterFilter(
        population=Population(value) if (value := query_choice("population", tuple(Population))) else None,
        department=query_choice("department", DEPARTMENTS),
        include_archived=query_choice("include_archived", ("true", "false")) == "true",
    )
    query = services.centers_query(filters, current_user)
    return page(query, Center.id, lambda rows: [center_json(c) for c in rows], "api.centers_list", CENTER_FILTERS)


@bp.post("/centers")
def center_create() -> Response:
    require(can_edit_center(current_user))
    values = parse_fields(json_body(), CENTER_FIELDS)
    center = services.center_create(db.session(), services.CenterValues(**values))
    db.session.commit()
    return created(center, center_json(center))


@bp.get("/centers/<int:center_id>")
def center_get(center_id: int) -> Response:
    center = visible_center(center_id)
    return single(center, center_json(center))


@bp.patch("/centers/<int:center_id>")
def center_patch(center_id: int) -> Response:
    center = visible_center(center_id)
    require(can_edit_center(current_user, center))
    version = expected_version(center)
    changes = parse_fields(json_body(), CENTER_FIELDS, partial=True)
    values = replace(services.CenterValues.of(center), **changes)
    services.center_update(db.session(), center, values, version)
    db.session.commit()
    return single(center, center_json(center))
