"""The Gantt timeline is plain SVG: it parses as XML, escapes labels, and needs no CSS to be drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from app.projects.gantt import ACTUAL_FILL, PLANNED_FILL, TODAY_STROKE, GanttLabels, GanttRow, gantt_svg

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 4, 15)


def _rows() -> list[GanttRow]:
    return [
        GanttRow("1. <script>&", date(2025, 1, 6), date(2025, 2, 28), date(2025, 1, 8), date(2025, 3, 3), "done"),
        GanttRow("2. Partnership", date(2025, 3, 1), date(2025, 4, 30), date(2025, 3, 5), None, "in_progress"),
        GanttRow("3. Design", None, None),
    ]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)


def test_output_parses_as_xml_with_explicit_size_and_view_box() -> None:
    root = _parse(gantt_svg(_rows(), TODAY))
    assert root.tag == f"{SVG}svg"
    width, height = root.get("width"), root.get("height")
    assert width and height
    assert root.get("viewBox") == f"0 0 {width} {height}"


def test_labels_are_escaped_and_come_back_intact() -> None:
    svg = gantt_svg(_rows(), TODAY, GanttLabels(title='Plan "A" <b>'))
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;" in svg
    root = _parse(svg)
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert "1. <script>&" in texts
    assert root.get("aria-label") == 'Plan "A" <b>'


def test_drawing_uses_attributes_not_css_classes() -> None:
    root = _parse(gantt_svg(_rows(), TODAY))
    assert all(node.get("class") is None and node.get("style") is None for node in root.iter())


def test_planned_bars_are_light_actual_bars_solid_and_today_is_a_line() -> None:
    root = _parse(gantt_svg(_rows(), TODAY))
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills.count(PLANNED_FILL) == 2 + 1  # two rows with planned dates, one legend swatch
    assert ACTUAL_FILL["done"] in fills
    assert ACTUAL_FILL["in_progress"] in fills
    assert any(line.get("stroke") == TODAY_STROKE for line in root.iter(f"{SVG}line"))


def test_month_ticks_use_the_readers_month_names() -> None:
    spanish = GanttLabels(months=["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"])
    texts = ["".join(node.itertext()) for node in _parse(gantt_svg(_rows(), TODAY, spanish)).iter(f"{SVG}text")]
    assert "ene 2025" in texts
    assert "abr" in texts


def test_a_row_without_dates_says_so() -> None:
    svg = gantt_svg([GanttRow("Lonely", None, None)], TODAY, GanttLabels(no_dates="Sin fechas"))
    assert "Sin fechas" in svg


def test_portfolio_of_many_rows_grows_in_height_and_thins_month_labels() -> None:
    rows = [GanttRow(f"P-{n}", date(2020, 1, 1), date(2026, 12, 31)) for n in range(50)]
    small = _parse(gantt_svg(rows[:5], TODAY))
    big = _parse(gantt_svg(rows, TODAY))
    assert float(big.get("height") or 0) > float(small.get("height") or 0)
    labelled = [t for t in ("".join(n.itertext()) for n in big.iter(f"{SVG}text")) if t.startswith("Jan ")]
    assert 0 < len(labelled) <= 8  # yearly labels over seven years, not 84 monthly ones


def test_no_rows_still_draws_a_valid_document() -> None:
    assert _parse(gantt_svg([], TODAY)).tag == f"{SVG}svg"
