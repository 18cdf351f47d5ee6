"""IATI 2.03 activity XML: valid against the official schema, and true to the data, to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import select

from app.assessments.models import Assessment
from app.auth.models import User
from app.core.enums import (
    AssessmentStatus,
    DocumentKind,
    DocumentStatus,
    OrganizationKind,
    PhaseKind,
    PhaseStatus,
    Population,
    ProjectKind,
    Role,
    SpendKind,
)
from app.documents.models import Document, DocumentVersion
from app.exports.data import portfolio_collect
from app.exports.iati import activity_dates, activity_status, iati_activities
from app.exports.rows import CenterRow, OrgRow, PhaseRow, Portfolio, ProjectRow
from app.extensions import db
from app.projects.models import Project
from app.projects.services import phase_update
from tests.budgets.helpers import add_line, spend
from tests.exports.helpers import assert_valid, two_donors
from tests.factories import d, make_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IOM = OrgRow("International Organization for Migration", "IOM", OrganizationKind.UN_AGENCY, "XM", "XM-DAC-47066")


def _admin() -> User:
    return make_user(Role.ADMIN)


def _activity(document: etree._Element, code: str) -> etree._Element:
    found = [a for a in document.iter("iati-activity") if a.findtext("iati-identifier") == f"XM-DAC-47066-{code}"]
    assert len(found) == 1, [a.findtext("iati-identifier") for a in document.iter("iati-activity")]
    return found[0]


def _bare_project(**changes: object) -> ProjectRow:
    center = CenterRow("C1", "Centro", Population.RETURNED_ADULTS, "", "Cortés", "Omoa", None, None, False)
    phases = [
        PhaseRow(kind, i + 1, PhaseStatus.NOT_STARTED, None, None, None, None) for i, kind in enumerate(PhaseKind)
    ]
    row = ProjectRow(
        code="P-1",
        title="Project",
        objective="",
        kind=ProjectKind.REHABILITATION,
        center=center,
        planned_start=date(2025, 1, 6),
        planned_end=date(2025, 12, 19),
        current_phase=PhaseKind.EVALUATION,
        completed=False,
        on_hold=False,
        physical_progress=Decimal("0.00"),
        updated_at=None,
        phases=phases,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


# --- the demo portfolio ---------------------------------------------------------------------------------
def test_demo_portfolio_validates_against_the_official_schema(app_ctx: Flask) -> None:
    from app.demo import load_demo

    load_demo(db.session())
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    xml = iati_activities(portfolio_collect(db.session(), admin), generated_at=NOW)

    document = assert_valid(xml)
    assert document.get("version") == "2.03"
    assert document.get("generated-datetime") == "2026-11-23T12:00:00+00:00"
    codes = sorted(a.findtext("iati-identifier") for a in document.iter("iati-activity"))
    assert codes == ["XM-DAC-47066-CAMR-OMOA-01", "XM-DAC-47066-CAMR-SPS-01", "XM-DAC-47066-CANFM-BELEN-01"]
    sps = _activity(document, "CAMR-SPS-01")
    assert sps.find("reporting-org").attrib == {"ref": "XM-DAC-47066", "type": "40"}
    assert sps.find("activity-status").get("code") == "2"  # in works
    assert _activity(document, "CAMR-OMOA-01").find("activity-status").get("code") == "1"  # partnership
    assert _activity(document, "CANFM-BELEN-01").find("activity-status").get("code") == "4"  # handed over
    funders = {o.get("ref") for o in sps.findall("participating-org") if o.get("role") == "1"}
    assert funders == {"US-GOV-1", "SE-0"}
    assert {o.get("role") for o in sps.findall("participating-org") if o.get("ref") == "XM-DAC-47066"} == {
        "2",
        "3",
        "4",
    }
    # The demo's approved assessment of San Pedro Sula gives the baseline of the standards indicators.
    indicators = sps.findall("result/indicator")
    assert indicators and all(i.find("baseline") is not None for i in indicators)
    titles = {n.get(XML_LANG): n.text for n in indicators[0].findall("title/narrative")}
    assert titles == {"en": "Persons per toilet", "es": "Personas por inodoro"}


def test_every_value_of_a_project_is_written_to_the_cent(db_ctx: Flask) -> None:
    world = two_donors()
    design = add_line(
        world.ours, world.donor, phase=PhaseKind.DESIGN, description="Design", unit_cost="0.10", quantity="3"
    )
    hnl = add_line(world.ours, world.donor, description="Blocks", currency="HNL", unit_cost="12.34", quantity="1000")
    spend(world.ours, design, "0.30", kind=SpendKind.COMMITMENT, spent_on=date(2025, 2, 1))
    spend(world.ours, hnl, "5000.05", spent_on=date(2025, 4, 2))
    works = next(p for p in world.ours.phases if p.kind is PhaseKind.WORKS)
    phase_update(
        db.session(),
        works,
        version=works.version,
        status=PhaseStatus.NOT_STARTED,
        planned_start=d("2025-05-01"),
        planned_end=d("2025-09-30"),
        actual_start=None,
        actual_end=None,
    )
    db.session.commit()

    xml = iati_activities(portfolio_collect(db.session(), _admin(), project_id=world.ours.id), generated_at=NOW)
    activity = _activity(assert_valid(xml), "PRJ-A")

    budgets = [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"), v.get("currency"), v.text)
        for b in activity.findall("budget")
        for v in [b.find("value")]
    ]
    # Design has no planned dates: the project's span; works have theirs. Line totals: 3 x 0.10, 4 x 500.00,
    # 1000 x 12.34 HNL.
    assert budgets == [
        ("2025-01-06", "2025-12-19", "USD", "0.30"),
        ("2025-05-01", "2025-09-30", "HNL", "12340.00"),
        ("2025-05-01", "2025-09-30", "USD", "2000.00"),
    ]
    transactions = [
        (t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"), t.find("value").text)
        for t in activity.findall("transaction")
    ]
    assert transactions == [("2", "2025-02-01", "0.30"), ("4", "2025-03-01", "1234.56"), ("4", "2025-04-02", "5000.05")]
    assert activity.findall("transaction")[2].find("value").get("currency") == "HNL"
    assert activity.findall("transaction")[1].find("receiver-org/narrative").text == "Supplier of DONA"
    sectors = {s.get("code"): Decimal(s.get("percentage")) for s in activity.findall("sector")}
    assert set(sectors) == {"73010", "15190", "72010"} and sum(sectors.values()) == 100
    assert all(s.get("vocabulary") == "1" for s in activity.findall("sector"))
    assert activity.find("recipient-country").get("code") == "HN"
    dates = [(x.get("type"), x.get("iso-date")) for x in activity.findall("activity-date")]
    assert dates == [("1", "2025-01-06"), ("3", "2025-12-19")]


def test_results_give_the_first_approved_assessment_as_baseline_and_the_latest_as_actual(app_ctx: Flask) -> None:
    from app.demo import load_demo

    load_demo(db.session())
    db.session.commit()
    project = db.session.scalar(select(Project).where(Project.code == "CAMR-SPS-01"))
    first = db.session.scalar(select(Assessment).where(Assessment.project_id == project.id).order_by(Assessment.id))
    later = Assessment(
        center_id=first.center_id,
        project_id=project.id,
        template_id=first.template_id,
        assessment_type=first.assessment_type,
        assessed_on=first.assessed_on + timedelta(days=30),
        status=AssessmentStatus.APPROVED,
        author_id=first.author_id,
        occupancy_peak=300,
        toilets=20,
    )
    db.session.add(later)
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))

    xml = iati_activities(portfolio_collect(db.session(), admin, project_id=project.id), generated_at=NOW)
    activity = _activity(assert_valid(xml), "CAMR-SPS-01")

    toilets = activity.find("result/indicator")
    assert toilets.get("ascending") == "0"  # fewer persons per toilet is better
    assert toilets.find("baseline").get("value") == "25.00"  # 300 people, 12 toilets
    period = toilets.find("period")
    assert period.find("period-start").get("iso-date") == first.assessed_on.isoformat()
    assert period.find("period-end").get("iso-date") == later.assessed_on.isoformat()
    assert period.find("target").get("value") == "20.00"
    assert period.find("actual").get("value") == "15.00"  # 300 people, 20 toilets


# --- edge cases -----------------------------------------------------------------------------------------
def test_a_project_without_budget_dates_or_plain_text_still_validates(app_ctx: Flask) -> None:
    title = 'Obra <b>"techo"</b> & baños </narrative> 避難所の改修 — Ремонт ﷺ'
    objective = "Agua & saneamiento <script>alert(1)</script> \x07 مركز الاستقبال"
    project = _bare_project(title=title, objective=objective)
    xml = iati_activities(Portfolio(IOM, [project.center], [project]), generated_at=NOW)

    activity = _activity(assert_valid(xml), "P-1")
    assert activity.find("title/narrative").text == title
    assert activity.find("description[@type='2']/narrative").text == objective.replace("\x07", "")
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml
    assert activity.find("budget") is None and activity.find("transaction") is None
    assert activity.find("result") is None
    assert [x.get("type") for x in activity.findall("activity-date")] == ["1", "3"]
    assert activity.find("activity-status").get("code") == "1"


def test_an_empty_portfolio_is_a_document_without_activities(app_ctx: Flask) -> None:
    # A donor that funds nothing yet gets a well-formed file that says so (the schema wants one activity at least).
    document = etree.fromstring(iati_activities(Portfolio(IOM, [], []), generated_at=NOW))
    assert document.tag == "iati-activities" and len(document) == 0


def test_a_project_code_with_a_slash_gives_an_identifier_iati_accepts(app_ctx: Flask) -> None:
    project = _bare_project(code="CAMR/SPS 02")
    xml = iati_activities(Portfolio(IOM, [project.center], [project]), generated_at=NOW)
    assert etree.fromstring(xml).findtext("iati-activity/iati-identifier") == "XM-DAC-47066-CAMR-SPS-02"


# --- status and dates from the phases -------------------------------------------------------------------
def _with_phase(project: ProjectRow, kind: PhaseKind, **values: object) -> ProjectRow:
    phases = [replace(p, **values) if p.kind is kind else p for p in project.phases]  # type: ignore[arg-type]
    return replace(project, phases=phases)


def test_activity_status_follows_the_phases() -> None:
    project = _bare_project()
    assert activity_status(project) == "1"
    assert activity_status(replace(project, current_phase=PhaseKind.DESIGN)) == "1"
    started = _with_phase(project, PhaseKind.WORKS, actual_start=date(2025, 5, 2))
    assert activity_status(replace(started, current_phase=PhaseKind.WORKS)) == "2"
    assert activity_status(replace(started, current_phase=PhaseKind.HANDOVER)) == "3"
    assert activity_status(replace(started, completed=True)) == "4"
    assert activity_status(replace(started, on_hold=True)) == "6"


def test_actual_dates_are_the_first_start_and_the_last_end_once_completed() -> None:
    project = _with_phase(_bare_project(), PhaseKind.EVALUATION, actual_start=date(2025, 1, 8))
    project = _with_phase(project, PhaseKind.HANDOVER, actual_start=date(2025, 11, 1), actual_end=date(2025, 12, 1))
    assert ("2", date(2025, 1, 8)) in activity_dates(project)
    assert all(kind != "4" for kind, _ in activity_dates(project))  # not completed yet
    assert ("4", date(2025, 12, 1)) in activity_dates(replace(project, completed=True))


# --- document links -------------------------------------------------------------------------------------
def _document(project: Project, title: str, status: DocumentStatus) -> None:
    document = Document(
        center_id=project.center_id, project_id=project.id, kind=DocumentKind.REPORT, status=status, title=title
    )
    document.versions = [
        DocumentVersion(
            number=1,
            storage_key=f"k-{title}",
            sha256="1" * 64,
            content_type="application/pdf",
            extension="pdf",
            size_bytes=10,
        )
    ]
    db.session.add(document)
    db.session.commit()


def test_approved_report_documents_are_linked_and_drafts_are_not(app_ctx: Flask) -> None:
    world = two_donors()
    _document(world.ours, "Informe trimestral & avance <Q1>", DocumentStatus.APPROVED)
    _document(world.ours, "Borrador interno", DocumentStatus.DRAFT)
    portfolio = portfolio_collect(
        db.session(), _admin(), project_id=world.ours.id, url_for_document=lambda i: f"https://rehabilita.example/d/{i}"
    )
    activity = _activity(assert_valid(iati_activities(portfolio, generated_at=NOW)), "PRJ-A")

    links = activity.findall("document-link")
    assert len(links) == 1
    assert links[0].get("url").startswith("https://rehabilita.example/d/")
    assert links[0].get("format") == "application/pdf"
    assert links[0].find("title/narrative").text == "Informe trimestral & avance <Q1>"
    assert links[0].find("category").get("code") == "A07"


def test_donor_reports_are_linked_for_the_donor_they_were_made_for(app_ctx: Flask) -> None:
    reports = pytest.importorskip("app.reports.models", reason="the reports feature (app/reports) is not installed")
    from app.core.enums import JobStatus, ReportScope
    from app.core.jobs.models import Job

    world = two_donors()
    for funder in (world.donor, world.other):
        job = Job(kind="report", status=JobStatus.DONE)
        db.session.add(job)
        db.session.flush()
        db.session.add(
            reports.Report(
                scope=ReportScope.PROJECT,
                project_id=world.ours.id,
                donor_id=funder.id,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 3, 31),
                language="en",
                job_id=job.id,
                file_key=f"report-{funder.acronym}",
            )
        )
    db.session.commit()

    def links(user: User) -> list[etree._Element]:
        portfolio = portfolio_collect(
            db.session(), user, project_id=world.ours.id, url_for_report=lambda i: f"https://rehabilita.example/r/{i}"
        )
        return _activity(assert_valid(iati_activities(portfolio, generated_at=NOW)), "PRJ-A").findall("document-link")

    assert len(links(_admin())) == 2
    donor_links = links(make_user(Role.DONOR, organization_id=world.donor.id))
    assert len(donor_links) == 1
    assert "DONA" in donor_links[0].find("title/narrative").text
    assert donor_links[0].find("language").get("code") == "en"
    assert donor_links[0].find("document-date").get("iso-date") == "2025-03-31"


def test_characters_xml_cannot_carry_are_dropped_from_attributes_too(app_ctx: Flask) -> None:
    funder = OrgRow("Donor\x0b One", "D1", OrganizationKind.DONOR, "US", "US-\x01GOV-9")
    project = _bare_project(funders=[funder])
    activity = _activity(
        assert_valid(iati_activities(Portfolio(IOM, [project.center], [project]), generated_at=NOW)), "P-1"
    )
    funding = next(o for o in activity.findall("participating-org") if o.get("role") == "1")
    assert funding.get("ref") == "US-GOV-9" and funding.findtext("narrative") == "Donor One"
