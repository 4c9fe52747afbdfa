"""Issue "Foundation and citizen accounts": the user guide's §I (registration) and §II Bước 1
(login), done in Chromium against the live portal, with email over real SMTP and SMS over a
real HTTP gateway.
"""

import datetime as dt
import re

from playwright.sync_api import Page, expect

from .journeys import (
    button,
    email_code_and_link,
    expect_logged_in,
    expect_registered,
    field,
    fill_registration,
    login,
    logout,
    no_horizontal_scroll,
    open_home,
    open_login,
    open_registration,
    person,
    sms_code,
    submit_registration,
    tab_to,
)


def test_register_verify_and_log_in(page: Page, portal, shot):
    """A citizen registers, verifies email by link and phone by SMS code, then logs in with
    the ID number and with the phone number."""
    who = person("Nguyễn Văn An", birth=dt.date(1990, 8, 15), phone="0912 345 678")
    assert who.id_number.startswith("070090")

    # §I Bước 1–2: the portal, then "Đăng ký".
    open_home(page, portal.url)
    shot(page, "Trang chủ")
    open_registration(page)
    expect(page).to_have_url(portal.at("/tai-khoan/dang-ky/"))
    shot(page, "Trang đăng ký")

    # Bước 3–5: fill the form, press "Đăng ký", "Hoàn tất đăng ký".
    fill_registration(page, who)
    shot(page, "Đã điền thông tin đăng ký")
    submit_registration(page)
    expect_registered(page, who)
    sent_to = page.get_by_text("Chúng tôi đã gửi mã xác thực")
    expect(sent_to).to_contain_text(who.phone_normalised[-2:])
    expect(sent_to).not_to_contain_text(who.phone_normalised)  # masked
    expect(sent_to).not_to_contain_text(who.email)
    shot(page, "Hoàn tất đăng ký")

    # The verification email arrived over SMTP, with a 6-digit code and a link to this portal.
    code, link = email_code_and_link(portal.smtp, who)
    assert re.fullmatch(r"\d{6}", code)
    assert link.startswith(portal.url)

    # The link shows a button first; pressing "Xác thực" verifies the address.
    page.goto(link)
    expect(page.get_by_role("heading", name="Xác thực thư điện tử")).to_be_visible()
    shot(page, "Liên kết xác thực thư điện tử")
    button(page, "Xác thực").click()
    expect(page.get_by_text("Thư điện tử của bạn đã được xác thực.")).to_be_visible()
    expect(page.get_by_role("heading", name="Thông tin tài khoản")).to_be_visible()
    email_row = page.locator("dd", has_text=who.email)
    expect(email_row).to_contain_text("đã xác thực")
    expect(email_row).not_to_contain_text("chưa xác thực")
    phone_row = page.locator("dd", has_text=who.phone_normalised)
    expect(phone_row).to_contain_text("chưa xác thực")
    shot(page, "Thư điện tử đã xác thực")

    # The SMS reached the gateway with the bearer token; its code verifies the phone.
    sms = portal.sms.wait_for(to=who.phone_normalised)
    assert sms.headers.get("Authorization") == f"Bearer {portal.sms.token}"
    page.goto(portal.at("/tai-khoan/xac-thuc/"))
    expect(page.get_by_role("heading", name="Xác thực tài khoản")).to_be_visible()
    shot(page, "Trang xác thực tài khoản")
    field(page, "Mã xác thực").fill(sms_code(portal.sms, who))
    button(page, "Xác thực").click()
    expect(page.get_by_text("Số điện thoại của bạn đã được xác thực.")).to_be_visible()
    expect(page.locator("dd", has_text=who.phone_normalised)).not_to_contain_text("chưa xác thực")
    expect(page.get_by_role("region", name="Tài khoản chưa xác thực")).to_have_count(0)
    shot(page, "Số điện thoại đã xác thực")

    # §II Bước 1 with the ID number.
    logout(page)
    shot(page, "Đã đăng xuất")
    open_login(page)
    shot(page, "Trang đăng nhập")
    login(page, who.id_number, who.password)
    expect_logged_in(page)
    expect(page).to_have_url(portal.at("/"))
    shot(page, "Đã đăng nhập bằng số CCCD")

    # And with the phone number.
    logout(page)
    open_login(page)
    login(page, who.phone_normalised, who.password)
    expect_logged_in(page)
    shot(page, "Đã đăng nhập bằng số điện thoại")
    assert len(portal.smtp.find(to=who.email)) == 1
    assert len(portal.sms.find(to=who.phone_normalised)) == 1


