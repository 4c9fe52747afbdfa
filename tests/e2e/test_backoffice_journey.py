"""Issue "Agency back office": the one-stop loop through the real pages, in Chromium against
the live portal with the demo data (`manage.py load_demo`): the citizen submits; the demo
officers of Sở Lao động - Thương binh và Xã hội log in for the first time (password, then a
TOTP authenticator enrolled from the QR page's secret, recovery codes) and take the dossier
from "Mới nộp" to "Đã trả kết quả"; the citizen follows it, supplements it, downloads the
receipt slip and the electronic result; messages go to a real SMTP server and SMS gateway.
An officer of Sở Ngoại vụ never sees the dossier.
"""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import (
    LDTBXH,
    act,
    applicant_account,
    button,
    fact,
    field,
    load_demo,
    officer_page,
    open_from_inbox,
    pdf_file,
    person,
    png_file,
    settled,
    status_tag,
    submit_khai_bao,
    words_cut_in_cells,
)

RECEIPT_SLIP = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
SUPPLEMENT_SLIP = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
MISSING = "Bản sao Giấy chứng nhận kết quả kiểm định của cầu trục (bản rõ nét)"
SUPPLEMENT_NOTE = "Bản chụp giấy chứng nhận kiểm định bị mờ, không đọc được số chế tạo."


@pytest.fixture(autouse=True)
def demo(portal, settings, tmp_path):
    """`manage.py load_demo`: the catalogue and the demo staff (password Demo@2026)."""
    load_demo(settings, tmp_path / "media")


def download(page: Page, link) -> tuple[bytes, str]:
    """Click a link that downloads a file: its bytes and the name the browser would save."""
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return path.read_bytes(), info.value.suggested_filename


