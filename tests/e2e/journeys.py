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


# --- Dossiers: submission, back office, lookup (seeds §II Bước 5–7, §III) -----------------

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
NGOAI_VU = "Sở Ngoại vụ"
LDTBXH_CODE = "000.00.17.H10"
NGOAI_VU_CODE = "000.00.31.H10"
DEMO_STAFF_PASSWORD = "Demo@2026"  # the published demo password (DESIGN §6)


def load_demo(settings, media_root) -> None:
    """`manage.py load_demo` into the live server's database: the Bình Phước catalogue and the
    demo staff; the procedures' Word templates go to `media_root`."""
    import io

    from django.core.management import call_command

    settings.MEDIA_ROOT = media_root
    call_command("load_demo", stdout=io.StringIO())


def applicant_account(
    who: Person,
    *,
    organisation: str = "",
    tax_code: str = "",
    address: str = "",
):
    """A registered account whose email and phone are verified (registration has its own
    journey): a citizen, or an organisation (login name: the tax code) when `organisation`."""
    from django.utils import timezone

    from dichvucong.accounts.models import User

    now = timezone.now()
    return User.objects.create_user(
        tax_code if organisation else who.id_number,
        password=who.password,
        kind="organisation" if organisation else "citizen",
        full_name=who.full_name,
        id_kind="cccd",
        id_number=who.id_number,
        birth_date=dt.date(*reversed([int(part) for part in who.birth_date.split("/")])),
        phone=who.phone_normalised,
        email=who.email,
        address=address,
        organisation_name=organisation,
        tax_code=tax_code,
        email_verified_at=now,
        phone_verified_at=now,
    )


def log_in_from_home(page: Page, url: str, login_name: str, password: str) -> None:
    """§II Bước 1: the portal, "Đăng nhập", the name and password."""
    open_home(page, url)
    open_login(page)
    login(page, login_name, password)
    expect_logged_in(page)


def nav_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=name, exact=True
    )


def write_file(folder, name: str, content: bytes):
    """A real file on disk for a file input (what the citizen scanned)."""
    path = folder / name
    path.write_bytes(content)
    return path


def pdf_file(folder, name: str, text: str = "Ban scan giay to"):
    from dichvucong.dossiers.tests.files import pdf_bytes

    return write_file(folder, name, pdf_bytes(text))


def png_file(folder, name: str, size: int = 24):
    from dichvucong.dossiers.tests.files import png_bytes

    return write_file(folder, name, png_bytes(size, size))


def error_summaries(page: Page) -> Locator:
    """The error summaries at the top of a form (fields, then missing documents)."""
    return page.locator("[data-error-summary]")


def dossier_code_pattern(agency_code: str) -> re.Pattern:
    """DESIGN §4: <agency code>-<yymmdd of today in Việt Nam>-<4 digits>."""
    from django.utils import timezone

    today = timezone.localdate().strftime("%y%m%d")
    return re.compile(rf"^{re.escape(agency_code)}-{today}-\d{{4}}$")


