from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import DownloadKind
from app.core.jobs.models import Job, MadeByJob
from app.core.models import Tracked, enum_column
from app.core.timeutil import UTCDateTime
from app.extensions import db


class Download(MadeByJob, Tracked, db.Model):  # type: ignore[name-defined,misc]
    """A file prepared for one person in the background: what was asked (``kind``, ``params``), for whom, and the
    file once made. Only that person may fetch it; it is built with their permissions as they stand when the job
    runs, and removed (record and file) once ``expires_at`` has passed.

    Not audited: a download is a copy of records the audit log already follows.
    """

    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[DownloadKind] = mapped_column(enum_column(DownloadKind), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    # What the builder needs (photo ids...), as JSON; the language and address links in the file are made with.
    params: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="es")
    base_url: Mapped[str] = mapped_column(String(300), nullable=False, default="http://localhost/")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True)
    file_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    mime: Mapped[str] = mapped_column(String(100), nullable=False, default="application/octet-stream")
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    items: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Items asked for but kept out (photos of people without recorded consent, photos no longer visible).
    left_out: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    job: Mapped[Job | None] = relationship(Job, lazy="joined")

    __table_args__ = (
        Index("ix_downloads_user_created", "user_id", "created_at"),
        Index("ix_downloads_expires_at", "expires_at"),
    )
