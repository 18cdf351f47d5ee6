"""The donor progress report as a PDF: a :class:`~app.reports.snapshot.ReportData` in, ``bytes`` out.

No request and no database here. Labels come through Babel, so build inside ``force_locale(language)``. Every
text a person typed goes through :func:`~app.reports.layout.esc` before it reaches a Paragraph, so markup in a
milestone title is printed as the characters typed. The document is built with ``invariant=1`` (fixed creation
date and document id): the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from app.core.i18n import money
from app.projects.gantt import GanttLabels
from app.reports.charts import budget_drawing, timeline_drawing
from app.reports.layout import (
    BRAND,
    CONTENT_WIDTH,
    LIGHT,
    JpegImage,
    ReportDocument,
    bold,
    day,
    esc,
    styles,
)
from app.reports.snapshot import MilestoneLine, MoneyRow, PhotoItem, ReportData


class ReportBuilder:
    """Lays out a progress report, section by section, into a story of flowables."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.styles = styles()
        self.story: list[Flowable] = []
        self.headings = 0

    # --- small helpers -------------------------------------------------------------------------------------
    def para(self, text: str, style: str = "Body") -> Paragraph:
        """``text`` is markup written here; whatever a person typed inside it was escaped by the caller."""
        return Paragraph(text, self.styles[style])

    def heading(self, text: str, level: int = 1, append: bool = True) -> Paragraph:
        """A heading that goes into the contents and the PDF outline."""
        self.headings += 1
        paragraph = self.para(esc(text), "H1" if level == 1 else "H2")
        paragraph._bookmark = f"h{self.headings}"  # type: ignore[attr-defined]
        if level == 1:
            self.story.append(CondPageBreak(6 * cm))
        if append:
            self.story.append(paragraph)
        return paragraph

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
        cells: list[list[Any]] = [[self.para(esc(h), "CellHead") for h in header]]
        for row in rows:
            cells.append([cell if isinstance(cell, Flowable) else self.para(esc(cell), "Cell") for cell in row])
        table = Table(cells, colWidths=[w * CONTENT_WIDTH for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dee2e6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def empty(self, text: str) -> None:
        self.story.append(self.para(esc(text), "Muted"))

    def wants(self, section: str) -> bool:
        return section in self.data.sections

    # --- sections --------------------------------------------------------------------------------------------
    def cover(self) -> None:
        data = self.data
        self.story += [
            Spacer(1, 4 * cm),
            self.para(esc(data.title), "CoverTitle"),
            Spacer(1, 0.6 * cm),
            self.para(esc(data.subject), "CoverLine"),
            Spacer(1, 1.2 * cm),
            self.para(bold(_("Prepared for")), "CoverLine"),
            self.para(esc(data.donor), "CoverLine"),
            Spacer(1, 0.6 * cm),
            self.para(bold(_("Reporting period")), "CoverLine"),
            self.para(
                esc(f"{format_date(data.period_start, 'long')} — {format_date(data.period_end, 'long')}"),
                "CoverLine",
            ),
            Spacer(1, 0.6 * cm),
            self.para(
                esc(_("%(n)d projects covered.", n=len(data.projects)))
                if len(data.projects) != 1
                else esc(_("1 project covered.")),
                "CoverLine",
            ),
            Spacer(1, 5 * cm),
            self.para(
                esc(
                    _(
                        "International Organization for Migration (IOM) — rehabilitation of the reception centers "
                        "for returned migrants in Honduras."
                    )
                ),
                "Muted",
            ),
            NextPageTemplate("body"),
            PageBreak(),
        ]
        toc = TableOfContents()
        toc.levelStyles = [
            ParagraphStyle("TOC1", fontName="Helvetica-Bold", fontSize=10, leading=16, leftIndent=0),
            ParagraphStyle("TOC2", fontName="Helvetica", fontSize=9, leading=13, leftIndent=14),
        ]
        self.story += [self.para(esc(_("Contents")), "Contents"), toc, PageBreak()]

    def summary(self) -> None:
        self.heading(_("Summary"))
        if self.data.narrative.strip():
            for block in self.data.narrative.strip().split("\n\n"):
                self.story.append(self.para(esc(block.strip())))
                self.story.append(Spacer(1, 4))
        else:
            self.empty(_("No summary was written for this report."))
        rows = [
            (p.code, p.title, p.current_phase, p.state, f"{format_decimal(p.progress, format='#,##0.#')} %")
            for p in self.data.projects
        ]
        if rows:
            self.story.append(Spacer(1, 6))
            self.story.append(
                self.table(
                    [_("Project"), _("Title"), _("Current phase"), _("Status"), _("Works progress")],
                    rows,
                    (0.15, 0.37, 0.2, 0.13, 0.15),
                )
            )

    def phases(self) -> None:
        self.heading(_("Where each project stands"))
        if not self.data.projects:
            self.empty(_("No project in this report."))
        labels = self._gantt_labels()
        for project in self.data.projects:
            block: list[Flowable] = [
                self.heading(f"{project.code} · {project.title}", level=2, append=False),
                self.para(esc(f"{project.center} · {project.state}"), "Muted"),
            ]
            rows = [
                (
                    ph.name,
                    ph.status,
                    day(ph.planned_start),
                    day(ph.planned_end),
                    day(ph.actual_start),
                    day(ph.actual_end),
                )
                for ph in project.phases
            ]
            block.append(
                self.table(
                    [_("Phase"), _("Status"), _("Planned start"), _("Planned end"), _("Started"), _("Finished")],
                    rows,
                    (0.3, 0.14, 0.14, 0.14, 0.14, 0.14),
                )
            )
            if project.timeline:
                block.append(Spacer(1, 6))
                block.append(timeline_drawing(project.timeline, self.data.period_end, labels, CONTENT_WIDTH))
            self.story.append(KeepTogether(block))

    def milestones(self) -> None:
        self.heading(_("Milestones"))
        self.heading(_("Reached in the period"), level=2)
        self._milestone_table(self.data.milestones_reached, reached=True)
        self.heading(_("Due next"), level=2)
        self._milestone_table(self.data.milestones_next, reached=False)

    def _milestone_table(self, lines: Sequence[MilestoneLine], reached: bool) -> None:
        if not lines:
            self.empty(_("None."))
            return
        rows = []
        for m in lines:
            when = day(m.actual_date if reached else m.planned_date)
            if m.overdue:
                when = _("%(date)s (overdue)", date=when)
            rows.append((m.project_code, m.title, m.phase, when))
        self.story.append(
            self.table(
                [_("Project"), _("Milestone"), _("Phase"), _("Reached on") if reached else _("Due on")],
                rows,
                (0.15, 0.45, 0.22, 0.18),
            )
        )

    def assessments(self) -> None:
        self.heading(_("Assessments and standards"))
        if not self.data.assessments:
            self.empty(_("No approved assessment for these projects yet."))
        for block in self.data.assessments:
            self.heading(f"{block.project_code} · {block.kind} · {day(block.assessed_on)}", level=2)
            if block.summary:
                self.story.append(self.para(esc(block.summary)))
            before = _("Before (%(date)s)", date=day(block.previous_on)) if block.previous_on else _("Before")
            rows = []
            for line in block.indicators:
                verdict = "—" if line.ok is None else (_("meets") if line.ok else _("below"))
                rows.append((line.name, line.standard, line.before, line.after, verdict))
            self.story.append(
                self.table(
                    [_("Indicator"), _("Standard"), before, _("After"), _("Verdict")],
                    rows,
                    (0.38, 0.14, 0.18, 0.14, 0.16),
                )
            )
            if block.capacity:
                self.story.append(self.para(esc(block.capacity), "Muted"))

    def budget(self) -> None:
        self.heading(_("Budget against actual"))
        budget = self.data.budget
        if budget is None or not budget.by_project:
            self.empty(_("No budget recorded for these projects."))
            return
        note = _(
            "In %(currency)s: spending and commitments dated up to %(date)s, converted at that day's rates.",
            currency=budget.currency,
            date=day(budget.as_of),
        )
        if self.data.for_donor:
            note += " " + _("Only the budget lines funded by %(donor)s.", donor=self.data.donor)
        self.story.append(self.para(esc(note), "Muted"))
        self.story.append(self._money_table(budget.by_project, budget.total, budget.currency, _("Project")))
        self.story.append(Spacer(1, 8))
        self.story.append(budget_drawing(budget.by_project, (_("Budget"), _("Spent"), _("Committed")), CONTENT_WIDTH))
        if budget.by_phase:
            self.heading(_("By phase"), level=2)
            self.story.append(self._money_table(budget.by_phase, budget.total, budget.currency, _("Phase")))
        if budget.unconverted_lines:
            self.empty(
                _(
                    "%(n)d budget lines are left out of the totals: no exchange rate is known.",
                    n=budget.unconverted_lines,
                )
            )

    def _money_table(self, rows: Sequence[MoneyRow], total: MoneyRow, currency: str, first: str) -> Table:
        def line(row: MoneyRow) -> tuple[str, ...]:
            percent = "—" if row.spent_percent is None else f"{format_decimal(row.spent_percent, format='#,##0.#')} %"
            return (
                row.label,
                money(row.budget, currency),
                money(row.spent, currency),
                money(row.committed, currency),
                money(row.remaining, currency),
                percent,
            )

        table = self.table(
            [first, _("Budget"), _("Spent"), _("Committed"), _("Remaining"), _("Share spent")],
            [line(row) for row in rows] + [line(total)],
            (0.22, 0.17, 0.17, 0.16, 0.17, 0.11),
        )
        table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.8, BRAND),
                    ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ]
            )
        )
        for cells in table._cellvalues[1:]:
            for cell in cells[1:]:
                cell.style = ParagraphStyle("CellRight", parent=cell.style, alignment=2)
        return table

    def _image(self, photo: PhotoItem, width: float, height: float) -> Flowable:
        scale = min(width / max(photo.width, 1), height / max(photo.height, 1))
        if photo.image[:3] == b"\xff\xd8\xff":
            return JpegImage(photo.image, (photo.width, photo.height), photo.width * scale, photo.height * scale)
        return Image(io.BytesIO(photo.image), width=photo.width * scale, height=photo.height * scale)

    def _caption(self, photo: PhotoItem) -> Paragraph:
        bits = [bit for bit in (photo.project_code, photo.stage, photo.caption) if bit]
        return self.para(esc(" · ".join(bits)), "Caption")

    def photos(self) -> None:
        self.heading(_("Photos"))
        data = self.data
        if data.photo_pairs:
            self.heading(_("Before and after"), level=2)
            half = CONTENT_WIDTH / 2 - 6
            for before, after in data.photo_pairs:
                cell = [
                    [self._image(before, half, 6.5 * cm), self._image(after, half, 6.5 * cm)],
                    [self._caption(before), self._caption(after)],
                ]
                table = Table(cell, colWidths=[half + 6, half + 6])
                table.setStyle(
                    TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
                )
                self.story.append(KeepTogether([table, Spacer(1, 8)]))
        if data.photos:
            self.heading(_("A selection from the period"), level=2)
            half = CONTENT_WIDTH / 2 - 6
            for index in range(0, len(data.photos), 2):
                pair = data.photos[index : index + 2]
                images: list[Any] = [self._image(p, half, 5.5 * cm) for p in pair]
                captions: list[Any] = [self._caption(p) for p in pair]
                if len(pair) == 1:
                    images.append("")
                    captions.append("")
                table = Table([images, captions], colWidths=[half + 6, half + 6])
                table.setStyle(
                    TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
                )
                self.story.append(KeepTogether([table, Spacer(1, 8)]))
        if not data.photo_pairs and not data.photos:
            self.empty(_("No photo that may be shared for this period."))
        if data.photos_left_out:
            self.empty(
                ngettext(
                    "%(num)d photo of these projects is not shown: it shows people who did not consent to it.",
                    "%(num)d photos of these projects are not shown: they show people who did not consent to it.",
                    data.photos_left_out,
                )
            )

    def agreements(self) -> None:
        self.heading(_("Agreements and commitments"))
        if not self.data.agreements:
            self.empty(_("No agreement recorded for these projects."))
        for agreement in self.data.agreements:
            self.heading(f"{agreement.code} · {agreement.kind}", level=2)
            status = [esc(agreement.status)]
            if agreement.signed_on:
                status.append(esc(_("Signed on %(date)s", date=day(agreement.signed_on))))
            if agreement.ends_on:
                status.append(esc(_("Ends on %(date)s", date=day(agreement.ends_on))))
            facts = [
                bold(_("Subject")) + " " + esc(agreement.subject),
                bold(_("Status")) + " " + " · ".join(status),
            ]
            if agreement.parties:
                facts.append(bold(_("Parties")) + " " + esc(", ".join(agreement.parties)))
            for fact in facts:
                self.story.append(self.para(fact))
            if agreement.commitments:
                rows = []
                for c in agreement.commitments:
                    state = _("done on %(date)s", date=day(c.done_on)) if c.done_on else _("open")
                    if c.overdue:
                        state = _("overdue")
                    rows.append((c.organization, c.description, day(c.due_on), state))
                self.story.append(Spacer(1, 4))
                self.story.append(
                    self.table([_("Who"), _("Commitment"), _("Due on"), _("Status")], rows, (0.14, 0.52, 0.16, 0.18))
                )

    def risks(self) -> None:
        self.heading(_("Risks and next steps"))
        self.heading(_("Risks read from the record"), level=2)
        if self.data.risks:
            for risk in self.data.risks:
                self.story.append(self.para("• " + esc(risk)))
        else:
            self.empty(_("No overdue milestone or commitment, no overspending, no standard unmet."))
        self.heading(_("Next steps"), level=2)
        if self.data.next_steps.strip():
            self.story.append(self.para(esc(self.data.next_steps.strip())))
        else:
            self.empty(_("No next steps were written for this report."))

    # --- the handover dossier ------------------------------------------------------------------------------

    def _gantt_labels(self) -> GanttLabels:
        return GanttLabels(
            planned=_("Planned"),
            actual=_("Actual"),
            today=_("End of period"),
            no_dates=_("No planned dates"),
            months=[format_date(date(2000, m, 1), "MMM").rstrip(".") for m in range(1, 13)],
        )

    def build(self) -> bytes:
        self.cover()
        sections: dict[str, Callable[[], None]] = {
            "summary": self.summary,
            "phases": self.phases,
            "milestones": self.milestones,
            "assessments": self.assessments,
            "budget": self.budget,
            "photos": self.photos,
            "agreements": self.agreements,
            "risks": self.risks,
        }
        for name, section in sections.items():
            if self.wants(name):
                section()
        return self._render()

    def _render(self) -> bytes:
        buffer = io.BytesIO()
        doc = ReportDocument(buffer, self.data)
        doc.multiBuild(self.story)
        return buffer.getvalue()


def report_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes; the same ``data`` (in the same language) always gives the same bytes."""
    if data.handover is not None:
        # Imported here: the handover dossier's builder extends this module's.
        from app.reports.handover import HandoverBuilder

        return HandoverBuilder(data, data.handover).build()
    return ReportBuilder(data).build()


def page_count(pdf: bytes) -> int:
    """Pages of a PDF this module made (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
