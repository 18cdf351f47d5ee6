"""How an audit entry's fields and values read to a person: one vocabulary for every feed (a project's activity,
a center's timeline), in the reader's language.

A column without a label here is bookkeeping (keys, hashes, storage names) and is not shown in any feed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.enums import (
    AgreementKind,
    AgreementStatus,
    AssessmentStatus,
    AssessmentType,
    BudgetCategory,
    DocumentKind,
    DocumentStatus,
    MilestoneStatus,
    PartyRole,
    PhaseKind,
    PhaseStatus,
    PhotoStage,
    Population,
    ProjectKind,
    Severity,
    SpendKind,
)

FIELD_LABELS: dict[str, Any] = {
    # centers
    "name": _l("Name"),
    "population": _l("Population served"),
    "department": _l("Department"),
    "municipality": _l("Municipality"),
    "address": _l("Address"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "capacity": _l("Capacity"),
    "usual_occupancy": _l("Usual occupancy"),
    "contact_name": _l("Contact name"),
    "contact_phone": _l("Contact phone"),
    "contact_email": _l("Contact e-mail"),
    # projects, phases, milestones, progress
    "code": _l("Code"),
    "title": _l("Title"),
    "objective": _l("Objective"),
    "kind": _l("Kind"),
    "center_id": _l("Center"),
    "manager_id": _l("Manager"),
    "planned_start": _l("Planned start"),
    "planned_end": _l("Planned end"),
    "actual_start": _l("Actual start"),
    "actual_end": _l("Actual end"),
    "current_phase": _l("Current phase"),
    "completed": _l("Completed"),
    "on_hold": _l("On hold"),
    "physical_progress": _l("Physical progress"),
    "status": _l("Status"),
    "gate_evidence": _l("Gate evidence"),
    "gate_override_reason": _l("Gate override reason"),
    "phase_id": _l("Phase"),
    "phase": _l("Phase"),
    "owner_id": _l("Owner"),
    "planned_date": _l("Planned date"),
    "actual_date": _l("Actual date"),
    "notes": _l("Notes"),
    "reading_date": _l("Reading date"),
    "percent": _l("Progress"),
    "contractor": _l("Contractor"),
    "organization_id": _l("Organization"),
    # assessments and findings
    "assessment_type": _l("Type of assessment"),
    "assessed_on": _l("Assessment date"),
    "reviewer_id": _l("Reviewer"),
    "review_comment": _l("Review comments"),
    "submitted_at": _l("Submitted"),
    "decided_at": _l("Decided"),
    "summary": _l("Summary"),
    "occupancy_peak": _l("Occupancy at peak"),
    "covered_area_m2": _l("Covered floor area (m²)"),
    "toilets": _l("Toilets"),
    "accessible_toilets": _l("Accessible toilets"),
    "showers": _l("Showers"),
    "taps": _l("Taps"),
    "water_litres_per_day": _l("Water supply (litres per day)"),
    "description": _l("Description"),
    "location": _l("Place in the building"),
    "severity": _l("Severity"),
    "recommended_action": _l("Recommended action"),
    "cost_estimate": _l("Cost estimate"),
    # agreements and commitments
    "subject": _l("Subject"),
    "signed_on": _l("Signed on"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "signature_evidence": _l("Signature evidence"),
    "role": _l("Role"),
    "due_on": _l("Due on"),
    "done_on": _l("Done on"),
    # budgets
    "category": _l("Category"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "unit_cost": _l("Unit cost"),
    "total": _l("Total"),
    "currency": _l("Currency"),
    "funder_id": _l("Funder"),
    "spent_on": _l("Date"),
    "supplier": _l("Supplier"),
    "document_number": _l("Document number"),
    "amount": _l("Amount"),
    "note": _l("Note"),
    # photos and documents
    "caption": _l("Caption"),
    "tags": _l("Tags"),
    "stage": _l("Before or after"),
    "identifiable_people": _l("Identifiable people"),
    "consent_recorded": _l("Consent recorded"),
}

# The enumeration a stored value belongs to, by record and field, so "in_progress" reads "In progress".
RECORD_ENUMS: dict[tuple[str, str], type[enum.Enum]] = {
    ("projects", "kind"): ProjectKind,
    ("phases", "kind"): PhaseKind,
    ("phases", "status"): PhaseStatus,
    ("milestones", "status"): MilestoneStatus,
    ("assessments", "status"): AssessmentStatus,
    ("agreements", "kind"): AgreementKind,
    ("agreements", "status"): AgreementStatus,
    ("documents", "kind"): DocumentKind,
    ("documents", "status"): DocumentStatus,
    ("expenditures", "kind"): SpendKind,
}
FIELD_ENUMS: dict[str, type[enum.Enum]] = {
    "current_phase": PhaseKind,
    "phase": PhaseKind,
    "population": Population,
    "assessment_type": AssessmentType,
    "severity": Severity,
    "role": PartyRole,
    "category": BudgetCategory,
    "stage": PhotoStage,
}
PERCENT_FIELDS = frozenset({"percent", "physical_progress"})
LONGEST_VALUE = 120

# Finds the name of a record a field points to ("manager_id", 7) -> "Mario Gerente"; None when unknown.
NameLookup = Callable[[str, int], str | None]


def field_label(key: str) -> str | None:
    """The field's name for people, or None for bookkeeping columns no feed shows."""
    label = FIELD_LABELS.get(key)
    return None if label is None else str(label)


def value_text(entity_type: str, key: str, value: Any, names: NameLookup | None = None) -> str:
    """A stored value as the reader's language writes it: labels for enumerations, local dates and numbers."""
    if value is None or value == "":
        return "—"
    if value == "***":  # masked by the recorder
        return "***"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    enum_type = RECORD_ENUMS.get((entity_type, key)) or FIELD_ENUMS.get(key)
    if enum_type is not None:
        try:
            return str(getattr(enum_type(value), "label", value))
        except ValueError:
            return str(value)
    if key.endswith("_id") and isinstance(value, int):
        found = names(key, value) if names else None
        return found or f"#{value}"
    if key in PERCENT_FIELDS:
        try:
            return f"{format_decimal(Decimal(str(value)))} %"
        except InvalidOperation:
            return f"{value} %"
    if isinstance(value, str):
        return _date_text(value) or _shorten(value)
    return _shorten(str(value))


def _date_text(value: str) -> str | None:
    """An ISO date or date-time as the reader writes it, or None when ``value`` is not one."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return str(format_date(date.fromisoformat(value)))
        except ValueError:
            return None
    if len(value) > 10 and value[4:5] == "-" and value[10] == "T":
        try:
            return str(format_datetime(datetime.fromisoformat(value), "short"))
        except ValueError:
            return None
    return None


def _shorten(text: str) -> str:
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"