def totp_now(secret: str) -> str:
    """The 6-digit code an authenticator app shows for a base32 secret (RFC 6238)."""
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def staff_first_login(page: Page, url: str, username: str, shot=None) -> None:
    """A demo officer's first login: password, then two-factor enrolment with the secret the
    QR page shows (as an authenticator app would read it), the recovery codes, the inbox."""
    page.goto(url.rstrip("/") + "/tai-khoan/dang-nhap/")
    login(page, username, DEMO_STAFF_PASSWORD)
    expect(page.get_by_role("heading", name="Cài đặt xác thực hai bước")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("code[data-secret]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    if shot:
        shot(page, f"{username}: cài đặt xác thực hai bước")
    field(page, "Mã xác thực").fill(totp_now(secret))
    button(page, "Xác thực").click()
    expect(page.get_by_role("heading", name="Đã bật xác thực hai bước")).to_be_visible()
    expect(page.locator(".recovery-codes code")).to_have_count(10)
    if shot:
        shot(page, f"{username}: mã khôi phục")
    page.get_by_role("link", name="Tiếp tục", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của đơn vị")


def staff_action(page: Page, label: str) -> Locator:
    """The action section (<details>) of the staff dossier page whose summary is `label`,
    opened."""
    summary = page.locator("summary").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    expect(summary).to_have_count(1)
    section = page.locator("details", has=summary)
    if section.get_attribute("open") is None:
        summary.click()
    expect(section).to_have_attribute("open", "")
    return section


# The LĐTBXH guide's example (§II Bước 4: field "An toàn, vệ sinh lao động"): a declaration of
# machines with strict safety requirements, whose form has a table of machines.
ATVSLD = "An toàn, vệ sinh lao động"
KHAI_BAO = (
    "Khai báo sử dụng máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn, vệ sinh lao động"
)
KHAI_BAO_COMPONENTS = (
    "Phiếu khai báo sử dụng máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn, vệ sinh "
    "lao động",
    "Giấy chứng nhận kết quả kiểm định của từng máy, thiết bị",
    "Biên bản kiểm định kỹ thuật an toàn lao động",  # not required
)
KHAI_BAO_TEXT = {
    "Tên tổ chức, cá nhân sử dụng": "Công ty TNHH Cơ khí Phú Riềng",
    "Mã số doanh nghiệp/mã số thuế": "3801234567",
    "Người đại diện theo pháp luật": "Nguyễn Văn An",
    "Tổ chức kiểm định đã thực hiện": "Trung tâm Kiểm định kỹ thuật an toàn khu vực II",
    "Ghi chú": "Thiết bị lắp tại xưởng 2.",
}
KHAI_BAO_ADDRESS = ("Tỉnh Đồng Nai", "Phường Đồng Xoài", "Số 12, đường Phú Riềng Đỏ")
KHAI_BAO_MACHINES = (
    {
        "Tên máy, thiết bị": "Nồi hơi ống lửa nằm ngang",
        "Nhóm thiết bị": "Nồi hơi, nồi đun nước nóng",
        "Mã hiệu/model": "LHS-2000",
        "Số chế tạo": "NH-2024-015",
        "Năm sản xuất": "2024",
        "Nơi lắp đặt": "Xưởng 2, Khu công nghiệp Minh Hưng - Hàn Quốc",
        "Số giấy chứng nhận kết quả kiểm định": "KĐ-0456/2026",
    },
    {
        "Tên máy, thiết bị": "Cầu trục dầm đôi 10 tấn",
        "Nhóm thiết bị": "Cần trục, cầu trục, cổng trục, pa lăng",
        "Mã hiệu/model": "QD-10T",
        "Số chế tạo": "CT-2023-207",
        "Năm sản xuất": "2023",
        "Nơi lắp đặt": "Xưởng 1, Khu công nghiệp Minh Hưng - Hàn Quốc",
        "Số giấy chứng nhận kết quả kiểm định": "KĐ-0457/2026",
    },
)
KHAI_BAO_PLEDGE = re.compile(r"^Tổ chức, cá nhân cam kết thiết bị khai báo")


def vn_date(days_from_today: int) -> str:
    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=days_from_today)).strftime("%d/%m/%Y")


def fill_address(page: Page, label: str, parts: tuple[str, str, str]) -> None:
    """An address field: its label names the province list; ward and street have their own."""
    province, ward, street = parts
    field(page, label).select_option(label=province)
    field(page, "Xã/phường/đặc khu").fill(ward)
    field(page, "Số nhà, đường, thôn/ấp/tổ").fill(street)


def fill_row(page: Page, number: int, values: dict[str, str]) -> None:
    """One row of a table field: each cell is labelled "<column>, dòng N"."""
    for column, value in values.items():
        cell = page.get_by_label(f"{column}, dòng {number}", exact=True)
        if cell.evaluate("el => el.tagName") == "SELECT":
            cell.select_option(label=value)
        else:
            cell.fill(value)


def fill_khai_bao(page: Page, *, skip: tuple[str, ...] = ()) -> None:
    """§II Bước 6 for KHAI_BAO: every field by its label (those in `skip` left empty); the
    phone and email are already prefilled from the account."""
    for label, value in KHAI_BAO_TEXT.items():
        if label not in skip:
            field(page, label).fill(value)
    fill_address(page, "Địa chỉ trụ sở chính", KHAI_BAO_ADDRESS)
    field(page, "Ngày đưa (hoặc dự kiến đưa) thiết bị vào sử dụng").fill(vn_date(7))
    for number, machine in enumerate(KHAI_BAO_MACHINES, start=1):
        fill_row(page, number, {**machine, "Ngày kiểm định": vn_date(-10 - number)})
    page.get_by_label(KHAI_BAO_PLEDGE).check()


def file_input(page: Page, component: str) -> Locator:
    """The file input labelled with a component's name (a form's title may be the same)."""
    return field(page, component).and_(page.locator("input[type=file]"))


def attach(page: Page, component: str, *paths) -> None:
    """Choose files for the component's file input."""
    file_input(page, component).set_input_files([str(p) for p in paths])


def words_cut_in_cells(page: Page, selector: str) -> list[str]:
    """The texts of the cells matching `selector` that are narrower than their longest word:
    the browser had to break words inside (down to one letter a line) to make them fit."""
    return page.eval_on_selector_all(
        selector,
        """cells => {
            const context = document.createElement("canvas").getContext("2d");
            return cells.filter(cell => {
                const style = getComputedStyle(cell);
                context.font = style.font;
                const room = cell.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                // where a line may break anyway: spaces, and after a hyphen or a slash
                const words = cell.innerText.split(/\\s+|(?<=[-\\/])/).filter(Boolean);
                const longest = Math.max(0, ...words.map(w => context.measureText(w).width));
                return longest > room + 1;
            }).map(cell => cell.innerText.trim());
        }""",
    )


def fits_phone_width(page: Page) -> None:
    """Nothing wider than the phone's screen. (On a mobile viewport Chromium zooms out to
    show content that overflows, so window.innerWidth alone grows with it: compare with the
    configured viewport too.)"""
    width = page.viewport_size["width"]
    scroll_width, inner_width, path = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    assert max(scroll_width, inner_width) <= width, (
        f"wider than the {width}px screen on {path}: content {scroll_width}px, "
        f"layout viewport {inner_width}px"
    )


def one_at_a_time(page: Page, url_glob: str) -> None:
    """Let the browser send requests matching `url_glob` one after the other.

    With SQLite the live server's threads share the test's in-memory connection, so two
    requests writing at the same moment can fail with "database table is locked" (a limit of
    the test database, not of the portal: a file database waits for its lock). The staff
    dossier page loads its previews in parallel and each preview writes an audit row.
    """
    busy = []
    served = _served.setdefault(id(page), set())  # what this page has received (see settled)

    def forget(frame) -> None:
        if frame == page.main_frame:
            served.clear()

    def handle(route) -> None:
        while busy:
            page.wait_for_timeout(20)
        busy.append(route)
        try:
            route.fulfill(response=route.fetch())
            served.add(route.request.url)
        finally:
            busy.remove(route)

    page.on("framenavigated", forget)
    page.route(url_glob, handle)


# The URLs served to each page through `one_at_a_time` since it last navigated.
_served: dict[int, set[str]] = {}


def session_key(user, *, second_factor: bool = False) -> str:
    """A new session of `user`, as if they had logged in (for tests about other pages; the
    journeys log in through the forms). `second_factor`: as an officer who has also passed
    the TOTP step (with a confirmed authenticator device)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Ứng dụng xác thực", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def sign_in(page: Page, portal, user, *, second_factor: bool = False) -> None:
    """Give the browser a session of `user` without the login pages (see `session_key`)."""
    from django.conf import settings

    key = session_key(user, second_factor=second_factor)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": portal.url}]
    )


# --- The citizen's side after "Nộp hồ sơ" and the officers' pages (issues 4, 5, 9) -------


def my_dossiers(page: Page):
    """The rows of the "Hồ sơ của bạn" table."""
    return page.locator("table.dossier-table tbody tr")


def expect_completion(page: Page, agency_code: str) -> str:
    """Bước 7's completion screen: "Nộp hồ sơ thành công" and the code; returns the code."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    expect(page).to_have_url(re.compile(r"/ho-so/\d+/da-nop/$"))
    code = page.locator("#ma-ho-so").inner_text().strip()
    assert dossier_code_pattern(agency_code).match(code), code
    return code


def expect_messages(portal, who, code: str, agency: str, *, addressee: str = "") -> None:
    """The submission email (real SMTP) and SMS (real gateway) carry the code."""
    email = portal.smtp.wait_for(to=who.email, contains=code)
    assert email.subject.startswith(f"Đã nhận hồ sơ {code}"), email.subject
    assert f"Kính gửi {addressee or who.full_name}," in email.body, email.body
    assert f"Cơ quan giải quyết: {agency}" in email.body, email.body
    sms = portal.sms.wait_for(to=who.phone_normalised, contains=code)
    assert sms.text.startswith(f"Hồ sơ {code} đã được nộp tới {agency}"), sms.text
    assert sms.headers.get("Authorization") == f"Bearer {portal.sms.token}"


def status_tag(page: Page):
    """The status shown at the top of a dossier page (citizen's or officer's)."""
    return page.locator("dl.facts .tag").first


def fact(page: Page, term: str):
    """The <dd> after the <dt> `term` in the page's first facts list that has it."""
    return page.locator(f"dl.facts dt:text-is('{term}') + dd").first


def submit_khai_bao(page: Page, portal, who, tmp_path) -> str:
    """The citizen's part (§II Bước 1–7, as test_submission_journey does in detail)."""
    from dichvucong.catalog.models import Procedure

    log_in_from_home(page, portal.url, who.id_number, who.password)
    procedure = Procedure.objects.get(name=KHAI_BAO)
    page.goto(portal.at(f"/thu-tuc/{procedure.pk}/"))
    page.get_by_role("link", name="Nộp hồ sơ", exact=True).first.click()
    button(page, "Tiếp tục").click()
    fill_khai_bao(page)
    attach(page, KHAI_BAO_COMPONENTS[0], pdf_file(tmp_path, "phieu-khai-bao.pdf"))
    attach(page, KHAI_BAO_COMPONENTS[1], png_file(tmp_path, "giay-kiem-dinh-mo.png"))
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ thành công")
    code = page.locator("#ma-ho-so").inner_text().strip()
    assert dossier_code_pattern("000.00.17.H10").match(code), code
    return code


def officer_page(new_page, portal, username: str, shot=None) -> Page:
    """A browser of its own for an officer, logged in for the first time (two-factor
    enrolment). The dossier page's inline previews (each one logged) load one at a time and
    all at once with the page (a tall window: none waits for scrolling), see `one_at_a_time`
    and `settled`."""
    page = new_page(viewport={"width": 1280, "height": 2400})
    one_at_a_time(page, "**/can-bo/tep/*/xem/")
    staff_first_login(page, portal.url, username, shot)
    return page


def settled(page: Page) -> None:
    """Wait until the page has loaded everything (the staff dossier page's previews, one at
    a time through `one_at_a_time`) before the next step."""
    page.wait_for_load_state("load")
    served = _served.get(id(page))
    if served is None:
        page.wait_for_load_state("networkidle")
        return
    # Not "networkidle": with PDF previews in iframes Chromium sometimes never reports it.
    # The previews load lazily: all of them now, however long the page.
    sources = page.eval_on_selector_all(
        "figure.preview iframe, figure.preview img",
        "els => els.map(e => { e.loading = 'eager'; return e.src; })",
    )
    for _ in range(1500):
        if all(source in served for source in sources):
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"previews never loaded: {set(sources) - served}")


