"""How many assessments and agreements the record holds about a center, as the viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.centers.models import Center


@dataclass(frozen=True)
class RecordCounts:
    assessments: int
    agreements: int


def center_record_counts(session: Session, center: Center, user: Any) -> RecordCounts:
    from app.agreements.models import Agreement
    from app.agreements.services import agreements_visible_query
    from app.assessments.services import assessments_visible_query

    def count(query: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)

    return RecordCounts(
        assessments=count(assessments_visible_query(user, center.id)),
        agreements=count(agreements_visible_query(user).where(Agreement.center_id == center.id)),
    )
