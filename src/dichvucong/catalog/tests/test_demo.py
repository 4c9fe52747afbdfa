"""The demo catalogue (`make run` loads it every time): complete, real and idempotent."""

import io
import zipfile

import magic
import pytest
from django.core.management import call_command

from dichvucong.catalog import services
from dichvucong.catalog.demo import demo_catalogue_load, demo_document
from dichvucong.catalog.models import Agency, Component, Field, Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db

LDTBXH_FIELDS = [
    "An toàn, vệ sinh lao động",
    "Việc làm",
    "Lao động - Tiền lương",
    "Giáo dục nghề nghiệp",
    "Người có công",
    "Bảo trợ xã hội",
    "Trẻ em",
    "Phòng, chống tệ nạn xã hội",
]


def test_demo_catalogue_is_what_the_issue_asks_for():
    result = demo_catalogue_load()
    assert result.procedures_created == result.procedures_total >= 40
    names = set(Agency.objects.filter(level="so").values_list("name", flat=True))
    assert {"Sở Ngoại vụ", "Sở Lao động - Thương binh và Xã hội"} <= names
    assert len(names) >= 4
    ldtbxh = Agency.objects.get(name="Sở Lao động - Thương binh và Xã hội")
    assert list(Field.objects.filter(agency=ldtbxh).values_list("name", flat=True)) == LDTBXH_FIELDS
    with_forms = ProcedureVersion.objects.exclude(form_schema=None)
    assert with_forms.count() >= 10
    for name in (
        "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        "Khai báo sử dụng máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn, "
        "vệ sinh lao động",
        "Cho phép tổ chức hội nghị, hội thảo quốc tế",
        "Cho phép sử dụng thẻ đi lại của doanh nhân APEC (ABTC)",
    ):
        assert with_forms.filter(name=name, status="published").exists(), name
    assert not Procedure.objects.filter(current_version=None).exists()
    assert not ProcedureVersion.objects.filter(components=None).exists()


def test_templates_are_word_documents_with_the_form():
    demo_catalogue_load()
    templated = Component.objects.exclude(template_file="")
    expected = sum(
        1
        for agency in demo_document()["agencies"]
        for field in agency["fields"]
        for procedure in field["procedures"]
        for component in procedure["components"]
        if component.get("template")
    )
    assert templated.count() == expected > 10
    component = templated.get(version__name__startswith="Khai báo sử dụng máy")
    data = component.template_file.read()
    assert magic.from_buffer(data, mime=True).endswith("wordprocessingml.document")
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "PHIẾU KHAI BÁO SỬ DỤNG MÁY, THIẾT BỊ" in document
    assert "Kính gửi: " in document
    assert "Sở Lao động - Thương binh và Xã hội" in document
    assert "Danh sách máy, thiết bị, vật tư khai báo" in document  # the rows table
    assert "Ngày kiểm định" in document


def test_loading_twice_changes_nothing_and_keeps_edits():
    demo_catalogue_load()
    counts = (Agency.objects.count(), Field.objects.count(), Procedure.objects.count())
    versions = ProcedureVersion.objects.count()
    edited = Procedure.objects.get(national_code="1.000105")
    draft = services.procedure_version_draft(procedure=edited)
    services.procedure_version_update(version=draft, processing_days=3)
    services.procedure_version_publish(version=draft)
    stored = set(
        Component.objects.exclude(template_file="").values_list("template_file", flat=True)
    )
    services.agency_rename(agency=edited.agency, name="Sở Nội vụ (sau sáp nhập)")

    again = demo_catalogue_load()

    assert again.procedures_created == 0
    assert again.fields_created == 0
    assert (Agency.objects.count(), Field.objects.count(), Procedure.objects.count()) == counts
    assert ProcedureVersion.objects.count() == versions + 1
    # no template generated again: the new version shares the files of the first
    assert (
        set(Component.objects.exclude(template_file="").values_list("template_file", flat=True))
        == stored
    )
    edited.refresh_from_db()
    assert edited.current_version.processing_days == 3
    assert edited.agency.name == "Sở Nội vụ (sau sáp nhập)"


def test_a_template_generated_again_reuses_the_stored_file(settings):
    """Templates are named by content: loading the demo again (or in another test run) does
    not pile up copies."""
    demo_catalogue_load()
    folder = settings.MEDIA_ROOT / "catalog" / "mau"
    files = sorted(p.name for p in folder.iterdir())
    procedure = Procedure.objects.get(national_code="2.000134")
    draft = services.procedure_version_draft(procedure=procedure)
    component = draft.components.exclude(template_file="").get()
    before = component.template_file.name
    services.component_template_generate(
        component=component, stem="phieu-khai-bao-su-dung-thiet-bi"
    )
    assert component.template_file.name == before
    assert sorted(p.name for p in folder.iterdir()) == files


def test_a_missing_procedure_is_added_back_and_a_merged_agency_is_skipped():
    demo_catalogue_load()
    ngoaivu = Agency.objects.get(code="000.00.31.H10")
    ldtbxh = Agency.objects.get(code="000.00.17.H10")
    services.agency_merge(source=ngoaivu, target=ldtbxh)
    moved = Procedure.objects.filter(agency=ldtbxh).count()
    result = demo_catalogue_load()
    assert result.procedures_created == 0
    assert Procedure.objects.filter(agency=ngoaivu).count() == 0
    assert Procedure.objects.filter(agency=ldtbxh).count() == moved


def test_load_demo_command_loads_the_catalogue_and_staff():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "thủ tục (tạo mới 0)" in lines[-1]
    assert Procedure.objects.count() == 50


def test_reindex_command(capsys):
    demo_catalogue_load()
    Procedure.objects.update(search_text="")
    call_command("catalog_reindex")
    assert "50 thủ tục" in capsys.readouterr().out
    assert not Procedure.objects.filter(search_text="").exists()
