"""Word templates written with the standard library are real .docx files."""

import io
import zipfile
from xml.dom import minidom

import magic

from dichvucong.catalog.documents import docx_bytes


def parts(data: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_generic_template_is_a_valid_word_document():
    data = docx_bytes(title="Đơn đề nghị cấp lại giấy phép", agency_name="Sở Tư pháp")
    assert magic.from_buffer(data) == "Microsoft Word 2007+"
    files = parts(data)
    assert next(iter(files)) == "[Content_Types].xml"
    for _name, text in files.items():
        minidom.parseString(text.encode())  # noqa: S318 - our own output: well-formed XML
    document = files["word/document.xml"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document
    assert "ĐƠN ĐỀ NGHỊ CẤP LẠI GIẤY PHÉP" in document
    assert "Sở Tư pháp" in document
    assert "Tên tổ chức, cá nhân đề nghị" in document
    assert "<dc:title>Đơn đề nghị cấp lại giấy phép</dc:title>" in files["docProps/core.xml"]


def test_form_fields_and_special_characters():
    data = docx_bytes(
        title="Tờ khai <A & B>",
        agency_name="Sở Ngoại vụ",
        fields=[
            {
                "type": "select",
                "label": "Hình thức",
                "options": [{"value": "a", "label": "Trực tiếp"}],
            },
            {"type": "checkbox", "label": "Cam kết", "required": True},
            {
                "type": "rows",
                "label": "Thành viên",
                "columns": [{"label": "Họ tên"}, {"label": "Chức vụ"}],
            },
            {"type": "date", "label": "Ngày đến"},
        ],
    )
    document = parts(data)["word/document.xml"]
    minidom.parseString(document.encode())  # noqa: S318 - our own output
    assert "TỜ KHAI &lt;A &amp; B&gt;" in document
    assert "☐ Trực tiếp" in document
    assert "☐ Cam kết (*)" in document
    assert document.count("<w:tr>") == 6  # header + 5 blank rows
    assert "Ngày đến: " in document
