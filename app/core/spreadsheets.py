"""Spreadsheets we write (XLSX and CSV), and files sent as downloads.

Files we write are opened by spreadsheets: a text cell that starts like a formula is written so that no spreadsheet
runs it (:func:`neutralize`), whoever typed it. Numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from werkzeug.wrappers.response import Response

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
ZIP_MIMETYPE = "application/zip"
XML_MIMETYPE = "application/xml"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MIN_WIDTH = 8
MAX_WIDTH = 60


def neutralize(text: str) -> str:
    """Text a spreadsheet will show as text: one that starts like a formula gets a leading apostrophe."""
    text = _ILLEGAL_XML.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


Cell = str | Decimal | int | date | None


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    # Number formats by column index (for XLSX): "0.00" for money, "0.000" for quantities.
    formats: dict[int, str] = field(default_factory=dict)
    # A second header row of HXL hashtags (#org, #adm1, #value+budget...), written to CSV only.
    tags: list[str] | None = None
    # Column widths in characters for XLSX; measured from the content when not given.
    widths: list[int] | None = None


def _width(header: str, rows: Sequence[Sequence[Cell]], index: int) -> int:
    longest = len(header)
    for row in rows[:500]:
        value = row[index] if index < len(row) else None
        if isinstance(value, date):
            longest = max(longest, 10)
        elif value is not None:
            longest = max(longest, len(str(value)))
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _cell(worksheet: Any, value: Cell, number_format: str | None = None, font: Any = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    written = WriteOnlyCell(worksheet, value=neutralize(value) if isinstance(value, str) else value)
    if number_format:
        written.number_format = number_format
    if font is not None:
        written.font = font
    return written


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook: numbers as numbers, dates as dates, every text cell neutralized, the header row frozen.

    Written in openpyxl's write-only mode: rows stream to the file instead of building every cell object first,
    which keeps a large portfolio fast and its memory flat."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(neutralize(sheet.title)[:31])
        worksheet.freeze_panes = "A2"
        for index, header in enumerate(sheet.headers):
            width = sheet.widths[index] if sheet.widths else _width(header, sheet.rows, index)
            worksheet.column_dimensions[get_column_letter(index + 1)].width = width
        worksheet.append([_cell(worksheet, header, font=bold) for header in sheet.headers])
        formats = sheet.formats
        for row in sheet.rows:
            # A cell object only where a number format is needed: plain values are much faster to write.
            worksheet.append(
                [
                    _cell(worksheet, value, formats[i])
                    if i in formats and value is not None
                    else (neutralize(value) if isinstance(value, str) else value)
                    for i, value in enumerate(row)
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads accents right); text cells neutralized, numbers plain.

    With ``tags``, the HXL hashtags are the second row, as HXL tools expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(header) for header in sheet.headers])
    if sheet.tags is not None:
        writer.writerow(sheet.tags)
    for row in sheet.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """``data`` as a file download named ``filename`` (quotes and path separators taken out)."""
    safe = re.sub(r'["\\/\r\n]', "", filename) or "download"
    # content_type, not mimetype: werkzeug would add a second charset to "text/csv; charset=utf-8".
    response = Response(data, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
