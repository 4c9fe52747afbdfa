"""The officials' reports: their own agency only, with XLSX and PDF exports that open and hold
the page's numbers, and the register "Sổ theo dõi hồ sơ"."""

import datetime as dt
import io
import subprocess

import pytest
from openpyxl import load_workbook

from dichvucong.accounts.tests.factories import citizen
from dichvucong.backoffice.tests.helpers import login_staff, officer

from .helpers import agency_with_fields, figure, fresh, seed
from .timeline import at

pytestmark = pytest.mark.django_db

URL = "/can-bo/bao-cao/"
OCT_NOV = {"tu_thang": "2026-10", "den_thang": "2026-11"}


@pytest.fixture
def two_agencies(clock):
    clock.set(at(2026, 11, 22, 10))
    mine, (viec_lam, atvsld) = agency_with_fields(
        "Sở Lao động - Thương binh và Xã hội", "Việc làm", "An toàn, vệ sinh lao động"
    )
    other, (hoi_nghi,) = agency_with_fields("Sở Ngoại vụ", "Hội nghị, hội thảo quốc tế")
    seed(
        agency_=mine,
        field=viec_lam,
        day=dt.date(2026, 10, 5),
        received_online=12,
        resolved_early=3,
        resolved_on_time=6,
        resolved_late=3,
        returned=9,
        rated_satisfied=2,
    )
    seed(agency_=mine, field=atvsld, day=dt.date(2026, 11, 2), received_online=4, resolved_late=1)
    seed(agency_=mine, field=viec_lam, day=dt.date(2026, 11, 22), open_on_time=5, open_overdue=2)
    seed(agency_=other, field=hoi_nghi, day=dt.date(2026, 11, 3), received_online=999)
    fresh()
    return mine, other


def test_an_officer_sees_their_own_agency_only(client, two_agencies):
    mine, other = two_agencies
    officer(client, agency=mine, role="handler")
    html = client.get(URL, {**OCT_NOV, "don_vi": other.pk}).content.decode()
    assert figure(html, "received") == "16"  # never the other agency's 999
    assert figure(html, "resolved") == "13"
    assert figure(html, "in-progress") == "7"
    assert "Sở Ngoại vụ" not in html
    assert 'name="don_vi"' not in html
    assert "An toàn, vệ sinh lao động" in html  # per field
    other_officer = officer(agency=other, role="leader")
    client.logout()
    login_staff(client, other_officer)
    html = client.get(URL, OCT_NOV).content.decode()
    assert figure(html, "received") == "999"


@pytest.mark.parametrize(
    "path",
    [
        URL,
        URL + "tai-xlsx/",
        URL + "tai-pdf/",
        URL + "so-theo-doi-ho-so/?tu_ngay=01/11/2026&den_ngay=22/11/2026",
        "/can-bo/phan-anh/",
    ],
)
def test_citizens_and_strangers_never_reach_them(client, two_agencies, path):
    assert client.get(path).status_code == 302  # to the login page
    assert "/tai-khoan/dang-nhap/" in client.get(path)["Location"]
    client.force_login(citizen(verified=True))
    assert client.get(path).status_code == 404
    client.logout()
    mine, _other = two_agencies
    half = officer(agency=mine, role="reception")
    client.force_login(half)  # password only, no second factor
    assert client.get(path).status_code == 302
    assert "/can-bo/xac-thuc/" in client.get(path)["Location"]


def test_the_xlsx_opens_and_holds_the_numbers(client, two_agencies):
    mine, _other = two_agencies
    officer(client, agency=mine, role="leader")
    response = client.get(URL + "tai-xlsx/", OCT_NOV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bao-cao-2026-10-2026-11.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo tháng", "Theo lĩnh vực"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row}
    assert summary["Đơn vị"] == "Sở Lao động - Thương binh và Xã hội"
    assert summary["Kỳ báo cáo"] == "từ 01/10/2026 đến 22/11/2026"
    assert summary["Hồ sơ tiếp nhận"] == 16
    assert summary["Đã giải quyết"] == 13
    assert summary["— quá hạn"] == 2  # the open ones at the end: overdue
    assert summary["Tỷ lệ giải quyết đúng hạn"] == pytest.approx(9 / 13)
    assert summary["Tỷ lệ hài lòng"] == 1
    months = list(book["Theo tháng"].iter_rows(values_only=True))
    assert months[0][:3] == ("Tháng", "Tiếp nhận trực tuyến", "Tiếp nhận trực tiếp")
    assert months[1][:6] == ("10/2026", 12, 0, 3, 6, 3)
    assert months[2][:6] == ("11/2026", 4, 0, 0, 0, 1)
    assert months[-1][:2] == ("Tổng cộng", 16)
    fields = {row[0]: row for row in book["Theo lĩnh vực"].iter_rows(values_only=True)}
    assert fields["Việc làm"][1] == 12
    assert fields["An toàn, vệ sinh lao động"][5] == 1
    cell = book["Theo tháng"].cell(row=2, column=2 + 14)
    assert cell.number_format == "0.0%"
    assert cell.value == pytest.approx(0.75)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_the_pdf_opens_and_holds_the_numbers(client, two_agencies):
    mine, _other = two_agencies
    officer(client, agency=mine, role="reception")
    response = client.get(URL + "tai-pdf/", {**OCT_NOV, "muc_do": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in text
    assert "Từ ngày 01/10/2026 đến ngày 22/11/2026" in text
    assert "Mức độ: Mức độ 3 (một phần)" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Hồ sơ tiếp nhận 16" in lines
    assert "Tỷ lệ giải quyết đúng hạn 69,2 %" in lines
    assert any(line.startswith("10/2026 12 0 3 6 3 0 0 0 9") for line in lines), lines
    assert "Sở Ngoại vụ" not in text


def test_the_register_is_the_dossiers_slip(client, clock, make_office, life):
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    first, second = life(where), life(where)
    first.receive(at(2026, 11, 9, 9))
    second.receive(at(2026, 11, 10, 9))
    clock.set(at(2026, 11, 12, 9))
    officer(client, agency=where.agency, role="handler")
    response = client.get(
        URL + "so-theo-doi-ho-so/", {"tu_ngay": "09/11/2026", "den_ngay": "09/11/2026"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert first.dossier.code in text
    assert second.dossier.code not in text
    # a wrong range comes back to the page with the reason
    response = client.get(
        URL + "so-theo-doi-ho-so/", {"tu_ngay": "10/11/2026", "den_ngay": "09/11/2026"}, follow=True
    )
    assert "Đến ngày phải sau hoặc bằng từ ngày." in response.content.decode()
    response = client.get(URL + "so-theo-doi-ho-so/", {"tu_ngay": "abc"}, follow=True)
    assert "Ngày không hợp lệ" in response.content.decode()


def test_the_inbox_links_to_the_reports(client, two_agencies):
    mine, _other = two_agencies
    officer(client, agency=mine, role="reception")
    html = client.get("/can-bo/").content.decode()
    assert 'href="/can-bo/bao-cao/"' in html
    assert 'href="/can-bo/phan-anh/"' in html
