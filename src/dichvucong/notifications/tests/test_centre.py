"""The "Thông báo" centre: a person's own in-app messages, the unread count, marking read.

Nobody sees, counts or marks anyone else's messages."""

import pytest

from dichvucong.accounts.tests.factories import PASSWORD, citizen
from dichvucong.notifications.models import Notification
from dichvucong.notifications.selectors import deliveries_for, inbox_for, unread_count
from dichvucong.notifications.services import notification_queue

pytestmark = pytest.mark.django_db

CODE = "000.00.31.H10-261123-0007"


def _inapp(user, template="dossier_returned", code=CODE, link="http://127.0.0.1:8000/ho-so/7/"):
    return notification_queue(
        recipient=user,
        channel="inapp",
        to=user.username,
        template=template,
        context={"code": code, "link": link},
        reference=code,
    )


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_a_person_sees_their_messages_and_the_unread_count_in_the_navigation(client):
    an = citizen()
    _inapp(an)
    _inapp(an, code="000.00.31.H10-261123-0008")
    _login(client, an)
    page = client.get("/").content.decode()
    assert "Thông báo" in page
    assert "(2 chưa đọc)" in page
    centre = client.get("/thong-bao/").content.decode()
    assert "Bạn có 2 thông báo chưa đọc." in centre
    assert f"Hồ sơ {CODE} đã trả kết quả." in centre
    assert "Hồ sơ 000.00.31.H10-261123-0008 đã trả kết quả." in centre


def test_a_person_never_sees_anyone_elses_messages(client):
    an, binh = citizen(), citizen()
    _inapp(binh, code="000.00.31.H10-261123-0099")
    _login(client, an)
    assert "0099" not in client.get("/thong-bao/").content.decode()
    assert "chưa đọc" not in client.get("/").content.decode()
    assert unread_count(user=an) == 0
    assert list(inbox_for(user=an)) == []


def test_marking_read_one_and_all(client):
    an = citizen()
    first, second = _inapp(an), _inapp(an, code="000.00.31.H10-261123-0008")
    _login(client, an)
    response = client.post(f"/thong-bao/{first.pk}/da-doc/", follow=True)
    assert "Đã đánh dấu thông báo là đã đọc." in response.content.decode()
    assert "(1 chưa đọc)" in response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    client.post("/thong-bao/da-doc-tat-ca/")
    second.refresh_from_db()
    assert second.read_at is not None
    assert unread_count(user=an) == 0
    assert "chưa đọc" not in client.get("/thong-bao/").content.decode()


def test_nobody_can_mark_or_open_someone_elses_message(client):
    an, binh = citizen(), citizen()
    theirs = _inapp(binh)
    _login(client, an)
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    assert client.post(f"/thong-bao/{theirs.pk}/xem/").status_code == 404
    client.post("/thong-bao/da-doc-tat-ca/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert unread_count(user=binh) == 1


def test_opening_a_message_marks_it_read_and_goes_to_its_page_on_this_site(client, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    an = citizen()
    message = _inapp(an, link="http://127.0.0.1:8000/ho-so/7/")
    elsewhere = _inapp(an, link="https://evil.example/phish")
    _login(client, an)
    response = client.post(f"/thong-bao/{message.pk}/xem/")
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/7/"
    message.refresh_from_db()
    assert message.read_at is not None
    response = client.post(f"/thong-bao/{elsewhere.pk}/xem/")
    assert response["Location"] == "/thong-bao/"


def test_the_centre_needs_a_login_and_posts_only(client):
    assert client.get("/thong-bao/").status_code == 302
    an = citizen()
    _login(client, an)
    message = _inapp(an)
    assert client.get(f"/thong-bao/{message.pk}/da-doc/").status_code == 405


def test_email_and_sms_are_not_in_the_centre(client):
    """The centre lists in-app messages; the registration codes sent by email/SMS are not."""
    an = citizen()
    assert Notification.objects.filter(recipient=an).exclude(channel="inapp").exists()
    assert unread_count(user=an) == 0


def test_deliveries_for_tells_staff_what_reached_the_applicant():
    an = citizen()
    for channel, to in [("email", an.email), ("sms", an.phone), ("inapp", an.username)]:
        notification_queue(
            recipient=an,
            channel=channel,
            to=to,
            template="dossier_returned",
            context={"code": CODE},
            reference=CODE,
        )
    rows = list(deliveries_for(recipient=an, reference=CODE))
    assert [(r.channel, r.status) for r in rows] == [("email", "pending"), ("sms", "pending")]
    everything = deliveries_for(recipient=an)
    assert {r.template for r in everything} == {"verify_email", "verify_phone", "dossier_returned"}
    assert list(deliveries_for(recipient=an, templates=["dossier_returned"], reference="x")) == []
    later = deliveries_for(recipient=an, since=rows[-1].created_at, templates=["dossier_returned"])
    assert len(later) >= 1
