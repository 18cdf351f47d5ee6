"""The map of centers: Leaflet served by the app, data from a JSON endpoint with the same permissions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.centers.services import center_archive
from app.core.enums import Population, Role
from app.extensions import db
from tests.conftest import login
from tests.factories import make_center, make_organization, make_project, make_user


def _sign_in(app: Flask, client: FlaskClient, role: Role, organization_id: int | None = None) -> None:
    with app.app_context():
        make_user(role, email=f"{role.value}@example.org", organization_id=organization_id)
    login(client, f"{role.value}@example.org")
    client.post("/language", data={"lang": "en"})


def _seed() -> dict[str, int]:
    usaid = make_organization(acronym="USAID").id
    sps = make_center(
        code="CAMR-SPS",
        name="San Pedro Sula <b>",
        latitude=Decimal("15.504600"),
        longitude=Decimal("-88.025400"),
        population=Population.RETURNED_ADULTS,
    )
    omoa = make_center(code="CAMR-OMOA", population=Population.UNACCOMPANIED_CHILDREN, department="Cortés")
    unplaced = make_center(code="NO-GPS", latitude=None, longitude=None)
    archived = make_center(code="OLD")
    center_archive(db.session, archived)
    make_project(sps, funder_ids=[usaid])
    make_project(sps)
    make_project(omoa)
    db.session.commit()
    return {"usaid": usaid, "sps": sps.id, "omoa": omoa.id, "unplaced": unplaced.id}


def test_staff_get_every_active_center_with_its_exact_position(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        ids = _seed()
    _sign_in(app, client, Role.ENGINEER)
    response = client.get("/centers/map.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["exact"] is True
    by_code = {c["code"]: c for c in data["centers"]}
    assert sorted(by_code) == ["CAMR-OMOA", "CAMR-SPS", "NO-GPS"]  # archived centers are not on the map
    sps = by_code["CAMR-SPS"]
    assert (sps["latitude"], sps["longitude"]) == (15.5046, -88.0254)
    assert sps["projects"] == 2
    assert sps["url"] == f"/centers/{ids['sps']}"
    assert sps["name"] == "San Pedro Sula <b>"  # data, escaped by the script when shown
    assert sps["population"] == "returned_adults" and sps["population_label"] == "Returned adults"
    assert by_code["NO-GPS"]["latitude"] is None


def test_a_donor_gets_only_its_centers_with_rounded_positions(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        ids = _seed()
    _sign_in(app, client, Role.DONOR, organization_id=ids["usaid"])
    data = client.get("/centers/map.json").get_json()
    assert data["exact"] is False
    assert [c["code"] for c in data["centers"]] == ["CAMR-SPS"]
    (sps,) = data["centers"]
    assert (sps["latitude"], sps["longitude"]) == (15.50, -88.03)
    assert sps["projects"] == 1  # the project it does not fund is not counted
    page = client.get("/centers/map").get_data(as_text=True)
    assert "CAMR-SPS" in page and "CAMR-OMOA" not in page
    assert "Positions are rounded to about a kilometre." in page


def test_a_donor_of_nothing_gets_an_empty_map(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _seed()
    _sign_in(app, client, Role.DONOR)
    assert client.get("/centers/map.json").get_json()["centers"] == []


def test_the_map_data_follows_the_filters(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _seed()
    _sign_in(app, client, Role.MANAGER)
    data = client.get("/centers/map.json?population=unaccompanied_children").get_json()
    assert [c["code"] for c in data["centers"]] == ["CAMR-OMOA"]
    page = client.get("/centers/map?population=unaccompanied_children").get_data(as_text=True)
    assert 'data-source="/centers/map.json?population=unaccompanied_children"' in page


def test_the_map_page_loads_leaflet_from_the_app_and_has_no_inline_script(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        _seed()
    _sign_in(app, client, Role.MANAGER)
    page = client.get("/centers/map").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(re.search(r'src="/[a-z/]*static/', attrs) and not body.strip() for attrs, body in scripts)
    assert ' style="' not in page
    for path in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "js/centers_map.js",
        "js/honduras_outline.js",
    ):
        assert f"/static/{path}" in page
        assert client.get(f"/static/{path}").status_code == 200
    assert client.get("/static/vendor/leaflet/images/marker-icon.png").status_code == 200
    assert "map-plain" in page and 'data-tile-url=""' in page  # no tile server: the plain outline
    assert "No position recorded" in page  # the list below the map names centers the map cannot place
    for code in ("CAMR-SPS", "CAMR-OMOA", "NO-GPS"):
        assert code in page


@pytest.mark.config(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="© Example")
def test_a_configured_tile_server_reaches_the_map_and_the_csp(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    response = client.get("/centers/map")
    page = response.get_data(as_text=True)
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-tile-attribution="© Example"' in page
    assert "map-plain" not in page
    assert "https://tiles.example.org" in response.headers["Content-Security-Policy"]
