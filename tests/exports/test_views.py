"""The exports as each role downloads them: a donor only its own projects and lines, nobody anything private."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.core.enums import PhaseKind, Role
from app.extensions import db
from app.photos.models import Photo
from app.projects.tracking import milestone_create
from tests.budgets.helpers import add_line, spend
from tests.conftest import login
from tests.downloads.helpers import fetch_prepared
from tests.exports.helpers import TwoDonors, assert_valid, two_donors
from tests.factories import make_user

# The whole-portfolio files, prepared in the background (run inline here), and the tables sent at once.
PREPARED = {
    "/exports/prepare/portfolio_iati": "application/xml",
    "/exports/prepare/portfolio_xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "/exports/prepare/portfolio_csv_zip": "application/zip",
}
DIRECT = {
    "/exports/portfolio/projects.csv": "text/csv; charset=utf-8",
    "/exports/portfolio/budgets.csv": "text/csv; charset=utf-8",
}
XLSX, CSV_ZIP = "/exports/prepare/portfolio_xlsx", "/exports/prepare/portfolio_csv_zip"
FOREIGN = ("PRJ-SECRET-B", "Proyecto secreto de B", "CTR-B", "Line of DONB", "7777.77", "Supplier of DONB")
SECRETS = (
    "Rosa Confidencial",
    "9999-1234",
    "rosa.confidencial@example.hn",
    "Colonia Secreta",
    "staff.person@example.org",
    "Staff Person Name",
    "15.123456",
    "-87.654321",
    "private note",
)


def _sign_in(client: FlaskClient, email: str) -> None:
    login(client, email)
    client.post("/language", data={"lang": "en"})


def _with_private_records(world: TwoDonors) -> None:
    """Everything that must never leave: a milestone owner's name and e-mail, a note, a photo with GPS and an
    identifiable person without consent (on the donor's own project, so only the rules keep it out)."""
    owner = make_user(Role.MANAGER, email="staff.person@example.org", name="Staff Person Name")
    works = next(p for p in world.ours.phases if p.kind is PhaseKind.WORKS)
    milestone_create(
        db.session(),
        world.ours,
        title="Roof finished",
        phase_id=works.id,
        planned_date=world.ours.planned_start,
        owner_id=owner.id,
        notes="private note",
    )
    db.session.add(
        Photo(
            center_id=world.ours.center_id,
            project_id=world.ours.id,
            original_key="o",
            display_key="d",
            thumb_key="t",
            sha256="0" * 64,
            mime="image/jpeg",
            size_bytes=1,
            width=1,
            height=1,
            display_width=1,
            display_height=1,
            gps_latitude=Decimal("15.123456"),
            gps_longitude=Decimal("-87.654321"),
            caption="Face of a child",
            identifiable_people=True,
            consent_recorded=False,
        )
    )
    world.ours.center.contact_name = "Rosa Confidencial"
    world.ours.center.contact_email = "rosa.confidencial@example.hn"
    db.session.commit()


def _fetch(client: FlaskClient, url: str) -> TestResponse:
    """A direct download, or a prepared one followed to its file."""
    if url in PREPARED:
        return fetch_prepared(client, client.post(url, data={}))
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _everything(client: FlaskClient) -> dict[str, str]:
    """The text of every portfolio download (the XLSX and the ZIP unpacked)."""
    texts = {}
    for url in (*PREPARED, *DIRECT):
        data = _fetch(client, url).get_data()
        if url == XLSX:
            book = load_workbook(io.BytesIO(data))
            texts[url] = "\n".join(
                str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
            )
        elif url == CSV_ZIP:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                texts[url] = "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
        else:
            texts[url] = data.decode("utf-8-sig")
    return texts


def test_a_donor_cannot_get_another_donors_project(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        world = two_donors()
        donor = make_user(Role.DONOR, organization_id=world.donor.id).email
        ours, theirs = world.ours.id, world.theirs.id
    _sign_in(client, donor)

    assert client.get(f"/exports/iati/project/{theirs}.xml").status_code in (403, 404)
    assert client.get("/exports/iati/project/999999.xml").status_code == 404
    own = client.get(f"/exports/iati/project/{ours}.xml")
    assert own.status_code == 200
    assert b"PRJ-A" in own.get_data() and b"PRJ-SECRET-B" not in own.get_data()
    for url, text in _everything(client).items():
        assert "PRJ-A" in text, url
        for foreign in (
            "PRJ-SECRET-B",
            "Proyecto secreto de B",
            "CTR-B",
            "Line of DONB",
            "7777.77",
            "Supplier of DONB",
        ):
            assert foreign not in text, f"{foreign} in {url}"
    page = client.get("/exports/").get_data(as_text=True)
    assert "PRJ-A" in page and "PRJ-SECRET-B" not in page and "DONA" in page


def test_a_donor_gets_only_the_budget_lines_its_organization_funds(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        world = two_donors()
        world.ours.fundings  # noqa: B018 (loaded before adding a co-funder)
        from app.projects.models import ProjectFunding

        db.session.add(ProjectFunding(project_id=world.ours.id, organization_id=world.other.id))
        db.session.commit()
        line = add_line(world.ours, world.other, description="Co-funded by B", unit_cost="99.99", quantity="1")
        spend(world.ours, line, "88.88")
        donor = make_user(Role.DONOR, organization_id=world.donor.id).email
        project_id = world.ours.id
    _sign_in(client, donor)

    xml = client.get(f"/exports/iati/project/{project_id}.xml").get_data()
    document = assert_valid(xml)
    assert [v.text for v in document.iter("value") if v.getparent().tag == "budget"] == ["2000.00"]
    assert [v.text for v in document.iter("value") if v.getparent().tag == "transaction"] == ["1234.56"]
    # Both funders are named, as on the project page; the other's money is not there.
    roles = [(o.get("ref"), o.get("role")) for o in document.iter("participating-org")]
    assert ("XX-DONA-1", "1") in roles and ("XX-DONB-1", "1") in roles
    for text in _everything(client).values():
        assert "Co-funded by B" not in text and "88.88" not in text and "99.99" not in text


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.ENGINEER, Role.DONOR])
def test_nothing_private_goes_out_whoever_exports(app: Flask, client: FlaskClient, role: Role) -> None:
    with app.app_context():
        world = two_donors()
        _with_private_records(world)
        user = make_user(role, organization_id=world.donor.id if role is Role.DONOR else None).email
        project_id = world.ours.id
    _sign_in(client, user)

    texts = _everything(client)
    texts["project"] = client.get(f"/exports/iati/project/{project_id}.xml").get_data(as_text=True)
    # The milestone is there (so its owner and notes could have been), in the workbook and the ZIP.
    assert "Roof finished" in texts[XLSX] and "Roof finished" in texts[CSV_ZIP]
    for url, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {url}"
        assert "Face of a child" not in text
        assert "@example.org" not in text


def test_downloads_are_attachments_with_their_mime_type(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        world = two_donors()
        manager = make_user(Role.MANAGER).email
        project_id = world.ours.id
    _sign_in(client, manager)
    urls = PREPARED | DIRECT | {f"/exports/iati/project/{project_id}.xml": "application/xml"}
    for url, mimetype in urls.items():
        response = _fetch(client, url)
        assert response.mimetype == mimetype.split(";")[0], url
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename="), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "PRJ-A-iati-" in client.get(f"/exports/iati/project/{project_id}.xml").headers["Content-Disposition"]
    assert client.get("/exports/portfolio/users.csv").status_code == 404
    assert client.post("/exports/prepare/photos_zip", data={}).status_code == 404
    etree.fromstring(_fetch(client, "/exports/prepare/portfolio_iati").get_data())


def test_the_exports_page_lists_the_downloads_and_the_project_page_links_its_xml(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        world = two_donors()
        engineer = make_user(Role.ENGINEER).email
        project_id = world.ours.id
    _sign_in(client, engineer)
    page = client.get("/exports/").get_data(as_text=True)
    for url in (*PREPARED, *DIRECT):
        assert url in page
    assert f"/exports/iati/project/{project_id}.xml" in page
    assert 'href="/exports/"' in page  # the navbar entry
    assert f"/exports/iati/project/{project_id}.xml" in client.get(f"/projects/{project_id}").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    for url in (*DIRECT, "/exports/", "/exports/iati/project/1.xml"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in PREPARED:
        response = client.post(url, data={})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_donor_without_an_organization_exports_nothing(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        two_donors()
        lonely = make_user(Role.DONOR).email
        from app.auth.models import User

        user = db.session.scalar(select(User).where(User.email == lonely))
        user.organization_id = None
        db.session.commit()
    _sign_in(client, lonely)
    page = client.get("/exports/").get_data(as_text=True)
    assert "your organization funds" in page and "PRJ-A" not in page
    for text in _everything(client).values():
        assert "PRJ-A" not in text and "PRJ-SECRET-B" not in text
