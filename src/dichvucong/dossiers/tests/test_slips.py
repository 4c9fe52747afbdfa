"""The PDF slips: rendered by WeasyPrint from dossiers made through the real services, read back
with `pdftotext -layout`, and compared with the exact Vietnamese text (full diacritics).

Rendering costs ~0.3–1 s a document, so the slips of the realistic dossiers are rendered once
per module (`rendered`); the data behind them is rolled back afterwards.
"""

import datetime as dt
import re
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dichvucong.accounts.services import profile_update
from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.catalog.models import Agency
from dichvucong.catalog.services import agency_rename
from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers import services, slips
from dichvucong.dossiers.workflow import actions

from .factories import agency as make_agency
from .factories import draft, procedure, submitted, supplement_requested
from .files import pdf

PROCEDURE_NAME = "Cấp lại giấy phép lao động cho người nước ngoài"
AGENCY_NAME = "Sở Lao động - Thương binh và Xã hội"
PARENT_NAME = "Ủy ban nhân dân tỉnh Bình Phước"
APPLICANT = "Phạm Thị Mỹ Hương"
ADDRESS = "Số 12 đường Trường Chinh, phường Tân Phú, tỉnh Bình Phước"
RECEPTION = "Trần Thị Bích Ngọc"
HANDLER = "Lê Quốc Huy"
LEADER = "Đỗ Hữu Thắng"
SUPPLEMENT_NOTE = "Bản sao CCCD bị mờ, đề nghị chụp lại rõ nét cả hai mặt."
REFUSAL_NOTE = "Thủ tục này thuộc thẩm quyền của Ủy ban nhân dân cấp xã nơi cư trú."
APOLOGY_NOTE = "Cần xác minh thêm với cơ quan công an về lý lịch tư pháp."

# Also what makes pytest-django create the test database for the module fixture below.
pytestmark = pytest.mark.django_db


def poppler(tool: str, data: bytes, *args: str) -> str:
    """Run a poppler-utils tool on PDF bytes and return what it prints."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        command = [tool, *args, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")


def pdftotext(data: bytes) -> str:
    return poppler("pdftotext", data, "-layout", "-enc", "UTF-8")


def lines(text: str) -> list[str]:
    """The text's lines with runs of layout spaces collapsed to one."""
    return [re.sub(r" {2,}", " ", line).strip() for line in text.splitlines()]


def has_line_with(text: str, *fragments: str) -> bool:
    return any(all(f in line for f in fragments) for line in lines(text))


def d(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y")


def hm(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def pdf_qr_matrices(data: bytes) -> list[list[list[bool]]]:
    """The QR codes drawn in a PDF, read back from its content streams.

    WeasyPrint draws segno's SVG (one unit per module) as one stroked path: a dark run of
    row r from column a to b is "a r+.5 m b r+.5 l". Rebuilding the module grid from those
    runs checks what a phone would scan, with no QR decoder at hand.
    """
    matrices = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream.group(1)).decode("latin-1")
        except zlib.error:
            continue
        for path in re.finditer(r"0 0 m\n((?:[\d.]+ [\d.]+ [ml]\n)+)", content):
            runs = re.findall(r"(\d+) (\d+)\.5 m\n(\d+) \d+\.5 l", path.group(1))
            if not runs:
                continue
            size = max(int(b) for _a, _r, b in runs)
            grid = [[False] * size for _ in range(size)]
            for a, r, b in runs:
                for column in range(int(a), int(b)):
                    grid[int(r)][column] = True
            matrices.append(grid)
    return matrices


@dataclass
class Rendered:
    """What the module fixture keeps once its data is rolled back."""

    texts: dict[str, str] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    htmls: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    available: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _officers(agency: Agency):
    reception = staff(agency=agency, role="reception")
    handler = staff(agency=agency, role="handler")
    leader = staff(agency=agency, role="leader")
    for user, name in ((reception, RECEPTION), (handler, HANDLER), (leader, LEADER)):
        user.full_name = name
        user.save(update_fields=["full_name"])
    return reception, handler, leader


def _lifecycle(*, apologise: bool, level: int, proc, user, reception, handler, leader):
    """submitted → supplement at reception → resubmitted → received → processing →
    (apology) → proposed → approved → returned, through the real services."""
    dossier = submitted(user=user, procedure_=proc, level=level)
    dossier = actions.dossier_request_supplement(
        dossier_id=dossier.pk,
        user=reception,
        expected_version=dossier.version,
        note=SUPPLEMENT_NOTE,
        missing=["Bản sao CCCD", "Ảnh chân dung 4x6"],
    )
    dossier, _outcome = services.dossier_supplement(
        dossier_id=dossier.pk,
        user=user,
        note="Đã chụp lại bản sao CCCD.",
        uploads=[pdf("cccd-ro-net.pdf")],
        expected_version=dossier.version,
    )
    dossier = actions.dossier_receive(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version
    )
    dossier = actions.dossier_start_processing(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version, assignee=handler
    )
    if apologise:
        new_due = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=10)
        dossier = actions.dossier_apologise(
            dossier_id=dossier.pk,
            user=handler,
            expected_version=dossier.version,
            new_due=new_due,
            note=APOLOGY_NOTE,
        )
    dossier = actions.dossier_propose(
        dossier_id=dossier.pk,
        user=handler,
        expected_version=dossier.version,
        note="Đủ điều kiện, đề nghị cấp lại giấy phép.",
        uploads=[pdf("du-thao-giay-phep.pdf")],
    )
    dossier = actions.dossier_approve(
        dossier_id=dossier.pk, user=leader, expected_version=dossier.version
    )
    return actions.dossier_return_result(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version
    )


