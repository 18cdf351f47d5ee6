"""The page and the pieces every report PDF is made of: styles, the page template (donor in the header, page
numbers, contents entries), escaping of typed text, and JPEG photos embedded without decoding.

No request and no database here; labels come through Babel, so build inside ``force_locale(language)``.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, TableStyle

from app.reports.snapshot import ReportData

# Binary streams: JPEG bytes go into the PDF as they are. ASCII85-encoding them in Python (reportlab's default)
# costs seconds per report and a quarter more bytes; every PDF reader takes binary streams.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BRAND = colors.HexColor("#0b4f6c")
LIGHT = colors.HexColor("#e9f1f5")
MUTED = colors.HexColor("#6c757d")
PHOTO_GRID = TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])


class _JpegSource:
    """JPEG bytes that reportlab embeds as they are (DCTDecode): never decoded, so memory stays at the file size.

    Not an ``ImageReader`` on purpose: the canvas decodes an ImageReader to RGB to name it; for anything else it
    names the image by ``str()`` (here the hash of the bytes, stable from one build to the next) and asks
    ``jpeg_fh()`` for the raw stream.
    """

    def __init__(self, data: bytes, width: int, height: int) -> None:
        self.data = data
        self.size = (width, height)
        self.name = "jpeg-" + hashlib.sha256(data).hexdigest()[:32]

    def __str__(self) -> str:
        return self.name

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.data)

    def getSize(self) -> tuple[int, int]:
        return self.size


class JpegImage(Flowable):
    """A JPEG drawn at a given size without decoding it (see :class:`_JpegSource`)."""

    def __init__(self, data: bytes, pixels: tuple[int, int], width: float, height: float) -> None:
        super().__init__()
        self.source = _JpegSource(data, *pixels)
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        self.canv.drawImage(self.source, 0, 0, self.drawWidth, self.drawHeight, mask=None)  # type: ignore[arg-type]


def esc(text: object) -> str:
    """Text a person typed, made safe for a reportlab Paragraph: markup shows as the characters typed."""
    return escape(str(text)).replace("\n", "<br/>")


def bold(label: str) -> str:
    """A label in bold, for Paragraph markup."""
    return f"<b>{esc(label)}</b>"


def styles() -> StyleSheet1:
    sheet = getSampleStyleSheet()
    sheet.add(
        ParagraphStyle(
            "H1", parent=sheet["Heading1"], fontSize=16, leading=20, textColor=BRAND, spaceBefore=10, keepWithNext=1
        )
    )
    sheet.add(
        ParagraphStyle(
            "H2", parent=sheet["Heading2"], fontSize=12, leading=15, textColor=BRAND, spaceBefore=8, keepWithNext=1
        )
    )
    sheet.add(ParagraphStyle("Contents", parent=sheet["Heading1"], fontSize=16, leading=20, textColor=BRAND))
    sheet.add(ParagraphStyle("Body", parent=sheet["BodyText"], fontSize=9.5, leading=13))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8, leading=10))
    sheet.add(ParagraphStyle("Muted", parent=sheet["BodyText"], fontSize=8.5, leading=11, textColor=MUTED))
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=8, leading=10))
    sheet.add(ParagraphStyle("CellHead", parent=sheet["BodyText"], fontSize=8, leading=10, fontName="Helvetica-Bold"))
    sheet.add(ParagraphStyle("CoverTitle", fontName="Helvetica-Bold", fontSize=28, leading=34, textColor=BRAND))
    sheet.add(ParagraphStyle("CoverLine", fontName="Helvetica", fontSize=14, leading=20, textColor=colors.black))
    sheet.add(ParagraphStyle("Caption", fontName="Helvetica", fontSize=7.5, leading=9, alignment=TA_CENTER))
    return sheet


class ReportDocument(BaseDocTemplate):
    """Pages with the donor's name in the header and the page number in the footer; headings feed the contents."""

    def __init__(self, buffer: io.BytesIO, data: ReportData) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.4 * cm,
            bottomMargin=MARGIN,
            title=f"{data.title} — {data.donor}",
            author="IOM",
            subject=data.subject,
            creator="Rehabilita",
            invariant=1,
        )
        self.data = data
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frame], onPage=self._body_page),
            ]
        )
        self._heading = 0

    def _cover_page(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, PAGE_HEIGHT - 3.2 * cm, PAGE_WIDTH, 3.2 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(MARGIN, PAGE_HEIGHT - 2 * cm, "Rehabilita · IOM")
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        top = PAGE_HEIGHT - MARGIN + 0.3 * cm
        canvas.drawString(MARGIN, top, self.data.donor[:90])
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, self.data.title)
        canvas.setStrokeColor(colors.HexColor("#dee2e6"))
        canvas.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
        canvas.drawString(MARGIN, MARGIN - 0.8 * cm, period_line(self.data))
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 0.8 * cm, _("Page %(n)d", n=doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("H1", "H2"):
            level = 0 if flowable.style.name == "H1" else 1
            text = flowable.getPlainText()
            key = getattr(flowable, "_bookmark", None)
            if key:
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(text, key, level=level)
            self.notify("TOCEntry", (level, text, self.page, key))


def period_line(data: ReportData) -> str:
    return _(
        "Period: %(start)s — %(end)s",
        start=format_date(data.period_start, "long"),
        end=format_date(data.period_end, "long"),
    )


def day(value: date | None) -> str:
    return format_date(value, "medium") if value else "—"
