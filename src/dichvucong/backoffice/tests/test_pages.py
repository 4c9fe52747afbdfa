import pytest
from django.urls import reverse

from dichvucong.dossiers.models import Dossier, DossierAccess
from dichvucong.dossiers.tests.factories import agency, procedure, submitted
from dichvucong.dossiers.tests.files import pdf
from dichvucong.dossiers.workflow import actions

from .helpers import login_staff, officer

pytestmark = pytest.mark.django_db
INBOX = reverse("backoffice:inbox")


def page_of(pk):
    return reverse("backoffice:dossier", kwargs={"pk": pk})


def test_the_reception_inbox_shows_new_dossiers_of_its_agency_only(client):
    mine = submitted()
    theirs = submitted()
    officer(client, agency=mine.agency, role="reception")
    html = client.get(INBOX).content.decode()
    assert mine.code in html
    assert theirs.code not in html
    assert "Mới nộp, chờ tiếp nhận" in html


def test_role_queues(client):
    d = submitted()
    reception = officer(agency=d.agency, role="reception")
    handler = officer(agency=d.agency, role="handler")
    leader = officer(agency=d.agency, role="leader")
    d = actions.dossier_receive(dossier_id=d.pk, user=reception, expected_version=d.version)
    login_staff(client, leader)
    assert d.code not in client.get(INBOX).content.decode()  # nothing for the leader yet
    login_staff(client, handler)
    assert d.code in client.get(INBOX).content.decode()  # received: to be taken
    d = actions.dossier_start_processing(
        dossier_id=d.pk, user=reception, expected_version=d.version, assignee=handler
    )
    other_handler = officer(agency=d.agency, role="handler")
    login_staff(client, other_handler)
    assert d.code not in client.get(INBOX).content.decode()  # assigned to someone else
    login_staff(client, handler)
    assert d.code in client.get(INBOX).content.decode()


def test_filters_search_and_counts(client):
    office = agency()
    proc_a, proc_b = procedure(agency_=office), procedure(agency_=office)
    a = submitted(procedure_=proc_a)
    b = submitted(procedure_=proc_b)
    officer(client, agency=office, role="reception")
    by_procedure = client.get(INBOX, {"thu_tuc": proc_a.pk}).content.decode()
    assert a.code in by_procedure
    assert b.code not in by_procedure
    by_code = client.get(INBOX, {"q": b.code.lower()}).content.decode()
    assert b.code in by_code
    assert a.code not in by_code
    by_id = client.get(INBOX, {"q": a.applicant.id_number}).content.decode()
    assert a.code in by_id
    assert b.code not in by_id
    counts = client.get(INBOX).content.decode()
    assert 'Mới nộp, chờ tiếp nhận <span class="count">2</span>' in counts
    nothing = client.get(INBOX, {"q": "không có ai"}).content.decode()
    assert "Không có hồ sơ nào." in nothing
    bad = client.get(INBOX, {"thu_tuc": "abc", "han": "x", "trang": "zzz"})
    assert bad.status_code == 200


def test_overdue_filter(client):
    from django.utils import timezone

    d = submitted()
    reception = officer(client, agency=d.agency, role="reception")
    d = actions.dossier_receive(dossier_id=d.pk, user=reception, expected_version=d.version)
    Dossier.objects.filter(pk=d.pk).update(due_at=timezone.now() - timezone.timedelta(days=1))
    html = client.get(INBOX, {"trang_thai": "received", "han": "overdue"}).content.decode()
    assert d.code in html
    assert "Quá hạn" in html


def test_the_inbox_is_paginated_with_few_queries(client, django_assert_max_num_queries):
    office = agency()
    proc = procedure(agency_=office)
    for _ in range(55):
        submitted(procedure_=proc)
    officer(client, agency=office, role="reception")
    with django_assert_max_num_queries(14):
        response = client.get(INBOX)
    html = response.content.decode()
    assert html.count('<a href="/can-bo/ho-so/') == 50
    assert "Trang 1/2" in html


def test_the_dossier_page_shows_data_files_timeline_and_the_allowed_actions(client):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    html = client.get(page_of(d.pk)).content.decode()
    assert d.code in html
    assert d.applicant.full_name in html
    assert d.applicant.id_number in html
    for label in ["Tiếp nhận", "Yêu cầu bổ sung", "Từ chối"]:
        assert f">{label}</button>" in html
    for label in ["Phê duyệt", "Trình phê duyệt", "Trả kết quả"]:
        assert f">{label}</button>" not in html
    assert "<iframe" in html  # PDF preview
    assert 'for="id_receive_note"' in html
    assert "Nội dung" in html


