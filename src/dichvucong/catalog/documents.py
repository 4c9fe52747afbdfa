"""Downloadable templates (mẫu đơn, tờ khai) as Word documents, written with the standard
library only: a DOCX file is a zip of a few XML parts.

Used by `services.component_template_generate` for the demo catalogue and for components whose
agency has not uploaded its own file: the document has the national heading, the title, "Kính
gửi" the agency and, when the procedure has a declaration form, one line per field of it (a
table for repeating rows), so a person who cannot use the online form can fill it by hand.
"""

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006"
_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _types() -> str:
    overrides = {
        "/word/document.xml": f"{_WORD}.document.main+xml",
        "/word/styles.xml": f"{_WORD}.styles+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": (
            "application/vnd.openxmlformats-officedocument.extended-properties+xml"
        ),
    }
    parts = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f'{_XML}<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    )


def _relationships(*targets: tuple[str, str]) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'{_XML}<Relationships xmlns="{_PKG}/relationships">{items}</Relationships>'


_ROOT_RELS = _relationships(
    (f"{_OFFICE}/relationships/officeDocument", "word/document.xml"),
    (f"{_PKG}/relationships/metadata/core-properties", "docProps/core.xml"),
    (f"{_OFFICE}/relationships/extended-properties", "docProps/app.xml"),
)
_DOCUMENT_RELS = _relationships((f"{_OFFICE}/relationships/styles", "styles.xml"))

_FONT = "Times New Roman"
_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
_STYLES = (
    f'{_XML}<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="{_FONT}" w:hAnsi="{_FONT}" w:cs="{_FONT}" w:eastAsia="{_FONT}"/>'
    '<w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="300" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr>'
    "<w:tblBorders>"
    + "".join(
        f"<w:{side} {_BORDER}/>"
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders></w:tblPr></w:style></w:styles>"
)
_APP = (
    f'{_XML}<Properties xmlns="{_OFFICE}/extended-properties">'
    "<Application>Cổng Dịch vụ công</Application></Properties>"
)

DOTS = "…" * 40


def _run(text: str, *, bold: bool = False, italic: bool = False, underline: bool = False) -> str:
    props = ""
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    if underline:
        props += '<w:u w:val="single"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(*runs: str, align: str = "left", spacing_before: int = 0) -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/><w:spacing w:before="{spacing_before}"/></w:pPr>'
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _table(headers: list[str], blank_rows: int) -> str:
    def cell(text: str, bold: bool = False) -> str:
        width = '<w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>'
        return f"<w:tc>{width}{_paragraph(_run(text, bold=bold))}</w:tc>"

    head = "<w:tr>" + "".join(cell(h, bold=True) for h in [_("STT"), *headers]) + "</w:tr>"
    rows = "".join(
        "<w:tr>" + cell(str(n)) + "".join(cell("") for _h in headers) + "</w:tr>"
        for n in range(1, blank_rows + 1)
    )
    grid = "".join("<w:gridCol/>" for _h in range(len(headers) + 1))
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{head}{rows}</w:tbl>"
    )


def _field_lines(field: dict) -> list[str]:
    kind = field.get("type")
    label = field.get("label", "")
    mark = " (*)" if field.get("required") else ""
    if kind == "checkbox":
        return [_paragraph(_run("☐ " + label + mark))]
    if kind == "select":
        options = "   ".join("☐ " + o["label"] for o in field.get("options", []))
        return [_paragraph(_run(label + mark + ": ", bold=True)), _paragraph(_run(options))]
    if kind == "rows":
        headers = [c.get("label", "") for c in field.get("columns", [])]
        return [_paragraph(_run(label + mark + ":", bold=True)), _table(headers, blank_rows=5)]
    if kind == "address":
        return [
            _paragraph(_run(label + mark + ": ", bold=True)),
            _paragraph(_run(_("Số nhà, đường, thôn/ấp/tổ: ") + DOTS)),
            _paragraph(
                _run(_("Xã/phường/đặc khu: ") + DOTS[:20] + _(" Tỉnh/thành phố: ") + DOTS[:20])
            ),
        ]
    if kind == "date":
        return [_paragraph(_run(label + mark + ": ", bold=True), _run("…/…/……"))]
    if kind == "textarea":
        return [
            _paragraph(_run(label + mark + ": ", bold=True)),
            _paragraph(_run(DOTS * 2)),
            _paragraph(_run(DOTS * 2)),
        ]
    return [_paragraph(_run(label + mark + ": ", bold=True), _run(DOTS))]


GENERIC_FIELDS: list[dict] = [
    {"type": "text", "label": "Tên tổ chức, cá nhân đề nghị", "required": True},
    {"type": "text", "label": "Số CMND/CCCD/Hộ chiếu hoặc mã số doanh nghiệp", "required": True},
    {"type": "address", "label": "Địa chỉ", "required": True},
    {"type": "text", "label": "Số điện thoại", "required": True},
    {"type": "text", "label": "Thư điện tử"},
    {"type": "textarea", "label": "Nội dung đề nghị", "required": True},
]


def docx_bytes(
    *,
    title: str,
    agency_name: str,
    procedure_name: str = "",
    fields: list[dict] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """A Word document for a template: heading, title, addressee, the lines to fill, signature."""
    body: list[str] = [
        _paragraph(_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True), align="center"),
        _paragraph(
            _run(_("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True), align="center"
        ),
        _paragraph(_run(_("……………, ngày …… tháng …… năm ………"), italic=True), align="right"),
        _paragraph(_run(title.upper(), bold=True), align="center", spacing_before=240),
    ]
    if procedure_name:
        body.append(
            _paragraph(_run(_("(Thủ tục: ") + procedure_name + ")", italic=True), align="center")
        )
    body.append(_paragraph(_run(_("Kính gửi: "), bold=True), _run(agency_name), spacing_before=240))
    for field in fields or GENERIC_FIELDS:
        body.extend(_field_lines(field))
    body.extend(
        [
            _paragraph(
                _run(
                    _(
                        "Tôi (chúng tôi) cam đoan những thông tin kê khai trên là đúng sự thật "
                        "và chịu trách nhiệm trước pháp luật về nội dung đã khai."
                    )
                ),
                spacing_before=240,
            ),
            _paragraph(_run(_("NGƯỜI ĐỀ NGHỊ"), bold=True), align="right", spacing_before=240),
            _paragraph(
                _run(_("(Ký, ghi rõ họ tên; đóng dấu nếu là tổ chức)"), italic=True), align="right"
            ),
            _paragraph(
                _run(
                    _(
                        "Ghi chú: các mục có dấu (*) là bắt buộc. Có thể khai trực tuyến thay cho "
                        "mẫu giấy này trên Cổng Dịch vụ công."
                    ),
                    italic=True,
                ),
                spacing_before=480,
            ),
        ]
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}">'
        "<w:body>" + "".join(body) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="708" '
        'w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    created = (today or dt.date(2026, 1, 1)).isoformat()
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(agency_name)}</dc:creator>"
        "<dc:language>vi-VN</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}T00:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )
    buffer = io.BytesIO()
    parts = [
        # [Content_Types].xml first: that is how libmagic recognises a Word document.
        ("[Content_Types].xml", _types()),
        ("_rels/.rels", _ROOT_RELS),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("docProps/core.xml", core),
        ("docProps/app.xml", _APP),
    ]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            # A fixed time stamp: the same template gives the same bytes (stored once).
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()
