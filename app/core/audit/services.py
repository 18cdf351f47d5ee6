"""Reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from app.core.audit.models import AuditEntry

# Records that belong to another record shown in a feed: one entry per checklist answer would bury the rest.
FEED_NOISE = frozenset({"assessment_answers"})
# What a donor's feeds show: the progress of the projects it funds, nothing about people, photos or money lines.
DONOR_FEED_TYPES = frozenset({"projects", "phases", "milestones", "progress_readings", "project_fundings"})


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    entity_id: str | None = None
    actor_id: int | None = None
    project_id: int | None = None
    center_id: int | None = None


def audit_query(filters: AuditFilter) -> Select[tuple[AuditEntry]]:
    """Newest first, narrowed by record, user, project or center."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.actor_id:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.project_id:
        query = query.where(AuditEntry.project_id == filters.project_id)
    if filters.center_id:
        query = query.where(AuditEntry.center_id == filters.center_id)
    return query


def audited_entity_types() -> list[str]:
    from app.core.models import Audited
    from app.extensions import Base

    return sorted(
        str(getattr(mapper.local_table, "name", ""))
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Audited)
    )
