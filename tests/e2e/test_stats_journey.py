"""Issue "Transparency": the statistics page, ratings and feedback in Chromium against the live
portal with the demo data (the catalogue of Bình Phước and its demo officers).

Three weeks of history are made through the real workflow at chosen times (a clock the
services obey, for the setup only): at Sở Lao động - Thương binh và Xã hội one dossier decided
early and returned, one decided late, one overdue, one received just now, one refused; at Sở
Ngoại vụ one decided early and returned. Then, with the real clock:

- anyone opens "Thống kê" from the home page: the province's figures, the agencies' score card,
  three charts with their tables; filters by agency and field; downloads the CSV; the same
  page without JavaScript and on a 360 px phone;
- the citizen rates their returned dossier ("Rất hài lòng") and sends a "Phản ánh, kiến nghị"
  about it; the reception officer answers from the back office; the citizen reads the answer,
  which also reaches them by email and SMS; the officer downloads the agency's report (XLSX)
  and the register "Sổ theo dõi hồ sơ" (PDF).
"""

import csv
import datetime as dt
import io
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import (
    LDTBXH,
    NGOAI_VU,
    applicant_account,
    button,
    field,
    fits_phone_width,
    log_in_from_home,
    nav_link,
    open_home,
    person,
    staff_first_login,
)

FIELD = "Việc làm"
PROCEDURE = "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động"
SUBJECT = "Đề nghị cấp thêm bản sao kết quả"
ANSWER = "Sở sẽ cấp thêm 01 bản sao; mời Ông/Bà đến Bộ phận một cửa trong giờ hành chính."


@pytest.fixture(autouse=True)
def demo(portal, settings, tmp_path):
    from .journeys import load_demo

    load_demo(settings, tmp_path / "media")


def _procedure(agency_name: str, field_name: str, name: str, code: str):
    """A procedure of a demo field with the test declaration form (factories.SCHEMA)."""
    from dichvucong.catalog.models import Agency, Field
    from dichvucong.catalog.services import procedure_create
    from dichvucong.dossiers.tests.factories import SCHEMA

    agency = Agency.objects.get(name=agency_name)
    return procedure_create(
        agency=agency,
        field=Field.objects.get(agency=agency, name=field_name),
        national_code=code,
        content={
            "name": name,
            "level_3": True,
            "level_4": True,
            "processing_days": 3,
            "form_schema": SCHEMA,
        },
        components=[{"name": "Đơn đề nghị", "required": True}],
        publish=True,
    )


def _office(agency_name: str, suffix: str, procedure):
    from dichvucong.accounts.models import User
    from dichvucong.catalog.models import Agency
    from dichvucong.stats.tests.timeline import Office

    return Office(
        agency=Agency.objects.get(name=agency_name),
        reception=User.objects.get(username=f"tiepnhan.{suffix}"),
        handler=User.objects.get(username=f"chuyenvien.{suffix}"),
        leader=User.objects.get(username=f"lanhdao.{suffix}"),
        procedure=procedure,
    )


