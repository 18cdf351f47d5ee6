"""What else the record holds about a project (assessments, agreements, documents, photos, budget), for its page.

A fixed number of queries, each already filtered to what the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.projects.models import Project


@dataclass(frozen=True)
class Related:
    assessments: int
    agreements: int
    documents: int
    photos: int
    budget: Any  # budgets.analysis.ProjectTotals or None
    work_items: list[Any]


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def project_related(session: Session, project: Project, user: Any) -> Related:
    from app.agreements.models import Agreement
    from app.agreements.services import agreements_visible_query
    from app.assessments.findings import work_items_for_project
    from app.assessments.models import Assessment
    from app.assessments.services import assessments_visible_query
    from app.budgets.analysis import budget_totals_for_projects
    from app.core.permissions import can_view_staff_only_data
    from app.documents.services import documents_visible_query
    from app.photos.services import PhotoFilter, photos_visible_query

    staff = can_view_staff_only_data(user)
    return Related(
        assessments=_count(
            session, assessments_visible_query(user, project.center_id).where(Assessment.project_id == project.id)
        ),
        agreements=_count(session, agreements_visible_query(user).where(Agreement.project_id == project.id)),
        documents=_count(session, documents_visible_query(user, project.center_id, project.id)),
        photos=_count(session, photos_visible_query(user, PhotoFilter(project_id=project.id))),
        # A donor's budget view is limited to the lines it funds: the budget page shows that, not this total.
        budget=budget_totals_for_projects(session, [project.id]).get(project.id) if staff else None,
        work_items=work_items_for_project(session, project.id) if staff else [],
    )
