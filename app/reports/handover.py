"""The handover dossier as a PDF: the progress report's builder, with the act, the as-built documents and the
signature blocks. Pure like :mod:`app.reports.pdf`: data in, bytes out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from app.reports.charts import timeline_drawing
from app.reports.layout import CONTENT_WIDTH, day, esc
from app.reports.pdf import ReportBuilder
from app.reports.snapshot import HandoverBlock, ReportData


class HandoverBuilder(ReportBuilder):
    """Cover, handover act, final assessment, photos, as-built documents, agreements, signatures."""

    def __init__(self, data: ReportData, handover: HandoverBlock) -> None:
        super().__init__(data)
        self.handover = handover

    def build(self) -> bytes:
        handover = self.handover
        self.cover()
        self.handover_act(handover)
        self.assessments()
        self.photos()
        self.as_built(handover)
        self.agreements()
        self.signatures(handover)
        return self._render()

    def handover_act(self, handover: HandoverBlock) -> None:
        project = handover.project
        self.heading(_("Handover act"))
        facts = [
            (_("Project"), f"{project.code} · {project.title}"),
            (_("Center"), project.center),
            (_("Works progress"), f"{format_decimal(project.progress, format='#,##0.#')} %"),
            (_("Handover started"), day(handover.started)),
            (_("Handover finished"), day(handover.finished)),
        ]
        if handover.evidence:
            facts.append((_("Evidence recorded at the gate"), handover.evidence))
        self.story.append(self.table([_("Item"), _("Value")], facts, (0.32, 0.68)))
        if self.data.narrative.strip():
            self.story.append(Spacer(1, 6))
            self.story.append(self.para(esc(self.data.narrative.strip())))
        self.heading(_("Signed handover acts"), level=2)
        self._document_table(handover.acts)
        self.story.append(Spacer(1, 6))
        self.story.append(
            KeepTogether(
                [timeline_drawing(project.timeline, self.data.period_end, self._gantt_labels(), CONTENT_WIDTH)]
            )
        )

    def _document_table(self, documents: Sequence[Any]) -> None:
        if not documents:
            self.empty(_("None recorded."))
            return
        rows = [
            (d.kind, d.title, d.status, f"v{d.version}" if d.version else "—", day(d.dated), d.sha256 or "—")
            for d in documents
        ]
        self.story.append(
            self.table(
                [_("Kind"), _("Title"), _("Status"), _("Version"), _("Date"), _("SHA-256 (start)")],
                rows,
                (0.17, 0.33, 0.12, 0.09, 0.13, 0.16),
            )
        )

    def as_built(self, handover: HandoverBlock) -> None:
        self.heading(_("As-built documents"))
        self.story.append(
            self.para(esc(_("Approved or signed documents kept in Rehabilita, by their latest version.")), "Muted")
        )
        self._document_table(handover.documents)

    def signatures(self, handover: HandoverBlock) -> None:
        self.heading(_("Signatures"))
        self.story.append(
            self.para(
                esc(
                    _(
                        "By signing, the parties record that the building of %(center)s was handed over as described "
                        "in this dossier.",
                        center=handover.project.center,
                    )
                )
            )
        )
        self.story.append(Spacer(1, 10))
        blocks: list[Any] = []
        for signatory in handover.signatories or ():
            blocks.append(
                [
                    self.para(f"<b>{esc(signatory.organization)}</b><br/>{esc(signatory.role)}", "Cell"),
                    self.para("<br/><br/>" + "_" * 34 + "<br/>" + esc(_("Name, position and signature")), "Cell"),
                    self.para("<br/><br/>" + "_" * 16 + "<br/>" + esc(_("Date")), "Cell"),
                ]
            )
        if not blocks:
            self.empty(_("No party recorded: add the parties to the project's agreements."))
            return
        table = Table(blocks, colWidths=[w * CONTENT_WIDTH for w in (0.36, 0.42, 0.22)])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dee2e6")),
                ]
            )
        )
        self.story.append(table)
