"""The Gantt timeline, drawn as SVG on the server.

:func:`gantt_svg` is pure: plain rows and labels in, an SVG document out; no request, no database. The drawing uses
presentation attributes only (``fill``, ``stroke``...), never CSS classes, and has an explicit width, height and
viewBox, so the same output can be embedded in a page, printed, or converted for a PDF report.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from app.projects.models import Project

WIDTH = 960
LABEL_WIDTH = 240
ROW_HEIGHT = 30
HEADER_HEIGHT = 40
LEGEND_HEIGHT = 34
PAD = 8
MAX_LABEL_CHARS = 34
CHAR_WIDTH = 6.5  # average width of a character at 11 px, to keep month labels inside the drawing
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"

PLANNED_FILL = "#cfe2ff"
PLANNED_STROKE = "#6ea8fe"
ACTUAL_FILL = {
    "done": "#198754",
    "in_progress": "#0b4f6c",
    "on_hold": "#fd7e14",
    "not_started": "#6c757d",
}
TODAY_STROKE = "#dc3545"
GRID_STROKE = "#dee2e6"
BAND_FILL = "#f8f9fa"
TEXT_FILL = "#212529"
MUTED_FILL = "#6c757d"


@dataclass(frozen=True)
class GanttRow:
    """One bar of the timeline: a phase of a project, or a whole project in a portfolio.

    ``status`` is a :class:`app.core.enums.PhaseStatus` value (not_started, in_progress, done, on_hold); it
    picks the colour of the actual bar.
    """

    label: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None = None
    actual_end: date | None = None
    status: str = "not_started"


@dataclass(frozen=True)
class GanttLabels:
    """The words of the drawing, already in the reader's language."""

    planned: str = "Planned"
    actual: str = "Actual"
    today: str = "Today"
    no_dates: str = "No planned dates"
    title: str = "Timeline"
    months: Sequence[str] = tuple(calendar.month_abbr[1:])


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _dates(row: GanttRow) -> list[date]:
    values = (row.planned_start, row.planned_end, row.actual_start, row.actual_end)
    return [value for value in values if value is not None]


def _span(rows: Sequence[GanttRow], today: date) -> tuple[date, date]:
    """First day of the first month shown, first day of the month after the last one."""
    every = [day for row in rows for day in _dates(row)] + [today]
    return _month_start(min(every)), _next_month(max(every))


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, **attrs: str) -> None:
        self.parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" height="{_num(h)}"{_attrs(attrs)}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: str) -> None:
        self.parts.append(f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"{_attrs(attrs)}/>')

    def text(self, x: float, y: float, content: str, tooltip: str | None = None, **attrs: str) -> None:
        inner = escape(content)
        if tooltip is not None and tooltip != content:
            inner = f"<title>{escape(tooltip)}</title>{inner}"
        self.parts.append(f'<text x="{_num(x)}" y="{_num(y)}"{_attrs(attrs)}>{inner}</text>')


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attrs.items())


MIN_TICK_SPACING = 56  # pixels between two month labels, so "Sep 2025" never runs into the next one


def _tick_step(months: int) -> int:
    """Label every month when there is room, else every second, third, sixth or twelfth month."""
    per_month = (WIDTH - PAD - LABEL_WIDTH) / max(months, 1)
    return next((step for step in (1, 2, 3, 6) if per_month * step >= MIN_TICK_SPACING), 12)


