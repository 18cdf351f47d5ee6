"""Drawings for the PDF (reportlab.graphics): the phase timeline from the Gantt rows, and budget against actual.

Pure: values in, a :class:`~reportlab.graphics.shapes.Drawing` out. Money arrives as ``Decimal``; it becomes a
float only as a bar length on paper, never for a sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from app.projects.gantt import (
    ACTUAL_FILL,
    PLANNED_FILL,
    PLANNED_STROKE,
    TODAY_STROKE,
    GanttLabels,
    GanttRow,
    _month_start,
    _next_month,
    _span,
)
from app.reports.snapshot import MoneyRow

FONT = "Helvetica"
TEXT = colors.HexColor("#212529")
MUTED = colors.HexColor("#6c757d")
GRID = colors.HexColor("#dee2e6")
BAND = colors.HexColor("#f3f5f7")
BUDGET_FILL = colors.HexColor("#9ec5fe")
SPENT_FILL = colors.HexColor("#0b4f6c")
COMMITTED_FILL = colors.HexColor("#fd9843")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_drawing(
    rows: Sequence[GanttRow], today: date, labels: GanttLabels, width: float = 480, row_height: float = 18
) -> Drawing:
    """The Gantt timeline of :mod:`app.projects.gantt` (same rows, colours and span) as a reportlab drawing."""
    label_width = width * 0.3
    header, legend = 22.0, 22.0
    height = header + row_height * max(len(rows), 1) + legend
    drawing = Drawing(width, height)
    start, end = _span(rows, today)
    total = max((end - start).days, 1)
    left, right = label_width, width - 4

    def x(day: date) -> float:
        return left + (day - start).days / total * (right - left)

    def y_top(index: int) -> float:  # reportlab's y grows upwards
        return height - header - index * row_height

    for index in range(len(rows)):
        if index % 2:
            drawing.add(Rect(0, y_top(index) - row_height, width, row_height, fillColor=BAND, strokeColor=None))
    months = []
    day = _month_start(start)
    while day < end:
        months.append(day)
        day = _next_month(day)
    step = next((s for s in (1, 2, 3, 6) if (right - left) / max(len(months), 1) * s >= 34), 12)
    bottom = y_top(len(rows))
    for number, month in enumerate(months):
        if (month.month - 1) % step:
            continue
        mx = x(month)
        drawing.add(Line(mx, height - header + 4, mx, bottom, strokeColor=GRID, strokeWidth=0.5))
        name = labels.months[month.month - 1]
        text = f"{name} {month.year % 100:02d}" if number == 0 or month.month == 1 or step >= 6 else name
        if mx + 4 * len(text) < width:
            drawing.add(String(mx + 2, height - header + 6, text, fontName=FONT, fontSize=6.5, fillColor=MUTED))
    for index, row in enumerate(rows):
        top = y_top(index)
        middle = top - row_height / 2
        drawing.add(String(2, middle - 2.5, _clip(row.label, 30), fontName=FONT, fontSize=7.5, fillColor=TEXT))
        if row.planned_start and row.planned_end:
            x0, x1 = x(row.planned_start), x(row.planned_end + timedelta(days=1))
            drawing.add(
                Rect(
                    x0,
                    top - row_height + 3,
                    max(x1 - x0, 1),
                    row_height - 6,
                    fillColor=colors.HexColor(PLANNED_FILL),
                    strokeColor=colors.HexColor(PLANNED_STROKE),
                    strokeWidth=0.5,
                )
            )
        elif not row.actual_start:
            drawing.add(
                String(
                    left + 4, middle - 2.5, labels.no_dates, fontName="Helvetica-Oblique", fontSize=7, fillColor=MUTED
                )
            )
        if row.actual_start:
            finish = row.actual_end or max(today, row.actual_start)
            x0, x1 = x(row.actual_start), x(finish + timedelta(days=1))
            fill = colors.HexColor(ACTUAL_FILL.get(row.status, ACTUAL_FILL["in_progress"]))
            drawing.add(Rect(x0, middle - 3, max(x1 - x0, 1), 6, fillColor=fill, strokeColor=None))
    if start <= today <= end:
        tx = x(today)
        drawing.add(
            Line(tx, height - header + 2, tx, bottom, strokeColor=colors.HexColor(TODAY_STROKE), strokeDashArray=[2, 2])
        )
    ly = 6.0
    drawing.add(
        Rect(2, ly, 14, 7, fillColor=colors.HexColor(PLANNED_FILL), strokeColor=colors.HexColor(PLANNED_STROKE))
    )
    drawing.add(String(20, ly + 1, labels.planned, fontName=FONT, fontSize=7, fillColor=TEXT))
    lx = 30 + 4.2 * len(labels.planned)
    drawing.add(Rect(lx, ly + 1, 14, 5, fillColor=colors.HexColor(ACTUAL_FILL["in_progress"]), strokeColor=None))
    drawing.add(String(lx + 18, ly + 1, labels.actual, fontName=FONT, fontSize=7, fillColor=TEXT))
    lx += 28 + 4.2 * len(labels.actual)
    drawing.add(Line(lx + 6, ly - 1, lx + 6, ly + 9, strokeColor=colors.HexColor(TODAY_STROKE), strokeDashArray=[2, 2]))
    drawing.add(String(lx + 12, ly + 1, labels.today, fontName=FONT, fontSize=7, fillColor=TEXT))
    return drawing


def budget_drawing(
    rows: Sequence[MoneyRow], legend: tuple[str, str, str], width: float = 480, bar_group: float = 30
) -> Drawing:
    """Horizontal bars per row: budget, spent and committed, on one axis in the report's currency."""
    plot_left = width * 0.24
    plot_height = bar_group * max(len(rows), 1)
    height = plot_height + 46
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = plot_left, 30
    chart.width, chart.height = width - plot_left - 16, plot_height
    budgets = [float(row.budget) for row in rows]
    spent = [float(row.spent) for row in rows]
    committed = [float(row.committed) for row in rows]
    # Series are drawn bottom-up within a group: committed first, so budget reads on top, as in the legend.
    chart.data = [committed[::-1], spent[::-1], budgets[::-1]]
    chart.categoryAxis.categoryNames = [_clip(row.label, 26) for row in rows][::-1]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _short_amount
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.bars[0].fillColor = COMMITTED_FILL
    chart.bars[1].fillColor = SPENT_FILL
    chart.bars[2].fillColor = BUDGET_FILL
    for index in range(3):
        chart.bars[index].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    drawing.add(chart)
    lx = plot_left
    for fill, text in zip((BUDGET_FILL, SPENT_FILL, COMMITTED_FILL), legend, strict=True):
        drawing.add(Rect(lx, height - 12, 10, 7, fillColor=fill, strokeColor=None))
        drawing.add(String(lx + 14, height - 11, text, fontName=FONT, fontSize=7.5, fillColor=TEXT))
        lx += 24 + 4.4 * len(text)
    return drawing


def _short_amount(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f} M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f} k"
    return f"{value:.0f}"
