import re

import pytest
from django.urls import reverse

from dichvucong.accounts.tests.factories import PASSWORD, citizen, staff
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent
from dichvucong.notifications.models import Notification

from .factories import SCHEMA, draft, filled, procedure, submitted
from .files import EXE, pdf, png_bytes, upload

pytestmark = pytest.mark.django_db


def start_url(proc):
    return reverse("dossiers:start", kwargs={"procedure_id": proc.pk})


START_TOKEN = "2b7c0c62-41a6-4a35-9e9d-2d5ad7a7d1f1"


def post_level(client, proc, level=3, token=START_TOKEN):
    return client.post(start_url(proc), {"level": level, "start_token": token})


# --- start ----------------------------------------------------------------------------


def test_submitting_needs_login_and_comes_back_to_the_procedure(client):
    proc = procedure()
    response = client.get(start_url(proc))
    login = reverse("accounts:login")
    assert response["Location"] == f"{login}?next={start_url(proc)}"
    user = citizen(verified=True)
    back = client.post(response["Location"], {"username": user.id_number, "password": PASSWORD})
    assert back["Location"] == start_url(proc)


def test_an_unverified_account_is_told_why_and_how_to_verify(client):
    client.force_login(citizen())
    response = client.get(start_url(procedure()))
    html = response.content.decode()
    assert response.status_code == 403
    assert "chưa được xác thực" in html
    assert reverse("accounts:verify") in html
    assert Dossier.objects.count() == 0


def test_staff_cannot_submit(client):
    proc = procedure()
    client.force_login(staff(agency=proc.agency))
    assert client.get(start_url(proc)).status_code == 403


def test_an_organisation_only_procedure_refuses_a_citizen(client):
    proc = procedure(for_citizen=False, for_organisation=True)
    client.force_login(citizen(verified=True))
    response = client.get(start_url(proc))
    assert response.status_code == 403
    assert "chỉ dành cho tổ chức" in response.content.decode()


def test_the_level_choice_lists_only_offered_levels_with_explanations(client):
    client.force_login(citizen(verified=True))
    both = client.get(start_url(procedure(levels=(3, 4)))).content.decode()
    assert "Mức độ 3" in both
    assert "Mức độ 4" in both
    assert "mang bản gốc" in both
    assert "Toàn trình trực tuyến" in both
    only3 = client.get(start_url(procedure(levels=(3,)))).content.decode()
    assert "Mức độ 3" in only3
    assert "Mức độ 4" not in only3


def test_a_level_not_offered_is_refused(client):
    client.force_login(citizen(verified=True))
    proc = procedure(levels=(3,))
    response = post_level(client, proc, level=4)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_choosing_a_level_twice_with_one_token_makes_one_draft(client):
    client.force_login(citizen(verified=True))
    proc = procedure()
    first = post_level(client, proc)
    second = post_level(client, proc)
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1


# --- the form ---------------------------------------------------------------------------


def test_the_form_is_prefilled_and_has_one_input_per_component(client):
    user = citizen(verified=True, full_name="Trần Thị Bình")
    client.force_login(user)
    proc = procedure()
    edit = post_level(client, proc)["Location"]
    html = client.get(edit).content.decode()
    assert 'value="Trần Thị Bình"' in html  # prefilled name
    assert f'value="{user.id_number}"' in html
    assert f'value="{user.phone}"' in html
    for component in proc.current_version.components.all():
        assert f'<label class="label" for="id_tp-{component.pk}">{component.name}' in html
        assert f'name="tp-{component.pk}"' in html
    assert html.count('type="file"') == 3
    assert "multiple" in html
    assert ">Lưu nháp</button>" in html
    assert ">Nộp hồ sơ</button>" in html
    assert html.count('class="required"') >= 6  # 4 required fields + 2 required components


def test_save_draft_keeps_what_was_typed_even_when_invalid_and_the_files(client):
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    component = dossier.procedure_version.components.first()
    url = reverse("dossiers:edit", kwargs={"pk": dossier.pk})
    response = client.post(
        url,
        {
            "tk-ho_ten": "Nguyễn Văn An",
            "tk-dien_thoai": "không phải số",
            "action": "save",
            f"tp-{component.pk}": pdf("don-de-nghi.pdf"),
        },
    )
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert 'value="không phải số"' in html
    assert "don-de-nghi.pdf" in html
    assert Attachment.objects.filter(dossier=dossier).count() == 1