def test_registration_errors_are_summarised_and_input_kept(page: Page, portal, shot):
    """A wrong "Nhập lại mật khẩu" and a bad phone: the summary at the top links to both
    fields, each error sits next to its field, and what was typed is kept (not passwords)."""
    who = person("Trần Thị Bình", birth=dt.date(1985, 3, 2), female=True)
    open_home(page, portal.url)
    open_registration(page)
    fill_registration(page, who, password2="mật khẩu khác hẳn 2026")
    field(page, "Số điện thoại").fill("12345")
    shot(page, "Thông tin sai")
    submit_registration(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Vui lòng kiểm tra lại thông tin")
    expect(summary).to_be_focused()
    phone_link = summary.get_by_role("link", name=re.compile("Số điện thoại di động không hợp lệ"))
    password_link = summary.get_by_role("link", name="Mật khẩu nhập lại không khớp.")
    expect(phone_link).to_have_attribute("href", "#id_phone")
    expect(password_link).to_have_attribute("href", "#id_password2")
    expect(summary.get_by_role("link")).to_have_count(2)
    shot(page, "Tóm tắt lỗi")

    # Errors next to their fields, tied to the inputs.
    phone = field(page, "Số điện thoại")
    password2 = field(page, "Nhập lại mật khẩu")
    expect(page.locator("#id_phone-error")).to_contain_text("Số điện thoại di động không hợp lệ")
    expect(page.locator("#id_password2-error")).to_contain_text("Mật khẩu nhập lại không khớp.")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_attribute("aria-describedby", re.compile(r"\bid_phone-error\b"))
    expect(password2).to_have_attribute("aria-invalid", "true")

    # Typed values kept; passwords never sent back.
    expect(field(page, "Họ và tên")).to_have_value(who.full_name)
    expect(field(page, "Số CMND/CCCD/Hộ chiếu")).to_have_value(who.id_number)
    expect(field(page, "Ngày sinh")).to_have_value(who.birth_date)
    expect(field(page, "Thư điện tử")).to_have_value(who.email)
    expect(phone).to_have_value("12345")
    expect(field(page, "Mật khẩu")).to_have_value("")
    expect(password2).to_have_value("")
    expect(page.get_by_label("Tôi đồng ý với điều khoản sử dụng")).to_be_checked()

    # The summary's link leads to the field.
    phone_link.click()
    expect(page).to_have_url(re.compile(r"#id_phone$"))
    expect(phone).to_be_in_viewport()
    shot(page, "Lỗi cạnh trường nhập")

    # Correcting the two fields is enough to finish.
    phone.fill(who.phone)
    field(page, "Mật khẩu").fill(who.password)
    password2.fill(who.password)
    submit_registration(page)
    expect_registered(page, who)
    shot(page, "Hoàn tất đăng ký sau khi sửa")
    assert len(portal.smtp.find(to=who.email)) == 1


def test_registration_on_a_phone_screen(mobile_page: Page, portal, shot):
    """At 360x740 the pages never scroll sideways, and the emailed code verifies the account
    from the "Hoàn tất đăng ký" page."""
    page = mobile_page
    who = person("Lê Hoàng Cường", birth=dt.date(2001, 1, 20))
    open_home(page, portal.url)
    no_horizontal_scroll(page)
    shot(page, "Trang chủ trên điện thoại")
    page.get_by_role("link", name="Đăng ký").first.tap()
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "Trang đăng ký trên điện thoại")
    fill_registration(page, who)
    shot(page, "Đã điền thông tin đăng ký")
    button(page, "Đăng ký").tap()
    expect_registered(page, who)
    no_horizontal_scroll(page)
    shot(page, "Hoàn tất đăng ký")

    code, _link = email_code_and_link(portal.smtp, who)
    field(page, "Mã xác thực").fill(code)
    button(page, "Xác thực").tap()
    expect(page.get_by_text("Thư điện tử của bạn đã được xác thực.")).to_be_visible()
    expect(page.locator("dd", has_text=who.email)).not_to_contain_text("chưa xác thực")
    no_horizontal_scroll(page)
    shot(page, "Thông tin tài khoản")

    # A failed login keeps the layout too.
    logout(page)
    open_login(page)
    login(page, who.id_number, "sai mật khẩu rồi")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    no_horizontal_scroll(page)
    shot(page, "Đăng nhập sai")
    login(page, who.id_number, who.password)
    expect_logged_in(page)


