""" "Thống kê": the public page and its CSV answer from the daily table, with the numbers the
rows hold, a fixed number of queries, accessible charts beside their tables."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dichvucong.stats.models import RebuildLog

from .helpers import agency_with_fields, figure, fresh, seed
from .timeline import at

pytestmark = pytest.mark.django_db

URL = "/thong-ke/"
OCT_NOV = {"tu_thang": "2026-10", "den_thang": "2026-11"}


@pytest.fixture
def province(clock):
    """Two agencies of the guides with known rows in Sep–Nov 2026; today is 22/11/2026."""
    clock.set(at(2026, 11, 22, 10))
    ldtbxh, (viec_lam, atvsld) = agency_with_fields(
        "Sở Lao động - Thương binh và Xã hội", "Việc làm", "An toàn, vệ sinh lao động"
    )
    ngoaivu, (hoi_nghi,) = agency_with_fields("Sở Ngoại vụ", "Hội nghị, hội thảo quốc tế")
    day = dt.date
    seed(agency_=ldtbxh, field=viec_lam, day=day(2026, 9, 15), received_online=100)
    seed(
        agency_=ldtbxh,
        field=viec_lam,
        day=day(2026, 10, 5),
        received_online=10,
        resolved_early=2,
        resolved_on_time=5,
        resolved_late=1,
        returned=6,
        refused=1,
    )
    seed(
        agency_=ldtbxh,
        field=viec_lam,
        day=day(2026, 10, 20),
        level=4,
        received_online=5,
        resolved_on_time=2,
        rated_very_satisfied=3,
        rated_satisfied=1,
    )
    seed(agency_=ldtbxh, field=viec_lam, day=day(2026, 10, 31), open_on_time=3, open_overdue=1)
    seed(
        agency_=ldtbxh,
        field=atvsld,
        day=day(2026, 11, 3),
        received_online=4,
        resolved_late=2,
        rated_unsatisfied=1,
        withdrawn=1,
    )
    seed(
        agency_=ldtbxh,
        field=viec_lam,
        day=day(2026, 11, 22),
        open_on_time=2,
        open_overdue=2,
        paused=1,
    )
    seed(
        agency_=ngoaivu,
        field=hoi_nghi,
        day=day(2026, 11, 10),
        received_online=7,
        resolved_early=4,
        resolved_on_time=1,
    )
    seed(agency_=ngoaivu, field=hoi_nghi, day=day(2026, 11, 22), open_on_time=2)
    fresh()
    return {"ldtbxh": ldtbxh, "ngoaivu": ngoaivu, "viec_lam": viec_lam, "atvsld": atvsld}


def test_the_province_figures_are_the_sums_of_the_rows(client, province):
    html = client.get(URL, OCT_NOV).content.decode()
    assert figure(html, "received") == "26"
    assert figure(html, "resolved") == "17"
    assert figure(html, "on-time-rate") == "82,4 %"  # (6 early + 8 on time) / 17
    assert figure(html, "in-progress") == "7"  # on 22/11: 4 on time, 2 overdue, 1 paused
    assert figure(html, "returned") == "6"
    assert figure(html, "online-rate") == "100,0 %"
    assert figure(html, "satisfied-rate") == "80,0 %"  # (3 + 1) / 5
    assert figure(html, "score") == "73,3/100"
    assert "điểm trung bình 2,40/3" in html
    assert "toàn trình (mức độ 4) 19,2 %" in html  # 5 of 26
    assert "từ ngày 01/10/2026 đến ngày 22/11/2026" in html


def _rows(html: str, table: str) -> list[list[str]]:
    body = re.search(rf'data-table="{table}">(.*?)</table>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in cells])
    return rows


def test_the_month_table_and_the_score_card_agree_with_the_rows(client, province):
    html = client.get(URL, OCT_NOV).content.decode()
    months = _rows(html, "months")
    assert months[1] == ["10/2026", "15", "2", "7", "1", "90,0 %", "3", "1", "0", "6"]
    assert months[2] == ["11/2026", "11", "4", "1", "2", "71,4 %", "4", "2", "1", "0"]
    assert months[3] == ["Cả kỳ", "26", "6", "8", "3", "82,4 %", "4", "2", "1", "6"]
    agencies = _rows(html, "agency")
    # Sở Ngoại vụ: all on time, online without level 4, no ratings: (20 + 11) / 42
    assert agencies[1] == ["1", "Sở Ngoại vụ", "7", "5", "100,0 %", "0", "0,0 %", "—", "73,8"]
    assert agencies[2][:6] == [
        "2",
        "Sở Lao động - Thương binh và Xã hội",
        "19",
        "12",
        "75,0 %",
        "2",
    ]
    assert agencies[2][-1] == "72,2"
    satisfaction = _rows(html, "satisfaction")
    assert [r[1] for r in satisfaction[1:4]] == ["3", "1", "1"]


def test_one_agency_shows_its_fields_and_never_the_others(client, province):
    html = client.get(URL, {**OCT_NOV, "don_vi": province["ngoaivu"].pk}).content.decode()
    assert figure(html, "received") == "7"
    assert figure(html, "in-progress") == "2"
    fields = _rows(html, "field")
    assert [r[0] for r in fields[1:]] == ["Hội nghị, hội thảo quốc tế"]
    assert "Việc làm" not in html
    html = client.get(
        URL, {**OCT_NOV, "don_vi": province["ldtbxh"].pk, "linh_vuc": province["atvsld"].pk}
    ).content.decode()
    assert figure(html, "received") == "4"
    assert figure(html, "resolved") == "2"
    html = client.get(URL, {**OCT_NOV, "muc_do": 4}).content.decode()
    assert figure(html, "received") == "5"


def test_odd_parameters_fall_back_to_defaults(client, province):
    """A stale link never fails: unknown months, a field of another agency, swapped months."""
    response = client.get(URL, {"tu_thang": "abc", "don_vi": "x", "linh_vuc": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    # the last 12 months, from the first month with figures (September)
    assert "từ ngày 01/09/2026 đến ngày 22/11/2026" in html
    assert figure(html, "received") == "126"
    kept = client.get(URL, {"tu_thang": "abc", "don_vi": province["ngoaivu"].pk}).content.decode()
    assert figure(kept, "received") == "7"  # the agency stays when a month is wrong
    swapped = client.get(URL, {"tu_thang": "2026-11", "den_thang": "2026-10"}).content.decode()
    assert figure(swapped, "received") == "26"
    other_field = client.get(
        URL, {**OCT_NOV, "don_vi": province["ngoaivu"].pk, "linh_vuc": province["viec_lam"].pk}
    ).content.decode()
    assert figure(other_field, "received") == "7"


def test_the_charts_are_accessible_images_beside_tables(client, province):
    html = client.get(URL, OCT_NOV).content.decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg
        ids = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', svg).groups()
        assert f'<title id="{ids[0]}">' in svg
        assert f'<desc id="{ids[1]}">' in svg
        assert "," not in re.sub(r"<title.*?</title>|<desc.*?</desc>|>[^<]*<", "><", svg)
    assert "Kết quả giải quyết hồ sơ theo tháng" in svgs[0]
    assert ">17<" not in svgs[0]  # the bar values are per month
    assert ">10<" in svgs[0]  # resolved in October
    assert ">7<" in svgs[0]  # … and November
    assert 'data-table="months"' in html
    assert html.count('role="region"') >= 3


def test_the_csv_has_one_row_per_month_agency_field_and_level(client, province):
    response = client.get(reverse("stats:public_csv"), OCT_NOV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="thong-ke-2026-10-2026-11.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    keyed = {(r["Tháng"], r["Đơn vị"], r["Lĩnh vực"], r["Mức độ"]): r for r in rows}
    assert len(rows) == 5
    october = keyed[("10/2026", "Sở Lao động - Thương binh và Xã hội", "Việc làm", "3")]
    assert october["Tiếp nhận trực tuyến"] == "10"
    assert october["Giải quyết trước hạn"] == "2"
    assert october["Đang giải quyết trong hạn"] == "3"  # at the end of October
    assert october["Tỷ lệ đúng hạn (%)"] == "87.5"
    november = keyed[("11/2026", "Sở Lao động - Thương binh và Xã hội", "Việc làm", "3")]
    assert november["Tiếp nhận trực tuyến"] == "0"
    assert november["Tạm dừng (chờ bổ sung)"] == "1"
    assert november["Tỷ lệ đúng hạn (%)"] == ""
    assert (
        keyed[("11/2026", "Sở Ngoại vụ", "Hội nghị, hội thảo quốc tế", "3")]["Mã đơn vị"]
        == province["ngoaivu"].code
    )
    assert sum(int(r["Tiếp nhận trực tuyến"]) for r in rows) == 26
    agency_only = client.get(
        reverse("stats:public_csv"), {**OCT_NOV, "don_vi": province["ngoaivu"].pk}
    ).content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(agency_only)))) == 1


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_few_queries_however_many_agencies_and_days(client, province):
    small = _queries(client, OCT_NOV)
    assert small <= 8
    for n in range(15):
        agency_, (field,) = agency_with_fields(f"UBND xã Thử {n}", "Hộ tịch")
        for day in range(1, 23):
            seed(agency_=agency_, field=field, day=dt.date(2026, 11, day), received_online=1)
    assert _queries(client, OCT_NOV) == small
    assert _queries(client, {**OCT_NOV, "don_vi": province["ldtbxh"].pk}) <= small + 1


def test_an_empty_portal_shows_dashes_not_errors(client, clock, settings):
    """Nothing to count: the embedded profile rebuilds (nothing), the page says so."""
    settings.CELERY_BROKER_URL = ""
    clock.set(at(2026, 11, 22, 10))
    html = client.get(URL).content.decode()
    assert "từ ngày 01/12/2025 đến ngày 22/11/2026" in html  # the last 12 months
    assert figure(html, "received") == "0"
    assert figure(html, "on-time-rate") == "—"
    assert figure(html, "score") == "—/100"
    assert "Chưa có hồ sơ nào được giải quyết trong khoảng thời gian này." in html
    assert RebuildLog.objects.count() == 1


def test_the_home_page_and_every_footer_link_to_it(client):
    home = client.get("/").content.decode()
    assert home.count('href="/thong-ke/"') == 2  # the entry and the footer
    terms = client.get("/dieu-khoan-su-dung/").content.decode()
    assert 'href="/thong-ke/"' in terms
    assert 'href="/phan-anh-kien-nghi/"' in terms


def test_from_dossiers_to_the_page(client, clock, make_office, life, settings):
    """Real dossiers, no beat (embedded profile): the stale page rebuilds, then shows them."""
    settings.CELERY_BROKER_URL = ""
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    done, late, waiting = life(where), life(where), life(where)
    for item in (done, late, waiting):
        item.receive(at(2026, 11, 9, 9))
    done.decide(at(2026, 11, 10, 9))
    late.decide(at(2026, 11, 13, 9))
    clock.set(at(2026, 11, 22, 10))
    html = client.get(URL, {"don_vi": where.agency.pk}).content.decode()
    assert figure(html, "received") == "3"
    assert figure(html, "resolved") == "2"
    assert figure(html, "on-time-rate") == "50,0 %"
    assert figure(html, "in-progress") == "1"
    assert "quá hạn 1 · tạm dừng 0" in html
