"""What a document really is, by its bytes. Only formats people exchange for this work are accepted."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.photos.ingest import sniff_image_type


class DocumentRejected(DomainError):
    def __init__(self, message: object) -> None:
        super().__init__(message, field="file")  # type: ignore[arg-type]


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str
    label: str


PDF = DocumentType("application/pdf", ".pdf", "PDF")
DWG = DocumentType("image/vnd.dwg", ".dwg", "DWG")
OLE = DocumentType("application/x-ole-storage", ".doc", "Office 97-2003")
OOXML = {
    "word/": DocumentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"),
    "xl/": DocumentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"),
    "ppt/": DocumentType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint"
    ),
}
ODF = {
    "application/vnd.oasis.opendocument.text": DocumentType("application/vnd.oasis.opendocument.text", ".odt", "ODT"),
    "application/vnd.oasis.opendocument.spreadsheet": DocumentType(
        "application/vnd.oasis.opendocument.spreadsheet", ".ods", "ODS"
    ),
}
IMAGES = {
    "image/jpeg": DocumentType("image/jpeg", ".jpg", "JPEG"),
    "image/png": DocumentType("image/png", ".png", "PNG"),
    "image/webp": DocumentType("image/webp", ".webp", "WebP"),
    "image/heic": DocumentType("image/heic", ".heic", "HEIC"),
}
NOT_ACCEPTED = _l("This file type is not accepted. Send PDF, Word, Excel, PowerPoint, OpenDocument, DWG or an image.")


def _zip_document(data: bytes) -> DocumentType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise DocumentRejected(_l("Office files with macros are not accepted. Save the file without macros."))
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "ignore").strip()
                if mimetype in ODF:
                    return ODF[mimetype]
    except zipfile.BadZipFile:
        raise DocumentRejected(_l("The file is damaged and cannot be opened.")) from None
    raise DocumentRejected(NOT_ACCEPTED)


def sniff_document(data: bytes) -> DocumentType:
    """The document's type by content; raises :class:`DocumentRejected` for anything else."""
    if not data:
        raise DocumentRejected(_l("The file is empty."))
    if data[:5] == b"%PDF-":
        if b"%%EOF" not in data[-2048:]:
            raise DocumentRejected(_l("The PDF is incomplete (it was cut off). Send it again."))
        return PDF
    if data[:4] == b"PK\x03\x04":
        return _zip_document(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return OLE
    if data[:4] == b"AC10" and data[4:6].isdigit():
        return DWG
    image = sniff_image_type(data)
    if image:
        return IMAGES[image]
    raise DocumentRejected(NOT_ACCEPTED)
