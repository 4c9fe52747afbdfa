"""Issue 9: the two user guides as one story, end to end, in Chromium against the live portal
with the demo data of Bình Phước, the messages read from the real SMTP server and SMS gateway.

For Sở Ngoại vụ and then for Sở Lao động - Thương binh và Xã hội, a new citizen:
registers (§I), verifies the account (SMS code for one, the emailed link for the other), logs
in (§II Bước 1), finds the procedure through "Thủ tục hành chính" → "Đơn vị" → "Lĩnh vực" →
"Tìm kiếm" → "Nộp hồ sơ" (Bước 2–5), fills the declaration and attaches the scanned
documents (Bước 6), submits (Bước 7) and follows the dossier in "Hồ sơ của bạn". The demo
officers of that agency (first login with their TOTP authenticator) ask for a supplement; the
citizen is told by SMS, email and "Thông báo", and supplements; the officers receive,
process, approve and return the result; the citizen rates the service; anyone finds the
dossier with "Tra cứu hồ sơ" (§III).

The whole story runs on a desktop and on a 360×740 phone (the officers work at a desk in
both). Every page the citizen or an officer meets is photographed (var/screenshots/), scanned
with axe-core (no serious or critical violation) and checked for sideways scrolling.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .a11y import expect_accessible, expect_no_horizontal_scroll
from .conftest import DESKTOP, MOBILE
from .journeys import (
    ATVSLD,
    KHAI_BAO,
    KHAI_BAO_COMPONENTS,
    LANH_SU,
    LDTBXH,
    LDTBXH_CODE,
    NGOAI_VU,
    NGOAI_VU_CODE,
    Person,
    act,
    attach,
    button,
    email_code_and_link,
    expect_completion,
    expect_logged_in,
    expect_messages,
    expect_registered,
    fact,
    field,
    fill_khai_bao,
    fill_lanh_su,
    fill_registration,
    load_demo,
    login,
    logout,
    my_dossiers,
    nav_link,
    officer_page,
    open_from_inbox,
    open_home,
    open_login,
    open_registration,
    pdf_file,
    person,
    png_file,
    settled,
    sms_code,
    status_tag,
    submit_registration,
)


@dataclass(frozen=True)
class Guide:
    """What differs between the two guides' stories."""

    agency: str
    agency_code: str
    field: str  # "Lĩnh vực"
    procedure: str
    results_heading: re.Pattern  # "Tìm thấy … thủ tục"
    level: int
    staff: str  # the demo accounts' suffix
    handler: str  # the handling officer's name in "Người xử lý"
    fill: Callable  # (page, tmp_path) -> None: the declaration and the documents
    verify_by_sms: bool  # else by the emailed link


def fill_khai_bao_and_attach(page: Page, tmp_path) -> None:
    fill_khai_bao(page)
    attach(page, KHAI_BAO_COMPONENTS[0], pdf_file(tmp_path, "phieu-khai-bao.pdf"))
    attach(page, KHAI_BAO_COMPONENTS[1], png_file(tmp_path, "giay-kiem-dinh.png"))


GUIDES = {
    "ngoai-vu": Guide(
        agency=NGOAI_VU,
        agency_code=NGOAI_VU_CODE,
        field="Công tác lãnh sự",
        procedure=LANH_SU,
        results_heading=re.compile(r"^Tìm thấy 3 thủ tục"),
        level=3,
        staff="ngoaivu",
        handler="Lê Minh Tuấn",
        fill=fill_lanh_su,
        verify_by_sms=True,
    ),
    "ldtbxh": Guide(
        agency=LDTBXH,
        agency_code=LDTBXH_CODE,
        field=ATVSLD,
        procedure=KHAI_BAO,
        results_heading=re.compile(r"^Tìm thấy 6 thủ tục"),
        level=4,
        staff="ldtbxh",
        handler="Hoàng Văn Nam",
        fill=fill_khai_bao_and_attach,
        verify_by_sms=False,
    ),
}
VIEWPORTS = {"desktop": DESKTOP, "phone": MOBILE}
SUPPLEMENT_NOTE = "Bản chụp giấy tờ bị mờ, đề nghị chụp lại rõ nét."
MISSING = "Bản chụp rõ nét của giấy tờ thứ hai"


@pytest.fixture(autouse=True)
def demo(portal, settings, tmp_path):
    """`manage.py load_demo`: the catalogue and the demo staff (password Demo@2026)."""
    load_demo(settings, tmp_path / "media")


@pytest.fixture
def step(shot):
    """`step(page, "Tên bước")`: the screenshot, then axe-core and no sideways scrolling."""

    def check(page: Page, name: str) -> None:
        shot(page, name)
        expect_accessible(page)
        expect_no_horizontal_scroll(page)

    return check