def _render(out: Rendered, name: str, kind: str, dossier) -> None:
    started = time.perf_counter()
    data = slips.render_slip(kind=kind, dossier=dossier)
    out.seconds[name] = time.perf_counter() - started
    out.pdfs[name] = data
    out.texts[name] = pdftotext(data)
    out.htmls[name] = slips.slip_html(kind=kind, dossier=dossier)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Rendered:
    out = Rendered()
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name  # never the real database
        parent = make_agency(name=PARENT_NAME, short_name="UBND tỉnh Bình Phước", level="tinh")
        agency_ = make_agency(
            name=AGENCY_NAME, parent=parent, hotline="0271 3879 123", address="Đồng Xoài"
        )
        reception, handler, leader = _officers(agency_)
        proc = procedure(agency_=agency_, name=PROCEDURE_NAME, processing_days=5)
        user = citizen(verified=True, full_name=APPLICANT, gender="female")
        profile_update(
            user=user,
            phone=user.phone,
            email=user.email,
            address=ADDRESS,
            notify_by_email=True,
            notify_by_sms=True,
        )

        # A: level 3, supplemented at reception, apologised, returned → late.
        late = _lifecycle(
            apologise=True,
            level=3,
            proc=proc,
            user=user,
            reception=reception,
            handler=handler,
            leader=leader,
        )
        # C: level 4, returned well before the appointment → early.
        early = _lifecycle(
            apologise=False,
            level=4,
            proc=proc,
            user=user,
            reception=reception,
            handler=handler,
            leader=leader,
        )
        # B: refused at reception.
        refused = submitted(user=user, procedure_=proc)
        refused = actions.dossier_refuse(
            dossier_id=refused.pk,
            user=reception,
            expected_version=refused.version,
            note=REFUSAL_NOTE,
        )
        for name, dossier in (("late", late), ("early", early), ("refused", refused)):
            out.available[name] = slips.available_slips(dossier)
            out.available[f"{name}:applicant"] = slips.applicant_slips(dossier)

        late.refresh_from_db()
        early.refresh_from_db()
        late_events = {e.action: e for e in late.events.all()}
        out.facts.update(
            late_code=late.code,
            early_code=early.code,
            refused_code=refused.code,
            late_received=late.received_at.isoformat(),
            late_received_hm=timezone.localtime(late.received_at).strftime("%H giờ %M phút"),
            late_received_date=d(late.received_at),
            late_original_due=d(late.original_due_at),
            late_due=d(late.due_at),
            late_due_hm=hm(late.due_at),
            late_submit_hm=hm(late_events["submit"].created_at),
            late_receive_hm=hm(late_events["receive"].created_at),
            late_supplement_date=d(late_events["request_supplement"].created_at),
            early_due=d(early.due_at),
            refused_date=d(refused.events.get(action="refuse").created_at),
        )
        for kind in ("receipt", "supplement", "apology", "control"):
            _render(out, f"late:{kind}", kind, late)
        _render(out, "early:receipt", "receipt", early)
        _render(out, "early:control", "control", early)
        _render(out, "refused:refusal", "refusal", refused)
        today = timezone.localdate()
        register = slips.render_register(agency=agency_, date_from=today, date_to=today)
        out.texts["register"] = pdftotext(register)
        yesterday = today - dt.timedelta(days=1)
        empty = slips.render_register(agency=agency_, date_from=yesterday, date_to=yesterday)
        out.texts["register:empty"] = pdftotext(empty)
        transaction.set_rollback(True)
    return out


