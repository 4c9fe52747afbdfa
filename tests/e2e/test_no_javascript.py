"""Issue 9, weak links: the core of the guides with JavaScript switched off in the browser.

One citizen, no script at all: registers and verifies the phone with the SMS code (§I),
logs in, searches the catalogue where "Lĩnh vực" follows "Đơn vị" after a reload, submits
Sở Ngoại vụ's consular certification with its documents (§II), and looks the dossier up
(§III). The pages keep their layout on a phone-sized screen too.
"""

import datetime as dt
import re

from playwright.sync_api import Page, expect

from .a11y import expect_no_horizontal_scroll
from .conftest import MOBILE
from .journeys import (
    LANH_SU,
    NGOAI_VU,
    NGOAI_VU_CODE,
    button,
    expect_completion,
    expect_logged_in,
    expect_messages,
    expect_registered,
    field,
    fill_lanh_su,
    fill_registration,
    load_demo,
    login,
    logout,
    nav_link,
    open_home,
    open_login,
    open_registration,
    person,
    sms_code,
    submit_registration,
)


def field_options(page: Page) -> list[str]:
    return [t.strip() for t in field(page, "Lĩnh vực").locator("option").all_inner_texts()]


def test_register_search_submit_and_look_up_without_javascript(
    new_page, portal, settings, shot, tmp_path
):
    """JavaScript off: registration, the catalogue's filters by reload, the submission and
    the public lookup all work, on a 360×740 screen."""
    from dichvucong.catalog.models import Field

    load_demo(settings, tmp_path / "media")
    page = new_page(java_script_enabled=False, **MOBILE)
    who = person("Đinh Thị Hạnh", birth=dt.date(1975, 12, 1), female=True)

    def step(name: str) -> None:
        expect_no_horizontal_scroll(page)
        shot(page, name)

    # §I: register, then the SMS code typed on "Hoàn tất đăng ký".
    open_home(page, portal.url)
    open_registration(page)
    step("Đăng ký không có JavaScript")
    fill_registration(page, who)
    submit_registration(page)
    expect_registered(page, who)
    field(page, "Mã xác thực").fill(sms_code(portal.sms, who))
    button(page, "Xác thực").click()
    expect(page.get_by_text("Số điện thoại của bạn đã được xác thực.")).to_be_visible()
    step("Đã xác thực số điện thoại")
    logout(page)
    open_login(page)
    login(page, who.id_number, who.password)
    expect_logged_in(page)

    # §II Bước 2–4: the agency first; "Tìm kiếm" reloads the page and "Lĩnh vực" then lists
    # only that agency's fields.
    nav_link(page, "Thủ tục hành chính").click()
    expect(page.get_by_text("nhấn “Tìm kiếm” để danh sách lĩnh vực")).to_be_visible()
    every_field = field_options(page)
    field(page, "Đơn vị").select_option(label=NGOAI_VU)
    assert field_options(page) == every_field  # no script rebuilt the list: it is off
    button(page, "Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"don_vi=" + re.escape(NGOAI_VU_CODE)))
    own = sorted(Field.objects.filter(agency__code=NGOAI_VU_CODE).values_list("name", flat=True))
    assert field_options(page)[0] == every_field[0] == "Tất cả lĩnh vực"
    assert sorted(field_options(page)[1:]) == own
    assert Field.objects.exclude(agency__code=NGOAI_VU_CODE).exists()  # others left out
    step("Lĩnh vực của Sở Ngoại vụ sau khi tải lại")
    field(page, "Lĩnh vực").select_option(label="Công tác lãnh sự")
    button(page, "Tìm kiếm").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Tìm thấy 3 thủ tục"))).to_be_visible()
    step("Kết quả tìm kiếm không có JavaScript")
    row = page.locator(".procedure-item").filter(
        has=page.get_by_role("link", name=LANH_SU, exact=True)
    )
    row.get_by_role("link", name=re.compile(r"^Nộp hồ sơ")).click()

    # Bước 5–7: the level, the form with its documents, the review, the completion.
    expect(page.get_by_label(re.compile(r"^Mức độ 3"))).to_be_checked()
    button(page, "Tiếp tục").click()
    fill_lanh_su(page, tmp_path)
    step("Tờ khai không có JavaScript")
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    button(page, "Nộp hồ sơ").click()
    code = expect_completion(page, NGOAI_VU_CODE)
    step("Nộp hồ sơ thành công không có JavaScript")
    expect_messages(portal, who, code, NGOAI_VU)

    # §III: "Tra cứu hồ sơ" by the code.
    nav_link(page, "Tra cứu hồ sơ").click()
    field(page, "Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu").fill(code)
    button(page, "Tra cứu").click()
    found = page.get_by_role("region", name="Kết quả tra cứu").locator("article")
    expect(found).to_have_count(1)
    expect(found.locator("dt:text-is('Trạng thái') + dd")).to_have_text("Mới nộp, chờ tiếp nhận")
    step("Tra cứu không có JavaScript")