def test_pressing_submit_with_errors_shows_them_and_loses_nothing(client):
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    component = dossier.procedure_version.components.first()
    response = client.post(
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}),
        {
            "tk-ho_ten": "Nguyễn Văn An",
            "tk-so_giay_to": "123",
            "tk-dien_thoai": "0912345678",
            "tk-ngay_du_kien": "31/02/2026",
            "tk-so_luong": "1000",
            "action": "submit",
            f"tp-{component.pk}": pdf(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng kiểm tra lại thông tin" in html
    assert 'id="id_tk-so_giay_to-error"' in html
    assert 'id="id_tk-ngay_du_kien-error"' in html
    assert 'id="id_tk-so_luong-error"' in html
    assert "Còn thiếu giấy tờ bắt buộc" in html  # the second required component
    assert 'value="Nguyễn Văn An"' in html
    assert 'value="31/02/2026"' in html
    assert Attachment.objects.filter(dossier=dossier).count() == 1  # kept
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"


def test_a_bad_file_is_refused_next_to_its_component_and_the_rest_is_kept(client):
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    first, second = dossier.procedure_version.components.all()[:2]
    response = client.post(
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}),
        {
            "tk-ho_ten": "Nguyễn Văn An",
            "action": "save",
            f"tp-{first.pk}": upload("virus.pdf", EXE),
            f"tp-{second.pk}": upload("cccd.png", png_bytes()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_tp-{first.pk}-error"' in html
    assert "không phải loại được nhận" in html
    assert 'value="Nguyễn Văn An"' in html
    assert [a.original_name for a in Attachment.objects.filter(dossier=dossier)] == ["cccd.png"]


def test_too_many_files_are_refused(client, settings):
    settings.UPLOAD_MAX_FILES_PER_DOSSIER = 2
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    component = dossier.procedure_version.components.first()
    client.post(
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}),
        {"action": "save", f"tp-{component.pk}": [pdf("1.pdf"), pdf("2.pdf"), pdf("3.pdf")]},
    )
    assert Attachment.objects.filter(dossier=dossier).count() == 2


def test_a_draft_file_can_be_removed_keeping_the_typing(client):
    dossier = draft()
    client.force_login(dossier.applicant)
    attachment = dossier.attachments.first()
    client.post(
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}),
        {"tk-ho_ten": "Tên mới", "xoa": attachment.pk, "action": "save"},
    )
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert Dossier.objects.get(pk=dossier.pk).draft_data["tk-ho_ten"] == ["Tên mới"]


# --- review and submission ---------------------------------------------------------------


def test_the_whole_submission(client, django_capture_on_commit_callbacks):
    dossier = draft()
    client.force_login(dossier.applicant)
    edit = reverse("dossiers:edit", kwargs={"pk": dossier.pk})
    to_review = client.post(edit, {**filled(None), "action": "submit"})
    review = reverse("dossiers:review", kwargs={"pk": dossier.pk})
    assert to_review["Location"] == review

    page = client.get(review).content.decode()
    assert "Kiểm tra lại hồ sơ" in page
    assert "Nguyễn Văn An" in page
    assert "20/12/2026" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review)
    assert response["Location"] == reverse("dossiers:done", kwargs={"pk": dossier.pk})
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert re.fullmatch(rf"{re.escape(dossier.agency.code)}-\d{{6}}-0001", dossier.code)
    assert dossier.submitted_at is not None
    assert dossier.form_data["ho_ten"] == "Nguyễn Văn An"
    assert dossier.form_data["ngay_du_kien"] == "2026-12-20"
    assert dossier.sync_code == 1
    event = DossierEvent.objects.get(dossier=dossier, action="submit")
    assert (event.from_status, event.to_status, event.actor_id) == (
        "draft",
        "submitted",
        dossier.applicant_id,
    )
    sent = Notification.objects.filter(recipient=dossier.applicant, template="dossier_submitted")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "inapp", "sms"]
    assert all(dossier.code in n.body for n in sent)

    done = client.get(response["Location"]).content.decode()
    assert "Nộp hồ sơ thành công" in done
    assert dossier.code in done
    assert dossier.agency.name in done
    assert "5 ngày làm việc" in done
    assert "mang bản gốc" in done  # level 3: what happens next


def test_a_double_click_or_second_tab_never_makes_a_second_dossier(client):
    dossier = draft()
    client.force_login(dossier.applicant)
    review = reverse("dossiers:review", kwargs={"pk": dossier.pk})
    first = client.post(review)
    second = client.post(review)
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant=dossier.applicant).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    dossier.refresh_from_db()
    code = dossier.code
    client.post(review)
    dossier.refresh_from_db()
    assert dossier.code == code


def test_an_incomplete_draft_cannot_be_submitted_by_posting_the_review(client):
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    response = client.post(reverse("dossiers:review", kwargs={"pk": dossier.pk}))
    assert response["Location"] == reverse("dossiers:edit", kwargs={"pk": dossier.pk})
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"


def test_a_submitted_dossier_cannot_be_edited(client):
    dossier = submitted()
    client.force_login(dossier.applicant)
    response = client.post(
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}), {"tk-ho_ten": "Khác", "action": "save"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten"] == "Nguyễn Văn An"


def test_the_dossier_keeps_the_version_it_was_made_under():
    from dichvucong.catalog.services import procedure_version_draft, procedure_version_publish

    proc = procedure()
    dossier = submitted(procedure_=proc)
    new = procedure_version_draft(procedure=proc)
    new.processing_days = 20
    new.save()
    procedure_version_publish(version=new)
    dossier.refresh_from_db()
    assert dossier.procedure_version.processing_days == 5
    assert dossier.procedure_version.status == "superseded"


def test_a_procedure_without_a_form_needs_only_its_files(client):
    proc = procedure(schema=None)
    dossier = draft(procedure_=proc)
    client.force_login(dossier.applicant)
    response = client.post(reverse("dossiers:review", kwargs={"pk": dossier.pk}))
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_the_schema_used_is_the_one_in_the_version():
    assert SCHEMA["fields"][0]["name"] == "ho_ten"


def test_a_component_template_downloads_beside_its_file_input(client):
    proc = procedure(
        components=[{"name": "Tờ khai (Mẫu số 01)", "required": True, "template": "mau-01"}]
    )
    dossier = draft(procedure_=proc, complete=False)
    client.force_login(dossier.applicant)
    html = client.get(reverse("dossiers:edit", kwargs={"pk": dossier.pk})).content.decode()
    component = proc.current_version.components.get()
    link = reverse("catalog:component_template", kwargs={"pk": component.pk})
    assert f'href="{link}" download>Tải mẫu' in html
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a real .docx
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"' in html  # a filled template is accepted
