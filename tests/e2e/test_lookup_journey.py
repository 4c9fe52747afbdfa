"""Issue "Public dossier lookup": the user guides' §III in Chromium against the live portal.

From "Trang chủ", "Tra cứu hồ sơ"; the dossier code typed in lower case with spaces; the
status, dates, public timeline and the masked name, and nothing personal (phone, email, ID
number, birth date, the declaration's answers, the agency's internal notes); then by CCCD
number, which asks the owner's "Ngày sinh" before listing; a wrong date of birth finds
nothing; the QR code's link on the slips opens the dossier directly.
"""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import (
    NGOAI_VU,
    applicant_account,
    button,
    field,
    open_home,
    person,
)

HOI_THAO = "Cho phép tổ chức hội nghị, hội thảo quốc tế"
LANH_SU = "Chứng nhận lãnh sự giấy tờ, tài liệu tại cơ quan ở trong nước"
QUERY = "Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu"
SECRET_REASON = "Đi học thạc sĩ ở Osaka theo học bổng MEXT"
SECRET_DATE = "15/03/2027"
INTERNAL_NOTE = "Đã đối chiếu bản gốc tại quầy số 3, cán bộ Hà."


@pytest.fixture
def owner():
    who = person("Nguyễn Văn An", birth=dt.date(1992, 9, 2))
    return who, applicant_account(who)


def make_dossier(user, procedure, *, who, submit=True):
    """A dossier through the real services, with answers that must never be public."""
    from dichvucong.dossiers import services
    from dichvucong.dossiers.tests.files import pdf

    dossier = services.dossier_start(user=user, procedure=procedure, level=4)
    services.dossier_save_draft(
        dossier_id=dossier.pk,
        user=user,
        raw_data={
            "tk-ho_ten": [who.full_name],
            "tk-so_giay_to": [who.id_number],
            "tk-dien_thoai": [who.phone_normalised],
            "tk-ngay_du_kien": [SECRET_DATE],
            "tk-so_luong": ["3"],
            "tk-ly_do": [SECRET_REASON],
        },
        uploads={
            c.pk: [pdf(f"giay-to-{c.pk}.pdf")]
            for c in procedure.current_version.components.all()
            if c.required
        },
    )
    if not submit:
        return dossier
    return services.dossier_submit(dossier_id=dossier.pk, user=user)


@pytest.fixture
def dossiers(portal, owner):
    """The owner's dossiers at Sở Ngoại vụ: one received (with an internal note), one just
    submitted, one draft; and someone else's dossier."""
    from dichvucong.accounts.tests.factories import staff
    from dichvucong.dossiers.tests import factories
    from dichvucong.dossiers.workflow import actions

    who, user = owner
    agency = factories.agency(code="000.00.31.H10", name=NGOAI_VU)
    conference = factories.procedure(agency_=agency, name=HOI_THAO)
    consular = factories.procedure(agency_=agency, name=LANH_SU)
    first = make_dossier(user, conference, who=who)
    received = actions.dossier_receive(
        dossier_id=first.pk,
        user=staff(agency=agency, role="reception"),
        expected_version=first.version,
        note=INTERNAL_NOTE,
    )
    submitted = make_dossier(user, consular, who=who)
    draft = make_dossier(user, consular, who=who, submit=False)
    someone = person("Trần Thị Bình", birth=dt.date(1992, 9, 2), female=True)
    other = make_dossier(applicant_account(someone), consular, who=someone)
    return {"received": received, "submitted": submitted, "draft": draft, "other": other}


def results(page: Page):
    return page.get_by_role("region", name="Kết quả tra cứu").locator("article")


def fact(article, term: str):
    return article.locator(f"dt:text-is('{term}') + dd")


def assert_nothing_personal(page: Page, who, *, typed: tuple[str, ...] = ()) -> None:
    """Neither the page's text nor its HTML shows the owner's personal data, the answers of
    the declaration or the agency's notes; what the visitor typed (`typed`) only stays in
    the boxes they typed it in."""
    html = page.content()
    text = page.locator("main").inner_text()
    for secret in (
        who.full_name,
        who.phone_normalised,
        who.email,
        who.id_number,
        who.birth_date,
        SECRET_REASON,
        "Osaka",
        SECRET_DATE,
        INTERNAL_NOTE,
        "giay-to-",  # attachment names
    ):
        assert secret not in text, secret
        if secret not in typed:
            assert secret not in html, secret


