"""Turns audit entries into sentences a person reads on the center page ("Ana updated project X: …")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit.models import AuditEntry
from app.core.audit.vocabulary import field_label, value_text
from app.core.enums import PhaseKind
from app.organizations.models import Organization


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    sentence: str
    changes: list[Change] = field(default_factory=list)
    reason: str | None = None


def _phase_label(raw: str) -> str:
    try:
        return PhaseKind(raw).label
    except ValueError:
        return raw


def _subject(entry: AuditEntry, project_codes: Mapping[int, str], organizations: Mapping[int, str]) -> str:
    """What the entry is about, in words: "project X", "the phase “Works” of project X"."""
    label = entry.entity_label
    code = project_codes.get(entry.project_id or 0) or (f"#{entry.project_id}" if entry.project_id else "")
    kind = entry.entity_type
    if kind == "centers":
        return _("the center %(code)s", code=label)
    if kind == "projects":
        return _("project %(code)s", code=project_codes.get(int(entry.entity_id or 0), label))
    if not code:
        return f"{_record(kind)} “{label}”"
    if kind == "phases":
        return _("the phase “%(phase)s” of project %(code)s", phase=_phase_label(label), code=code)
    if kind == "milestones":
        return _("the milestone “%(title)s” of project %(code)s", title=label, code=code)
    if kind == "project_fundings":
        org = organizations.get(entry.changes.get("organization_id") or 0, label)
        return _("the funding by %(org)s of project %(code)s", org=org, code=code)
    if kind == "progress_readings":
        return _("a progress reading (%(value)s) of project %(code)s", value=label, code=code)
    return _("%(record)s “%(label)s” of project %(code)s", record=_record(kind), label=label, code=code)


def _record(kind: str) -> str:
    from app.projects.activity import RECORD_LABELS

    return str(RECORD_LABELS.get(kind, kind.replace("_", " "))).lower()


def _sentence(entry: AuditEntry, who: str, subject: str) -> str:
    if entry.entity_type == "centers" and entry.action == "update" and set(entry.changes) == {"archived_at"}:
        before, after = entry.changes["archived_at"]
        if after and not before:
            return _("%(who)s archived %(what)s", who=who, what=subject)
        return _("%(who)s restored %(what)s", who=who, what=subject)
    if entry.action == "create":
        return _("%(who)s created %(what)s", who=who, what=subject)
    if entry.action == "delete":
        return _("%(who)s deleted %(what)s", who=who, what=subject)
    return _("%(who)s updated %(what)s", who=who, what=subject)


def _changes(entry: AuditEntry) -> list[Change]:
    if entry.action != "update":
        return []
    changes = []
    for key, pair in entry.changes.items():
        if key == "archived_at" or not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        label = field_label(key)
        if label is None:
            continue
        if key.endswith("_id"):
            # Row numbers mean nothing to a reader; say that it changed.
            changes.append(Change(label, "", _("changed")))
            continue
        kind = entry.entity_type
        changes.append(Change(label, value_text(kind, key, pair[0]), value_text(kind, key, pair[1])))
    return changes


def organization_names(session: Session, entries: Iterable[AuditEntry]) -> dict[int, str]:
    """Acronyms of the organizations that fundings in these entries name, in one query (none if there are none)."""
    ids = {
        entry.changes.get("organization_id")
        for entry in entries
        if entry.entity_type == "project_fundings" and entry.action != "update"
    }
    wanted = sorted(i for i in ids if isinstance(i, int))
    if not wanted:
        return {}
    rows = session.execute(select(Organization.id, Organization.acronym).where(Organization.id.in_(wanted)))
    return {org_id: acronym for org_id, acronym in rows}


def _who(entry: AuditEntry, show_names: bool) -> str:
    if entry.actor is None:
        return _("The system")
    if show_names:
        return str(entry.actor.name)
    # Readers outside the staff learn which organization acted, not the name of the person.
    return entry.actor.organization.acronym if entry.actor.organization else _("A team member")


def describe(
    entries: Iterable[AuditEntry],
    project_codes: Mapping[int, str],
    organizations: Mapping[int, str] | None = None,
    show_names: bool = True,
) -> list[TimelineItem]:
    """One readable item per audit entry, in the order given."""
    organizations = organizations or {}
    items = []
    for entry in entries:
        who = _who(entry, show_names)
        items.append(
            TimelineItem(
                at=entry.at,
                sentence=_sentence(entry, who, _subject(entry, project_codes, organizations)),
                changes=_changes(entry),
                reason=entry.reason,
            )
        )
    return items
