"""Outbox delivery through the real local SMTP server and the real HTTP SMS gateway."""

import pytest
from django.utils import timezone

from dichvucong.accounts.tests.factories import citizen
from dichvucong.notifications.models import Notification
from dichvucong.notifications.services import (
    notification_deliver,
    notification_queue,
    notifications_deliver_due,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_registration_codes_arrive_by_real_smtp_and_sms(real_messaging, smtp_server, sms_gateway):
    user = citizen()

    email = smtp_server.wait_for(to=user.email)
    sms = sms_gateway.wait_for(to=user.phone)
    assert "Xác thực thư điện tử" in email.subject
    assert "/tai-khoan/xac-thuc/email/" in email.body
    assert "Mã xác thực Cổng DVC" in sms.text
    assert sms.headers["Authorization"] == f"Bearer {sms_gateway.token}"
    rows = {n.channel: n for n in Notification.objects.filter(recipient=user)}
    assert rows["sms"].status == rows["email"].status == "sent"
    assert rows["sms"].provider_message_id == sms.id
    assert rows["sms"].provider == "sms_http"
    assert rows["email"].provider == "email"


def _queue_sms(user) -> Notification:
    return notification_queue(
        recipient=user,
        channel="sms",
        to=user.phone,
        template="verify_phone",
        context={"code": "123456", "minutes": 15},
    )


def test_a_gateway_failure_is_retried_later_and_delivered_once(real_messaging, sms_gateway):
    user = citizen()
    sms_gateway.wait_for(to=user.phone)
    sms_gateway.reset()
    sms_gateway.fail_next(1, status=503)

    notification = _queue_sms(user)  # delivered on commit: the gateway answers 503
    notification.refresh_from_db()
    assert notification.status == "pending"
    assert notification.attempts == 1
    assert "503" in notification.last_error
    assert notification.next_attempt_at > timezone.now()
    assert notifications_deliver_due() == 0  # not due yet: backoff

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert notifications_deliver_due() == 1
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert notification.attempts == 2
    assert [m.text for m in sms_gateway.messages if m.to == user.phone] == [notification.body]
    # a second delivery of the same row sends nothing
    assert notification_deliver(notification_id=notification.pk) is None
    assert len(sms_gateway.messages) == 1


def test_a_refusal_is_not_retried(real_messaging, sms_gateway):
    user = citizen()
    sms_gateway.wait_for(to=user.phone)
    sms_gateway.fail_next(1, status=400)
    notification = _queue_sms(user)
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert notification.attempts == 1
    assert "400" in notification.last_error
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert notifications_deliver_due() == 0  # failed rows wait for an administrator


def test_after_the_maximum_attempts_the_row_is_failed(real_messaging, sms_gateway, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    user = citizen()
    sms_gateway.wait_for(to=user.phone)
    sms_gateway.fail_next(5, status=503)
    notification = _queue_sms(user)
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    notifications_deliver_due()
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert notification.attempts == 2


def test_an_unreachable_gateway_is_retried(settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: connection refused
    user = citizen()
    row = Notification.objects.get(recipient=user, channel="sms")
    assert row.status == "pending"
    assert "unreachable" in row.last_error


def test_an_unreachable_smtp_server_is_retried(settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:9"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    user = citizen()
    row = Notification.objects.get(recipient=user, channel="email")
    assert row.status == "pending"
    assert row.attempts == 1


def test_sms_without_diacritics_for_gateways_that_need_it(real_messaging, sms_gateway, settings):
    settings.SMS_WITHOUT_DIACRITICS = True
    user = citizen()
    sms = sms_gateway.wait_for(to=user.phone)
    assert sms.text.startswith("Ma xac thuc Cong DVC:")


def test_sms_fit_two_segments():
    """UCS-2 SMS: 70 characters in one segment, 134 in two."""
    from dichvucong.notifications.services import render_message

    for template in ["verify_phone", "reset_password"]:
        _, body = render_message(
            template=template, channel="sms", context={"code": "123456", "minutes": 15}
        )
        assert len(body) <= 134, (template, len(body))


def test_the_dev_outbox_page_shows_messages_only_in_the_embedded_profile(client, settings):
    user = citizen()
    page = client.get("/thong-bao/hop-thu-thu-nghiem/")
    assert page.status_code == 200
    assert user.phone in page.content.decode()
    settings.DEV_OUTBOX_ENABLED = False
    assert client.get("/thong-bao/hop-thu-thu-nghiem/").status_code == 404


def test_a_new_code_cancels_the_old_codes_message_still_waiting(real_messaging, sms_gateway):
    """The gateway fails the first SMS; the person asks again: only the new code arrives."""
    from dichvucong.accounts.services import verification_send

    user = citizen()
    sms_gateway.wait_for(to=user.phone)
    sms_gateway.reset()
    sms_gateway.fail_next(1, status=503)
    verification_send(user=user, purpose="verify_phone")
    old = Notification.objects.filter(recipient=user, channel="sms").latest("id")
    assert old.status == "pending"
    verification_send(user=user, purpose="verify_phone")
    old.refresh_from_db()
    assert old.status == "cancelled"
    Notification.objects.filter(pk=old.pk).update(next_attempt_at=timezone.now())
    notifications_deliver_due()
    assert len(sms_gateway.messages) == 1
    new = Notification.objects.filter(recipient=user, channel="sms").latest("id")
    assert sms_gateway.messages[0].text == new.body


def test_an_expired_code_is_never_sent(real_messaging, sms_gateway):
    import datetime as dt

    user = citizen()
    sms_gateway.wait_for(to=user.phone)
    sms_gateway.reset()
    sms_gateway.fail_next(1, status=503)
    notification = notification_queue(
        recipient=user,
        channel="sms",
        to=user.phone,
        template="verify_phone",
        context={"code": "123456", "minutes": 15},
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now(), expires_at=timezone.now()
    )
    notifications_deliver_due()
    notification.refresh_from_db()
    assert notification.status == "cancelled"
    assert sms_gateway.messages == []
