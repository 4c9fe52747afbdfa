""" "Phản ánh, kiến nghị": a citizen writes to an agency (optionally about their dossier), staff
of that agency answer, the citizen reads the answer and is told by their channels."""

import pytest

from dichvucong.accounts.tests.factories import citizen
from dichvucong.backoffice.tests.helpers import officer
from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers.tests.factories import agency, submitted
from dichvucong.notifications.models import Notification
from dichvucong.stats.models import Feedback
from dichvucong.stats.services import feedback_answer, feedback_submit

pytestmark = pytest.mark.django_db

NEW = "/phan-anh-kien-nghi/gui/"


def test_a_citizen_sends_feedback_about_their_dossier(client):
    dossier = submitted()
    client.force_login(dossier.applicant)
    form = client.get(NEW, {"ho_so": dossier.pk}).content.decode()
    assert f'<option value="{dossier.pk}" selected>{dossier.code}' in form
    for label in ("Hồ sơ liên quan", "Đơn vị", "Tiêu đề", "Nội dung"):
        assert f">{label}" in form
    response = client.post(
        NEW,
        {"ho_so": dossier.pk, "tieu_de": "Chậm tiếp nhận", "noi_dung": "Đã 3 ngày chưa tiếp nhận."},
        follow=True,
    )
    html = response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.agency, feedback.dossier, feedback.status) == (dossier.agency, dossier, "new")
    assert f"Đã gửi phản ánh, kiến nghị đến {dossier.agency.name}" in html
    assert "Chờ trả lời" in html
    mine = client.get("/phan-anh-kien-nghi/").content.decode()
    assert "Chậm tiếp nhận" in mine


def test_missing_fields_are_named_and_what_was_typed_is_kept(client):
    client.force_login(citizen(verified=True))
    response = client.post(NEW, {"tieu_de": "", "noi_dung": "Nội dung giữ lại"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng nhập tiêu đề." in html
    assert "Vui lòng chọn đơn vị hoặc hồ sơ liên quan." in html
    assert "Nội dung giữ lại</textarea>" in html
    assert not Feedback.objects.exists()


def test_another_citizens_feedback_and_dossier_are_out_of_reach(client):
    dossier = submitted()
    mine = feedback_submit(
        author=dossier.applicant, dossier=dossier, subject="Hỏi tiến độ", content="Bao giờ xong?"
    )
    stranger = citizen(verified=True)
    client.force_login(stranger)
    assert client.get(f"/phan-anh-kien-nghi/{mine.pk}/").status_code == 404
    assert "Hỏi tiến độ" not in client.get("/phan-anh-kien-nghi/").content.decode()
    # someone else's dossier is not a choice, and the service refuses it too
    response = client.post(NEW, {"ho_so": dossier.pk, "tieu_de": "X", "noi_dung": "Y"})
    assert response.status_code == 200
    assert Feedback.objects.count() == 1
    with pytest.raises(ApplicationError):
        feedback_submit(author=stranger, dossier=dossier, subject="X", content="Y")
    # staff do not send feedback
    client.logout()
    officer(client, agency=dossier.agency, role="reception")
    assert client.get(NEW).status_code == 404


def test_staff_of_the_agency_answer_and_the_citizen_is_told(client):
    dossier = submitted()
    feedback = feedback_submit(
        author=dossier.applicant, dossier=dossier, subject="Hỏi tiến độ", content="Bao giờ xong?"
    )
    officer(client, agency=dossier.agency, role="reception")
    listing = client.get("/can-bo/phan-anh/").content.decode()
    assert "Hỏi tiến độ" in listing
    assert "Chờ trả lời" in listing
    page = client.get(f"/can-bo/phan-anh/{feedback.pk}/").content.decode()
    assert "Bao giờ xong?" in page
    assert ">Nội dung trả lời" in page
    empty = client.post(f"/can-bo/phan-anh/{feedback.pk}/", {"answer": " "})
    assert "Vui lòng nhập nội dung trả lời." in empty.content.decode()
    response = client.post(
        f"/can-bo/phan-anh/{feedback.pk}/",
        {"answer": "Hồ sơ đang được thẩm định, dự kiến có kết quả đúng hẹn."},
        follow=True,
    )
    assert "Đã gửi trả lời đến người phản ánh." in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    assert feedback.answered_at is not None
    channels = dict(
        Notification.objects.filter(template="feedback_answered").values_list("channel", "to")
    )
    applicant = dossier.applicant
    assert channels == {
        "email": applicant.email,
        "sms": applicant.phone,
        "inapp": applicant.username,
    }
    email = Notification.objects.get(template="feedback_answered", channel="email")
    assert email.subject.startswith("Trả lời phản ánh, kiến nghị")
    assert "dự kiến có kết quả đúng hẹn" in email.body
    assert f"/phan-anh-kien-nghi/{feedback.pk}/" in email.body
    # the citizen reads it
    client.logout()
    client.force_login(applicant)
    html = client.get(f"/phan-anh-kien-nghi/{feedback.pk}/").content.decode()
    assert "Hồ sơ đang được thẩm định" in html
    assert "Đã trả lời" in html
    # answered once
    with pytest.raises(ApplicationError) as error:
        feedback_answer(
            feedback_id=feedback.pk,
            user=officer(agency=dossier.agency, role="leader"),
            answer="Lần hai",
        )
    assert error.value.code == "already_answered"


def test_staff_of_another_agency_cannot_see_or_answer(client):
    dossier = submitted()
    feedback = feedback_submit(
        author=dossier.applicant, agency=dossier.agency, subject="Góp ý", content="Nội dung"
    )
    outsider = officer(client, agency=agency(), role="leader")
    assert client.get(f"/can-bo/phan-anh/{feedback.pk}/").status_code == 404
    assert client.post(f"/can-bo/phan-anh/{feedback.pk}/", {"answer": "X"}).status_code == 404
    assert "Góp ý" not in client.get("/can-bo/phan-anh/").content.decode()
    with pytest.raises(ApplicationError) as error:
        feedback_answer(feedback_id=feedback.pk, user=outsider, answer="X")
    assert error.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        feedback_answer(feedback_id=feedback.pk, user=dossier.applicant, answer="X")
    client.logout()
    client.force_login(dossier.applicant)
    assert client.get(f"/can-bo/phan-anh/{feedback.pk}/").status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == "new"
    assert not Notification.objects.filter(template="feedback_answered").exists()
