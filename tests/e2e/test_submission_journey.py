"""Issue "Online dossier submission": the user guides' §II Bước 1–7 and "Hồ sơ của bạn" in
Chromium against the live portal with the demo catalogue of Bình Phước, with the applicant's
messages going to a real SMTP server and a real SMS gateway.

- LĐTBXH (desktop): the guide's own example, field "An toàn, vệ sinh lao động", the
  declaration of machines (a table of rows), a validation error that keeps what was typed and
  attached, "Lưu nháp", back through "Hồ sơ của bạn", review, "Nộp hồ sơ", the code.
- Sở Ngoại vụ (360×740 phone, organisation account): "Cho phép tổ chức hội nghị, hội thảo
  quốc tế" at level 3; no page scrolls sideways.
- JavaScript off: a small form of Sở Ngoại vụ from the level choice to the completion screen.
- A double click on the final "Nộp hồ sơ", then the same button in a second tab: one dossier
  (JavaScript on and off).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .journeys import (
    ATVSLD,
    KHAI_BAO,
    KHAI_BAO_COMPONENTS,
    KHAI_BAO_MACHINES,
    KHAI_BAO_PLEDGE,
    KHAI_BAO_TEXT,
    LANH_SU,
    LDTBXH,
    LDTBXH_CODE,
    NGOAI_VU,
    NGOAI_VU_CODE,
    applicant_account,
    attach,
    button,
    error_summaries,
    expect_completion,
    expect_messages,
    field,
    file_input,
    fill_address,
    fill_khai_bao,
    fill_lanh_su,
    fill_row,
    fits_phone_width,
    load_demo,
    log_in_from_home,
    my_dossiers,
    nav_link,
    pdf_file,
    person,
    png_file,
    vn_date,
    words_cut_in_cells,
)

HOI_THAO = "Cho phép tổ chức hội nghị, hội thảo quốc tế"
HOI_NGHI_FIELD = "Hội nghị, hội thảo quốc tế"
HOI_THAO_COMPONENTS = (
    "Công văn xin phép tổ chức hội nghị, hội thảo quốc tế",
    "Đề án tổ chức hội nghị, hội thảo quốc tế (Mẫu 01 kèm theo Quyết định số 06/2020/QĐ-TTg)",
    "Danh sách đại biểu nước ngoài dự kiến tham dự",
)


@pytest.fixture(autouse=True)
def demo(portal, settings, tmp_path):
    """`manage.py load_demo` in the live server's database (catalogue and demo staff)."""
    load_demo(settings, tmp_path / "media")


