"""Managers keep the register of centers; engineers read it; donors see only the centers they fund."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.centers.models import Center
from app.core.enums import Role
from app.extensions import db
from tests.centers.helpers import form_data
from tests.conftest import login
from tests.factories import make_center, make_organization, make_project, make_user


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en"})


def _sign_in(app: Flask, client: FlaskClient, role: Role, **values: object) -> int:
    with app.app_context():
        user = make_user(role, email=f"{role.value}@example.org", **values)
        user_id = user.id
    login(client, f"{role.value}@example.org")
    _english(client)
    return user_id


def _centers() -> list[Center]:
    return list(db.session.scalars(select(Center).order_by(Center.code)))


def test_a_manager_adds_a_center_and_lands_on_its_page(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        org_id = make_organization(acronym="SRECI").id
        db.session.commit()
    response = client.post("/centers/new", data=form_data(code="camr-sps", administering_org_id=org_id))
    assert response.status_code == 302
    with app.app_context():
        (center,) = _centers()
        assert (center.code, center.capacity, center.administering_org_id) == ("CAMR-SPS", 300, org_id)
        assert response.headers["Location"].endswith(f"/centers/{center.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Center CAMR-SPS added to the register." in page
    assert "SRECI" in page and "+504 2550-0000" in page


def test_a_comma_as_decimal_mark_is_understood(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    client.post("/centers/new", data=form_data(latitude="15,5046", longitude="-88,025"))
    with app.app_context():
        (center,) = _centers()
        assert str(center.latitude) == "15.504600"


def test_a_duplicate_code_is_refused_on_the_code_field_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        make_center(code="CAMR-SPS")
    response = client.post("/centers/new", data=form_data(code="camr-sps", name="A second one"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="code-errors"[^>]*>Another center already uses the code CAMR-SPS\.', page)
    assert 'value="A second one"' in page  # what they typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Center)) == 1


def test_a_latitude_outside_honduras_is_refused_with_a_clear_message(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    response = client.post("/centers/new", data=form_data(latitude="51.5", longitude="-0.12"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="latitude-errors"[^>]*>This latitude is outside Honduras \(between 12.9 and 17.5\)', page)
    with app.app_context():
        assert _centers() == []


def test_a_latitude_that_is_not_a_number_is_refused(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    response = client.post("/centers/new", data=form_data(latitude="north"))
    assert 'id="latitude-errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert _centers() == []


def test_a_manager_edits_a_center(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        center_id = make_center(code="CAMR-SPS").id
    form = client.get(f"/centers/{center_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    response = client.post(f"/centers/{center_id}/edit", data=form_data(capacity=320, version=1))
    assert response.status_code == 302
    with app.app_context():
        center = db.session.get(Center, center_id)
        assert center is not None and (center.capacity, center.version) == (320, 2)


def test_an_edit_conflict_shows_both_versions_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        center = make_center(code="CAMR-SPS", capacity=300)
        center_id = center.id
        center.capacity = 350  # a colleague saved first: version 2
        db.session.commit()
    response = client.post(
        f"/centers/{center_id}/edit",
        data=form_data(capacity=420, name="My name", latitude="15.5000", longitude="-88", version=1),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This record was changed by someone else while you edited it" in page
    found = re.findall(r'<tr class="([^"]*)"><th scope="row"[^>]*>(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', page)
    rows = {label: (css, saved, sent) for css, label, saved, sent in found}
    assert rows["Capacity (persons)"] == ("table-warning", "350", "420")
    assert rows["Name"][0] == "table-warning" and rows["Name"][2] == "My name"
    assert rows["Short code"] == ("", "CAMR-SPS", "CAMR-SPS")  # same value: not marked
    assert rows["Population served"] == ("", "Returned adults", "Returned adults")
    assert rows["Latitude"][0] == ""  # 15.5 saved, 15.5000 typed: the same number
    assert 'value="420"' in page and 'value="My name"' in page  # their input is still in the form
    assert 'name="version" type="hidden" value="2"' in page  # saving again is a deliberate choice
    with app.app_context():
        saved = db.session.get(Center, center_id)
        assert saved is not None and (saved.capacity, saved.version) == (350, 2)
        assert saved.name != "My name"


def test_an_edit_without_version_is_refused_as_a_conflict(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        center_id = make_center(code="CAMR-SPS", capacity=300).id
    response = client.post(f"/centers/{center_id}/edit", data=form_data(capacity=1))
    assert response.status_code == 409
    with app.app_context():
        center = db.session.get(Center, center_id)
        assert center is not None and center.capacity == 300


def test_archive_hides_the_center_from_the_list_and_restore_brings_it_back(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        center_id = make_center(code="CAMR-OMOA").id
    assert "CAMR-OMOA" in client.get("/centers/").get_data(as_text=True)

    response = client.post(f"/centers/{center_id}/archive", data={"version": "1"}, follow_redirects=True)
    assert "Center CAMR-OMOA archived." in response.get_data(as_text=True)
    assert "CAMR-OMOA" not in client.get("/centers/").get_data(as_text=True)
    archived_list = client.get("/centers/?archived=1").get_data(as_text=True)
    assert "CAMR-OMOA" in archived_list and "Archived" in archived_list

    response = client.post(f"/centers/{center_id}/restore", data={"version": "2"}, follow_redirects=True)
    assert "Center CAMR-OMOA restored." in response.get_data(as_text=True)
    assert "CAMR-OMOA" in client.get("/centers/").get_data(as_text=True)


def test_archiving_from_a_stale_page_is_refused(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.MANAGER)
    with app.app_context():
        center = make_center(code="CAMR-OMOA")
        center.capacity = 10
        db.session.commit()
        center_id = center.id
    response = client.post(f"/centers/{center_id}/archive", data={"version": "1"}, follow_redirects=True)
    assert "changed by someone else" in response.get_data(as_text=True)
    with app.app_context():
        saved = db.session.get(Center, center_id)
        assert saved is not None and saved.archived_at is None


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.DONOR])
def test_engineers_and_donors_cannot_change_the_register(app: Flask, client: FlaskClient, role: Role) -> None:
    user_id = _sign_in(app, client, role)
    with app.app_context():
        center = make_center(code="CAMR-SPS")
        if role is Role.DONOR:
            from app.auth.models import User

            donor = db.session.get(User, user_id)
            assert donor is not None
            make_project(center, funder_ids=[donor.organization_id])
        center_id = center.id
    assert client.get("/centers/new").status_code == 403
    assert client.post("/centers/new", data=form_data(code="NEW")).status_code == 403
    assert client.get(f"/centers/{center_id}/edit").status_code == 403
    assert client.post(f"/centers/{center_id}/edit", data=form_data(capacity=1, version=1)).status_code == 403
    assert client.post(f"/centers/{center_id}/archive", data={}).status_code == 403
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    assert f"/centers/{center_id}/edit" not in page and "/archive" not in page
    with app.app_context():
        assert [(c.code, c.capacity, c.archived_at) for c in _centers()] == [("CAMR-SPS", None, None)]


def test_an_engineer_reads_every_center(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.ENGINEER)
    with app.app_context():
        center_id = make_center(code="CAMR-SPS", contact_phone="+504 2550-0000").id
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    assert "+504 2550-0000" in page
    assert "New center" not in client.get("/centers/").get_data(as_text=True)


def test_a_donor_sees_only_its_centers_and_is_refused_the_others(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        donor_org_id = make_organization(acronym="USAID").id
        db.session.commit()
    _sign_in(app, client, Role.DONOR, organization_id=donor_org_id)
    with app.app_context():
        mine = make_center(code="MINE", contact_phone="+504 2550-0000", address="Calle 1, casa 4")
        other = make_center(code="OTHER")
        make_project(mine, code="PRJ-MINE", funder_ids=[donor_org_id])
        make_project(mine, code="PRJ-NOT-MINE")
        make_project(other, code="PRJ-OTHER")
        mine_id, other_id = mine.id, other.id

    listing = client.get("/centers/").get_data(as_text=True)
    assert "MINE" in listing and "OTHER" not in listing
    assert client.get(f"/centers/{other_id}").status_code == 403
    assert client.get("/centers/999").status_code == 404

    page = client.get(f"/centers/{mine_id}").get_data(as_text=True)
    assert "PRJ-MINE" in page and "PRJ-NOT-MINE" not in page
    assert "+504 2550-0000" not in page and "Calle 1, casa 4" not in page  # staff-only details


def test_the_list_filters_and_pages_in_code_order(app: Flask, client: FlaskClient) -> None:
    app.config["ITEMS_PER_PAGE"] = 2
    _sign_in(app, client, Role.ENGINEER)
    with app.app_context():
        for code, department in (("D", "Yoro"), ("A", "Cortés"), ("C", "Cortés"), ("B", "Cortés")):
            make_center(code=f"CTR-{code}", department=department)
    first = client.get("/centers/?department=Cort%C3%A9s").get_data(as_text=True)
    assert re.findall(r">(CTR-[A-D])</a>", first) == ["CTR-A", "CTR-B"]
    second = client.get("/centers/?department=Cort%C3%A9s&page=2").get_data(as_text=True)
    assert re.findall(r">(CTR-[A-D])</a>", second) == ["CTR-C"]
    assert "department=Cort%C3%A9s" in first  # the pager keeps the filter


def test_the_list_counts_projects_per_center(app: Flask, client: FlaskClient) -> None:
    _sign_in(app, client, Role.ENGINEER)
    with app.app_context():
        center = make_center(code="CAMR-SPS")
        make_project(center)
        make_project(center)
    page = client.get("/centers/").get_data(as_text=True)
    assert re.search(r">CAMR-SPS</a>.*?<td class=\"text-end\">2</td>", page, re.S)


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/centers/", "/centers/1", "/centers/new", "/centers/map", "/centers/map.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
