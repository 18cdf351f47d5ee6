"""Personal access tokens: a person's key to the API, stored only as a SHA-256 of the secret."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import Audited
from app.core.timeutil import UTCDateTime, utcnow
from app.extensions import db


class ApiToken(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "api_tokens"
    __audit_masked__ = frozenset({"token_hash"})
    __audit_exclude__ = frozenset({"last_used_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    # Hex SHA-256 of the secret: the secret itself is shown once, when the token is made, and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # The first characters of the secret, so that a person can tell their tokens apart in the list.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(User, lazy="joined")

    def is_usable(self, now: datetime | None = None) -> bool:
        """Not revoked, not expired, and its owner's account is active."""
        now = now or utcnow()
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return bool(self.user is not None and self.user.active)

    def audit_label(self) -> str:
        return f"{self.name} ({self.prefix}…)"