def test_ldtbxh_guide_submit_online(page: Page, portal, shot, tmp_path, page_problems):
    """§II Bước 1–7 of the LĐTBXH guide: log in, "Thủ tục hành chính", the agency, the field
    "An toàn, vệ sinh lao động", "Tìm kiếm", "Nộp hồ sơ", the level, the declaration with
    its machines table and the scanned documents; a missing field keeps everything; "Lưu
    nháp"; back from "Hồ sơ của bạn"; review; "Nộp hồ sơ"; the code by email and SMS."""
    from dichvucong.dossiers.models import Dossier

    page_problems.ignore(r"status of 400 .*/to-khai/")  # the form with its errors
    who = person("Nguyễn Văn An", birth=dt.date(1988, 4, 30))
    account = applicant_account(who)
    phieu = pdf_file(tmp_path, "phieu-khai-bao.pdf", "Phieu khai bao thiet bi")
    giay_kd = png_file(tmp_path, "giay-chung-nhan-kiem-dinh.png")
    bien_ban = pdf_file(tmp_path, "bien-ban-kiem-dinh.pdf", "Bien ban kiem dinh")

    # Bước 1: log in.
    log_in_from_home(page, portal.url, who.id_number, who.password)
    shot(page, "Bước 1: đã đăng nhập")

    # Bước 2–4: "Thủ tục hành chính", the agency, the field, "Tìm kiếm", "Nộp hồ sơ".
    nav_link(page, "Thủ tục hành chính").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    field(page, "Đơn vị").select_option(label=LDTBXH)
    expect(field(page, "Lĩnh vực").locator("option", has_text=ATVSLD)).to_have_count(1)
    field(page, "Lĩnh vực").select_option(label=ATVSLD)
    shot(page, "Bước 3: chọn đơn vị và lĩnh vực")
    button(page, "Tìm kiếm").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Tìm thấy 6 thủ tục"))).to_be_visible()
    shot(page, "Bước 4: kết quả tìm kiếm")
    row = page.locator(".procedure-item").filter(has_text=KHAI_BAO)
    row.get_by_role("link", name=re.compile(r"^Nộp hồ sơ")).click()

    # Bước 5: the level; this procedure is offered at level 4 only, explained in words.
    expect(page.get_by_role("heading", level=1)).to_have_text(KHAI_BAO)
    expect(page).to_have_url(re.compile(r"/ho-so/nop/\d+/$"))
    level4 = page.get_by_label(re.compile(r"^Mức độ 4"))
    expect(level4).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Mức độ 3"))).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Toàn trình trực tuyến"))).to_be_visible()
    shot(page, "Bước 5: chọn mức độ")
    button(page, "Tiếp tục").click()

    # Bước 6: the declaration form; the account's phone and email are prefilled.
    expect(page).to_have_url(re.compile(r"/ho-so/\d+/to-khai/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KHAI_BAO)
    expect(field(page, "Số điện thoại liên hệ")).to_have_value(who.phone_normalised)
    expect(field(page, "Thư điện tử")).to_have_value(who.email)
    expect(
        page.get_by_role("region", name="Danh sách máy, thiết bị, vật tư khai báo")
    ).to_be_visible()
    # required fields are marked "*" and announced as required
    for label in ("Tên tổ chức, cá nhân sử dụng", "Người đại diện theo pháp luật"):
        expect(field(page, label)).to_have_attribute("aria-required", "true")
    expect(
        page.locator("label", has_text="Người đại diện theo pháp luật").locator(".required")
    ).to_have_text("*")
    expect(file_input(page, KHAI_BAO_COMPONENTS[0])).to_have_attribute("aria-required", "true")
    expect(file_input(page, KHAI_BAO_COMPONENTS[2])).not_to_have_attribute("aria-required", "true")
    shot(page, "Bước 6: tờ khai trực tuyến")

    # A required field left empty and one required document missing: "Nộp hồ sơ".
    fill_khai_bao(page, skip=("Người đại diện theo pháp luật",))
    attach(page, KHAI_BAO_COMPONENTS[0], phieu)
    shot(page, "Bước 6: đã điền, còn thiếu người đại diện")
    button(page, "Nộp hồ sơ").click()
    summaries = error_summaries(page)
    expect(summaries.first).to_be_focused()
    expect(summaries.first.get_by_role("heading")).to_have_text("Vui lòng kiểm tra lại thông tin")
    representative_error = summaries.first.get_by_role(
        "link", name="Vui lòng nhập người đại diện theo pháp luật."
    )
    expect(representative_error).to_have_attribute("href", "#id_tk-nguoi_dai_dien")
    expect(summaries.first.get_by_role("link")).to_have_count(1)
    missing = summaries.filter(has_text="Còn thiếu giấy tờ bắt buộc")
    expect(missing.get_by_role("link")).to_have_text([KHAI_BAO_COMPONENTS[1]])
    representative = field(page, "Người đại diện theo pháp luật")
    expect(representative).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_tk-nguoi_dai_dien-error")).to_contain_text(
        "Vui lòng nhập người đại diện theo pháp luật."
    )
    # … what was typed is kept, and so is the file already attached
    for label, value in KHAI_BAO_TEXT.items():
        if label != "Người đại diện theo pháp luật":
            expect(field(page, label)).to_have_value(value)
    expect(field(page, "Địa chỉ trụ sở chính")).to_have_value("Tỉnh Đồng Nai")
    expect(field(page, "Xã/phường/đặc khu")).to_have_value("Phường Đồng Xoài")
    expect(page.get_by_label("Tên máy, thiết bị, dòng 2", exact=True)).to_have_value(
        KHAI_BAO_MACHINES[1]["Tên máy, thiết bị"]
    )
    expect(page.get_by_label("Ngày kiểm định, dòng 1", exact=True)).to_have_value(vn_date(-11))
    expect(page.get_by_label(KHAI_BAO_PLEDGE)).to_be_checked()
    first_component = page.locator(".component").filter(
        has=file_input(page, KHAI_BAO_COMPONENTS[0])
    )
    expect(first_component.get_by_role("link", name="phieu-khai-bao.pdf")).to_be_visible()
    shot(page, "Bước 6: lỗi được tóm tắt, thông tin và tệp vẫn còn")

    # The summary's link leads to the field; fill it, attach the certificate, "Lưu nháp".
    representative_error.click()
    expect(representative).to_be_in_viewport()
    representative.fill(KHAI_BAO_TEXT["Người đại diện theo pháp luật"])
    attach(page, KHAI_BAO_COMPONENTS[1], giay_kd)
    button(page, "Lưu nháp").click()
    expect(
        page.get_by_text("Đã lưu nháp. Bạn có thể tiếp tục khai sau trong mục Hồ sơ của bạn.")
    ).to_be_visible()
    expect(error_summaries(page)).to_have_count(0)
    shot(page, "Lưu nháp")

    # Later: "Hồ sơ của bạn" lists the draft; it opens where the citizen left it.
    nav_link(page, "Hồ sơ của bạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của bạn")
    expect(my_dossiers(page)).to_have_count(1)
    expect(my_dossiers(page).first).to_contain_text(KHAI_BAO)
    expect(my_dossiers(page).first.locator(".tag")).to_have_text("Hồ sơ nháp")
    shot(page, "Hồ sơ của bạn: hồ sơ nháp")
    my_dossiers(page).first.get_by_role("link", name="Hồ sơ nháp").click()
    expect(page).to_have_url(re.compile(r"/ho-so/\d+/to-khai/$"))
    expect(field(page, "Người đại diện theo pháp luật")).to_have_value("Nguyễn Văn An")
    expect(field(page, "Số nhà, đường, thôn/ấp/tổ")).to_have_value("Số 12, đường Phú Riềng Đỏ")
    expect(page.get_by_label("Nhóm thiết bị, dòng 2", exact=True)).to_have_value("can_truc")
    expect(page.get_by_role("link", name="giay-chung-nhan-kiem-dinh.png")).to_be_visible()
    attach(page, KHAI_BAO_COMPONENTS[2], bien_ban)
    shot(page, "Tiếp tục khai hồ sơ nháp")

    # "Nộp hồ sơ": the review shows everything once more.
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    answers = page.locator("dl.answers")
    expect(answers.locator("dd").first).to_have_text(KHAI_BAO_TEXT["Tên tổ chức, cá nhân sử dụng"])
    expect(answers).to_contain_text("Số 12, đường Phú Riềng Đỏ, Phường Đồng Xoài, Tỉnh Đồng Nai")
    machines = answers.locator("table tbody tr")
    expect(machines).to_have_count(2)
    expect(machines.nth(0)).to_contain_text("Nồi hơi ống lửa nằm ngang")
    expect(machines.nth(0)).to_contain_text("Nồi hơi, nồi đun nước nóng")
    expect(machines.nth(1)).to_contain_text("Cầu trục dầm đôi 10 tấn")
    for name in ("phieu-khai-bao.pdf", "giay-chung-nhan-kiem-dinh.png", "bien-ban-kiem-dinh.pdf"):
        expect(page.locator(".component-list").get_by_role("link", name=name)).to_be_visible()
    shot(page, "Kiểm tra lại hồ sơ")

    # Bước 7: the final "Nộp hồ sơ" and the completion screen.
    button(page, "Nộp hồ sơ").click()
    code = expect_completion(page, LDTBXH_CODE)
    receipt = page.get_by_role("region", name="Biên nhận hồ sơ trực tuyến")
    expect(receipt).to_contain_text(KHAI_BAO)
    expect(receipt).to_contain_text(LDTBXH)
    expect(receipt).to_contain_text("5 ngày làm việc kể từ khi hồ sơ được tiếp nhận")
    expect(receipt).to_contain_text("Mới nộp, chờ tiếp nhận")
    expect(page.get_by_text(f"Hồ sơ đã được chuyển tới {LDTBXH}")).to_be_visible()
    expect(page.get_by_text("Kết quả điện tử sẽ có trên cổng")).to_be_visible()
    shot(page, "Bước 7: nộp hồ sơ thành công")
    expect_messages(portal, who, code, LDTBXH)

    # "Hồ sơ của bạn": the dossier, no draft left behind.
    page.get_by_role("main").get_by_role("link", name="Hồ sơ của bạn").click()
    expect(my_dossiers(page)).to_have_count(1)
    listed = my_dossiers(page).first
    expect(listed.get_by_role("link", name=code)).to_be_visible()
    expect(listed.locator(".tag")).to_have_text("Mới nộp, chờ tiếp nhận")
    expect(listed).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    shot(page, "Hồ sơ của bạn: mới nộp, chờ tiếp nhận")

    dossier = Dossier.objects.get(applicant=account)
    assert dossier.code == code
    assert dossier.status == "submitted"
    assert dossier.level == 4
    assert dossier.form_data["nguoi_dai_dien"] == "Nguyễn Văn An"
    assert [m["so_che_tao"] for m in dossier.form_data["danh_sach_thiet_bi"]] == [
        "NH-2024-015",
        "CT-2023-207",
    ]
    assert sorted(dossier.attachments.values_list("original_name", flat=True)) == [
        "bien-ban-kiem-dinh.pdf",
        "giay-chung-nhan-kiem-dinh.png",
        "phieu-khai-bao.pdf",
    ]

    # The dossier page shows the answers, the machines table readably: no word of a cell is
    # cut into letters to squeeze the table beside a long label.
    listed.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    shot(page, "Trang hồ sơ")
    assert words_cut_in_cells(page, "dl.answers table th, dl.answers table td") == []


HOI_THAO_TEXT = {
    "Tên đơn vị tổ chức": "Trường Đại học Bình Phước",
    "Người liên hệ": "Trần Thị Bình",
    "Tên hội nghị, hội thảo (tiếng Việt)": "Hội thảo quốc tế về cây điều bền vững 2026",
    "Mục đích, nội dung và chương trình làm việc": (
        "Trao đổi kinh nghiệm trồng và chế biến hạt điều; tham quan vùng nguyên liệu."
    ),
    "Số đại biểu Việt Nam (dự kiến)": "80",
    "Số đại biểu nước ngoài (dự kiến)": "2",
    "Nguồn kinh phí tổ chức": "Tài trợ của đối tác nước ngoài",
}


def test_ngoai_vu_submission_on_a_phone(mobile_page: Page, portal, shot, tmp_path):
    """§II of the Sở Ngoại vụ guide at 360×740 with an organisation account (the procedure is
    for organisations): level 3, the form with its delegates table, three documents; no page
    scrolls sideways."""
    from dichvucong.dossiers.models import Dossier

    page = mobile_page
    who = person("Trần Thị Bình", birth=dt.date(1980, 2, 14), female=True)
    account = applicant_account(
        who, organisation="Trường Đại học Bình Phước", tax_code="3800112233"
    )
    files = [
        pdf_file(tmp_path, "cong-van-xin-phep.pdf", "Cong van"),
        pdf_file(tmp_path, "de-an-mau-01.pdf", "De an"),
        png_file(tmp_path, "danh-sach-dai-bieu.png"),
    ]

    log_in_from_home(page, portal.url, "3800112233", who.password)
    fits_phone_width(page)
    shot(page, "Bước 1: tổ chức đã đăng nhập")

    nav_link(page, "Thủ tục hành chính").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    fits_phone_width(page)
    field(page, "Đơn vị").select_option(label=NGOAI_VU)
    expect(field(page, "Lĩnh vực").locator("option", has_text=HOI_NGHI_FIELD)).to_have_count(1)
    field(page, "Lĩnh vực").select_option(label=HOI_NGHI_FIELD)
    button(page, "Tìm kiếm").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Tìm thấy 2 thủ tục"))).to_be_visible()
    fits_phone_width(page)
    shot(page, "Bước 3–4: thủ tục hội nghị, hội thảo quốc tế")
    row = page.locator(".procedure-item").filter(
        has=page.get_by_role("link", name=HOI_THAO, exact=True)
    )
    row.get_by_role("link", name=re.compile(r"^Nộp hồ sơ")).click()

    # Bước 5: both levels offered; level 3 (result at the desk with the originals).
    expect(page.get_by_role("heading", level=1)).to_have_text(HOI_THAO)
    level3 = page.get_by_label(re.compile(r"^Mức độ 3"))
    expect(page.get_by_label(re.compile(r"^Mức độ 4"))).to_be_visible()
    fits_phone_width(page)
    shot(page, "Bước 5: chọn mức độ 3")
    level3.check()
    button(page, "Tiếp tục").click()

    # Bước 6: the form on a phone; the delegates table scrolls inside its own box.
    expect(page).to_have_url(re.compile(r"/ho-so/\d+/to-khai/$"))
    expect(page.locator("main p.caption")).to_have_text(f"{NGOAI_VU} · Mức độ 3")
    expect(field(page, "Số điện thoại liên hệ")).to_have_value(who.phone_normalised)
    fits_phone_width(page)
    shot(page, "Bước 6: tờ khai trên điện thoại")
    for label, value in HOI_THAO_TEXT.items():
        field(page, label).fill(value)
    field(page, "Loại đơn vị tổ chức").select_option(
        label="Cơ quan nhà nước, đơn vị sự nghiệp công lập"
    )
    field(page, "Hình thức tổ chức").select_option(label="Kết hợp trực tiếp và trực tuyến")
    field(page, "Thời gian bắt đầu").fill(vn_date(40))
    field(page, "Thời gian kết thúc").fill(vn_date(41))
    fill_address(
        page, "Địa điểm tổ chức", ("Tỉnh Đồng Nai", "Phường Bình Phước", "Số 1 Trần Hưng Đạo")
    )
    delegates = [
        {
            "Họ và tên": "Kim Min-jun",
            "Quốc tịch": "Hàn Quốc",
            "Số hộ chiếu": "M12345678",
            "Cơ quan, tổ chức": "Đại học Quốc gia Seoul",
            "Chức vụ": "Giáo sư",
        },
        {
            "Họ và tên": "Tanaka Hiroshi",
            "Quốc tịch": "Nhật Bản",
            "Số hộ chiếu": "TR0987654",
            "Cơ quan, tổ chức": "Đại học Kyoto",
        },
    ]
    for number, delegate in enumerate(delegates, start=1):
        fill_row(page, number, delegate)
    page.get_by_label(re.compile(r"^Đơn vị tổ chức cam kết")).check()
    for component, path in zip(HOI_THAO_COMPONENTS, files, strict=True):
        attach(page, component, path)
    fits_phone_width(page)
    shot(page, "Bước 6: đã điền và đính kèm")
    button(page, "Nộp hồ sơ").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    expect(page.locator("dl.answers table tbody tr")).to_have_count(2)
    expect(page.locator("dl.answers")).to_contain_text("Kim Min-jun")
    fits_phone_width(page)
    shot(page, "Kiểm tra lại hồ sơ trên điện thoại")
    button(page, "Nộp hồ sơ").tap()

    code = expect_completion(page, NGOAI_VU_CODE)
    receipt = page.get_by_role("region", name="Biên nhận hồ sơ trực tuyến")
    expect(receipt).to_contain_text("Trường Đại học Bình Phước")  # submitted as the organisation
    expect(receipt).to_contain_text("20 ngày làm việc")
    expect(page.get_by_text("mang bản gốc các giấy tờ đến bộ phận một cửa")).to_be_visible()
    fits_phone_width(page)
    shot(page, "Bước 7: nộp hồ sơ thành công trên điện thoại")
    expect_messages(portal, who, code, NGOAI_VU, addressee="Trường Đại học Bình Phước")

    page.get_by_role("main").get_by_role("link", name="Hồ sơ của bạn").tap()
    listed = my_dossiers(page).filter(has_text=code)
    expect(listed.locator(".tag")).to_have_text("Mới nộp, chờ tiếp nhận")
    fits_phone_width(page)
    shot(page, "Hồ sơ của bạn trên điện thoại")

    dossier = Dossier.objects.get(applicant=account)
    assert (dossier.code, dossier.level, dossier.status) == (code, 3, "submitted")
    assert [d["so_ho_chieu"] for d in dossier.form_data["dai_bieu_nuoc_ngoai"]] == [
        "M12345678",
        "TR0987654",
    ]
    assert dossier.attachments.count() == 3

    # The dossier page shows the delegates table readably on the phone: a column may scroll
    # sideways inside its box, but no word is cut into letters to squeeze it in.
    listed.get_by_role("link", name=code).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    fits_phone_width(page)
    shot(page, "Trang hồ sơ trên điện thoại")
    assert words_cut_in_cells(page, "dl.answers table th, dl.answers table td") == []


def start_lanh_su(page: Page, portal, who) -> None:
    """Log in and open "Nộp hồ sơ" of LANH_SU from its procedure page (level 3 only)."""
    from dichvucong.catalog.models import Procedure

    log_in_from_home(page, portal.url, who.id_number, who.password)
    procedure = Procedure.objects.get(name=LANH_SU)
    page.goto(portal.at(f"/thu-tuc/{procedure.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LANH_SU)
    page.get_by_role("link", name="Nộp hồ sơ", exact=True).first.click()
    expect(page.get_by_label(re.compile(r"^Mức độ 3"))).to_be_checked()


def test_submission_without_javascript(new_page, portal, shot, tmp_path):
    """JavaScript off: the level, a small form (Sở Ngoại vụ's consular certification), the
    files, "Nộp hồ sơ", the review, the final "Nộp hồ sơ", the completion screen."""
    from dichvucong.dossiers.models import Dossier

    page = new_page(java_script_enabled=False)
    who = person("Lê Hoàng Cường", birth=dt.date(2001, 1, 20))
    account = applicant_account(who)
    start_lanh_su(page, portal, who)
    shot(page, "Chọn mức độ không có JavaScript")
    button(page, "Tiếp tục").click()

    expect(field(page, "Họ và tên người đề nghị")).to_have_value(who.full_name)
    expect(field(page, "Số định danh cá nhân (CCCD)")).to_have_value(who.id_number)
    fill_lanh_su(page, tmp_path)
    shot(page, "Tờ khai không có JavaScript")
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    expect(page.locator("dl.answers")).to_contain_text("Bằng tốt nghiệp đại học")
    shot(page, "Kiểm tra lại không có JavaScript")
    button(page, "Nộp hồ sơ").click()
    code = expect_completion(page, NGOAI_VU_CODE)
    shot(page, "Nộp hồ sơ thành công không có JavaScript")
    expect_messages(portal, who, code, NGOAI_VU)
    assert Dossier.objects.get(applicant=account).code == code
    # "In biên nhận" prints with JavaScript; without it the button would do nothing, so it
    # stays hidden (done.html gives it `hidden`, shown by site.js).
    expect(button(page, "In biên nhận")).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_double_click_and_second_tab_make_one_dossier(
    new_page, portal, shot, tmp_path, page_problems, javascript
):
    """A double click on the review page's "Nộp hồ sơ", then "Nộp hồ sơ" again in a second
    tab opened on the same review page: one dossier, one code, one submission event, one
    SMS and one email, with or without JavaScript."""
    from dichvucong.dossiers.models import Dossier, DossierEvent

    page = new_page(java_script_enabled=javascript)
    who = person("Phạm Minh Đức", birth=dt.date(1978, 11, 30))
    account = applicant_account(who)
    start_lanh_su(page, portal, who)
    button(page, "Tiếp tục").click()
    fill_lanh_su(page, tmp_path)
    button(page, "Nộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")
    second_tab = page.context.new_page()
    page_problems.watch(second_tab)
    second_tab.goto(page.url)
    expect(second_tab.get_by_role("heading", level=1)).to_have_text("Kiểm tra lại hồ sơ")

    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    button(page, "Nộp hồ sơ").dblclick()
    code = expect_completion(page, NGOAI_VU_CODE)
    if javascript:
        assert len(posts) == 1, posts  # the button is disabled once the form is sent
    shot(page, "Sau khi bấm đúp Nộp hồ sơ")
    portal.sms.wait_for(to=who.phone_normalised, contains=code)

    button(second_tab, "Nộp hồ sơ").click()  # the same dossier, already submitted
    assert expect_completion(second_tab, NGOAI_VU_CODE) == code
    shot(second_tab, "Nộp lại ở thẻ thứ hai")

    dossiers = Dossier.objects.filter(applicant=account)
    assert dossiers.count() == 1
    assert dossiers.get().code == code
    assert DossierEvent.objects.filter(dossier__applicant=account, action="submit").count() == 1
    assert Dossier.objects.exclude(code=None).count() == 1
    assert len(portal.sms.find(to=who.phone_normalised)) == 1
    assert len(portal.smtp.find(to=who.email, contains=code)) == 1
