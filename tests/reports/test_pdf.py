"""The PDF builder alone: data in, bytes out — no request and no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from flask_babel import force_locale

from app.projects.gantt import GanttRow
from app.reports.pdf import page_count, report_pdf
from app.reports.snapshot import (
    BudgetBlock,
    MilestoneLine,
    MoneyRow,
    PhaseLine,
    ProjectBlock,
    ReportData,
)
from tests.reports.helpers import HOSTILE_TITLE, pdf_text

SECTIONS = ("summary", "phases", "milestones", "assessments", "budget", "photos", "agreements", "risks")


def _data(**values: object) -> ReportData:
    rows = (GanttRow("1. Works", date(2025, 2, 1), date(2025, 8, 1), date(2025, 2, 10), None, "in_progress"),)
    project = ProjectBlock(
        code="PRJ-1",
        title="Shelter <b>one</b>",
        center="Center & Co",
        current_phase="Works",
        state="Active",
        progress=Decimal("42.5"),
        phases=(PhaseLine("Works", "In progress", date(2025, 2, 1), date(2025, 8, 1), date(2025, 2, 10), None),),
        timeline=rows,
    )
    budget = BudgetBlock(
        currency="USD",
        as_of=date(2025, 6, 30),
        by_project=(MoneyRow("PRJ-1", Decimal("1000.00"), Decimal("100.00"), Decimal("250.50")),),
        by_phase=(MoneyRow("Works", Decimal("1000.00"), Decimal("100.00"), Decimal("250.50")),),
        total=MoneyRow("Total", Decimal("1000.00"), Decimal("100.00"), Decimal("250.50")),
    )
    base: dict[str, object] = {
        "title": "Progress report",
        "donor": "Donor Alpha (DONA)",
        "subject": "Projects funded by Donor Alpha",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 6, 30),
        "sections": SECTIONS,
        "narrative": "Narrative <i>typed",
        "projects": (project,),
        "milestones_reached": (MilestoneLine("PRJ-1", HOSTILE_TITLE, "Works", date(2025, 3, 1), date(2025, 3, 2)),),
        "budget": budget,
    }
    base.update(values)
    return ReportData(**base)  # type: ignore[arg-type]


def test_markup_typed_by_people_is_printed_literally(app_ctx: Flask) -> None:
    with force_locale("en"):
        pdf = report_pdf(_data())
    text = pdf_text(pdf)
    assert "<b>Roof</b>" in text
    assert '<img src="x.png"/>' in text
    assert "<para <i>unclosed & done" in text
    assert "Shelter <b>one</b>" in text
    assert "Narrative <i>typed" in text
    assert b"/URI" not in pdf  # the typed link did not become a link


def test_the_same_data_gives_the_same_bytes(app_ctx: Flask) -> None:
    with force_locale("en"):
        first = report_pdf(_data())
        second = report_pdf(_data())
    assert first == second
    assert first.startswith(b"%PDF-")


def test_cover_contents_header_and_page_numbers(app_ctx: Flask) -> None:
    with force_locale("en"):
        pdf = report_pdf(_data())
    text = pdf_text(pdf)
    assert page_count(pdf) >= 3
    assert "Donor Alpha (DONA)" in text
    assert "Contents" in text
    assert "Page 2" in text and "Page 3" in text
    assert "$1,000.00" in text and "$250.50" in text


def test_only_the_chosen_sections_are_printed(app_ctx: Flask) -> None:
    with force_locale("en"):
        text = pdf_text(report_pdf(_data(sections=("budget",))))
    assert "Budget against actual" in text
    assert "Milestones" not in text
    assert "Narrative" not in text


def test_spanish_labels_and_formats(app_ctx: Flask) -> None:
    with force_locale("es"):
        text = pdf_text(report_pdf(_data()))
    assert "Resumen" in text and "Período del informe" in text and "Preparado para" in text
    assert "Reporting period" not in text
    assert "Página 2" in text
    assert "1.000,00" in text
