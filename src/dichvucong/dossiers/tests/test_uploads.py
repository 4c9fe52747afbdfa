import pytest

from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers.uploads import check_upload, clean_name

from .files import (
    EXE,
    HTML,
    PDF_WITH_JS,
    SVG,
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("cccd.pdf", pdf_bytes(), "application/pdf", "pdf"),
        ("anh.png", png_bytes(), "image/png", "png"),
        ("anh.jpg", jpeg_bytes(), "image/jpeg", "jpg"),
        ("ảnh chụp.JPEG", jpeg_bytes(), "image/jpeg", "jpg"),
        ("scan-without-extension", pdf_bytes(), "application/pdf", "pdf"),
        ("mislabelled.png", pdf_bytes(), "application/pdf", "pdf"),  # the bytes decide
    ],
)
def test_scans_are_accepted_by_their_content(name, content, content_type, extension):
    checked = check_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.name.endswith(f".{extension}")
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", EXE, "type"),  # an executable renamed .pdf
        ("page.pdf", HTML, "type"),
        ("anh.svg", SVG, "type"),
        ("anh.png", SVG, "type"),
        ("ghi-chu.txt", "Văn bản thường".encode(), "type"),
        ("rong.pdf", b"", "empty"),
        ("macro.pdf", PDF_WITH_JS, "active_pdf"),
        ("mau.docx", docx_bytes(), "type"),  # office files only where a template asks
    ],
)
def test_hostile_or_wrong_files_are_refused(name, content, code):
    with pytest.raises(ApplicationError) as error:
        check_upload(upload(name, content))
    assert error.value.code == code
    assert error.value.message  # a Vietnamese sentence for the person


def test_oversized_files_are_refused(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    content = pdf_bytes() + b"%" * 1000
    with pytest.raises(ApplicationError) as error:
        check_upload(upload("lon.pdf", content))
    assert error.value.code == "too_large"
    assert "lớn hơn" in error.value.message


def test_filled_templates_are_accepted_where_allowed_but_not_with_macros():
    assert check_upload(upload("to-khai.docx", docx_bytes()), allow_office=True).extension == "docx"
    with pytest.raises(ApplicationError):
        check_upload(upload("to-khai.docm", docx_bytes(macro=True)), allow_office=True)
    with pytest.raises(ApplicationError):
        check_upload(upload("zip.docx", b"PK\x03\x04not a real zip"), allow_office=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32.pdf", "system32.pdf"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("giấy khai sinh.pdf", "giấy khai sinh.pdf"),
        ("<script>.pdf", "_script_.pdf"),
        ("...pdf", "pdf.pdf"),
        ("..", "tep.pdf"),
        ("x" * 300 + ".pdf", "x" * 120 + ".pdf"),
        ("cccd.exe", "cccd.pdf"),  # the extension of the real type
    ],
)
def test_names_are_cleaned(raw, expected):
    assert clean_name(raw, "pdf") == expected
