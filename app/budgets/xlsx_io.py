"""Spreadsheets in and out: a budget or bill of quantities read from XLSX, budgets and expenditures written to
XLSX and CSV (writing them is app.core.spreadsheets).

Files from people are untrusted: an upload must really be an XLSX workbook (a ZIP holding ``xl/workbook.xml``),
without macros, within 5 MB and 5,000 rows, and nothing of it is saved until every row is valid. Files we write
are opened by spreadsheets: a text cell that starts like a formula is written so that no spreadsheet runs it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.budgets.money import decimal_from_cell
from app.budgets.services import LineInput, LineValues, line_check
from app.core.enums import BudgetCategory, PhaseKind
from app.core.errors import DomainError
from app.projects.models import Project

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A 5 MB ZIP can hold gigabytes of XML; refuse what would take more than this to read.
MAX_UNCOMPRESSED_BYTES = 120 * 1024 * 1024


class SpreadsheetRejected(DomainError):
    def __init__(self, message: object) -> None:
        super().__init__(str(message), field="file")


# --- reading --------------------------------------------------------------------------------------------
def _plain(text: object) -> str:
    """Lower case, no accents, no punctuation or bracketed notes: "Costo unitario (L.)" → "costo unitario"."""
    value = unicodedata.normalize("NFKD", str(text or ""))
    value = "".join(ch for ch in value if not unicodedata.combining(ch)).lower()
    value = re.sub(r"\(.*?\)|\[.*?\]", " ", value)
    value = re.sub(r"[^a-z0-9&/]+", " ", value)
    return " ".join(value.split())


COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("category", "categoria", "rubro"),
    "description": ("description", "descripcion", "concepto", "actividad"),
    "quantity": ("quantity", "qty", "cantidad", "cant"),
    "unit": ("unit", "unidad", "um", "u/m", "unidad de medida"),
    "unit_cost": ("unit cost", "unit price", "costo unitario", "precio unitario", "pu", "p u", "costo unit"),
    "currency": ("currency", "moneda", "divisa"),
    "funder": ("funder", "funder acronym", "donor", "financiador", "donante", "fuente de financiamiento"),
    "phase": ("phase", "fase", "etapa"),
}
OPTIONAL_COLUMNS = frozenset({"unit"})

CATEGORY_ALIASES: dict[BudgetCategory, tuple[str, ...]] = {
    BudgetCategory.ASSESSMENT_DESIGN: (
        "assessment and design",
        "assessment & design",
        "evaluacion y diseno",
        "diagnostico y diseno",
        "estudios y diseno",
    ),
    BudgetCategory.WORKS: ("works", "obras", "obra", "obra civil", "obras civiles"),
    BudgetCategory.MATERIALS: ("materials", "materiales"),
    BudgetCategory.EQUIPMENT_FURNITURE: (
        "equipment and furniture",
        "equipment & furniture",
        "equipo y mobiliario",
        "mobiliario y equipo",
        "equipamiento",
    ),
    BudgetCategory.SUPERVISION: ("supervision",),
    BudgetCategory.CONTINGENCY: ("contingency", "contingencies", "imprevistos", "contingencia", "contingencias"),
    BudgetCategory.OTHER: ("other", "others", "otro", "otros"),
}
PHASE_ALIASES: dict[PhaseKind, tuple[str, ...]] = {
    PhaseKind.EVALUATION: ("evaluation", "evaluacion", "evaluation of the working model", "diagnostico"),
    PhaseKind.PARTNERSHIP: ("partnership", "partnership agreement", "convenio", "acuerdo", "acuerdo de asociacion"),
    PhaseKind.DESIGN: ("design", "preliminary design", "diseno", "diseno preliminar", "anteproyecto"),
    PhaseKind.WORKS: ("works", "obras", "obra", "ejecucion de obras"),
    PhaseKind.HANDOVER: ("handover", "entrega", "traspaso"),
}


def _lookup(aliases: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    """Aliases plus each member's code and its label in the language of the request."""
    table: dict[str, Any] = {}
    for member, names in aliases.items():
        for name in (*names, member.value, member.label):
            table.setdefault(_plain(name), member)
    return table


