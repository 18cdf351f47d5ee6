"""IATI 2.03 activity XML of projects: a pure builder, a :class:`~app.exports.data.Portfolio` in, bytes out.

IOM (XM-DAC-47066) reports; each project is one activity identified by IOM's reference and the project code.
The element order is the schema's (``iati-activities-schema.xsd`` is a sequence). Codes are IATI codelists:
OrganisationType, OrganisationRole, ActivityStatus, ActivityDateType, Sector (DAC 5-digit), TransactionType,
BudgetType, BudgetStatus, DocumentCategory, IndicatorMeasure, ResultType.

Text people typed (titles, objectives, descriptions) is written in ``default_language`` (the language the team
writes in, Spanish by default) as the activity's ``xml:lang``; sentences the app writes itself are given in English
and Spanish. lxml escapes every character XML reserves and refuses none that XML allows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from lxml import etree

from app.assessments.checklists import indicator_label
from app.core.enums import OrganizationKind, PhaseKind, SpendKind
from app.exports.data import IOM_REF
from app.exports.rows import OrgRow, Portfolio, ProjectRow

IATI_VERSION = "2.03"
LANGUAGES = ("en", "es")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RECIPIENT_COUNTRY = "HN"
REPORTING_ORG_TYPE = "40"  # Multilateral

# DAC 5-digit purpose codes (vocabulary 1) and their share of every rehabilitation: the works themselves are the
# main part (reconstruction relief), they serve the dignified reception of returned migrants (orderly
# migration), and part of them equips the centers (material relief: beds, kitchens, water tanks).
SECTORS: tuple[tuple[str, int], ...] = (("73010", 60), ("15190", 25), ("72010", 15))

ORG_TYPES = {
    OrganizationKind.GOVERNMENT: "10",
    OrganizationKind.MUNICIPALITY: "11",
    OrganizationKind.DONOR: "10",  # the donors here are government agencies (USAID, GAC, Sida...)
    OrganizationKind.UN_AGENCY: "40",
    OrganizationKind.NGO: "22",
    OrganizationKind.CONTRACTOR: "70",
}
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_FINALISATION, STATUS_CLOSED, STATUS_SUSPENDED = "1", "2", "3", "4", "6"
TRANSACTION_TYPES = {SpendKind.COMMITMENT: "2", SpendKind.EXPENDITURE: "4"}
DOCUMENT_CATEGORY_REVIEW = "A07"  # Review of project performance and evaluation
_IDENTIFIER_UNSAFE = re.compile(r"[/&|?\s]")


def activity_identifier(reporting_ref: str, project_code: str) -> str:
    """The reporting organisation's reference, a dash and the project code (IATI forbids / & | ? in it)."""
    return f"{reporting_ref}-{_IDENTIFIER_UNSAFE.sub('-', project_code)}"


def activity_status(project: ProjectRow) -> str:
    """From the phases: pipeline until the works start, implementation during the works, finalisation at
    handover, closed once every phase is done; a project on hold is suspended."""
    if project.completed:
        return STATUS_CLOSED
    if project.on_hold:
        return STATUS_SUSPENDED
    if project.current_phase is PhaseKind.HANDOVER:
        return STATUS_FINALISATION
    works = next((phase for phase in project.phases if phase.kind is PhaseKind.WORKS), None)
    if project.current_phase is PhaseKind.WORKS or (works is not None and works.actual_start is not None):
        return STATUS_IMPLEMENTATION
    return STATUS_PIPELINE


