"""Issue 9: every kind of page, public and logged in, scanned with axe-core (no serious or
critical violation), at a desktop size, with the demo catalogue of Bình Phước.

Each case opens one page type in the state people meet it in (a catalogue with its filters
chosen, a form showing its errors, a lookup with and without a result, an officer's inbox
and dossier page behind the second factor) and asks axe-core what it finds; see
docs/accessibility.md. The journeys (test_guides_journey.py) scan every page they pass too.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .a11y import expect_accessible
from .journeys import (
    LDTBXH_CODE,
    NGOAI_VU_CODE,
    button,
    demo_with_a_dossier,
    error_summaries,
    fill_registration,
    one_at_a_time,
    person,
    sign_in,
)


@pytest.fixture
def data(portal, settings, tmp_path):
    return demo_with_a_dossier(settings, tmp_path / "media")


def registration_with_errors(page: Page, portal, data) -> None:
    page.goto(portal.at("/tai-khoan/dang-ky/"))
    who = person("Trần Thị Bình", birth=dt.date(1985, 3, 2), female=True)
    fill_registration(page, who, password2="một mật khẩu khác 2026")
    page.get_by_label(re.compile(r"^\s*Số điện thoại")).fill("12345")
    button(page, "Đăng ký").click()
    expect(error_summaries(page)).to_be_focused()


def verification(page: Page, portal, data) -> None:
    from dichvucong.accounts.tests.factories import citizen

    sign_in(page, portal, citizen())
    page.goto(portal.at("/tai-khoan/xac-thuc/"))
    expect(page.get_by_role("heading", name="Xác thực tài khoản")).to_be_visible()


def submission_with_errors(page: Page, portal, data) -> None:
    from dichvucong.dossiers import services

    dossier = services.dossier_start(user=data["user"], procedure=data["khai_bao"], level=4)
    sign_in(page, portal, data["user"])
    page.goto(portal.at(f"/ho-so/{dossier.pk}/to-khai/"))
    button(page, "Nộp hồ sơ").click()
    expect(error_summaries(page).first).to_be_focused()


def as_citizen(path: str):
    def open_page(page: Page, portal, data) -> None:
        sign_in(page, portal, data["user"])
        page.goto(portal.at(path.format(**data)))

    return open_page


def as_reception(path: str):
    def open_page(page: Page, portal, data) -> None:
        one_at_a_time(page, "**/can-bo/tep/*/xem/")
        sign_in(page, portal, data["reception"], second_factor=True)
        page.goto(portal.at(path.format(**data)))
        page.wait_for_load_state("networkidle")

    return open_page


def public(path: str):
    def open_page(page: Page, portal, data) -> None:
        page.goto(portal.at(path.format(**data)))

    return open_page


PAGES = {
    "home": public("/"),
    "catalogue-filtered": public(
        "/thu-tuc/?don_vi=" + LDTBXH_CODE + "&linh_vuc={atvsld.pk}&muc_do=4&tu_khoa=khai+bao"
    ),
    "catalogue-empty": public("/thu-tuc/?tu_khoa=khong+co+thu+tuc+nao+nhu+vay"),
    "procedure": public("/thu-tuc/{khai_bao.pk}/"),
    "agency": public("/thu-tuc/don-vi/" + NGOAI_VU_CODE + "/"),
    "terms": public("/dieu-khoan-su-dung/"),
    "login": public("/tai-khoan/dang-nhap/"),
    "registration-errors": registration_with_errors,
    "verification": verification,
    "submission-errors": submission_with_errors,
    "my-dossiers": as_citizen("/ho-so/"),
    "dossier": as_citizen("/ho-so/{dossier.pk}/"),
    "notifications": as_citizen("/thong-bao/"),
    "lookup": public("/tra-cuu/"),
    "lookup-found": public("/tra-cuu/?ma={dossier.code}"),
    "lookup-not-found": public("/tra-cuu/?ma=000.00.17.H10-010101-0001"),
    "statistics": public("/thong-ke/"),
    "feedback": public("/phan-anh-kien-nghi/"),
    "home-english": public("/en/"),
    "catalogue-english": public("/en/thu-tuc/?don_vi=" + LDTBXH_CODE),
    "procedure-english": public("/en/thu-tuc/{khai_bao.pk}/"),
    "lookup-english": public("/en/tra-cuu/?ma={dossier.code}"),
    "statistics-english": public("/en/thong-ke/"),
    "staff-inbox": as_reception("/can-bo/"),
    "staff-dossier": as_reception("/can-bo/ho-so/{dossier.pk}/"),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_serious_accessibility_violation(
    page: Page, portal, data, shot, page_problems, kind
):
    """The page type opened as people meet it: axe-core finds no serious or critical
    violation (contrast AA, names and labels, landmarks, headings, ARIA)."""
    if kind.endswith("-errors"):
        page_problems.ignore(r"status of 400 ")  # a form sent back with its errors
    PAGES[kind](page, portal, data)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    shot(page, kind)
    expect_accessible(page)