@dataclass
class ImportRow:
    number: int  # the row number Excel shows
    cells: dict[str, str]
    values: LineValues | None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    problems: list[str]  # about the whole file (a missing column, no rows)
    ignored_columns: list[str]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and not self.error_rows

    @property
    def values(self) -> list[LineValues]:
        return [row.values for row in self.rows if row.values is not None]

    def totals(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = {}
        for values in self.values:
            sums[values.currency] = sums.get(values.currency, Decimal("0.00")) + values.total
        return dict(sorted(sums.items()))


def column_labels() -> dict[str, str]:
    return {
        "category": _("Category"),
        "description": _("Description"),
        "quantity": _("Quantity"),
        "unit": _("Unit"),
        "unit_cost": _("Unit cost"),
        "currency": _("Currency"),
        "funder": _("Funder"),
        "funder_id": _("Funder"),
        "phase": _("Phase"),
    }


def check_xlsx(data: bytes) -> None:
    """Refuse anything but a macro-free XLSX workbook of reasonable size, by its content (never its name)."""
    if not data:
        raise SpreadsheetRejected(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetRejected(_l("The file is larger than 5 MB."))
    if data[:4] != b"PK\x03\x04":
        raise SpreadsheetRejected(_l("This is not an Excel workbook (.xlsx). Save it as .xlsx and send it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise SpreadsheetRejected(_l("The file is damaged and cannot be opened.")) from None
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in names):
        raise SpreadsheetRejected(_l("Workbooks with macros are not accepted. Save it as .xlsx without macros."))
    if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
        raise SpreadsheetRejected(_l("This is not an Excel workbook (.xlsx). Save it as .xlsx and send it again."))
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetRejected(_l("The workbook is too large once opened."))


def _sheet_rows(data: bytes) -> Iterable[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it ignores (data validation…)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise SpreadsheetRejected(_l("The workbook cannot be read. Open it in Excel and save it again.")) from error
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return str(decimal_from_cell(value))
    return str(value).strip()


def _header(cells: Sequence[Any]) -> tuple[dict[str, int], list[str], list[str]]:
    wanted = {_plain(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    problems: list[str] = []
    ignored: list[str] = []
    labels = column_labels()
    for index, cell in enumerate(cells):
        text = _display(cell)
        if not text:
            continue
        name = wanted.get(_plain(text))
        if name is None:
            ignored.append(text)
        elif name in positions:
            problems.append(_("The column “%(name)s” appears twice in row 1.", name=labels[name]))
        else:
            positions[name] = index
    missing = [labels[name] for name in COLUMNS if name not in positions and name not in OPTIONAL_COLUMNS]
    if missing:
        problems.append(
            _(
                "Row 1 must name the columns; missing: %(names)s. English or Spanish headers are accepted "
                "(category/categoría, description/descripción, quantity/cantidad, unit/unidad, "
                "unit cost/costo unitario, currency/moneda, funder/financiador, phase/fase).",
                names=", ".join(missing),
            )
        )
    return positions, problems, ignored


def read_budget(data: bytes, project: Project) -> ImportPreview:
    """Every row of the first sheet checked as a budget line of ``project``; row numbers as Excel shows them.

    Raises :class:`SpreadsheetRejected` for a file that is not an acceptable workbook.
    """
    check_xlsx(data)
    rows = iter(_sheet_rows(data))
    header = next(rows, None)
    if header is None:
        return ImportPreview([], [_("The first sheet is empty.")], [])
    positions, problems, ignored = _header(header)
    if problems:
        return ImportPreview([], problems, ignored)
    funders = {org.acronym.upper(): org.id for org in project.funders}
    categories, phases = _lookup(CATEGORY_ALIASES), _lookup(PHASE_ALIASES)
    result: list[ImportRow] = []
    for number, cells in enumerate(rows, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        if len(result) >= MAX_ROWS:
            raise SpreadsheetRejected(_l("The sheet has more than 5,000 rows; split it in several files."))
        raw = {name: cells[index] if index < len(cells) else None for name, index in positions.items()}
        result.append(_row(number, raw, project, funders, categories, phases))
    if not result:
        problems.append(_("The sheet has no rows under its header."))
    return ImportPreview(result, problems, ignored)


def _row(
    number: int,
    raw: dict[str, Any],
    project: Project,
    funders: dict[str, int],
    categories: dict[str, BudgetCategory],
    phases: dict[str, PhaseKind],
) -> ImportRow:
    cells = {name: _display(value) for name, value in raw.items()}
    errors: dict[str, str] = {}
    category = categories.get(_plain(cells.get("category")))
    if category is None and cells.get("category"):
        errors["category"] = _(
            "Unknown category “%(value)s”; use one of: %(names)s.",
            value=cells["category"],
            names=", ".join(member.label for member in BudgetCategory),
        )
    phase = phases.get(_plain(cells.get("phase")))
    if phase is None and cells.get("phase"):
        errors["phase"] = _(
            "Unknown phase “%(value)s”; use one of: %(names)s.",
            value=cells["phase"],
            names=", ".join(member.label for member in PhaseKind),
        )
    acronym = cells.get("funder", "").upper()
    funder_id = funders.get(acronym)
    if funder_id is None and acronym:
        errors["funder"] = _(
            "“%(value)s” does not fund this project; its funders are: %(names)s.",
            value=cells["funder"],
            names=", ".join(sorted(funders)) or "—",
        )
    data = LineInput(
        phase=phase,
        category=category,
        description=cells.get("description", ""),
        quantity=_number_cell(raw.get("quantity")),
        unit=cells.get("unit", ""),
        unit_cost=_number_cell(raw.get("unit_cost")),
        currency=cells.get("currency", ""),
        funder_id=funder_id,
    )
    check = line_check(project, data)
    for name, message in check.errors.items():
        name = "funder" if name == "funder_id" else name
        errors.setdefault(name, message)
    return ImportRow(number, cells, check.values if not errors else None, errors)


def _number_cell(value: Any) -> str | Decimal | None:
    number = decimal_from_cell(value)
    return number if number is None or isinstance(number, Decimal) else str(number)