def register_and_verify(page: Page, portal, who: Person, guide: Guide, step) -> None:
    """§I Bước 1–5, then the account's verification with what the real servers received."""
    open_home(page, portal.url)
    step(page, "Trang chủ")
    open_registration(page)
    step(page, "Đăng ký tài khoản")
    fill_registration(page, who)
    submit_registration(page)
    expect_registered(page, who)
    step(page, "Hoàn tất đăng ký")

    code, link = email_code_and_link(portal.smtp, who)
    if guide.verify_by_sms:
        field(page, "Mã xác thực").fill(sms_code(portal.sms, who))
        button(page, "Xác thực").click()
        expect(page.get_by_text("Số điện thoại của bạn đã được xác thực.")).to_be_visible()
    else:
        assert sms_code(portal.sms, who) != code  # both channels got their own code
        page.goto(link)
        expect(page.get_by_role("heading", name="Xác thực thư điện tử")).to_be_visible()
        step(page, "Liên kết xác thực thư điện tử")
        button(page, "Xác thực").click()
        expect(page.get_by_text("Thư điện tử của bạn đã được xác thực.")).to_be_visible()
    step(page, "Tài khoản đã xác thực")
    logout(page)


def find_and_submit(page: Page, portal, who: Person, guide: Guide, step, tmp_path) -> str:
    """§II Bước 1–7: log in, find the procedure through the catalogue, submit; the code."""
    open_login(page)
    step(page, "Đăng nhập")
    login(page, who.id_number, who.password)
    expect_logged_in(page)

    nav_link(page, "Thủ tục hành chính").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    step(page, "Bước 2: Thủ tục hành chính")
    field(page, "Đơn vị").select_option(label=guide.agency)
    expect(field(page, "Lĩnh vực").locator("option", has_text=guide.field)).to_have_count(1)
    field(page, "Lĩnh vực").select_option(label=guide.field)
    button(page, "Tìm kiếm").click()
    expect(page.get_by_role("heading", name=guide.results_heading)).to_be_visible()
    step(page, "Bước 3–4: đơn vị, lĩnh vực, tìm kiếm")
    row = page.locator(".procedure-item").filter(
        has=page.get_by_role("link", name=guide.procedure, exact=True)
    )
    row.get_by_role("link", name=re.compile(r"^Nộp hồ sơ")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(guide.procedure)
    expect(page.get_by_label(re.compile(rf"^Mức độ {guide.level}"))).to_be_checked()
    step(page, "Bước 5: mức độ")
    button(page, "Tiếp tục").click()

    expect(page).to_have_url(re.compile(r"/ho-so/\d+/to-khai/$"))
    step(page, "Bước 6: tờ khai trực tuyến")
    guide.fill(page, tmp_path)
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    step(page, "Kiểm tra lại hồ sơ")
    button(page, "Nộp hồ sơ").click()
    code = expect_completion(page, guide.agency_code)
    step(page, "Bước 7: nộp hồ sơ thành công")
    expect_messages(portal, who, code, guide.agency)

    page.get_by_role("main").get_by_role("link", name="Hồ sơ của bạn").click()
    listed = my_dossiers(page).filter(has_text=code)
    expect(listed.locator(".tag")).to_have_text("Mới nộp, chờ tiếp nhận")
    step(page, "Hồ sơ của bạn")
    return code


def notifications_link(page: Page):
    return page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile(r"^Thông báo")
    )


