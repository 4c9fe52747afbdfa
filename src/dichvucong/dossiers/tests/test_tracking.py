""" "Hồ sơ của bạn", the dossier page, withdrawal, supplements, downloads and who may see them."""

import re

import pytest
from django.urls import reverse

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent
from dichvucong.dossiers.selectors import dossiers_of_applicant
from dichvucong.notifications.models import Notification

from .factories import agency, draft, procedure, submitted, supplement_requested
from .files import EXE, pdf, upload

pytestmark = pytest.mark.django_db


def test_my_dossiers_lists_code_procedure_status_and_dates(client):
    dossier = submitted()
    other = submitted()  # someone else's
    client.force_login(dossier.applicant)
    html = client.get(reverse("dossiers:mine")).content.decode()
    assert dossier.code in html
    assert dossier.procedure_version.name in html
    assert "Mới nộp, chờ tiếp nhận" in html
    assert other.code not in html


def test_my_dossiers_filters_by_status_and_shows_drafts(client):
    user = citizen(verified=True)
    done = submitted(user=user)
    unfinished = draft(user=user, complete=False)
    client.force_login(user)
    drafts = client.get(reverse("dossiers:mine"), {"trang_thai": "draft"}).content.decode()
    assert reverse("dossiers:edit", kwargs={"pk": unfinished.pk}) in drafts
    assert done.code not in drafts
    bogus = client.get(reverse("dossiers:mine"), {"trang_thai": "<script>"})
    assert bogus.status_code == 200  # an unknown filter shows everything, never an error


def test_my_dossiers_is_paginated_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    user = citizen(verified=True)
    proc = procedure()
    for _ in range(23):
        submitted(user=user, procedure_=proc)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("dossiers:mine"))
    assert first.content.decode().count('data-label="Mã hồ sơ"') == 20
    second = client.get(reverse("dossiers:mine"), {"trang": 2}).content.decode()
    assert second.count('data-label="Mã hồ sơ"') == 3


def test_the_applicant_list_query_uses_the_applicant_index():
    sql = str(dossiers_of_applicant(user=citizen()).query)
    assert '"applicant_id" =' in sql or "applicant_id =" in sql
    assert "ORDER BY" in sql


def test_the_dossier_page_shows_answers_files_and_timeline(client):
    dossier = submitted()
    client.force_login(dossier.applicant)
    html = client.get(reverse("dossiers:detail", kwargs={"pk": dossier.pk})).content.decode()
    assert dossier.code in html
    assert "Nguyễn Văn An" in html  # an answer
    assert "Quá trình giải quyết" in html
    assert "Mới nộp, chờ tiếp nhận" in html
    assert "Rút hồ sơ" in html
    for attachment in dossier.attachments.all():
        assert reverse("dossiers:attachment", kwargs={"pk": attachment.pk}) in html