def test_every_view_of_personal_data_is_logged(client):
    d = submitted()
    user = officer(client, agency=d.agency, role="reception")
    client.get(page_of(d.pk), REMOTE_ADDR="10.1.1.7")
    attachment = d.attachments.first()
    client.get(reverse("backoffice:file_preview", kwargs={"pk": attachment.pk}))
    client.get(reverse("backoffice:file", kwargs={"pk": attachment.pk}))
    log = list(
        DossierAccess.objects.filter(user=user).order_by("id").values_list("kind", "client_address")
    )
    assert log == [("view", "10.1.1.7"), ("preview", "127.0.0.1"), ("download", "127.0.0.1")]


def test_previews_are_inline_only_for_pdf_and_images_and_never_framed_elsewhere(client):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    attachment = d.attachments.first()
    preview = client.get(reverse("backoffice:file_preview", kwargs={"pk": attachment.pk}))
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "sandbox" in preview["Content-Security-Policy"]
    download = client.get(reverse("backoffice:file", kwargs={"pk": attachment.pk}))
    assert download["Content-Disposition"].startswith("attachment")


def test_actions_through_the_page(client):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    url = reverse("backoffice:act", kwargs={"pk": d.pk, "name": "receive"})
    response = client.post(url, {"version": d.version, "note": "Đủ hồ sơ"})
    assert response["Location"] == page_of(d.pk)
    d.refresh_from_db()
    assert d.status == "received"
    assert d.due_at
    again = client.post(url, {"version": d.version - 1}, follow=True)
    assert "Hồ sơ đã được cập nhật" in again.content.decode()


def test_a_refusal_without_reason_is_explained(client):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    url = reverse("backoffice:act", kwargs={"pk": d.pk, "name": "refuse"})
    response = client.post(url, {"version": d.version, "note": ""}, follow=True)
    assert "Vui lòng ghi lý do từ chối tiếp nhận." in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == "submitted"


def test_approval_with_a_result_file_through_the_page(client):
    d = submitted(level=4)
    reception = officer(agency=d.agency, role="reception")
    handler = officer(agency=d.agency, role="handler")
    d = actions.dossier_receive(dossier_id=d.pk, user=reception, expected_version=d.version)
    d = actions.dossier_start_processing(
        dossier_id=d.pk, user=reception, expected_version=d.version, assignee=handler
    )
    d = actions.dossier_propose(
        dossier_id=d.pk, user=handler, expected_version=d.version, note="Đề xuất"
    )
    officer(client, agency=d.agency, role="leader")
    response = client.post(
        reverse("backoffice:act", kwargs={"pk": d.pk, "name": "approve"}),
        {"version": d.version, "files": [pdf("giay-phep.pdf")]},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "resolved"
    assert d.attachments.get(kind="result").original_name == "giay-phep.pdf"


@pytest.mark.parametrize("role", ["reception", "handler", "leader"])
def test_staff_of_another_agency_never_see_a_dossier(client, role):
    d = submitted()
    officer(client, agency=agency(), role=role)
    assert d.code not in client.get(INBOX, {"trang_thai": "submitted"}).content.decode()
    assert client.get(page_of(d.pk)).status_code == 404
    attachment = d.attachments.first()
    assert client.get(reverse("backoffice:file", kwargs={"pk": attachment.pk})).status_code == 404
    assert (
        client.get(reverse("backoffice:file_preview", kwargs={"pk": attachment.pk})).status_code
        == 404
    )
    act = client.post(
        reverse("backoffice:act", kwargs={"pk": d.pk, "name": "receive"}), {"version": d.version}
    )
    assert act.status_code == 404
    assert Dossier.objects.get(pk=d.pk).status == "submitted"
    assert not DossierAccess.objects.exists()


def test_an_unknown_action_is_404(client):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    response = client.post(
        reverse("backoffice:act", kwargs={"pk": d.pk, "name": "delete"}), {"version": 1}
    )
    assert response.status_code == 404


def test_the_dossier_page_shows_the_applicants_deliveries(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = submitted()
    officer(client, agency=d.agency, role="reception")
    html = client.get(page_of(d.pk)).content.decode()
    assert "Thư điện tử và tin nhắn về hồ sơ này" in html
    assert "dossier_submitted" in html
    assert d.applicant.phone in html  # to the officer, who may see it


def test_the_dossier_page_needs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    d = submitted()
    officer(client, agency=d.agency, role="reception")
    client.get(page_of(d.pk))  # first view warms the session
    with django_assert_max_num_queries(22):
        client.get(page_of(d.pk))
    # more files do not mean more queries
    from dichvucong.dossiers.tests.factories import supplement_requested

    many = supplement_requested()
    from dichvucong.dossiers import services
    from dichvucong.dossiers.tests.files import pdf

    services.dossier_supplement(
        dossier_id=many.pk,
        user=many.applicant,
        note="thêm",
        uploads=[pdf(f"{i}.pdf") for i in range(6)],
        expected_version=many.version,
    )
    officer(client, agency=many.agency, role="reception")
    client.get(page_of(many.pk))
    with django_assert_max_num_queries(22):
        client.get(page_of(many.pk))