def walk_guide(new_page, viewport: dict, portal, guide: Guide, check, tmp_path) -> None:
    from dichvucong.dossiers.models import Dossier
    from dichvucong.stats.models import Rating

    def step(page: Page, name: str) -> None:
        check(page, f"{guide.agency}: {name}")  # the gallery says which guide

    who = person(f"Nguyễn Thị {guide.staff.title()}", birth=dt.date(1991, 3, 8), female=True)
    citizen = new_page(**viewport)
    register_and_verify(citizen, portal, who, guide, step)
    code = find_and_submit(citizen, portal, who, guide, step, tmp_path)
    dossier = Dossier.objects.get(code=code)

    # The reception officer (first login: password, TOTP enrolment) asks for a supplement.
    reception = officer_page(new_page, portal, f"tiepnhan.{guide.staff}", step)
    step(reception, "Tiếp nhận: hồ sơ của đơn vị")
    open_from_inbox(reception, code)
    expect(status_tag(reception)).to_have_text("Mới nộp, chờ tiếp nhận")
    step(reception, "Tiếp nhận: trang hồ sơ")
    act(
        reception,
        "Yêu cầu bổ sung",
        **{"Giấy tờ cần bổ sung": MISSING, "Nội dung": SUPPLEMENT_NOTE},
    )
    expect(status_tag(reception)).to_have_text("Yêu cầu bổ sung hồ sơ")
    step(reception, "Tiếp nhận: đã yêu cầu bổ sung")

    # The citizen is told by SMS, email and "Thông báo"; supplements from the dossier page.
    assert code in portal.sms.wait_for(to=who.phone_normalised, contains="cần bổ sung").text
    email = portal.smtp.wait_for(to=who.email, contains="bổ sung, hoàn thiện")
    assert SUPPLEMENT_NOTE in email.body, email.body
    citizen.goto(portal.at("/"))
    notifications_link(citizen).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(citizen.locator("li", has_text="bổ sung").first).to_contain_text(code)
    step(citizen, "Thông báo: yêu cầu bổ sung")
    nav_link(citizen, "Hồ sơ của bạn").click()
    my_dossiers(citizen).filter(has_text=code).get_by_role("link", name=code).click()
    expect(status_tag(citizen)).to_have_text("Yêu cầu bổ sung hồ sơ")
    request = citizen.get_by_role("region", name="Cơ quan yêu cầu bổ sung hồ sơ")
    expect(request.get_by_role("listitem")).to_have_text([MISSING])
    step(citizen, "Cơ quan yêu cầu bổ sung")
    field(request, "Giấy tờ bổ sung").set_input_files(
        str(png_file(tmp_path, "giay-to-chup-lai.png", 32))
    )
    field(request, "Nội dung").fill("Đã chụp lại rõ nét.")
    button(request, "Nộp bổ sung").click()
    expect(citizen.get_by_text("Đã nộp bổ sung. Cán bộ sẽ kiểm tra lại hồ sơ.")).to_be_visible()
    step(citizen, "Đã nộp bổ sung")

    # Reception receives it; the appointment date reaches the citizen.
    reception.reload()
    settled(reception)
    act(reception, "Tiếp nhận", **{"Nội dung": "Hồ sơ đầy đủ, hợp lệ."})
    expect(status_tag(reception)).to_have_text("Đã tiếp nhận")
    dossier.refresh_from_db()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    portal.sms.wait_for(to=who.phone_normalised, contains=f"Ngày hẹn trả kết quả: {due}")
    act(reception, "Chuyển xử lý", **{"Người xử lý": guide.handler})
    expect(fact(reception, "Người xử lý")).to_have_text(guide.handler)
    step(reception, "Tiếp nhận: đã chuyển xử lý")

    # The handling officer proposes the result; the leader approves; reception returns it.
    handler = officer_page(new_page, portal, f"chuyenvien.{guide.staff}")
    open_from_inbox(handler, code)
    result = pdf_file(tmp_path, "ket-qua.pdf", "Ket qua giai quyet")
    act(handler, "Trình phê duyệt", **{"Nội dung": "Đề nghị phê duyệt.", "Tệp kết quả": result})
    expect(status_tag(handler)).to_have_text("Chờ phê duyệt")
    step(handler, "Chuyên viên: đã trình phê duyệt")
    leader = officer_page(new_page, portal, f"lanhdao.{guide.staff}")
    open_from_inbox(leader, code)
    act(leader, "Phê duyệt", **{"Nội dung": "Đồng ý."})
    expect(status_tag(leader)).to_have_text("Đã có kết quả")
    step(leader, "Lãnh đạo: đã phê duyệt")
    reception.reload()
    settled(reception)
    act(reception, "Trả kết quả")
    expect(status_tag(reception)).to_have_text("Đã trả kết quả")
    step(reception, "Tiếp nhận: đã trả kết quả")

    # The citizen: told, the dossier returned, the rating.
    portal.sms.wait_for(to=who.phone_normalised, contains="đã trả kết quả")
    citizen.reload()
    expect(status_tag(citizen)).to_have_text("Đã trả kết quả")
    expect(fact(citizen, "Ngày hẹn trả kết quả")).to_have_text(due)
    if guide.level == 4:
        expect(citizen.get_by_role("link", name="Tải kết quả: ket-qua.pdf")).to_be_visible()
    step(citizen, "Đã trả kết quả")
    rating = citizen.get_by_role("region", name="Đánh giá mức độ hài lòng")
    rating.get_by_label("Rất hài lòng", exact=True).check()
    field(rating, "Ý kiến của bạn").fill("Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.")
    button(rating, "Gửi đánh giá").click()
    expect(rating.get_by_text("Bạn đã đánh giá: Rất hài lòng")).to_be_visible()
    step(citizen, "Đã đánh giá mức độ hài lòng")
    assert Rating.objects.get(dossier=dossier).score == "very_satisfied"

    # §III: anyone, from "Trang chủ", "Tra cứu hồ sơ" with the code.
    visitor = new_page(**viewport)
    open_home(visitor, portal.url)
    visitor.get_by_role("main").get_by_role("link", name=re.compile("^Tra cứu hồ sơ")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Tra cứu hồ sơ")
    step(visitor, "Tra cứu hồ sơ")
    field(visitor, "Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu").fill(code)
    button(visitor, "Tra cứu").click()
    found = visitor.get_by_role("region", name="Kết quả tra cứu").locator("article")
    expect(found).to_have_count(1)
    expect(found.locator("dt:text-is('Trạng thái') + dd")).to_have_text("Đã trả kết quả")
    expect(found.locator("dt:text-is('Cơ quan giải quyết') + dd")).to_have_text(guide.agency)
    expect(found).not_to_contain_text(who.full_name)
    step(visitor, "Kết quả tra cứu")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_both_guides_end_to_end(new_page, portal, step, tmp_path, viewport):
    """Both guides, from registration to the rating and the public lookup, on this screen
    size; every page passes axe-core and never scrolls sideways."""
    for guide in GUIDES.values():
        walk_guide(new_page, VIEWPORTS[viewport], portal, guide, step, tmp_path)
