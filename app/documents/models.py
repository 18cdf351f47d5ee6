from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centers.models import Center
from app.core.enums import DocumentKind, DocumentStatus
from app.core.models import Audited, enum_column
from app.extensions import db
from app.projects.models import Project


class Document(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="RESTRICT"), nullable=False, index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind), nullable=False)
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus), nullable=False, default=DocumentStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")

    center: Mapped[Center] = relationship(Center, lazy="joined")
    project: Mapped[Project | None] = relationship(Project, lazy="joined")
    versions: Mapped[list[DocumentVersion]] = relationship(
        "DocumentVersion",
        back_populates="document",
        order_by="DocumentVersion.number.desc()",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __table_args__ = (Index("ix_documents_project_kind", "project_id", "kind"),)

    @property
    def latest(self) -> DocumentVersion | None:
        return self.versions[0] if self.versions else None

    def audit_label(self) -> str:
        return self.title

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.center_id, self.project_id


class DocumentVersion(Audited, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    storage_key: Mapped[str] = mapped_column(String(80), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    extension: Mapped[str] = mapped_column(String(10), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    original_filename: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    document: Mapped[Document] = relationship(Document, back_populates="versions")

    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_versions_number"),)

    def download_name(self) -> str:
        """The file name a download is offered under: the document's title and the version number."""
        return f"{self.document.title[:80]}-v{self.number}{self.extension}"

    def audit_label(self) -> str:
        return f"v{self.number} {self.original_filename}"

    def audit_scope(self) -> tuple[int | None, int | None]:
        document = self.document
        return (document.center_id, document.project_id) if document else (None, None)
