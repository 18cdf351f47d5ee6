"""Budget against actual per phase as a small SVG bar chart, drawn on the server (no script needed).

Every label is escaped here, so the result is safe to put in a page as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import escape

from app.budgets.analysis import Group

WIDTH = 960
LABEL_WIDTH = 260
VALUE_WIDTH = 220
ROW_HEIGHT = 46
BAR_HEIGHT = 14
TOP = 34


@dataclass(frozen=True)
class ChartLabels:
    title: str
    budget: str
    spent: str
    committed: str
    over: str
    empty: str


def budget_chart_svg(groups: Sequence[Group], labels: ChartLabels, fmt: Callable[[Decimal], str]) -> str:
    """Two bars per group: its budget, and what is spent plus still committed (red when above the budget)."""
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale_max = max((max(g.figures.budget, g.figures.used) for g in groups), default=Decimal(0))
    height = TOP + max(1, len(groups)) * ROW_HEIGHT + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="budget-chart-title" class="budget-chart">',
        f'<title id="budget-chart-title">{escape(labels.title)}</title>',
        _legend(labels),
    ]
    if not groups or scale_max <= 0:
        parts.append(f'<text x="0" y="{TOP + 20}" font-size="13" fill="#6c757d">{escape(labels.empty)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    def width(value: Decimal) -> float:
        return float(max(Decimal(0), value) / scale_max * bar_area) if scale_max else 0.0

    for index, group in enumerate(groups):
        figures = group.figures
        y = TOP + index * ROW_HEIGHT
        over = figures.over_budget
        parts.append(f'<text x="0" y="{y + BAR_HEIGHT + 6}" font-size="13" fill="#212529">{escape(group.label)}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width(figures.budget):.1f}" height="{BAR_HEIGHT}" '
            f'fill="#adb5bd"><title>{escape(labels.budget)}: {escape(fmt(figures.budget))}</title></rect>'
        )
        spent_w, committed_w = width(figures.spent), width(figures.committed)
        spent_fill = "#dc3545" if over else "#1f6f8b"
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + BAR_HEIGHT + 3}" width="{spent_w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{spent_fill}"><title>{escape(labels.spent)}: {escape(fmt(figures.spent))}</title></rect>'
        )
        if committed_w:
            parts.append(
                f'<rect x="{LABEL_WIDTH + spent_w:.1f}" y="{y + BAR_HEIGHT + 3}" width="{committed_w:.1f}" '
                f'height="{BAR_HEIGHT}" fill="{"#f1a1a9" if over else "#8fc1d4"}"><title>'
                f"{escape(labels.committed)}: {escape(fmt(figures.committed))}</title></rect>"
            )
        value_x = WIDTH - VALUE_WIDTH + 8
        parts.append(
            f'<text x="{value_x}" y="{y + BAR_HEIGHT - 2}" font-size="12" fill="#495057">'
            f"{escape(fmt(figures.budget))}</text>"
        )
        used_text = fmt(figures.used) + (f" · {labels.over}" if over else "")
        parts.append(
            f'<text x="{value_x}" y="{y + 2 * BAR_HEIGHT + 1}" font-size="12" '
            f'fill="{"#b02a37" if over else "#495057"}">{escape(used_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(labels: ChartLabels) -> str:
    items = [("#adb5bd", labels.budget), ("#1f6f8b", labels.spent), ("#8fc1d4", labels.committed)]
    out, x = [], 0
    for color, text in items:
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{color}"></rect>')
        out.append(f'<text x="{x + 16}" y="14" font-size="12" fill="#495057">{escape(text)}</text>')
        x += 24 + 7 * len(text)
    return "".join(out)
