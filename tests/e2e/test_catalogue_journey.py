"""Issue "Procedure catalogue": the user guides' §II Bước 2–4 in Chromium against the live
portal with the demo catalogue of Bình Phước: "Thủ tục hành chính" → "Đơn vị" → "Lĩnh vực" →
"Tìm kiếm" → a procedure → "Nộp hồ sơ", for both guides' departments, with JavaScript and
without it, on a desktop and on a phone.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import button, expect_logged_in, field, login, no_horizontal_scroll, open_home

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
NGOAI_VU = "Sở Ngoại vụ"
ATVSLD = "An toàn, vệ sinh lao động"
KHAI_BAO = (
    "Khai báo sử dụng máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn, vệ sinh lao động"
)
HOI_THAO = "Cho phép tổ chức hội nghị, hội thảo quốc tế"
PASSWORD = "Cây điều Bình Phước 2026"


@pytest.fixture(autouse=True)
def demo_catalogue(portal, settings, tmp_path):
    """The catalogue `make run` loads (5 departments, 50 procedures); its Word templates go
    to this test's own folder."""
    from dichvucong.catalog.demo import demo_catalogue_load

    settings.MEDIA_ROOT = tmp_path / "media"
    return demo_catalogue_load()


@pytest.fixture
def citizen(db):
    """A registered, verified citizen (registration itself has its own journey)."""
    from dichvucong.accounts.models import User

    return User.objects.create_user(
        "070090123456",
        password=PASSWORD,
        kind="citizen",
        full_name="Nguyễn Văn An",
        id_kind="cccd",
        id_number="070090123456",
        phone="0912345678",
        email="an.nguyen@example.vn",
        email_verified_at=timezone.now(),
    )


def open_catalogue(page: Page) -> None:
    """§II Bước 2: "Thủ tục hành chính" in the top navigation."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Thủ tục hành chính", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")


def field_options(page: Page) -> list[str]:
    return field(page, "Lĩnh vực").locator("option").all_inner_texts()


def results(page: Page) -> list[str]:
    return page.locator(".procedure-name a").all_inner_texts()


def result_heading(page: Page):
    return page.get_by_role("heading", name=re.compile(r"^Tìm thấy \d+ thủ tục"))


def test_ldtbxh_guide_find_and_open_a_procedure(page: Page, portal, citizen, shot):
    """§II Bước 2–4 of the LĐTBXH guide: agency, field "An toàn, vệ sinh lao động", "Tìm kiếm",
    a procedure, its documents and template, then "Nộp hồ sơ" (log in first)."""
    open_home(page, portal.url)
    expect(page.get_by_text(re.compile(r"Cổng đang cung cấp 50 thủ tục"))).to_be_visible()
    shot(page, "Trang chủ")

    # Bước 2
    open_catalogue(page)
    expect(result_heading(page)).to_have_text("Tìm thấy 50 thủ tục")
    shot(page, "Danh mục thủ tục hành chính")

    # Bước 3: the agency; the "Lĩnh vực" list follows at once (JavaScript).
    field(page, "Đơn vị").select_option(label=LDTBXH)
    expect(field(page, "Lĩnh vực").locator("option")).to_have_count(9)
    assert field_options(page)[1:] == [
        ATVSLD,
        "Việc làm",
        "Lao động - Tiền lương",
        "Giáo dục nghề nghiệp",
        "Người có công",
        "Bảo trợ xã hội",
        "Trẻ em",
        "Phòng, chống tệ nạn xã hội",
    ]
    shot(page, "Đã chọn Sở Lao động - Thương binh và Xã hội")

    # Bước 4: the field, "Tìm kiếm".
    field(page, "Lĩnh vực").select_option(label=ATVSLD)
    button(page, "Tìm kiếm").click()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 6 thủ tục — {LDTBXH} — {ATVSLD}")
    expect(page).to_have_url(re.compile(r"don_vi=000\.00\.17\.H10&linh_vuc=\d+"))
    assert KHAI_BAO in results(page)
    expect(field(page, "Đơn vị")).to_have_value("000.00.17.H10")
    shot(page, "Kết quả tìm kiếm lĩnh vực An toàn, vệ sinh lao động")

    # Open the procedure: every attribute, the documents to prepare, a template to download.
    page.get_by_role("link", name=KHAI_BAO, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(KHAI_BAO)
    expect(page.get_by_text("2.000134", exact=True)).to_be_visible()
    expect(page.get_by_text("5 ngày làm việc", exact=True)).to_be_visible()
    components = page.get_by_role("table").filter(has_text="Tên giấy tờ")
    expect(components).to_contain_text("Giấy chứng nhận kết quả kiểm định")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Tải mẫu Phiếu khai báo")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    shot(page, "Trang thủ tục")

    # Back to the results: the filters are in the URL, the page is as it was.
    page.go_back()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 6 thủ tục — {LDTBXH} — {ATVSLD}")
    expect(field(page, "Lĩnh vực")).to_have_value(re.compile(r"\d+"))

    # "Nộp hồ sơ" on the procedure's row: log in, then the level choice (guide Bước 5).
    row = page.locator(".procedure-item").filter(has_text=KHAI_BAO)
    row.get_by_role("link", name=re.compile(r"^Nộp hồ sơ")).click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "Nộp hồ sơ: đăng nhập trước")
    login(page, citizen.username, PASSWORD)
    expect_logged_in(page)
    expect(page).to_have_url(re.compile(r"/ho-so/nop/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KHAI_BAO)
    expect(page.get_by_text("Chọn mức độ dịch vụ công")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Mức độ 4"))).to_be_visible()
    shot(page, "Chọn mức độ")


def test_ngoai_vu_guide_on_a_phone(mobile_page: Page, portal, shot):
    """§II Bước 2–4 of the Sở Ngoại vụ guide on a phone screen: the agency, "Tìm kiếm", a
    procedure, "Nộp hồ sơ"; nothing scrolls sideways."""
    page = mobile_page
    open_home(page, portal.url)
    open_catalogue(page)
    no_horizontal_scroll(page)
    field(page, "Đơn vị").select_option(label=NGOAI_VU)
    # the script refills "Lĩnh vực" right after the change: wait for it, then compare
    expect(field(page, "Lĩnh vực").locator("option")).to_have_count(4)
    assert field_options(page)[1:] == [
        "Công tác lãnh sự",
        "Hội nghị, hội thảo quốc tế",
        "Tổ chức phi chính phủ nước ngoài",
    ]
    button(page, "Tìm kiếm").click()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 6 thủ tục — {NGOAI_VU}")
    no_horizontal_scroll(page)
    shot(page, "Thủ tục của Sở Ngoại vụ")

    page.get_by_role("link", name=HOI_THAO, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HOI_THAO)
    expect(
        page.get_by_text("Mức độ 3 (một phần), Mức độ 4 (toàn trình)", exact=True)
    ).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "Trang thủ tục trên điện thoại")

    page.get_by_role("link", name="Nộp hồ sơ", exact=True).first.click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/thu-tuc/\d+/nop-ho-so/"))
    shot(page, "Nộp hồ sơ: đăng nhập")


def test_filters_without_javascript(new_page, portal, shot):
    """Without JavaScript the "Lĩnh vực" list follows the agency after "Tìm kiếm" reloads the
    page; the guide's steps work the same."""
    page = new_page(java_script_enabled=False)
    page.goto(portal.at("/thu-tuc/"))
    expect(page.get_by_text("Sau khi chọn đơn vị, nhấn “Tìm kiếm”")).to_be_visible()
    # before an agency is chosen, the page says to choose one first
    assert field_options(page) == ["Tất cả lĩnh vực"]
    expect(page.get_by_text("Chọn đơn vị để thấy các lĩnh vực của đơn vị đó.")).to_be_visible()
    shot(page, "Danh mục không có JavaScript")

    field(page, "Đơn vị").select_option(label=LDTBXH)
    assert field_options(page) == ["Tất cả lĩnh vực"]  # nothing changes without a reload
    button(page, "Tìm kiếm").click()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 29 thủ tục — {LDTBXH}")
    assert field_options(page)[1:3] == [ATVSLD, "Việc làm"]
    assert "Công tác lãnh sự" not in field_options(page)
    shot(page, "Lĩnh vực theo đơn vị sau khi tải lại")

    field(page, "Lĩnh vực").select_option(label=ATVSLD)
    field(page, "Mức độ").select_option(label="Mức độ 4 (toàn trình)")
    button(page, "Tìm kiếm").click()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 3 thủ tục — {LDTBXH} — {ATVSLD}")
    assert KHAI_BAO in results(page)
    shot(page, "Kết quả lọc theo lĩnh vực và mức độ")

    # An agency changed while the old field stays selected: the field is dropped, with a note.
    field(page, "Đơn vị").select_option(label=NGOAI_VU)
    button(page, "Tìm kiếm").click()
    expect(page.get_by_text("Lĩnh vực đã chọn không thuộc đơn vị này")).to_be_visible()
    # ("Mức độ 4" is still chosen: Sở Ngoại vụ offers two procedures at that level)
    expect(result_heading(page)).to_have_text(f"Tìm thấy 2 thủ tục — {NGOAI_VU}")
    expect(field(page, "Mức độ")).to_have_value("4")