def test_lookup_by_code_id_number_and_qr(page: Page, portal, owner, dossiers, shot):
    """§III Bước 1–2: "Tra cứu hồ sơ" from the home page, by code (lower case, spaces), by
    CCCD with "Ngày sinh", a wrong date of birth, and the slips' QR link."""
    from dichvucong.dossiers.slips import lookup_url

    who, _user = owner
    received, submitted = dossiers["received"], dossiers["submitted"]
    code = received.code

    # Bước 1: from "Trang chủ", "Tra cứu hồ sơ".
    open_home(page, portal.url)
    shot(page, "Trang chủ")
    page.get_by_role("main").get_by_role("link", name=re.compile("^Tra cứu hồ sơ")).click()
    expect(page).to_have_url(portal.at("/tra-cuu/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu hồ sơ")
    shot(page, "Trang tra cứu hồ sơ")

    # Bước 2: the code as someone might type it from a paper slip.
    typed = "  " + code.lower().replace("-", " - ") + " "
    field(page, QUERY).fill(typed)
    shot(page, "Nhập mã hồ sơ")
    button(page, "Tra cứu").click()
    expect(results(page)).to_have_count(1)
    found = results(page).first
    expect(found.get_by_role("heading", level=3)).to_have_text(f"Hồ sơ {code}")
    expect(fact(found, "Thủ tục")).to_have_text(HOI_THAO)
    expect(fact(found, "Cơ quan giải quyết")).to_have_text(NGOAI_VU)
    expect(fact(found, "Người nộp")).to_have_text("Nguyễn V… A…")
    expect(fact(found, "Trạng thái")).to_have_text("Đã tiếp nhận")
    due = timezone.localtime(received.due_at).strftime("%d/%m/%Y")
    expect(fact(found, "Ngày hẹn trả kết quả")).to_have_text(due)
    expect(found.locator(".timeline strong")).to_have_text(
        ["Mới nộp, chờ tiếp nhận", "Đã tiếp nhận"]
    )
    shot(page, "Kết quả tra cứu theo mã hồ sơ")
    assert_nothing_personal(page, who)

    # By CCCD number: the page asks for the owner's date of birth first.
    field(page, QUERY).fill(who.id_number)
    button(page, "Tra cứu").click()
    expect(field(page, "Ngày sinh")).to_be_visible()
    expect(page.get_by_text("hãy nhập thêm ngày sinh của người nộp hồ sơ")).to_be_visible()
    expect(page.get_by_role("region", name="Kết quả tra cứu")).to_have_count(0)
    shot(page, "Tra cứu theo số CCCD: hỏi ngày sinh")
    field(page, "Ngày sinh").fill(who.birth_date)
    button(page, "Tra cứu").click()
    expect(results(page)).to_have_count(2)  # newest first; no draft, nobody else's
    expect(results(page).get_by_role("heading", level=3)).to_have_text(
        [f"Hồ sơ {submitted.code}", f"Hồ sơ {code}"]
    )
    expect(fact(results(page).first, "Trạng thái")).to_have_text("Mới nộp, chờ tiếp nhận")
    expect(fact(results(page).first, "Người nộp")).to_have_text("Nguyễn V… A…")
    expect(page.get_by_text(dossiers["other"].code)).to_have_count(0)
    shot(page, "Danh sách hồ sơ theo số CCCD và ngày sinh")
    assert_nothing_personal(page, who, typed=(who.id_number, who.birth_date))

    # A wrong date of birth: the same answer as for an unknown code.
    field(page, "Ngày sinh").fill("03/09/1992")
    button(page, "Tra cứu").click()
    expect(page.get_by_text("Không tìm thấy hồ sơ.")).to_be_visible()
    expect(results(page)).to_have_count(0)
    shot(page, "Sai ngày sinh: không tìm thấy hồ sơ")

    # The QR code on the slips: its link opens the dossier at once.
    link = lookup_url(code)
    assert link == portal.at(f"/tra-cuu/?ma={quote(code)}")
    page.goto(link)
    expect(results(page)).to_have_count(1)
    expect(results(page).get_by_role("heading", level=3)).to_have_text(f"Hồ sơ {code}")
    expect(fact(results(page).first, "Trạng thái")).to_have_text("Đã tiếp nhận")
    expect(field(page, QUERY)).to_have_value(code)
    shot(page, "Mở từ mã QR trên phiếu")
    assert_nothing_personal(page, who)
