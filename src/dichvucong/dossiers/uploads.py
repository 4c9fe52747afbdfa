"""Upload checks: the type is decided by the file's bytes (libmagic on the whole file), never
by its name; sizes and counts are limited; names are cleaned for display and download only
(stored names are random)."""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SCANS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
OFFICE = {DOCX: "docx", XLSX: "xlsx"}
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    content: bytes


def display_name(raw: str) -> str:
    """What the person called the file, made safe to show: no path, no control characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE_NAME.sub("_", name).strip(" .")[:160] or "tep"


def clean_name(raw: str, extension: str) -> str:
    """The stored display name: safe, bounded, with the extension of the real type."""
    name = display_name(raw)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:120].strip(" .") or "tep"
    return f"{stem}.{extension}"


def _office_kind(content: bytes) -> str | None:
    """A DOCX/XLSX is a zip with [Content_Types].xml and a word/ or xl/ part; no macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def check_upload(upload: UploadedFile, *, allow_office: bool = False) -> CheckedFile:
    """Read the whole upload (bounded by UPLOAD_MAX_FILE_BYTES) and decide what it is."""
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": display_name(upload.name), "mb": limit // (1024 * 1024)},
            code="too_large",
        )
    content = upload.read(limit + 1)
    display = display_name(upload.name)
    if len(content) > limit:
        raise ApplicationError(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": display, "mb": limit // (1024 * 1024)},
            code="too_large",
        )
    if not content:
        raise ApplicationError(_("Tệp “%(name)s” rỗng.") % {"name": display}, code="empty")
    sniffed = magic.from_buffer(content, mime=True)
    content_type = None
    if sniffed in SCANS:
        content_type = sniffed
    elif allow_office and sniffed in {DOCX, XLSX, "application/zip", "application/octet-stream"}:
        content_type = _office_kind(content)
    if content_type is None:
        allowed = "PDF, JPG, PNG" + (", DOCX, XLSX" if allow_office else "")
        raise ApplicationError(
            _(
                "Tệp “%(name)s” không phải loại được nhận (%(allowed)s). Hãy quét hoặc chụp "
                "giấy tờ và lưu dưới dạng PDF hoặc ảnh."
            )
            % {"name": display, "allowed": allowed},
            code="type",
        )
    if content_type == PDF and _PDF_ACTIVE.search(content):
        raise ApplicationError(
            _("Tệp PDF “%(name)s” chứa mã chạy tự động hoặc tệp nhúng, không được nhận.")
            % {"name": display},
            code="active_pdf",
        )
    extension = SCANS.get(content_type) or OFFICE[content_type]
    return CheckedFile(
        name=clean_name(upload.name, extension),
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