def test_search_without_diacritics_from_the_home_page(page: Page, portal, shot):
    """ "an toan ve sinh lao dong" typed without marks finds "An toàn, vệ sinh lao động"; an
    abbreviation and a national code work too; nothing found says so."""
    open_home(page, portal.url)
    field(page, "Từ khóa").fill("an toan ve sinh lao dong")
    button(page, "Tìm kiếm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    expect(field(page, "Từ khóa")).to_have_value("an toan ve sinh lao dong")
    assert KHAI_BAO in results(page)
    shot(page, "Tìm không dấu")

    field(page, "Từ khóa").fill("ATVSLĐ")
    button(page, "Tìm kiếm").click()
    assert KHAI_BAO in results(page)

    field(page, "Từ khóa").fill("2.001707")
    button(page, "Tìm kiếm").click()
    assert results(page) == [HOI_THAO]
    shot(page, "Tìm theo mã thủ tục")

    field(page, "Từ khóa").fill("không có thủ tục này")
    button(page, "Tìm kiếm").click()
    expect(page.get_by_text("Không tìm thấy thủ tục nào phù hợp.")).to_be_visible()
    shot(page, "Không tìm thấy")


def test_agency_page_from_the_home_page(page: Page, portal, shot):
    """The home page lists the agencies; an agency's page lists its fields and procedures."""
    open_home(page, portal.url)
    page.get_by_role("link", name=NGOAI_VU, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NGOAI_VU)
    fields = page.get_by_role("navigation", name="Lĩnh vực")
    expect(fields.get_by_role("link")).to_have_text(
        ["Công tác lãnh sự", "Hội nghị, hội thảo quốc tế", "Tổ chức phi chính phủ nước ngoài"]
    )
    shot(page, "Trang Sở Ngoại vụ")
    page.get_by_role("link", name=re.compile(r"^Tìm trong 6 thủ tục của đơn vị")).click()
    expect(result_heading(page)).to_have_text(f"Tìm thấy 6 thủ tục — {NGOAI_VU}")
