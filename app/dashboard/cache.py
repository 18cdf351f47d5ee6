"""Portfolio-wide figures kept between requests until the portfolio changes.

The audit recorder stamps ``projects.last_activity_at`` on every change to a project, its phases, milestones,
funders, budget lines and spending, so ``max(last_activity_at)`` (one seek on ``ix_projects_last_activity``)
tells whether anything changed; the centers' and exchange rates' own times cover what the rows show of them.
Figures that need the whole portfolio (summary cards, the number of matching projects, the order by overdue
milestones) and the rows of each page are then computed once per change and per day instead of once per request,
in each worker. ``MAX_AGE_SECONDS`` bounds what the stamp cannot see (an organization renamed, a database edited by
hand).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.budgets.models import ExchangeRate
from app.centers.models import Center
from app.projects.models import Project

T = TypeVar("T")
Memo = Callable[[Hashable, Callable[[], T]], T]

MAX_AGE_SECONDS = 300.0
MAX_ENTRIES = 128

_lock = threading.Lock()
_entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()


def portfolio_stamp(session: Session, on: date) -> Hashable:
    """What every cached figure depends on: the database, the last change to any project, to any center (the rows
    show their codes and names) and to the exchange rates (the budget figures convert with them), and the day.
    One statement."""
    last_change = select(func.max(Project.last_activity_at)).scalar_subquery()
    last_center = select(func.max(Center.updated_at)).scalar_subquery()
    last_rate = select(func.max(ExchangeRate.updated_at)).scalar_subquery()
    changes = session.execute(select(last_change, last_center, last_rate)).one()
    return (str(session.get_bind().engine.url), *changes, on)


def memo_for(session: Session, on: date, *, max_age: float = MAX_AGE_SECONDS) -> Memo[Any]:
    """A ``memo(key, compute)`` that returns the kept value for ``key`` while the portfolio is unchanged."""
    if max_age <= 0:
        return _no_memo
    stamp = portfolio_stamp(session, on)

    def memo(key: Hashable, compute: Callable[[], Any]) -> Any:
        full_key = (stamp, key)
        now = time.monotonic()
        with _lock:
            kept = _entries.get(full_key)
            if kept is not None and now - kept[0] <= max_age:
                _entries.move_to_end(full_key)
                return kept[1]
        value = compute()
        with _lock:
            _entries[full_key] = (now, value)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return value

    return memo


def _no_memo(key: Hashable, compute: Callable[[], T]) -> T:
    return compute()


def no_memo() -> Memo[Any]:
    """A memo that keeps nothing: every figure computed afresh (tests, one-off scripts)."""
    return _no_memo


def clear() -> None:
    with _lock:
        _entries.clear()
