from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import Role
from app.core.models import Audited
from app.core.timeutil import UTCDateTime
from app.extensions import db
from app.organizations.models import Organization


class User(UserMixin, Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    __audit_masked__ = frozenset({"password_hash"})
    __audit_exclude__ = frozenset({"session_version", "last_login_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16, validate_strings=True))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # Bumped on logout and password change: a session cookie carrying an older value is refused.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    organization: Mapped[Organization | None] = relationship(
        Organization, foreign_keys=[organization_id], lazy="joined"
    )

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def audit_label(self) -> str:
        return self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