def open_from_inbox(page: Page, code: str) -> None:
    """ "Hồ sơ của đơn vị" → the dossier's code."""
    page.get_by_role("link", name="Một cửa điện tử", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của đơn vị")
    page.get_by_role("table").get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    settled(page)


def act(page: Page, label: str, **inputs) -> None:
    """Open the action `label`, fill its inputs by label, press its button; the page says
    it was done."""
    section = staff_action(page, label)
    for input_label, value in inputs.items():
        box = field(section, input_label)
        if input_label == "Người xử lý":
            box.select_option(label=value)
        elif input_label == "Tệp kết quả":
            box.set_input_files(str(value))
        else:
            box.fill(value)
    button(section, label).click()
    expect(page.get_by_text(f"Đã thực hiện: {label}.")).to_be_visible()
    settled(page)


# Sở Ngoại vụ's consular certification: a small declaration, level 3 only.
LANH_SU = "Chứng nhận lãnh sự giấy tờ, tài liệu tại cơ quan ở trong nước"
LANH_SU_COMPONENTS = (
    "Tờ khai chứng nhận lãnh sự, hợp pháp hóa lãnh sự (Mẫu LS/HPH-2012/TK)",
    "Giấy tờ tùy thân của người đề nghị",
    "Giấy tờ, tài liệu đề nghị chứng nhận lãnh sự",
    "Bản chụp giấy tờ, tài liệu đề nghị chứng nhận lãnh sự",
)


def fill_lanh_su(page: Page, tmp_path) -> None:
    """The small declaration of LANH_SU: name, ID number, phone and email are prefilled."""
    fill_address(page, "Địa chỉ liên hệ", ("Tỉnh Đồng Nai", "Phường Đồng Xoài", "Số 5 Hùng Vương"))
    fill_row(
        page,
        1,
        {
            "Tên giấy tờ, tài liệu": "Bằng tốt nghiệp đại học",
            "Cơ quan, tổ chức cấp": "Trường Đại học Bình Dương",
            "Ngày cấp": "15/07/2012",
            "Số bản": "2",
        },
    )
    field(page, "Nước sử dụng giấy tờ").fill("Nhật Bản")
    field(page, "Mục đích sử dụng").select_option(label="Du học")
    field(page, "Hình thức nhận kết quả").select_option(
        label="Nhận trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh"
    )
    page.get_by_label(re.compile(r"^Tôi xin cam đoan")).check()
    for number, component in enumerate(LANH_SU_COMPONENTS, start=1):
        attach(page, component, pdf_file(tmp_path, f"giay-to-{number}.pdf", f"Giay to {number}"))


def demo_with_a_dossier(settings, media_root) -> dict:
    """The demo catalogue and staff; a citizen with a dossier waiting for a supplement at
    Sở Lao động - Thương binh và Xã hội, and so a message in their "Thông báo"."""
    from dichvucong.accounts.models import User
    from dichvucong.catalog.models import Agency, Field, Procedure
    from dichvucong.dossiers.tests import factories
    from dichvucong.dossiers.workflow.services import dossier_transition

    load_demo(settings, media_root)
    who = person("Nguyễn Văn An", birth=dt.date(1990, 8, 15))
    user = applicant_account(who)
    agency = Agency.objects.get(code=LDTBXH_CODE)
    procedure = factories.procedure(agency_=agency, name="Cấp giấy phép lao động thử nghiệm")
    dossier = factories.submitted(user=user, procedure_=procedure)
    reception = User.objects.get(username="tiepnhan.ldtbxh")
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="request_supplement",
        user=reception,
        note="Bản sao CCCD bị mờ, đề nghị chụp lại rõ nét.",
        data={"missing": ["Bản sao CCCD"]},
    )
    return {
        "who": who,
        "user": user,
        "dossier": dossier,
        "reception": reception,
        "khai_bao": Procedure.objects.get(name=KHAI_BAO),
        "atvsld": Field.objects.get(name=ATVSLD, agency=agency),
    }