def test_registration_and_login_without_javascript(new_page, portal, shot):
    """Every step works with JavaScript off: register, verify by SMS code, log in by email."""
    page = new_page(java_script_enabled=False)
    who = person("Phạm Minh Đức", birth=dt.date(1978, 11, 30))
    open_home(page, portal.url)
    open_registration(page)
    shot(page, "Trang đăng ký không có JavaScript")
    fill_registration(page, who)
    submit_registration(page)
    expect_registered(page, who)
    shot(page, "Hoàn tất đăng ký")

    field(page, "Mã xác thực").fill(sms_code(portal.sms, who))
    button(page, "Xác thực").click()
    expect(page.get_by_text("Số điện thoại của bạn đã được xác thực.")).to_be_visible()
    shot(page, "Số điện thoại đã xác thực")

    logout(page)
    open_login(page)
    login(page, who.email, who.password)
    expect_logged_in(page)
    shot(page, "Đã đăng nhập bằng thư điện tử")


def test_registration_with_the_keyboard_only(page: Page, portal, shot):
    """No mouse: the skip link, Tab to each field, Space for the terms, Enter to submit."""
    who = person("Võ Thị Diệu", birth=dt.date(1995, 6, 1), female=True)
    page.goto(portal.url)

    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    shot(page, "Liên kết chuyển đến nội dung chính")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    register_entry = page.locator("main").get_by_role("link", name="Đăng ký")
    tab_to(page, register_entry)
    shot(page, "Chọn Đăng ký bằng bàn phím")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for label, value in [
        ("Họ và tên", who.full_name),
        ("Số CMND/CCCD/Hộ chiếu", who.id_number),
        ("Ngày sinh", who.birth_date),
        ("Số điện thoại", who.phone),
        ("Thư điện tử", who.email),
        ("Mật khẩu", who.password),
        ("Nhập lại mật khẩu", who.password),
    ]:
        tab_to(page, field(page, label))
        page.keyboard.type(value)
    terms = page.get_by_label("Tôi đồng ý với điều khoản sử dụng")
    tab_to(page, terms)
    page.keyboard.press("Space")
    expect(terms).to_be_checked()
    submit = button(page, "Đăng ký")
    tab_to(page, submit)
    shot(page, "Đã điền bằng bàn phím")
    page.keyboard.press("Enter")
    expect_registered(page, who)
    shot(page, "Hoàn tất đăng ký")

    # The SMS code typed into "Mã xác thực", Enter submits.
    tab_to(page, field(page, "Mã xác thực"))
    page.keyboard.type(sms_code(portal.sms, who))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Số điện thoại của bạn đã được xác thực.")).to_be_visible()
    shot(page, "Đã xác thực bằng bàn phím")


def test_forgotten_password_by_sms(page: Page, portal, shot):
    """ "Quên mật khẩu?": a code by SMS, a new password, and the new password logs in."""
    from dichvucong.accounts.tests.factories import citizen

    who = person("Hoàng Văn Em", birth=dt.date(1969, 9, 2))
    citizen(
        full_name=who.full_name,
        id_number=who.id_number,
        birth_date=dt.date(1969, 9, 2),
        phone=who.phone_normalised,
        email=who.email,
        password=who.password,
    )
    new_password = "Sóc Bom Bo mùa lúa mới 1965"

    open_home(page, portal.url)
    open_login(page)
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", name="Quên mật khẩu")).to_be_visible()
    field(page, "Tên đăng nhập").fill(who.id_number)
    page.get_by_label("Tin nhắn SMS").check()
    shot(page, "Quên mật khẩu")
    button(page, "Gửi mã").click()

    expect(page.get_by_role("heading", name="Đặt lại mật khẩu")).to_be_visible()
    expect(page.get_by_text("mã đặt lại mật khẩu đã được gửi")).to_be_visible()
    expect(field(page, "Tên đăng nhập")).to_have_value(who.id_number)
    code = sms_code(portal.sms, who, contains="đặt lại mật khẩu")
    field(page, "Mã xác thực").fill(code)
    field(page, "Mật khẩu mới").fill(new_password)
    field(page, "Nhập lại mật khẩu mới").fill(new_password)
    shot(page, "Đặt lại mật khẩu")
    button(page, "Đặt lại mật khẩu").click()

    expect(page.get_by_text("Đã đặt lại mật khẩu.")).to_be_visible()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "Đăng nhập sau khi đặt lại")
    login(page, who.id_number, who.password)
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    login(page, who.id_number, new_password)
    expect_logged_in(page)
    shot(page, "Đã đăng nhập bằng mật khẩu mới")
    assert portal.smtp.find(to=who.email, contains="Đặt lại mật khẩu") == []
