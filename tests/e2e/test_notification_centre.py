"""Issue "Notifications": the "Thông báo" centre in Chromium against the live portal.

A citizen's dossier is submitted and then received by the agency (through the real workflow,
as the back office does it); the citizen sees the unread count in the top navigation, reads the
messages, opens one (it goes to the dossier and counts as read) and marks the rest read.
Someone else logged in sees none of it.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import button, expect_logged_in, login, no_horizontal_scroll, open_home, open_login


@pytest.fixture
def dossier(portal):
    from dichvucong.accounts.tests.factories import citizen, staff
    from dichvucong.core import calendar
    from dichvucong.dossiers.tests import factories
    from dichvucong.dossiers.workflow.services import dossier_transition

    agency = factories.agency(name="Sở Ngoại vụ")
    procedure = factories.procedure(
        agency_=agency, name="Cho phép tổ chức hội nghị, hội thảo quốc tế"
    )
    applicant = citizen(verified=True, full_name="Nguyễn Văn An")
    submitted = factories.submitted(user=applicant, procedure_=procedure)

    def set_due(d):
        d.due_at = calendar.due_at(timezone.now(), d.procedure_version.processing_days)

    return dossier_transition(
        dossier_id=submitted.pk,
        name="receive",
        user=staff(agency=agency, role="reception"),
        apply=set_due,
        notify_template="dossier_received",
    )


def log_in(page: Page, portal, user) -> None:
    from dichvucong.accounts.tests.factories import PASSWORD

    open_home(page, portal.url)
    open_login(page)
    login(page, user.username, PASSWORD)
    expect_logged_in(page)


def nav(page: Page):
    return page.get_by_role("navigation", name="Điều hướng chính")


def test_the_citizen_reads_their_notifications(page, new_page, portal, dossier, shot):
    """The unread count, the messages, "Xem chi tiết" to the dossier, "Đánh dấu tất cả"."""
    log_in(page, portal, dossier.applicant)
    centre_link = nav(page).get_by_role("link", name="Thông báo (2 chưa đọc)")
    expect(centre_link).to_be_visible()
    shot(page, "Trang chủ với 2 thông báo chưa đọc")

    centre_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(page.get_by_text("Bạn có 2 thông báo chưa đọc.")).to_be_visible()
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    received = page.locator("li", has_text=f"Ngày hẹn trả kết quả: {due}")
    expect(received).to_contain_text(f"Hồ sơ {dossier.code}")
    expect(received).to_contain_text("Chưa đọc")
    expect(page.locator("li", has_text="đang chờ tiếp nhận")).to_contain_text(dossier.code)
    shot(page, "Trung tâm thông báo")

    button(received, "Xem chi tiết").click()
    expect(page).to_have_url(re.compile(rf"/ho-so/{dossier.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    expect(nav(page).get_by_role("link", name="Thông báo (1 chưa đọc)")).to_be_visible()

    nav(page).get_by_role("link", name="Thông báo (1 chưa đọc)").click()
    expect(page.get_by_text("Bạn có 1 thông báo chưa đọc.")).to_be_visible()
    button(page, "Đánh dấu tất cả là đã đọc").click()
    expect(page.get_by_text("Đã đánh dấu 1 thông báo là đã đọc.")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Thông báo", exact=True)).to_be_visible()
    expect(page.get_by_text("Chưa đọc", exact=True)).to_have_count(0)
    shot(page, "Tất cả đã đọc")

    phone = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    log_in(phone, portal, dossier.applicant)
    phone.goto(portal.at("/thong-bao/"))
    expect(phone.get_by_text(f"Hồ sơ {dossier.code}").first).to_be_visible()
    no_horizontal_scroll(phone)
    shot(phone, "Thông báo trên điện thoại")


def test_someone_else_sees_none_of_it(page, portal, dossier, shot):
    from dichvucong.accounts.tests.factories import citizen

    other = citizen(verified=True, full_name="Trần Thị Bình")
    log_in(page, portal, other)
    nav(page).get_by_role("link", name="Thông báo", exact=True).click()
    expect(page.get_by_text("Bạn chưa có thông báo nào.")).to_be_visible()
    expect(page.get_by_text(dossier.code)).to_have_count(0)
    shot(page, "Người khác không thấy thông báo")
