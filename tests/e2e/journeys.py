"""Steps of the user guide (seeds §I and §II Bước 1) as a person does them in the browser.

Shared by the journeys in this folder. Pages are found by what people see: link and button
names, the Vietnamese labels of DESIGN §6, headings.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

_serial = itertools.count(1)

EMAIL_CODE = re.compile(r"Mã xác thực của bạn là:\s*(\d{6})\b")
EMAIL_LINK = re.compile(r"(https?://\S+/tai-khoan/xac-thuc/email/[^\s/]+/)")
SMS_CODE = re.compile(r"Cổng DVC:\s*(\d{6})\b")


@dataclass(frozen=True)
class Person:
    """Someone registering: what they type into the form."""

    full_name: str
    id_number: str
    birth_date: str  # as typed: dd/mm/yyyy
    phone: str  # as typed
    email: str
    password: str

    @property
    def phone_normalised(self) -> str:
        """The number the portal keeps and texts (0xxxxxxxxx)."""
        digits = re.sub(r"[\s.\-()]", "", self.phone)
        return "0" + digits[3:] if digits.startswith("+84") else digits


def cccd(birth: dt.date, serial: int, *, female: bool = False) -> str:
    """A 12-digit CCCD of Bình Phước (070) consistent with the birth date and gender."""
    digit = (birth.year - 1900) // 100 * 2 + (1 if female else 0)
    return f"070{digit}{birth.year % 100:02d}{serial:06d}"


def person(
    full_name: str = "Nguyễn Văn An",
    *,
    birth: dt.date = dt.date(1990, 8, 15),
    female: bool = False,
    password: str = "Cây điều Bình Phước 2026",  # noqa: S107 - test data
    phone: str | None = None,
) -> Person:
    """A person no other test uses: distinct ID number, phone and email."""
    n = next(_serial)
    serial = 123456 + n * 1013
    return Person(
        full_name=full_name,
        id_number=cccd(birth, serial, female=female),
        birth_date=birth.strftime("%d/%m/%Y"),
        phone=phone or f"0912{n:06d}",
        email=f"cong.dan.e2e{n}@example.vn",
        password=password,
    )


def field(page: Page, label: str) -> Locator:
    """The input labelled exactly `label` (the required mark "*" is aria-hidden)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def open_home(page: Page, url: str) -> None:
    """§I Bước 1: open the portal's address."""
    page.goto(url)
    expect(page.get_by_role("link", name="Trang chủ", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")


def open_registration(page: Page) -> None:
    """§I Bước 2: "Đăng ký" (the navigation's, the first of the two links)."""
    page.get_by_role("link", name="Đăng ký").first.click()
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()


def fill_registration(page: Page, who: Person, *, password2: str | None = None) -> None:
    """§I Bước 3: the form, by its labels; tick the terms."""
    field(page, "Họ và tên").fill(who.full_name)
    field(page, "Số CMND/CCCD/Hộ chiếu").fill(who.id_number)
    field(page, "Ngày sinh").fill(who.birth_date)
    field(page, "Số điện thoại").fill(who.phone)
    field(page, "Thư điện tử").fill(who.email)
    field(page, "Mật khẩu").fill(who.password)
    field(page, "Nhập lại mật khẩu").fill(who.password if password2 is None else password2)
    page.get_by_label("Tôi đồng ý với điều khoản sử dụng").check()


def submit_registration(page: Page) -> None:
    """§I Bước 4: press "Đăng ký"."""
    button(page, "Đăng ký").click()


def expect_registered(page: Page, who: Person) -> None:
    """§I Bước 5: "Hoàn tất đăng ký", with the ID number as login name."""
    expect(page.get_by_role("heading", name="Hoàn tất đăng ký")).to_be_visible()
    expect(page.get_by_text(f"Tên đăng nhập: {who.id_number}")).to_be_visible()


def email_code_and_link(smtp, who: Person) -> tuple[str, str]:
    message = smtp.wait_for(to=who.email, contains="Mã xác thực")
    assert message.subject.startswith("Xác thực thư điện tử"), message.subject
    assert f"Kính gửi {who.full_name}" in message.body, message.body
    code = EMAIL_CODE.search(message.body)
    link = EMAIL_LINK.search(message.body)
    assert code, message.body
    assert link, message.body
    return code.group(1), link.group(1)


def sms_code(sms, who: Person, *, contains: str = "Mã xác thực") -> str:
    message = sms.wait_for(to=who.phone_normalised, contains=contains)
    match = SMS_CODE.search(message.text)
    assert match, message.text
    return match.group(1)


def logout(page: Page) -> None:
    button(page, "Đăng xuất").click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập").first).to_be_visible()
    expect(button(page, "Đăng xuất")).to_have_count(0)


def open_login(page: Page) -> None:
    page.get_by_role("link", name="Đăng nhập").first.click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def login(page: Page, login_name: str, password: str) -> None:
    """§II Bước 1: "Tên đăng nhập", "Mật khẩu", "Đăng nhập"."""
    field(page, "Tên đăng nhập").fill(login_name)
    field(page, "Mật khẩu").fill(password)
    button(page, "Đăng nhập").click()


def expect_logged_in(page: Page) -> None:
    expect(button(page, "Đăng xuất")).to_be_visible()
    expect(page.get_by_role("link", name="Tài khoản", exact=True)).to_be_visible()


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert widths[0] <= widths[1], f"horizontal scrolling on {widths[2]}: {widths[:2]}"