# --- the catalogue of slips ---------------------------------------------------------------


def test_slip_kinds_carry_the_vietnamese_titles():
    assert {k: str(v) for k, v in slips.SLIP_KINDS.items()} == {
        "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "register": "Sổ theo dõi hồ sơ",
    }


def test_available_slips_follow_the_dossier_life(rendered):
    """Receipt once received, supplement once asked, refusal when refused, apology when
    issued, control once submitted; the applicant gets all but the control slip."""
    assert rendered.available["late"] == ["receipt", "supplement", "apology", "control"]
    assert rendered.available["late:applicant"] == ["receipt", "supplement", "apology"]
    assert rendered.available["early"] == ["receipt", "supplement", "control"]
    assert rendered.available["refused"] == ["refusal", "control"]
    assert rendered.available["refused:applicant"] == ["refusal"]


def test_a_draft_has_no_slip_and_a_new_dossier_only_the_control_slip():
    unfinished = draft()
    assert slips.available_slips(unfinished) == []
    with pytest.raises(ApplicationError):
        slips.render_slip(kind="control", dossier=unfinished)
    dossier = submitted()
    assert slips.available_slips(dossier) == ["control"]
    assert slips.applicant_slips(dossier) == []
    asked = supplement_requested()
    assert slips.available_slips(asked) == ["supplement", "control"]
    assert slips.applicant_slips(asked) == ["supplement"]


def test_a_slip_that_does_not_exist_is_refused_in_vietnamese():
    dossier = submitted()
    for kind in ("receipt", "supplement", "refusal", "apology"):
        with pytest.raises(ApplicationError) as error:
            slips.render_slip(kind=kind, dossier=dossier)
        assert error.value.code == "slip_not_available"
        assert error.value.message == (f"Hồ sơ {dossier.code} chưa có “{slips.SLIP_KINDS[kind]}”.")
    with pytest.raises(ApplicationError) as error:
        slips.render_slip(kind="register", dossier=dossier)
    assert error.value.message == "Không có loại phiếu này."
    with pytest.raises(ApplicationError):
        slips.render_slip(kind="<script>", dossier=dossier)


# --- the QR code --------------------------------------------------------------------------


def test_the_lookup_url_is_the_public_page_with_the_code_encoded(settings):
    settings.PORTAL_BASE_URL = "https://dichvucong.binhphuoc.gov.vn/"
    assert (
        slips.lookup_url("000.00.31.H10-261121-0007")
        == "https://dichvucong.binhphuoc.gov.vn/tra-cuu/?ma=000.00.31.H10-261121-0007"
    )
    assert slips.lookup_url("A B&C") == "https://dichvucong.binhphuoc.gov.vn/tra-cuu/?ma=A+B%26C"


def svg_matrix(svg: str) -> list[list[bool]]:
    """The modules drawn by segno's SVG path ("M0 0.5h7m1 0h1…": runs along each row)."""
    size = int(re.search(r"width=[\"'](\d+)", svg).group(1))
    path = re.search(r" d=[\"']([^\"']+)", svg).group(1)
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                grid[int(y)][column] = True
            x += float(a)
    return grid


def test_the_qr_helper_draws_the_code_of_the_url_as_svg():
    url = "http://127.0.0.1:8000/tra-cuu/?ma=000.00.31.H10-261121-0007"
    svg = slips.qr_svg(url)
    assert svg.startswith("<svg")
    matrix = slips.qr_matrix(url)
    assert len(matrix) == len(matrix[0]) >= 25  # version 2 or more: the URL does not fit in 1
    assert svg_matrix(svg) == matrix
    assert slips.qr_matrix(url + "8") != matrix
    uri = slips.qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml")
    assert svg_matrix(unquote(uri.split(",", 1)[1])) == matrix