@pytest.fixture
def history():
    """Three weeks of dossiers, made at chosen times; returns the citizen and their dossier."""
    from dichvucong.accounts.tests.factories import citizen
    from dichvucong.core.calendar import WorkingCalendar
    from dichvucong.dossiers.workflow import actions
    from dichvucong.stats.tests.timeline import HCM, Clock, Life

    who = person("Trần Thị Mai", birth=dt.date(1988, 3, 8), female=True)
    user = applicant_account(who)
    now = timezone.now()
    today = timezone.localdate()
    calendar = WorkingCalendar(today - dt.timedelta(days=40), today)
    start = today - dt.timedelta(days=21)
    while not calendar.is_working_day(start):
        start += dt.timedelta(days=1)

    def moment(days: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(start + dt.timedelta(days=days), dt.time(hour), tzinfo=HCM)

    ldtbxh = _office(LDTBXH, "ldtbxh", _procedure(LDTBXH, FIELD, PROCEDURE, "9.900001"))
    ngoaivu = _office(
        NGOAI_VU,
        "ngoaivu",
        _procedure(NGOAI_VU, "Hội nghị, hội thảo quốc tế", "Cho phép tổ chức hội thảo", "9.900002"),
    )
    with pytest.MonkeyPatch.context() as patch:
        clock = Clock(patch)
        clock.set(moment(0, 8))
        mine = Life(clock, ldtbxh, level=4, user=user)
        late, overdue = Life(clock, ldtbxh), Life(clock, ldtbxh)
        refused = Life(clock, ldtbxh)
        abroad = Life(clock, ngoaivu, user=citizen(verified=True))
        for item in (mine, late, overdue, abroad):
            item.receive(moment(0, 9))
        d = refused._at(moment(0, 10))
        actions.dossier_refuse(
            dossier_id=d.pk, user=ldtbxh.reception, expected_version=d.version, note="Sai mẫu đơn"
        )
        for item in (mine, abroad):
            item.decide(moment(1, 10))
            item.return_result(moment(1, 15))
        late.decide(moment(10, 10))
        clock.set(now - dt.timedelta(hours=1))
        just_now = Life(clock, ldtbxh)
        just_now.receive()
    return who, mine.dossier


def figure(page: Page, name: str):
    return page.locator(f'[data-figure="{name}"]')


def test_the_public_statistics_page(new_page, page, mobile_page, portal, history, shot):
    """Home → "Thống kê": the province, then one agency and one field; the CSV; the same page
    without JavaScript and on a phone."""
    open_home(page, portal.url)
    page.locator("main").get_by_role("link", name=re.compile("^Thống kê")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê tình hình giải quyết hồ sơ")
    expect(figure(page, "received")).to_have_text("5")
    expect(figure(page, "resolved")).to_have_text("3")
    expect(figure(page, "on-time-rate")).to_have_text("66,7 %")
    expect(figure(page, "in-progress")).to_have_text("2")
    expect(figure(page, "returned")).to_have_text("2")
    expect(page.locator("[data-scope]")).to_contain_text("Toàn tỉnh")
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(2)  # no rating yet: the third says so in words
    expect(
        page.get_by_text("Chưa có lượt đánh giá nào trong khoảng thời gian này.")
    ).to_be_visible()
    for index in range(2):
        chart = charts.nth(index)
        labelled = chart.get_attribute("aria-labelledby").split()
        expect(page.locator(f"[id='{labelled[0]}']")).to_have_count(1)
        expect(page.locator(f"[id='{labelled[1]}']")).to_have_count(1)
    board = page.locator("table[data-table=agency] tbody tr")
    expect(board.first).to_contain_text(NGOAI_VU)  # all on time
    expect(board.nth(1)).to_contain_text(LDTBXH)
    total_row = page.locator("table[data-table=months] tfoot tr")
    expect(total_row).to_contain_text("5")
    shot(page, "Thống kê toàn tỉnh")

    field(page, "Đơn vị").select_option(label=LDTBXH)
    button(page, "Xem thống kê").click()
    expect(figure(page, "received")).to_have_text("4")
    expect(figure(page, "on-time-rate")).to_have_text("50,0 %")
    expect(page.locator("[data-scope]")).to_contain_text(LDTBXH)
    field(page, "Lĩnh vực").select_option(label=FIELD)
    button(page, "Xem thống kê").click()
    expect(figure(page, "received")).to_have_text("4")
    expect(page.locator("table[data-table=field] tbody tr")).to_have_count(1)
    expect(page.locator("table[data-table=field] tbody tr")).to_contain_text(FIELD)
    shot(page, "Thống kê một đơn vị, một lĩnh vực")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải số liệu (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert {row["Đơn vị"] for row in rows} == {LDTBXH}
    assert sum(int(row["Tiếp nhận trực tuyến"]) for row in rows) == 4
    assert sum(int(row["Giải quyết quá hạn"]) for row in rows) == 1

    plain = new_page(java_script_enabled=False)
    plain.goto(portal.at("/thong-ke/"))
    field(plain, "Đơn vị").select_option(label=NGOAI_VU)
    button(plain, "Xem thống kê").click()
    expect(figure(plain, "received")).to_have_text("1")
    expect(figure(plain, "on-time-rate")).to_have_text("100,0 %")
    expect(plain.locator("svg[role=img]")).to_have_count(2)
    shot(plain, "Không có JavaScript: Sở Ngoại vụ")

    mobile_page.goto(portal.at("/thong-ke/"))
    expect(figure(mobile_page, "received")).to_have_text("5")
    fits_phone_width(mobile_page)
    shot(mobile_page, "Điện thoại 360 px")
    mobile_page.locator("#theo-thang-title").scroll_into_view_if_needed()
    fits_phone_width(mobile_page)


def test_a_citizen_rates_and_writes_and_the_agency_answers(
    page, new_page, portal, history, shot, tmp_path
):
    """ "Đánh giá mức độ hài lòng" once on the returned dossier; "Phản ánh, kiến nghị" about it;
    the reception officer answers; email and SMS tell the citizen; the officer's reports."""
    who, dossier = history
    log_in_from_home(page, portal.url, who.id_number, who.password)
    nav_link(page, "Hồ sơ của bạn").click()
    page.get_by_role("link", name=dossier.code, exact=True).first.click()
    rating = page.locator("#danh-gia")
    expect(rating.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    shot(page, "Hồ sơ đã trả kết quả: mời đánh giá")
    rating.get_by_label("Rất hài lòng", exact=True).check()
    field(rating, "Ý kiến của bạn").fill("Cán bộ hướng dẫn tận tình, trả kết quả sớm.")
    button(rating, "Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá mức độ hài lòng.")).to_be_visible()
    expect(page.locator("#danh-gia")).to_contain_text("Bạn đã đánh giá: Rất hài lòng")
    expect(page.locator("#danh-gia form")).to_have_count(0)
    shot(page, "Đã đánh giá")

    page.get_by_role("link", name="Gửi phản ánh, kiến nghị về hồ sơ này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    expect(field(page, "Hồ sơ liên quan").locator("option:checked")).to_contain_text(dossier.code)
    field(page, "Tiêu đề").fill(SUBJECT)
    field(page, "Nội dung").fill("Tôi cần thêm 01 bản sao giấy xác nhận để nộp cho công ty.")
    shot(page, "Phản ánh, kiến nghị")
    button(page, "Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_text("Chờ trả lời")).to_be_visible()

    officer = new_page()
    staff_first_login(officer, portal.url, "tiepnhan.ldtbxh")
    officer.locator("main").get_by_role("link", name="Phản ánh, kiến nghị").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị")
    officer.get_by_role("link", name=SUBJECT).click()
    expect(officer.get_by_text("Tôi cần thêm 01 bản sao")).to_be_visible()
    field(officer, "Nội dung trả lời").fill(ANSWER)
    shot(officer, "Cán bộ trả lời phản ánh")
    button(officer, "Gửi trả lời").click()
    expect(officer.get_by_text("Đã gửi trả lời đến người phản ánh.")).to_be_visible()

    email = portal.smtp.wait_for(to=who.email, contains="Sở sẽ cấp thêm 01 bản sao")
    assert email.subject.startswith("Trả lời phản ánh, kiến nghị")
    assert f"Kính gửi {who.full_name}" in email.body
    sms = portal.sms.wait_for(to=who.phone_normalised, contains="đã trả lời phản ánh")
    assert LDTBXH in sms.text
    page.reload()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text("Đã trả lời")).to_be_visible()
    shot(page, "Công dân đọc trả lời")

    officer.goto(portal.at("/can-bo/"))
    officer.locator("main").get_by_role("link", name="Báo cáo thống kê").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Báo cáo thống kê")
    expect(figure(officer, "received")).to_have_text("4")
    expect(figure(officer, "satisfied-rate")).to_have_text("100,0 %")
    shot(officer, "Báo cáo thống kê của đơn vị")
    with officer.expect_download() as info:
        officer.get_by_role("link", name="Tải báo cáo Excel (XLSX)").click()
    from openpyxl import load_workbook

    assert info.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    summary = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(values_only=True) if r}
    assert summary["Đơn vị"] == LDTBXH
    assert summary["Hồ sơ tiếp nhận"] == 4
    assert summary["Lượt đánh giá"] == 1

    received = timezone.localtime(dossier.received_at).strftime("%d/%m/%Y")
    field(officer, "Từ ngày").fill(received)
    field(officer, "Đến ngày").fill(timezone.localdate().strftime("%d/%m/%Y"))
    served = []

    def as_download(route) -> None:
        """Headless Chromium would open the inline PDF in its viewer: save it instead."""
        response = route.fetch()
        served.append(response.headers.get("content-disposition", ""))
        headers = {**response.headers, "content-disposition": "attachment; filename=so.pdf"}
        route.fulfill(response=response, headers=headers)

    officer.route(re.compile(r"/so-theo-doi-ho-so/"), as_download)
    with officer.expect_download() as info:
        button(officer, "Tải sổ theo dõi hồ sơ (PDF)").click()
    assert served[0].startswith("inline;")
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert dossier.code in text
