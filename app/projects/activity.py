"""A project's activity feed: its audit entries, newest first, told in words people read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, literal, not_, select, union_all
from sqlalchemy.orm import Session

from app.auth.models import User
from app.centers.models import Center
from app.core.audit.models import AuditEntry
from app.core.audit.services import DONOR_FEED_TYPES, FEED_NOISE, AuditFilter, audit_query
from app.core.audit.vocabulary import field_label, value_text
from app.core.enums import AuditAction, PhaseKind
from app.organizations.models import Organization
from app.projects.models import Project

FEED_LIMIT = 50

RECORD_LABELS: dict[str, Any] = {
    "projects": _l("Project"),
    "phases": _l("Phase"),
    "milestones": _l("Milestone"),
    "progress_readings": _l("Progress reading"),
    "project_fundings": _l("Funding"),
    "photos": _l("Photo"),
    "documents": _l("Document"),
    "document_versions": _l("Document version"),
    "assessments": _l("Assessment"),
    "assessment_findings": _l("Finding"),
    "agreements": _l("Agreement"),
    "agreement_parties": _l("Party to an agreement"),
    "commitments": _l("Commitment"),
    "budget_lines": _l("Budget line"),
    "expenditures": _l("Expenditure or commitment"),
}

# Columns that say nothing to a reader of the feed. The project's physical progress only ever follows a new
# progress reading, which the feed already shows.
HIDDEN_FIELDS = frozenset({"id", "project_id", "position", "physical_progress"})
USER_FIELDS = frozenset({"manager_id", "owner_id", "reviewer_id", "author_id"})
ORGANIZATION_FIELDS = frozenset({"organization_id", "funder_id"})


@dataclass(frozen=True)
class ActivityChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ActivityItem:
    at: datetime
    actor: str
    action: AuditAction
    record: str
    label: str
    reason: str | None
    changes: list[ActivityChange] = field(default_factory=list)


@dataclass
class _Names:
    """Names of the records the entries point to by id, fetched once for the whole feed."""

    users: dict[int, str]
    centers: dict[int, str]
    organizations: dict[int, str]
    phases: dict[int, str]

    def lookup(self, key: str, record_id: int) -> str | None:
        if key in USER_FIELDS:
            return self.users.get(record_id)
        if key in ORGANIZATION_FIELDS:
            return self.organizations.get(record_id)
        return {"center_id": self.centers, "phase_id": self.phases}.get(key, {}).get(record_id)


def project_activity(
    session: Session, project: Project, limit: int = FEED_LIMIT, donor_view: bool = False
) -> list[ActivityItem]:
    """The latest changes to ``project`` and everything in it, newest first, in two queries."""
    # Phases are always created with their project: saying so five times adds nothing.
    phase_created = and_(AuditEntry.entity_type == "phases", AuditEntry.action == AuditAction.CREATE.value)
    query = (
        audit_query(AuditFilter(project_id=project.id))
        .where(not_(phase_created), AuditEntry.entity_type.not_in(FEED_NOISE))
        .limit(limit)
    )
    if donor_view:
        query = query.where(AuditEntry.entity_type.in_(DONOR_FEED_TYPES))
    entries: list[AuditEntry] = list(session.scalars(query))  # type: ignore[arg-type]
    names = _names(session, project, entries)
    items = (_item(entry, names) for entry in entries)
    return [item for item in items if item.action is not AuditAction.UPDATE or item.changes]


def _ids(entries: list[AuditEntry], fields: frozenset[str]) -> set[int]:
    found: set[int] = set()
    for entry in entries:
        for key, value in entry.changes.items():
            if key not in fields:
                continue
            for part in value if isinstance(value, list) else [value]:
                if isinstance(part, int):
                    found.add(part)
    return found


def _names(session: Session, project: Project, entries: list[AuditEntry]) -> _Names:
    """Users, centers and organizations the entries mention, in one query whatever the entries say.

    Always exactly one query, so the page costs the same number of queries whatever its history holds.
    """
    wanted = {
        "user": (User.id, User.name, _ids(entries, USER_FIELDS)),
        "center": (Center.id, Center.code, _ids(entries, frozenset({"center_id"}))),
        "organization": (Organization.id, Organization.acronym, _ids(entries, ORGANIZATION_FIELDS)),
    }
    parts = [
        select(literal(kind).label("kind"), id_column.label("id"), label.label("label")).where(
            id_column.in_(sorted(ids))
        )
        for kind, (id_column, label, ids) in wanted.items()
    ]
    found: dict[str, dict[int, str]] = {kind: {} for kind in wanted}
    for kind, record_id, label in session.execute(union_all(*parts)):
        found[kind][record_id] = str(label)
    return _Names(
        users=found["user"],
        centers=found["center"],
        organizations=found["organization"],
        phases={phase.id: f"{phase.position}. {phase.kind.label}" for phase in project.phases},
    )


def _value(entity_type: str, key: str, value: Any, names: _Names) -> str:
    return value_text(entity_type, key, value, names.lookup)


def _label(entry: AuditEntry, names: _Names) -> str:
    if entry.entity_type == "project_fundings":
        organization_id = entry.changes.get("organization_id")
        if isinstance(organization_id, int):
            return names.organizations.get(organization_id, entry.entity_label)
    if entry.entity_type == "progress_readings":
        percent, day = entry.changes.get("percent"), entry.changes.get("reading_date")
        if isinstance(percent, str) and isinstance(day, str):
            shown = _value(entry.entity_type, "percent", percent, names)
            return f"{shown} · {_value(entry.entity_type, 'reading_date', day, names)}"
    if entry.entity_type == "phases":
        try:
            return str(PhaseKind(entry.entity_label).label)
        except ValueError:
            return entry.entity_label
    return entry.entity_label


def _item(entry: AuditEntry, names: _Names) -> ActivityItem:
    changes: list[ActivityChange] = []
    if entry.action == AuditAction.UPDATE.value:
        for key, pair in entry.changes.items():
            label = field_label(key)
            if key in HIDDEN_FIELDS or label is None or not isinstance(pair, list) or len(pair) != 2:
                continue
            changes.append(
                ActivityChange(
                    field=label,
                    before=_value(entry.entity_type, key, pair[0], names),
                    after=_value(entry.entity_type, key, pair[1], names),
                )
            )
    return ActivityItem(
        at=entry.at,
        actor=entry.actor.name if entry.actor else _("System"),
        action=AuditAction(entry.action),
        record=str(RECORD_LABELS.get(entry.entity_type, entry.entity_type)),
        label=_label(entry, names),
        reason=entry.reason,
        changes=changes,
    )