def gantt_svg(rows: Sequence[GanttRow], today: date, labels: GanttLabels | None = None) -> str:
    """An SVG timeline with a planned bar (light) and an actual bar (solid) per row, month ticks and a line
    at ``today``. Every label is XML-escaped; the result parses as XML."""
    labels = labels or GanttLabels()
    start, end = _span(rows, today)
    total_days = max((end - start).days, 1)
    chart_left, chart_right = LABEL_WIDTH, WIDTH - PAD
    rows_top = HEADER_HEIGHT
    rows_bottom = rows_top + ROW_HEIGHT * max(len(rows), 1)
    height = rows_bottom + LEGEND_HEIGHT

    def x(day: date) -> float:
        return chart_left + (day - start).days / total_days * (chart_right - chart_left)

    svg = _Canvas()
    svg.rect(0, 0, WIDTH, height, fill="#ffffff")
    for index in range(len(rows)):
        if index % 2:
            svg.rect(0, rows_top + index * ROW_HEIGHT, WIDTH, ROW_HEIGHT, fill=BAND_FILL)

    _draw_months(svg, start, end, x, rows_bottom, labels)

    for index, row in enumerate(rows):
        top = rows_top + index * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        svg.text(PAD, middle + 4, _short(row.label), tooltip=row.label, fill=TEXT_FILL, font_size="12")
        if row.planned_start and row.planned_end:
            svg.rect(
                x(row.planned_start),
                top + 6,
                x(row.planned_end + timedelta(days=1)) - x(row.planned_start),
                ROW_HEIGHT - 12,
                fill=PLANNED_FILL,
                stroke=PLANNED_STROKE,
                stroke_width="1",
                rx="2",
            )
        elif not row.actual_start:
            svg.text(
                chart_left + PAD, middle + 4, labels.no_dates, fill=MUTED_FILL, font_size="11", font_style="italic"
            )
        if row.actual_start:
            finish = row.actual_end or max(today, row.actual_start)
            svg.rect(
                x(row.actual_start),
                middle - 4,
                x(finish + timedelta(days=1)) - x(row.actual_start),
                8,
                fill=ACTUAL_FILL.get(row.status, ACTUAL_FILL["in_progress"]),
                rx="1",
            )

    today_x = x(today)
    svg.line(
        today_x,
        HEADER_HEIGHT - 6,
        today_x,
        rows_bottom,
        stroke=TODAY_STROKE,
        stroke_width="1.5",
        stroke_dasharray="4 3",
    )
    _draw_legend(svg, rows_bottom, labels)

    title = escape(labels.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_num(height)}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" role="img" aria-label={quoteattr(labels.title)} '
        f"font-family={quoteattr(FONT)}><title>{title}</title>" + "".join(svg.parts) + "</svg>"
    )


def _draw_months(
    svg: _Canvas,
    start: date,
    end: date,
    position: Callable[[date], float],
    rows_bottom: float,
    labels: GanttLabels,
) -> None:
    months: list[date] = []
    day = start
    while day < end:
        months.append(day)
        day = _next_month(day)
    step = _tick_step(len(months))
    first = True
    for month in months:
        left = position(month)
        if (month.month - 1) % step:
            if step < 6:
                svg.line(left, HEADER_HEIGHT, left, rows_bottom, stroke=GRID_STROKE, stroke_width="0.5")
            continue
        svg.line(left, HEADER_HEIGHT - 14, left, rows_bottom, stroke=GRID_STROKE, stroke_width="1")
        name = labels.months[month.month - 1]
        text = f"{name} {month.year}" if first or month.month == 1 or step == 12 else name
        if left + 3 + len(text) * CHAR_WIDTH <= WIDTH:  # a label cut by the right edge helps nobody
            svg.text(left + 3, HEADER_HEIGHT - 18, text, fill=MUTED_FILL, font_size="11")
        first = False
    svg.line(LABEL_WIDTH, HEADER_HEIGHT, WIDTH - PAD, HEADER_HEIGHT, stroke=GRID_STROKE, stroke_width="1")


def _draw_legend(svg: _Canvas, rows_bottom: float, labels: GanttLabels) -> None:
    y = rows_bottom + 12
    left = float(PAD)
    svg.rect(left, y, 22, 12, fill=PLANNED_FILL, stroke=PLANNED_STROKE, stroke_width="1", rx="2")
    svg.text(left + 28, y + 10, labels.planned, fill=TEXT_FILL, font_size="11")
    left += 40 + 7 * len(labels.planned)
    svg.rect(left, y + 2, 22, 8, fill=ACTUAL_FILL["in_progress"], rx="1")
    svg.text(left + 28, y + 10, labels.actual, fill=TEXT_FILL, font_size="11")
    left += 40 + 7 * len(labels.actual)
    svg.line(left + 11, y - 2, left + 11, y + 14, stroke=TODAY_STROKE, stroke_width="1.5", stroke_dasharray="4 3")
    svg.text(left + 20, y + 10, labels.today, fill=TEXT_FILL, font_size="11")


# --- rows from projects (reads attributes only: load the phases first) ---------------------------------------
def phase_rows(project: Project) -> list[GanttRow]:
    """One row per phase of ``project``, in order."""
    return [
        GanttRow(
            label=f"{phase.position}. {phase.kind.label}",
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            actual_start=phase.actual_start,
            actual_end=phase.actual_end,
            status=phase.status.value,
        )
        for phase in sorted(project.phases, key=lambda p: p.position)
    ]


def project_row(project: Project) -> GanttRow:
    """One row for a whole project: planned dates of the project, actual dates from its phases."""
    starts = [phase.actual_start for phase in project.phases if phase.actual_start]
    ends = [phase.actual_end for phase in project.phases if phase.actual_end]
    actual_start = min(starts) if starts else None
    if project.completed:
        status = "done"
    elif project.on_hold:
        status = "on_hold"
    else:
        status = "in_progress" if actual_start else "not_started"
    return GanttRow(
        label=f"{project.code} · {project.title}",
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        actual_start=actual_start,
        actual_end=max(ends) if project.completed and ends else None,
        status=status,
    )
