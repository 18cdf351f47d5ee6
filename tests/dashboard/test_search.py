"""Searching centers, projects and milestones from the navigation bar."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.enums import Role
from app.dashboard import search
from app.extensions import db
from tests.conftest import login
from tests.dashboard.helpers import add_milestone
from tests.factories import make_center, make_organization, make_project, make_user


def _found(user: object, text: str) -> tuple[list[str], list[str], list[str]]:
    results = search.search(db.session, user, text)
    return (
        [row.code for row in results.centers.items],
        [row.code for row in results.projects.items],
        [row.title for row in results.milestones.items],
    )


def test_search_finds_centers_projects_and_milestones_whatever_the_case(db_ctx: Flask) -> None:
    omoa = make_center(code="CAMR-OMOA", name="Centro de Atención Omoa", municipality="Omoa")
    make_center(code="CAMR-SPS", name="Centro San Pedro", municipality="San Pedro Sula")
    project = make_project(omoa, code="OMOA-2025", title="Rehabilitación de dormitorios")
    add_milestone(project, 3, title="Convenio firmado con la municipalidad")
    user = make_user(Role.ENGINEER)
    assert _found(user, "omoa") == (["CAMR-OMOA"], ["OMOA-2025"], [])
    assert _found(user, "SAN PEDRO") == (["CAMR-SPS"], [], [])
    assert _found(user, "DORMITORIOS") == ([], ["OMOA-2025"], [])
    assert _found(user, "convenio") == ([], [], ["Convenio firmado con la municipalidad"])


def test_percent_and_underscore_in_a_search_are_matched_literally(db_ctx: Flask) -> None:
    center = make_center()
    make_project(center, code="P-1", title="Obra al 100% terminada")
    make_project(center, code="P-2", title="Obra al 1000 terminada")
    make_project(center, code="A_B")
    make_project(center, code="AXB")
    make_project(center, code="BACK", title="Ruta C:\\obras")
    user = make_user(Role.MANAGER)
    assert _found(user, "0%")[1] == ["P-1"]
    assert _found(user, "%%")[1] == []
    assert _found(user, "a_b")[1] == ["A_B"]
    assert _found(user, "__")[1] == []
    assert _found(user, "C:\\o")[1] == ["BACK"]


def test_donor_finds_only_what_their_organization_funds(db_ctx: Flask) -> None:
    usaid = make_organization(acronym="USAID")
    funded_center = make_center(code="CTR-FUNDED", name="Albergue financiado")
    other_center = make_center(code="CTR-OTHER", name="Albergue ajeno")
    funded = make_project(funded_center, code="ALB-1", title="Albergue uno", funder_ids=[usaid.id])
    other = make_project(other_center, code="ALB-2", title="Albergue dos")
    add_milestone(funded, 2, title="Albergue: entrega de llaves")
    add_milestone(other, 2, title="Albergue: licitación")
    donor = make_user(Role.DONOR, organization_id=usaid.id)
    assert _found(donor, "albergue") == (["CTR-FUNDED"], ["ALB-1"], ["Albergue: entrega de llaves"])
    staff = _found(make_user(Role.ADMIN), "albergue")
    assert (len(staff[0]), len(staff[1]), len(staff[2])) == (2, 2, 2)


def test_each_group_is_limited_and_says_there_is_more(db_ctx: Flask) -> None:
    center = make_center()
    for n in range(search.SEARCH_LIMIT + 2):
        make_project(center, code=f"LOTE-{n:02d}")
    results = search.search(db.session, make_user(Role.MANAGER), "lote")
    assert len(results.projects.items) == search.SEARCH_LIMIT
    assert results.projects.more
    assert not results.centers.more


def test_search_page_groups_results_with_links(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.MANAGER, email="m@example.org")
        center = make_center(code="CAMR-OMOA", municipality="Omoa")
        project = make_project(center, code="OMOA-1")
        add_milestone(project, 1, title="Omoa: visita técnica")
        center_id, project_id = center.id, project.id
    login(client, "m@example.org")
    client.post("/language", data={"lang": "en"})
    html = client.get("/search?q=omoa").get_data(as_text=True)
    assert f'href="/centers/{center_id}"' in html
    assert f'href="/projects/{project_id}"' in html
    assert "Omoa: visita técnica" in html
    for heading in ("Centers", "Projects", "Milestones"):
        assert f">{heading} <span" in html


def test_search_page_explains_short_queries_and_empty_results(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="e@example.org")
        make_project()
    login(client, "e@example.org")
    client.post("/language", data={"lang": "en"})
    assert "Type at least 2 characters to search." in client.get("/search?q=a").get_data(as_text=True)
    assert "Type at least 2 characters to search." in client.get("/search").get_data(as_text=True)
    html = client.get("/search?q=zzzz").get_data(as_text=True)
    assert "Nothing matches “zzzz”." in html


def test_search_text_is_escaped_on_the_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        make_user(Role.ENGINEER, email="e@example.org")
    login(client, "e@example.org")
    html = client.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