def test_withdrawal_while_not_yet_received(client):
    dossier = submitted()
    client.force_login(dossier.applicant)
    response = client.post(
        reverse("dossiers:withdraw", kwargs={"pk": dossier.pk}),
        {"reason": "Nộp nhầm thủ tục", "version": dossier.version},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert dossier.sync_code == 7
    event = DossierEvent.objects.get(dossier=dossier, action="withdraw")
    assert event.note == "Nộp nhầm thủ tục"
    assert Notification.objects.filter(template="dossier_withdrawn").exists()


def test_withdrawal_needs_a_reason_and_a_fresh_page(client):
    dossier = submitted()
    client.force_login(dossier.applicant)
    url = reverse("dossiers:withdraw", kwargs={"pk": dossier.pk})
    no_reason = client.post(url, {"reason": "", "version": dossier.version}, follow=True)
    assert "Vui lòng ghi lý do rút hồ sơ." in no_reason.content.decode()
    stale = client.post(url, {"reason": "x", "version": dossier.version - 1}, follow=True)
    assert "Hồ sơ đã được cập nhật" in stale.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_no_withdrawal_once_received(client):
    from dichvucong.dossiers.workflow.services import dossier_transition

    dossier = submitted()
    officer = staff(agency=dossier.agency, role="reception")
    dossier = dossier_transition(dossier_id=dossier.pk, name="receive", user=officer)
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", kwargs={"pk": dossier.pk})).content.decode()
    assert 'action="/ho-so/' + str(dossier.pk) + '/rut/"' not in page
    response = client.post(
        reverse("dossiers:withdraw", kwargs={"pk": dossier.pk}),
        {"reason": "x", "version": dossier.version},
        follow=True,
    )
    assert "Không thể “Rút hồ sơ”" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == "received"


def test_a_supplement_request_shows_what_to_add_and_takes_new_files(client):
    dossier = supplement_requested()
    before = set(dossier.attachments.values_list("pk", flat=True))
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", kwargs={"pk": dossier.pk})).content.decode()
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in page
    assert "Bản sao CCCD bị mờ" in page
    assert "Nộp bổ sung" in page

    response = client.post(
        reverse("dossiers:supplement", kwargs={"pk": dossier.pk}),
        {"note": "Đã chụp lại CCCD", "version": dossier.version, "files": [pdf("cccd-ro.pdf")]},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    added = dossier.attachments.exclude(pk__in=before)
    assert [(a.original_name, a.kind, a.round) for a in added] == [("cccd-ro.pdf", "supplement", 1)]
    assert set(dossier.attachments.values_list("pk", flat=True)) >= before  # nothing replaced


def test_a_bad_supplement_file_sends_nothing(client):
    dossier = supplement_requested()
    count = Attachment.objects.count()
    client.force_login(dossier.applicant)
    response = client.post(
        reverse("dossiers:supplement", kwargs={"pk": dossier.pk}),
        {"note": "x", "version": dossier.version, "files": [upload("virus.pdf", EXE)]},
    )
    assert response.status_code == 400
    assert "không phải loại được nhận" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == "supplement_requested"
    assert Attachment.objects.count() == count


def test_downloads_are_attachments_with_nosniff(client):
    dossier = submitted()
    attachment = dossier.attachments.first()
    client.force_login(dossier.applicant)
    response = client.get(reverse("dossiers:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_files_are_stored_privately_under_random_names(settings):
    dossier = submitted()
    attachment = dossier.attachments.first()
    with pytest.raises(ValueError, match="no public URL"):
        attachment.file.url  # noqa: B018
    assert str(settings.PRIVATE_ROOT) in attachment.file.path
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored)  # random, never the person's name
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("who", ["anonymous", "other citizen", "staff of another agency"])
def test_others_get_404_for_dossiers_and_files(client, who):
    dossier = submitted()
    attachment = dossier.attachments.first()
    if who == "other citizen":
        client.force_login(citizen(verified=True))
    elif who == "staff of another agency":
        client.force_login(staff(agency=agency(), role="reception"))
    urls = [
        reverse("dossiers:detail", kwargs={"pk": dossier.pk}),
        reverse("dossiers:edit", kwargs={"pk": dossier.pk}),
        reverse("dossiers:review", kwargs={"pk": dossier.pk}),
        reverse("dossiers:done", kwargs={"pk": dossier.pk}),
    ]
    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert "dang-nhap" in response["Location"]
        else:
            assert response.status_code == 404, url
    download = client.get(reverse("dossiers:attachment", kwargs={"pk": attachment.pk}))
    assert download.status_code in (302, 404)
    assert download.status_code == (302 if who == "anonymous" else 404)
    withdraw = client.post(
        reverse("dossiers:withdraw", kwargs={"pk": dossier.pk}),
        {"reason": "x", "version": dossier.version},
    )
    assert withdraw.status_code in (302, 404)
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_staff_of_the_agency_can_download_its_files(client):
    dossier = submitted()
    client.force_login(staff(agency=dossier.agency, role="reception"))
    attachment = dossier.attachments.first()
    response = client.get(reverse("dossiers:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200


def test_events_are_append_only():
    dossier = submitted()
    event = dossier.events.first()
    event.note = "sửa lịch sử"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_applicant_downloads_the_slips_that_concern_them_only(client):
    from dichvucong.dossiers.workflow import actions

    dossier = submitted()
    officer = staff(agency=dossier.agency, role="reception")
    dossier = actions.dossier_receive(
        dossier_id=dossier.pk, user=officer, expected_version=dossier.version
    )
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", kwargs={"pk": dossier.pk})).content.decode()
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    receipt = client.get(reverse("dossiers:slip", kwargs={"pk": dossier.pk, "kind": "receipt"}))
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF-")
    control = client.get(reverse("dossiers:slip", kwargs={"pk": dossier.pk, "kind": "control"}))
    assert control.status_code == 404  # the internal control slip is for staff
    client.force_login(citizen(verified=True))
    other = client.get(reverse("dossiers:slip", kwargs={"pk": dossier.pk, "kind": "receipt"}))
    assert other.status_code == 404
