"""Issue 9: the submission with the keyboard only (Tab, Enter, Space, typing), as someone who
cannot use a mouse does it; the registration has its own keyboard journey in
test_registration_journey.py. The focused element is always visibly outlined."""

import datetime as dt
import re

from playwright.sync_api import Page, expect

from .journeys import (
    LANH_SU,
    LANH_SU_COMPONENTS,
    NGOAI_VU_CODE,
    applicant_account,
    button,
    expect_completion,
    expect_logged_in,
    field,
    key_in,
    load_demo,
    pdf_file,
    person,
    tab_to,
)


def focus_is_visible(page: Page) -> None:
    """The focused element shows an outline (or a ring drawn with a shadow)."""
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, s.outlineWidth, s.boxShadow];
        }"""
    )
    outline, width, shadow = style
    assert (outline != "none" and width != "0px") or shadow != "none", style


def press_enter_on(page: Page, target) -> None:
    tab_to(page, target)
    focus_is_visible(page)
    page.keyboard.press("Enter")


def test_submission_with_the_keyboard_only(page: Page, portal, settings, shot, tmp_path):
    """Log in, open the procedure's "Nộp hồ sơ", the level, every field of the declaration
    and the four documents, "Nộp hồ sơ" twice: Tab, Enter, Space and typing only."""
    from dichvucong.catalog.models import Procedure
    from dichvucong.dossiers.models import Dossier

    load_demo(settings, tmp_path / "media")
    who = person("Bùi Văn Khánh", birth=dt.date(1983, 7, 27))
    account = applicant_account(who)
    procedure = Procedure.objects.get(name=LANH_SU)

    page.goto(portal.at(f"/tai-khoan/dang-nhap/?next=/thu-tuc/{procedure.pk}/"))
    key_in(page, field(page, "Tên đăng nhập"), who.id_number)
    key_in(page, field(page, "Mật khẩu"), who.password)
    page.keyboard.press("Enter")
    expect_logged_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(LANH_SU)

    press_enter_on(page, page.get_by_role("link", name="Nộp hồ sơ", exact=True).first)
    expect(page.get_by_label(re.compile(r"^Mức độ 3"))).to_be_checked()
    shot(page, "Chọn mức độ bằng bàn phím")
    press_enter_on(page, button(page, "Tiếp tục"))
    expect(page).to_have_url(re.compile(r"/ho-so/\d+/to-khai/$"))

    # The fields in the order Tab reaches them.
    key_in(page, field(page, "Địa chỉ liên hệ"), "Tỉnh Đồng Nai")
    key_in(page, field(page, "Xã/phường/đặc khu"), "Phường Đồng Xoài")
    key_in(page, field(page, "Số nhà, đường, thôn/ấp/tổ"), "Số 5 Hùng Vương")
    for column, value in {
        "Tên giấy tờ, tài liệu": "Bằng tốt nghiệp đại học",
        "Cơ quan, tổ chức cấp": "Trường Đại học Bình Dương",
        "Ngày cấp": "15/07/2012",
        "Số bản": "2",
    }.items():
        key_in(page, page.get_by_label(f"{column}, dòng 1", exact=True), value)
    key_in(page, field(page, "Nước sử dụng giấy tờ"), "Nhật Bản")
    key_in(page, field(page, "Mục đích sử dụng"), "Du học")
    key_in(
        page,
        field(page, "Hình thức nhận kết quả"),
        "Nhận trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh",
    )
    key_in(page, page.get_by_label(re.compile(r"^Tôi xin cam đoan")), True)
    for number, component in enumerate(LANH_SU_COMPONENTS, start=1):
        document = pdf_file(tmp_path, f"giay-to-{number}.pdf", f"Giay to {number}")
        key_in(page, field(page, component).and_(page.locator("input[type=file]")), document)
    shot(page, "Tờ khai điền bằng bàn phím")

    press_enter_on(page, button(page, "Nộp hồ sơ"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    press_enter_on(page, button(page, "Nộp hồ sơ"))
    code = expect_completion(page, NGOAI_VU_CODE)
    shot(page, "Nộp hồ sơ thành công bằng bàn phím")
    dossier = Dossier.objects.get(applicant=account)
    assert dossier.code == code
    assert dossier.attachments.count() == 4
    assert "Nhật Bản" in dossier.form_data.values()  # what was typed was kept