def tab_to(page: Page, target: Locator, *, limit: int = 200) -> None:
    """Press Tab until `target` has focus (keyboard-only journeys)."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got focus after {limit} Tab presses")


def intercept_file_choosers(page: Page) -> None:
    """Keep Chromium's file choosers intercepted for the rest of the page's life.

    Playwright turns interception on when the first "filechooser" listener is added and off
    when the last one goes, each time with a message it does not wait for. With only
    `expect_file_chooser` listening, every chooser after the first raced that message against
    the key press: when the press won, Chromium showed its own (headless, invisible) dialog,
    no event came, and the wait timed out (seen once in CI on a loaded machine). A listener
    that stays, and a round trip to the page after adding it, settle interception first."""
    if not getattr(page, "_choosers_intercepted", False):
        page.on("filechooser", lambda chooser: None)
        page.evaluate("0")
        page._choosers_intercepted = True


def key_in(page: Page, target: Locator, value) -> None:
    """Reach `target` with Tab and give it `value` with the keyboard only: typed text; a
    list's option reached with the arrow keys; Space for a checkbox (`value` True); Space on
    a file input opens the file chooser, where the person picks `value` (a path)."""
    tab_to(page, target)
    kind = target.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    if kind == "checkbox":
        page.keyboard.press("Space")
        expect(target).to_be_checked()
    elif kind == "file":
        intercept_file_choosers(page)
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(value))
    elif kind == "select":
        selected = lambda: target.evaluate("el => el.options[el.selectedIndex].text.trim()")  # noqa: E731
        for _ in range(target.locator("option").count()):
            if selected() == value:
                break
            page.keyboard.press("ArrowDown")
        assert selected() == value, (selected(), value)
    else:
        page.keyboard.type(value)