def activity_dates(project: ProjectRow) -> list[tuple[str, date]]:
    """(type, date): 1 planned start, 2 actual start (the first phase that started), 3 planned end, 4 actual end
    (the last phase's end, once the project is completed)."""
    dates: list[tuple[str, date]] = [("1", project.planned_start)]
    started = [phase.actual_start for phase in project.phases if phase.actual_start is not None]
    if started:
        dates.append(("2", min(started)))
    dates.append(("3", project.planned_end))
    ended = [phase.actual_end for phase in project.phases if phase.actual_end is not None]
    if project.completed and ended:
        dates.append(("4", max(ended)))
    return dates


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _sub(parent: etree._Element, tag: str, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value is not None:
            element.set(name.replace("_", "-"), _clean(value))
    return element


def _narrative(parent: etree._Element, text: str, language: str | None = None) -> None:
    element = etree.SubElement(parent, "narrative")
    if language:
        element.set(XML_LANG, language)
    element.text = _clean(text)


def _clean(text: str) -> str:
    """Text as XML 1.0 may carry it: control characters other than tab and newlines are dropped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def _bilingual(parent: etree._Element, texts: dict[str, str]) -> None:
    for language in LANGUAGES:
        _narrative(parent, texts[language], language)


def _in_languages(make: object) -> dict[str, str]:
    """The same app-written sentence in each language (``make`` is called once per locale)."""
    texts = {}
    for language in LANGUAGES:
        with force_locale(language):
            texts[language] = str(make() if callable(make) else make)
    return texts


def _org(parent: etree._Element, tag: str, org: OrgRow, **attributes: str | None) -> None:
    element = _sub(parent, tag, ref=org.ref or None, type=ORG_TYPES.get(org.kind), **attributes)
    _narrative(element, org.name)


def _participating(activity: etree._Element, project: ProjectRow, iom: OrgRow) -> None:
    for funder in project.funders:
        _org(activity, "participating-org", funder, role=ROLE_FUNDING)
    for role in (ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING):
        _org(activity, "participating-org", iom, role=role)
    for partner in project.implementers:
        if partner.ref != iom.ref:
            _org(activity, "participating-org", partner, role=ROLE_IMPLEMENTING)


def _descriptions(activity: etree._Element, project: ProjectRow) -> None:
    center = project.center
    general = _sub(activity, "description", type="1")
    _bilingual(
        general,
        _in_languages(
            lambda: _(
                "%(kind)s of %(center)s (%(population)s), %(municipality)s, %(department)s, Honduras: evaluation of "
                "the working model, partnership agreement with the State, preliminary design, works and handover.",
                kind=project.kind.label,
                center=center.name,
                population=center.population.label.lower(),
                municipality=center.municipality,
                department=center.department,
            )
        ),
    )
    if project.objective.strip():
        _narrative(_sub(activity, "description", type="2"), project.objective.strip())


def _budgets(activity: etree._Element, project: ProjectRow) -> None:
    """One budget per phase and currency, over the phase's planned period (the project's when it has none)."""
    periods = {phase.kind: (phase.planned_start, phase.planned_end) for phase in project.phases}
    sums: dict[tuple[PhaseKind, str], Decimal] = {}
    for line in project.lines:
        key = (line.phase, line.currency)
        sums[key] = sums.get(key, Decimal("0.00")) + line.total
    order = list(PhaseKind)
    for (phase, currency), total in sorted(sums.items(), key=lambda item: (order.index(item[0][0]), item[0][1])):
        start, end = periods.get(phase, (None, None))
        start = start or project.planned_start
        end = end or project.planned_end
        if end < start:
            start, end = end, start
        budget = _sub(activity, "budget", type="1", status="1")
        _sub(budget, "period-start", iso_date=start.isoformat())
        _sub(budget, "period-end", iso_date=end.isoformat())
        value = _sub(budget, "value", currency=currency, value_date=start.isoformat())
        value.text = _money(total)


def _transactions(activity: etree._Element, project: ProjectRow, identifier: str, iom: OrgRow) -> None:
    for entry in project.entries:
        transaction = _sub(activity, "transaction", ref=f"{identifier}-{entry.id}")
        _sub(transaction, "transaction-type", code=TRANSACTION_TYPES[entry.kind])
        _sub(transaction, "transaction-date", iso_date=entry.spent_on.isoformat())
        value = _sub(transaction, "value", currency=entry.currency, value_date=entry.spent_on.isoformat())
        value.text = _money(entry.amount)
        _narrative(_sub(transaction, "description"), entry.line_description)
        _org(transaction, "provider-org", iom)
        if entry.supplier.strip():
            _narrative(_sub(transaction, "receiver-org"), entry.supplier.strip())


def _documents(activity: etree._Element, project: ProjectRow) -> None:
    for document in project.documents:
        link = _sub(activity, "document-link", url=document.url, format=document.mime)
        _narrative(_sub(link, "title"), document.title)
        _sub(link, "category", code=DOCUMENT_CATEGORY_REVIEW)
        if document.language:
            _sub(link, "language", code=document.language)
        _sub(link, "document-date", iso_date=document.dated.isoformat())


def _results(activity: etree._Element, project: ProjectRow) -> None:
    """Reception conditions against the humanitarian standards: baseline from the first approved assessment,
    actual from the latest, the standard as the target."""
    if not project.indicators:
        return
    result = _sub(activity, "result", type="2", aggregation_status="0")
    _bilingual(_sub(result, "title"), _in_languages(lambda: _("Reception conditions against humanitarian standards")))
    _bilingual(
        _sub(result, "description"),
        _in_languages(lambda: _("Indicators computed from the approved site assessments of the center.")),
    )
    for row in project.indicators:
        indicator = _sub(result, "indicator", measure="1", ascending="1" if row.comparator == "min" else "0")
        _bilingual(_sub(indicator, "title"), _in_languages(lambda key=row.key: indicator_label(key)))
        _bilingual(
            _sub(indicator, "description"),
            _in_languages(
                lambda row=row: _(
                    "Unit: %(unit)s. Standard: %(comparator)s %(value)s.",
                    unit=row.unit,
                    comparator=_("at least") if row.comparator == "min" else _("at most"),
                    value=row.threshold,
                )
            ),
        )
        _sub(
            indicator,
            "baseline",
            year=str(row.baseline_on.year),
            iso_date=row.baseline_on.isoformat(),
            value=str(row.baseline),
        )
        if row.actual is not None and row.actual_on is not None:
            period = _sub(indicator, "period")
            _sub(period, "period-start", iso_date=row.baseline_on.isoformat())
            _sub(period, "period-end", iso_date=row.actual_on.isoformat())
            _sub(period, "target", value=str(row.threshold))
            _sub(period, "actual", value=str(row.actual))


def _activity(project: ProjectRow, iom: OrgRow, default_language: str) -> etree._Element:
    identifier = activity_identifier(iom.ref or IOM_REF, project.code)
    activity = etree.Element("iati-activity", {"default-currency": "USD", "hierarchy": "1"})
    if project.updated_at:
        activity.set("last-updated-datetime", project.updated_at.isoformat(timespec="seconds"))
    activity.set(XML_LANG, default_language)
    _sub(activity, "iati-identifier").text = _clean(identifier)
    reporting = _sub(activity, "reporting-org", ref=iom.ref or IOM_REF, type=REPORTING_ORG_TYPE)
    _narrative(reporting, iom.name)
    _narrative(_sub(activity, "title"), project.title)
    _descriptions(activity, project)
    _participating(activity, project, iom)
    _sub(activity, "activity-status", code=activity_status(project))
    for kind, when in activity_dates(project):
        _sub(activity, "activity-date", type=kind, iso_date=when.isoformat())
    _sub(activity, "recipient-country", code=RECIPIENT_COUNTRY, percentage="100")
    for code, percentage in SECTORS:
        _sub(activity, "sector", vocabulary="1", code=code, percentage=str(percentage))
    _budgets(activity, project)
    _transactions(activity, project, identifier, iom)
    _documents(activity, project)
    _results(activity, project)
    return activity


def iati_activities(
    portfolio: Portfolio, *, generated_at: datetime, default_language: str = "es", projects: Iterable[str] | None = None
) -> bytes:
    """The ``iati-activities`` document of the portfolio's projects (only the codes in ``projects``, when given).

    Written one activity at a time (lxml's incremental writer), so memory holds one activity's tree, not the
    whole portfolio's."""
    wanted = set(projects) if projects is not None else None
    buffer = io.BytesIO()
    attributes = {"version": IATI_VERSION, "generated-datetime": generated_at.isoformat(timespec="seconds")}
    with etree.xmlfile(buffer, encoding="UTF-8") as document:
        document.write_declaration()
        with document.element("iati-activities", attributes):
            document.write("\n")
            for project in portfolio.projects:
                if wanted is None or project.code in wanted:
                    document.write(_activity(project, portfolio.reporting_org, default_language), pretty_print=True)
    return buffer.getvalue()
