"""Session listeners that stamp authors and times on tracked records and write the audit log.

They run on every flush, so no service can forget to audit a change.
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper, Session, UOWTransaction

from app.core.enums import AuditAction
from app.core.models import Audited, Tracked
from app.core.timeutil import utcnow

# Set by the request (logged-in user) or by a CLI command; read when a flush stamps records.
_actor_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("audit_actor_id", default=None)
_reason: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_reason", default=None)

# Columns every tracked record has; recording them would only repeat what the entry itself says.
_BOOKKEEPING = frozenset({"created_at", "updated_at", "created_by_id", "updated_by_id", "version"})


def set_actor(user_id: int | None) -> contextvars.Token[int | None]:
    return _actor_id.set(user_id)


def current_actor() -> int | None:
    return _actor_id.get()


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    token = _actor_id.set(user_id)
    try:
        yield
    finally:
        _actor_id.reset(token)


@contextmanager
def audit_reason(reason: str) -> Iterator[None]:
    """Attach a written reason (a gate override, say) to the audit entries flushed inside the block."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _column_keys(obj: Audited) -> list[str]:
    excluded = _BOOKKEEPING | obj.__audit_exclude__ | obj.__audit_masked__
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in excluded]


def _snapshot(obj: Audited) -> dict[str, Any]:
    values = {key: _jsonable(getattr(obj, key)) for key in _column_keys(obj)}
    return {key: value for key, value in values.items() if value not in (None, "")}


def _diff(obj: Audited) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for key in _column_keys(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before != after:
            changes[key] = [_jsonable(before), _jsonable(after)]
    for key in obj.__audit_masked__ & set(state.attrs.keys()):
        if state.attrs[key].history.has_changes():
            changes[key] = ["***", "***"]
    return changes


def _entity_id(obj: Audited) -> str:
    state = inspect(obj)
    # New rows get their identity key only after the flush ends; read the primary key from the row itself.
    key = state.mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in key if part is not None)


@event.listens_for(Mapper, "mapper_configured")
def _load_old_values(mapper: Mapper[Any], cls: type) -> None:
    """Make every column of an audited model remember its old value when set, even if it was not loaded.

    Without this, changing an attribute expired by a commit records "None" as the value before.
    """
    if not issubclass(cls, Audited):
        return
    for attr in mapper.column_attrs:
        event.listen(getattr(cls, attr.key), "set", _keep_old_value, active_history=True)


def _keep_old_value(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
    return value


def _changed_beyond_bookkeeping(obj: Tracked) -> bool:
    """True when an attribute people care about changed (not only the last sign-in time, say)."""
    ignored = _BOOKKEEPING | getattr(obj, "__audit_exclude__", frozenset())
    state = inspect(obj)
    return any(
        state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs if attr.key not in ignored
    )


@event.listens_for(Session, "before_flush")
def _stamp_tracked(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    now = utcnow()
    actor = _actor_id.get()
    for obj in session.new:
        if isinstance(obj, Tracked):
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            if obj.created_by_id is None:
                obj.created_by_id = actor
            obj.updated_by_id = actor
    for obj in session.dirty:
        if isinstance(obj, Tracked) and _changed_beyond_bookkeeping(obj):
            obj.updated_at = now
            obj.updated_by_id = actor


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, flush_context: UOWTransaction) -> None:
    from app.core.audit.models import AuditEntry

    rows: list[dict[str, Any]] = []
    now = utcnow()
    base = {"at": now, "actor_id": _actor_id.get(), "reason": _reason.get()}
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.append(base | _row(obj, AuditAction.CREATE, _snapshot(obj)))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            changes = _diff(obj)
            if changes:
                rows.append(base | _row(obj, AuditAction.UPDATE, changes))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append(base | _row(obj, AuditAction.DELETE, _snapshot(obj)))
    if rows:
        connection = session.connection()
        connection.execute(AuditEntry.__table__.insert(), rows)
        _touch_projects(connection, {row["project_id"] for row in rows if row["project_id"]}, now)


def _touch_projects(connection: Any, project_ids: set[int], now: datetime) -> None:
    """Keep ``projects.last_activity_at`` current so the dashboard never aggregates the log."""
    if not project_ids:
        return
    from app.projects.models import Project

    table = Project.__table__
    connection.execute(table.update().where(table.c.id.in_(sorted(project_ids))).values(last_activity_at=now))


def _row(obj: Audited, action: AuditAction, changes: dict[str, Any]) -> dict[str, Any]:
    center_id, project_id = obj.audit_scope()
    return {
        "center_id": center_id,
        "project_id": project_id,
        "action": action.value,
        "entity_type": obj.__tablename__,  # type: ignore[attr-defined]
        "entity_id": _entity_id(obj),
        "entity_label": obj.audit_label()[:255],
        "changes": changes,
    }