def test_one_stop_loop_from_submission_to_result(new_page, portal, shot, tmp_path, page_problems):
    """Issue 5's loop: submit → "Yêu cầu bổ sung" → "Nộp bổ sung" → "Tiếp nhận" (the
    appointment date, the receipt slip) → "Chuyển xử lý" → "Trình phê duyệt" → "Phê duyệt"
    → "Trả kết quả" → the citizen downloads the level-4 result; Sở Ngoại vụ sees nothing."""
    from dichvucong.core import calendar
    from dichvucong.dossiers.models import Attachment, Dossier

    who = person("Nguyễn Văn An", birth=dt.date(1986, 5, 19))
    applicant_account(who)
    citizen = new_page()
    code = submit_khai_bao(citizen, portal, who, tmp_path)
    dossier = Dossier.objects.get(code=code)
    shot(citizen, "Công dân: nộp hồ sơ thành công")

    # Reception's first login: password, TOTP enrolment, recovery codes, the inbox.
    reception = officer_page(new_page, portal, "tiepnhan.ldtbxh", shot)
    inbox_row = reception.get_by_role("row").filter(has_text=code)
    expect(inbox_row).to_contain_text("Mới nộp, chờ tiếp nhận")
    expect(inbox_row).to_contain_text(who.full_name)
    shot(reception, "Tiếp nhận: hồ sơ của đơn vị")
    inbox_row.get_by_role("link", name=code).click()
    expect(reception.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    settled(reception)
    expect(status_tag(reception)).to_have_text("Mới nộp, chờ tiếp nhận")
    expect(reception.get_by_text("giay-kiem-dinh-mo.png", exact=False).first).to_be_visible()
    shot(reception, "Tiếp nhận: trang hồ sơ")

    # "Yêu cầu bổ sung" with what to add and why.
    act(
        reception,
        "Yêu cầu bổ sung",
        **{"Giấy tờ cần bổ sung": MISSING, "Nội dung": SUPPLEMENT_NOTE},
    )
    expect(status_tag(reception)).to_have_text("Yêu cầu bổ sung hồ sơ")
    shot(reception, "Tiếp nhận: đã yêu cầu bổ sung")

    # The citizen is told by SMS and email, and sees exactly what to add on the dossier page.
    sms = portal.sms.wait_for(to=who.phone_normalised, contains="cần bổ sung")
    assert code in sms.text, sms.text
    email = portal.smtp.wait_for(to=who.email, contains="bổ sung, hoàn thiện")
    assert email.subject.startswith(f"Yêu cầu bổ sung, hoàn thiện hồ sơ {code}"), email.subject
    assert f"- {MISSING}" in email.body, email.body
    assert SUPPLEMENT_NOTE in email.body, email.body
    citizen.goto(portal.at(f"/ho-so/{dossier.pk}/"))
    expect(status_tag(citizen)).to_have_text("Yêu cầu bổ sung hồ sơ")
    request = citizen.get_by_role("region", name="Cơ quan yêu cầu bổ sung hồ sơ")
    expect(request).to_contain_text(SUPPLEMENT_NOTE)
    expect(request.get_by_role("listitem")).to_have_text([MISSING])
    expect(citizen.get_by_role("link", name=f"{SUPPLEMENT_SLIP} (PDF)")).to_be_visible()
    shot(citizen, "Công dân: cơ quan yêu cầu bổ sung")
    field(request, "Giấy tờ bổ sung").set_input_files(
        str(png_file(tmp_path, "giay-kiem-dinh-cau-truc.png", 32))
    )
    field(request, "Nội dung").fill("Đã chụp lại giấy chứng nhận kiểm định của cầu trục.")
    button(request, "Nộp bổ sung").click()
    expect(citizen.get_by_text("Đã nộp bổ sung. Cán bộ sẽ kiểm tra lại hồ sơ.")).to_be_visible()
    expect(status_tag(citizen)).to_have_text("Mới nộp, chờ tiếp nhận")
    expect(citizen.get_by_role("link", name="giay-kiem-dinh-cau-truc.png")).to_be_visible()
    shot(citizen, "Công dân: đã nộp bổ sung")

    # Reception sees the new round and receives the dossier.
    reception.reload()
    settled(reception)
    expect(status_tag(reception)).to_have_text("Mới nộp, chờ tiếp nhận")
    supplement = reception.locator("figcaption").filter(has_text="Bổ sung lần 1")
    expect(supplement).to_contain_text("giay-kiem-dinh-cau-truc.png")
    act(reception, "Tiếp nhận", **{"Nội dung": "Hồ sơ đầy đủ, hợp lệ."})
    expect(status_tag(reception)).to_have_text("Đã tiếp nhận")
    dossier.refresh_from_db()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    expect(fact(reception, "Hạn trả kết quả")).to_contain_text(due)
    # 5 working days from the day counting starts (today, or the next working day after the
    # cut-off hour or on a day off): counted from today as the working-day calendar says
    left = calendar.working_days_left(dossier.due_at)
    assert left in (5, 6), left
    expect(fact(reception, "Hạn trả kết quả")).to_contain_text(f"còn {left} ngày làm việc")
    shot(reception, "Tiếp nhận: đã tiếp nhận")

    # The citizen: the appointment date, by SMS too, and the receipt slip as a PDF.
    portal.sms.wait_for(to=who.phone_normalised, contains=f"Ngày hẹn trả kết quả: {due}")
    citizen.reload()
    expect(status_tag(citizen)).to_have_text("Đã tiếp nhận")
    expect(fact(citizen, "Ngày hẹn trả kết quả")).to_have_text(due)
    shot(citizen, "Công dân: ngày hẹn trả kết quả")
    # (served inline, so that the browser shows it to print; fetched with the citizen's
    # session as the browser would)
    slip_link = citizen.get_by_role("link", name=f"{RECEIPT_SLIP} (PDF)")
    slip = citizen.request.get(portal.at(slip_link.get_attribute("href")))
    assert slip.status == 200
    assert slip.headers["content-type"] == "application/pdf"
    assert f'filename="receipt-{code}.pdf"' in slip.headers["content-disposition"]
    assert slip.body().startswith(b"%PDF-"), slip.body()[:20]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=slip.body(), capture_output=True, check=True
    ).stdout.decode()
    assert RECEIPT_SLIP.upper() in text.upper(), text
    assert code in text, text
    assert due in text, text

    # Reception hands it to the handling officer.
    act(reception, "Chuyển xử lý", **{"Người xử lý": "Hoàng Văn Nam"})
    expect(status_tag(reception)).to_have_text("Đang xử lý")
    expect(fact(reception, "Người xử lý")).to_have_text("Hoàng Văn Nam")
    shot(reception, "Tiếp nhận: đã chuyển xử lý")

    # The handling officer (own enrolment) proposes a draft result.
    handler = officer_page(new_page, portal, "chuyenvien.ldtbxh", shot)
    open_from_inbox(handler, code)
    expect(status_tag(handler)).to_have_text("Đang xử lý")
    draft = pdf_file(tmp_path, "xac-nhan-khai-bao-thiet-bi.pdf", "Van ban xac nhan khai bao")
    act(
        handler,
        "Trình phê duyệt",
        **{"Nội dung": "Đề nghị xác nhận việc khai báo.", "Tệp kết quả": draft},
    )
    expect(status_tag(handler)).to_have_text("Chờ phê duyệt")
    expect(handler.get_by_role("link", name="xac-nhan-khai-bao-thiet-bi.pdf")).to_be_visible()
    shot(handler, "Chuyên viên: đã trình phê duyệt")

    # The leader approves: the draft becomes the result.
    leader = officer_page(new_page, portal, "lanhdao.ldtbxh", shot)
    open_from_inbox(leader, code)
    expect(status_tag(leader)).to_have_text("Chờ phê duyệt")
    act(leader, "Phê duyệt", **{"Nội dung": "Đồng ý."})
    expect(status_tag(leader)).to_have_text("Đã có kết quả")
    shot(leader, "Lãnh đạo: đã phê duyệt")

    # Reception returns the result.
    reception.reload()
    settled(reception)
    act(reception, "Trả kết quả")
    expect(status_tag(reception)).to_have_text("Đã trả kết quả")
    expect(reception.get_by_text("Thao tác", exact=True)).to_have_count(0)
    shot(reception, "Tiếp nhận: đã trả kết quả")

    # The citizen: "Đã trả kết quả" and, level 4, the electronic result to download.
    portal.sms.wait_for(to=who.phone_normalised, contains="đã trả kết quả")
    citizen.reload()
    expect(status_tag(citizen)).to_have_text("Đã trả kết quả")
    result_link = citizen.get_by_role("link", name="Tải kết quả: xac-nhan-khai-bao-thiet-bi.pdf")
    expect(result_link).to_be_visible()
    shot(citizen, "Công dân: đã trả kết quả")
    content, name = download(citizen, result_link)
    assert name == "xac-nhan-khai-bao-thiet-bi.pdf"
    assert content == draft.read_bytes()
    assert Attachment.objects.filter(dossier=dossier, kind="result").count() == 1
    timeline = citizen.get_by_role("region", name="Quá trình giải quyết").locator("li strong")
    expect(timeline).to_have_text(
        [
            "Mới nộp, chờ tiếp nhận",
            "Yêu cầu bổ sung hồ sơ",
            "Mới nộp, chờ tiếp nhận",
            "Đã tiếp nhận",
            "Đang xử lý",
            "Chờ phê duyệt",
            "Đã có kết quả",
            "Đã trả kết quả",
        ]
    )

    # An officer of Sở Ngoại vụ: not in the inbox, 404 on the dossier's page and files.
    page_problems.ignore(r"status of 404")
    other = officer_page(new_page, portal, "tiepnhan.ngoaivu")
    expect(other.get_by_text("Sở Ngoại vụ").first).to_be_visible()
    expect(other.get_by_role("link", name=code)).to_have_count(0)
    other.goto(portal.at(f"/can-bo/?q={code}&trang_thai=returned"))
    expect(other.get_by_text("Không có hồ sơ nào.")).to_be_visible()
    response = other.goto(portal.at(f"/can-bo/ho-so/{dossier.pk}/"))
    assert response.status == 404
    shot(other, "Sở Ngoại vụ: không thấy hồ sơ của Sở LĐTBXH")
    for attachment in Attachment.objects.filter(dossier=dossier):
        assert other.goto(portal.at(f"/can-bo/tep/{attachment.pk}/")).status == 404
    assert other.goto(portal.at(f"/can-bo/ho-so/{dossier.pk}/phieu/receipt/")).status == 404
    assert LDTBXH not in other.content()

    # The officers read the declaration on their page: the machines table is readable (no
    # word of a cell cut into letters to squeeze it beside a long label).
    assert words_cut_in_cells(reception, "dl.answers table th, dl.answers table td") == []