def test_every_dossier_slip_draws_the_qr_of_its_lookup_page(rendered):
    """Each slip prints the QR of its dossier's lookup URL (the exact SVG segno makes for
    it) and the URL itself; the PDF has the QR drawn as vector paths."""
    for name, data in rendered.pdfs.items():
        code = rendered.facts[f"{name.split(':')[0]}_code"]
        url = slips.lookup_url(code)
        assert (
            slips.qr_svg(url) in rendered.htmls[name]
            or slips.qr_data_uri(url) in (rendered.htmls[name])
        ), name
        assert url in rendered.texts[name].replace("\n", "")
        # When WeasyPrint draws the QR as the one path this reader knows, it must match.
        # (How it lays out the path depends on the content, so a miss is not a failure.)
        matrices = pdf_qr_matrices(data)
        assert all(m == slips.qr_matrix(url) for m in matrices), name


# --- what each slip says ------------------------------------------------------------------


def _heading_and_title(text: str, title: str) -> None:
    assert has_line_with(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert has_line_with(text, "Độc lập - Tự do - Hạnh phúc")
    assert has_line_with(text, "UBND TỈNH BÌNH PHƯỚC")  # the parent's short name
    # a long agency name wraps in its column, as on paper
    assert has_line_with(text, "SỞ LAO ĐỘNG - THƯƠNG BINH")
    assert has_line_with(text, "VÀ XÃ HỘI")
    assert has_line_with(text, title.upper())


def _applicant_block(text: str, code: str) -> None:
    assert has_line_with(text, "Mã hồ sơ:", code)
    assert has_line_with(text, "Bà:", APPLICANT)
    assert has_line_with(text, "Địa chỉ:", ADDRESS)
    assert has_line_with(text, "Thủ tục:", PROCEDURE_NAME)


def test_receipt(rendered):
    """Giấy tiếp nhận: code, applicant, address, procedure, papers with file counts, times,
    the appointment, how the result is received (level 3: at the desk with the originals),
    the officer's name."""
    text, f = rendered.texts["late:receipt"], rendered.facts
    _heading_and_title(text, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    _applicant_block(text, f["late_code"])
    assert has_line_with(text, "Số:", f["late_code"])
    assert has_line_with(text, "Sở Lao động - Thương binh và Xã hội đã tiếp nhận hồ sơ của:")
    assert has_line_with(text, "Số điện thoại:", "thư điện tử:")
    assert has_line_with(text, "1 Tờ khai đề nghị Tờ khai trực tuyến —")
    assert has_line_with(text, "2 Đơn đề nghị Bản chính 1")
    assert has_line_with(text, "3 Bản sao CCCD Bản sao 1")
    assert has_line_with(text, "4 Giấy tờ bổ sung khác Bổ sung 1")  # sent before receipt
    assert not has_line_with(text, "Giấy tờ khác")  # optional and not attached
    assert has_line_with(text, "2. Thời hạn giải quyết theo quy định: 5 ngày làm việc.")
    assert has_line_with(
        text,
        "3. Thời gian tiếp nhận hồ sơ:",
        f"{f['late_received_hm']}, ngày {f['late_received_date']}.",
    )
    # the appointment given at receipt, not the one the apology moved it to
    assert has_line_with(
        text, f"4. Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày {f['late_original_due']}."
    )
    assert f["late_due"] not in text
    flat = " ".join(lines(text))
    assert (
        "5. Hình thức nhận kết quả: Nhận kết quả trực tiếp tại Bộ phận tiếp nhận và trả kết quả "
        "của Sở Lao động - Thương binh và Xã hội. Khi đến nhận, vui lòng mang theo bản chính "
        "các giấy tờ đã nộp trực tuyến để đối chiếu."
    ) in flat
    assert has_line_with(text, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ")
    assert has_line_with(text, APPLICANT, RECEPTION)
    assert text.count("\f") == 1  # one page


def test_receipt_of_a_level_4_dossier_promises_the_electronic_result(rendered):
    text, f = rendered.texts["early:receipt"], rendered.facts
    _applicant_block(text, f["early_code"])
    flat = " ".join(lines(text))
    assert (
        "5. Hình thức nhận kết quả: Nhận kết quả điện tử trên Cổng Dịch vụ công tỉnh Bình "
        "Phước, trong trang hồ sơ của người nộp (tra cứu bằng mã hồ sơ)."
    ) in flat
    assert "bản chính" not in flat
    assert has_line_with(text, f"ngày {f['early_due']}.")


def test_supplement_slip(rendered):
    """The last request: its note, the missing papers, the officer and the date."""
    text, f = rendered.texts["late:supplement"], rendered.facts
    _heading_and_title(text, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    _applicant_block(text, f["late_code"])
    assert has_line_with(text, SUPPLEMENT_NOTE)
    assert has_line_with(text, "Giấy tờ cần bổ sung, hoàn thiện:")
    assert has_line_with(text, "• Bản sao CCCD")
    assert has_line_with(text, "• Ảnh chân dung 4x6")
    day, month, year = f["late_supplement_date"].split("/")
    assert has_line_with(text, f"ngày {day} tháng {month} năm {year}")
    assert has_line_with(text, "NGƯỜI TIẾP NHẬN HỒ SƠ")
    assert has_line_with(text, RECEPTION)
    assert text.count("\f") == 1


def test_refusal_slip(rendered):
    text, f = rendered.texts["refused:refusal"], rendered.facts
    _heading_and_title(text, "Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    _applicant_block(text, f["refused_code"])
    flat = " ".join(lines(text))
    assert "không tiếp nhận giải quyết hồ sơ này với lý do:" in flat
    assert has_line_with(text, REFUSAL_NOTE)
    day, month, year = f["refused_date"].split("/")
    assert has_line_with(text, f"ngày {day} tháng {month} năm {year}")
    assert has_line_with(text, RECEPTION)
    assert text.count("\f") == 1


def test_apology_slip(rendered):
    """Old and new appointment dates, the reason; drawn up by the handling officer, signed
    by the agency's leader."""
    text, f = rendered.texts["late:apology"], rendered.facts
    _heading_and_title(text, "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    _applicant_block(text, f["late_code"])
    flat = " ".join(lines(text))
    assert f"ngày trả kết quả giải quyết hồ sơ là ngày {f['late_original_due']}." in flat
    assert has_line_with(text, APOLOGY_NOTE)
    assert f"hẹn trả kết quả vào ngày {f['late_due']}." in flat
    assert f"Ngày {f['late_received_date']}, Sở Lao động - Thương binh và Xã hội tiếp nhận" in flat
    assert has_line_with(text, "NGƯỜI LẬP PHIẾU", "LÃNH ĐẠO CƠ QUAN")
    assert has_line_with(text, HANDLER)
    assert text.count("\f") == 1


def _row(text: str, step: str) -> str:
    found = [line for line in lines(text) if re.match(rf"\d+ {re.escape(step)}\b", line)]
    assert len(found) == 1, (step, found)
    return found[0]


def test_control_slip_lists_every_hand_off_and_judges_the_result(rendered):
    """Each step with its role and person and time; the decision against the appointment:
    an apology makes it late although it came before the new date."""
    text, f = rendered.texts["late:control"], rendered.facts
    _heading_and_title(text, "Phiếu kiểm soát quá trình giải quyết hồ sơ")
    assert has_line_with(text, "Mã hồ sơ:", f["late_code"])
    assert has_line_with(text, "Người nộp:", APPLICANT)
    submit_time, submit_day = f["late_submit_hm"].split()
    assert _row(text, "Nộp hồ sơ") == f"1 Nộp hồ sơ Người nộp: {submit_time}"
    assert has_line_with(text, APPLICANT, submit_day)
    receive_time, receive_day = f["late_receive_hm"].split()
    assert _row(text, "Tiếp nhận hồ sơ").startswith(
        f"4 Tiếp nhận hồ sơ Cán bộ tiếp nhận: {receive_time}"
    )
    assert has_line_with(text, RECEPTION, receive_day)
    assert _row(text, "Chuyển xử lý").startswith("5 Chuyển xử lý Cán bộ tiếp nhận:")
    assert has_line_with(text, "→ Chuyên viên xử")  # to whom it was handed (wrapped: name)
    due_time, due_day = f["late_due_hm"].split()
    assert _row(text, "Phê duyệt kết quả").endswith(f"Lãnh đạo: {receive_time} {due_time} Quá hạn")
    assert has_line_with(text, LEADER, due_day)
    assert _row(text, "Trả kết quả").endswith(f"{due_time}")  # a deadline, no verdict
    for step in ("Yêu cầu bổ sung hồ", "Nộp bổ sung hồ sơ", "Chuyển xử lý", "Trình phê duyệt"):
        assert not re.search(r"Trước hạn|Đúng hạn|Quá hạn", _row(text, step))
    assert has_line_with(text, "Tình trạng hồ sơ: Đã trả kết quả.")
    assert has_line_with(text, "Kết quả giải quyết so với ngày hẹn: Quá hạn")


def test_control_slip_of_a_dossier_decided_before_the_due_day_says_early(rendered):
    text = rendered.texts["early:control"]
    assert _row(text, "Phê duyệt kết quả").endswith("Trước hạn")
    assert has_line_with(text, "Kết quả giải quyết so với ngày hẹn: Trước hạn.")


# --- other cases, checked on the HTML the PDF is printed from (no rendering cost) -----------


def _received(**kwargs):
    dossier = submitted(**kwargs)
    reception = staff(agency=dossier.agency, role="reception")
    dossier = actions.dossier_receive(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version
    )
    return dossier, reception


def test_an_organisation_is_addressed_as_such_with_its_representative():
    organisation = citizen(
        verified=True,
        kind="organisation",
        full_name="Nguyễn Văn Bảy",
        organisation_name="Công ty TNHH Phước Lộc",
        tax_code="3800123456",
    )
    dossier, _reception = _received(user=organisation)
    html = slips.slip_html(kind="receipt", dossier=dossier)
    assert "<dt>Tổ chức:</dt><dd>Công ty TNHH Phước Lộc</dd>" in html
    assert "<dt>Người đại diện:</dt><dd>Nguyễn Văn Bảy</dd>" in html
    assert "<dt>Mã số thuế:</dt><dd>3800123456</dd>" in html


def test_a_supplement_asked_during_processing_says_the_clock_stops():
    dossier, reception = _received()
    handler = staff(agency=dossier.agency, role="handler")
    dossier = actions.dossier_start_processing(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version, assignee=handler
    )
    dossier = actions.dossier_request_supplement(
        dossier_id=dossier.pk,
        user=handler,
        expected_version=dossier.version,
        note="Thiếu xác nhận của Ủy ban nhân dân cấp xã.",
        missing=["Giấy xác nhận cư trú"],
    )
    html = slips.slip_html(kind="supplement", dossier=dossier)
    assert "Thời gian chờ bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết" in html
    assert "NGƯỜI XỬ LÝ HỒ SƠ" in html
    assert "<li>Giấy xác nhận cư trú</li>" in html
    control = slips.slip_html(kind="control", dossier=dossier)
    assert "Tạm dừng tính thời hạn." in control
    assert "Tiến độ so với ngày hẹn:</span> Tạm dừng." in control


def test_what_people_typed_is_printed_as_text_never_as_markup():
    dossier = submitted()
    reception = staff(agency=dossier.agency, role="reception")
    dossier = actions.dossier_refuse(
        dossier_id=dossier.pk,
        user=reception,
        expected_version=dossier.version,
        note='<img src="file:///etc/passwd"> Hồ sơ giả mạo',
    )
    html = slips.slip_html(kind="refusal", dossier=dossier)
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; Hồ sơ giả mạo" in html


def test_a_slip_carries_the_agency_name_of_its_day():
    """A receipt printed after the agency was renamed still names the agency that received."""
    dossier, _reception = _received()
    old_name = dossier.agency.name
    agency_rename(agency=dossier.agency, name="Sở Nội vụ tỉnh Đồng Nai")
    html = slips.slip_html(kind="receipt", dossier=dossier)
    assert old_name.upper() in html
    assert "SỞ NỘI VỤ TỈNH ĐỒNG NAI" not in html


def test_slips_embed_only_fonts_with_every_vietnamese_letter(rendered):
    for name, data in rendered.pdfs.items():
        fonts = poppler("pdffonts", data)
        embedded = {line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]}
        assert embedded <= {
            "Liberation-Serif",
            "Liberation-Serif-Bold",
            "Liberation-Serif-Italic",
            "Liberation-Serif-BoldItalic",
        }, (name, embedded)
    for letters in ("ơ", "ư", "ậ", "ế", "ộ", "ỹ"):
        assert any(letters in text for text in rendered.texts.values()), letters


def test_rendering_a_slip_takes_well_under_three_seconds(rendered):
    assert max(rendered.seconds.values()) < 3.0, rendered.seconds


# --- the register -------------------------------------------------------------------------


def test_register_of_120_dossiers_renders_in_seconds_with_every_code():
    agency_ = make_agency(name=AGENCY_NAME)
    other = make_agency(name="Sở Ngoại vụ")
    reception = staff(agency=agency_, role="reception")
    proc = procedure(agency_=agency_, name=PROCEDURE_NAME)
    user = citizen(verified=True, full_name=APPLICANT, gender="female")
    codes = []
    for _ in range(120):
        dossier = submitted(user=user, procedure_=proc)
        dossier = actions.dossier_receive(
            dossier_id=dossier.pk, user=reception, expected_version=dossier.version
        )
        codes.append(dossier.code)
    waiting = submitted(user=user, procedure_=proc)  # not received: not in the register
    elsewhere = submitted(user=citizen(verified=True), procedure_=procedure(agency_=other))
    today = timezone.localdate()

    started = time.perf_counter()
    data = slips.render_register(agency=agency_, date_from=today, date_to=today)
    seconds = time.perf_counter() - started

    text = pdftotext(data)
    for code in codes:
        assert has_line_with(text, code), code
    assert waiting.code not in text
    assert elsewhere.code not in text
    assert has_line_with(text, "SỔ THEO DÕI HỒ SƠ")
    assert has_line_with(
        text, f"Hồ sơ tiếp nhận từ ngày {today:%d/%m/%Y} đến ngày {today:%d/%m/%Y}"
    )
    # the totals: 120, none decided (early, on time, late), 120 open on time, none overdue/paused
    assert has_line_with(text, "120 0 0 0 120 0 0")
    assert has_line_with(text, "120", codes[-1])  # STT, one row per dossier
    info = poppler("pdfinfo", data)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # A4 landscape
    assert seconds < 8, seconds


def test_register_row_of_a_finished_dossier(rendered):
    """One row a dossier received in the period: STT, code, procedure, applicant, received,
    due, handed to, decided, returned, status and timeliness; refused ones were never
    received and are not in it."""
    text, f = rendered.texts["register"], rendered.facts
    late = next(line for line in lines(text) if f["late_code"] in line)
    assert late.startswith(f"1 {f['late_code']}")
    assert f"{f['late_received_date']} {f['late_due']}" in late
    assert late.endswith("Quá hạn")
    early = next(line for line in lines(text) if f["early_code"] in line)
    assert early.startswith(f"2 {f['early_code']}")
    assert early.endswith("Trước hạn")
    assert f["refused_code"] not in text
    flat = " ".join(lines(text))
    for word in ("Cấp lại giấy phép lao", "Phạm Thị Mỹ", "Lê Quốc Huy", "Đã trả kết"):
        assert word in flat
    assert has_line_with(text, "Tổng số hồ sơ")
    assert has_line_with(text, "SỞ LAO ĐỘNG - THƯƠNG BINH")


def test_an_empty_register_says_so(rendered):
    assert has_line_with(
        rendered.texts["register:empty"],
        "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.",
    )


def test_register_refuses_a_period_that_ends_before_it_starts():
    agency_ = make_agency()
    with pytest.raises(ApplicationError) as error:
        slips.render_register(
            agency=agency_, date_from=dt.date(2026, 11, 2), date_to=dt.date(2026, 11, 1)
        )
    assert error.value.message == "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."


def test_register_refuses_more_rows_than_a_printed_book_holds(monkeypatch):
    monkeypatch.setattr(slips, "REGISTER_MAX_ROWS", 1)
    agency_ = make_agency()
    reception = staff(agency=agency_, role="reception")
    proc = procedure(agency_=agency_)
    for _ in range(2):
        dossier = submitted(procedure_=proc)
        actions.dossier_receive(
            dossier_id=dossier.pk, user=reception, expected_version=dossier.version
        )
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as error:
        slips.render_register(agency=agency_, date_from=today, date_to=today)
    assert error.value.code == "too_many"
