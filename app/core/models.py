"""Mixins every record uses: who created it and last changed it, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import UTCDateTime, utcnow


class Tracked:
    """Adds created/updated times and authors; filled in by the audit listener on flush.

    The author columns hold user ids without a foreign key: users are disabled, never deleted, and a key here would
    make every table (organizations included, which users point to) depend on users in a cycle.
    """

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    created_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Audited(Tracked):
    """Every create, update and delete of this record is written to the audit log.

    ``__audit_masked__`` names attributes whose change is recorded but never their values (password hashes);
    ``__audit_exclude__`` names bookkeeping attributes not worth a log entry at all (last sign-in time).
    """

    __audit_masked__: frozenset[str] = frozenset()
    __audit_exclude__: frozenset[str] = frozenset()

    def audit_label(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "title", None) or getattr(self, "id", ""))

    def audit_scope(self) -> tuple[int | None, int | None]:
        """The (center id, project id) this record belongs to, so it shows in their activity feeds."""
        return None, None


def enum_column(kind: type) -> Enum:
    """An enum stored by name in a VARCHAR with a CHECK, the same on SQLite and PostgreSQL (no native type to
    migrate when a value is added)."""
    return Enum(kind, native_enum=False, length=32, validate_strings=True)
