from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import UTCDateTime, utcnow
from app.extensions import db


class DigestDelivery(db.Model):  # type: ignore[name-defined,misc]
    """One person got the day's digest: recorded as each message is accepted by the SMTP server, so a run that
    stops half-way (a refused recipient, a killed process) and is tried again never sends anyone a second copy."""

    __tablename__ = "digest_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    sent_on: Mapped[date] = mapped_column(Date, nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # The run (job) that sent it.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True, index=True)

    __table_args__ = (UniqueConstraint("user_id", "sent_on", name="uq_digest_deliveries_user_day"),)
