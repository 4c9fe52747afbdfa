"""The stand-in servers behave like the real ones the portal talks to.

Checked through the portal's own delivery channels, so a journey that fails points at the app,
not at the test's servers.
"""

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage

import pytest

from dichvucong.notifications.channels.base import PermanentError, RetryableError
from dichvucong.notifications.channels.email import EmailChannel
from dichvucong.notifications.channels.sms_http import HttpJsonSmsChannel

VIETNAMESE = "Kính gửi Nguyễn Văn An, mã xác thực của bạn là: 123456. Trân trọng!"


def _send(server, *, cte: str) -> None:
    message = EmailMessage()
    message["From"] = "Cổng Dịch vụ công <no-reply@dichvucong.local>"
    message["To"] = "an@example.vn"
    message["Subject"] = "Xác thực thư điện tử - Cổng Dịch vụ công"
    message.set_content(VIETNAMESE, charset="utf-8", cte=cte)
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.send_message(message)


@pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit"])
def test_smtp_server_decodes_utf8_bodies(smtp_server, cte):
    """Whatever the transfer encoding, the test reads the text a person would read."""
    _send(smtp_server, cte=cte)
    received = smtp_server.wait_for(to="an@example.vn", timeout=5)
    assert received.subject == "Xác thực thư điện tử - Cổng Dịch vụ công"
    assert received.body.strip() == VIETNAMESE
    assert received.rcpt_tos == ("an@example.vn",)


def test_smtp_server_wait_for_times_out_with_what_it_got(smtp_server):
    _send(smtp_server, cte="8bit")
    with pytest.raises(AssertionError, match=r"an@example\.vn"):
        smtp_server.wait_for(to="someone.else@example.vn", timeout=0.2)


def test_portal_email_channel_delivers_over_smtp(real_messaging, smtp_server):
    """The app's EmailChannel, pointed at the server by `real_messaging`, really sends."""
    message_id = EmailChannel().send(
        to="binh@example.vn", subject="Thử", body=VIETNAMESE, reference="dvc-notification-1"
    )
    received = smtp_server.wait_for(to="binh@example.vn", timeout=5)
    assert received.body.strip() == VIETNAMESE
    assert received.message["Message-ID"] == message_id


def test_portal_sms_channel_posts_json_with_the_token(real_messaging, sms_gateway):
    provider_id = HttpJsonSmsChannel().send(
        to="0912345678", subject="", body="Mã xác thực Cổng DVC: 123456.", reference="ref-1"
    )
    received = sms_gateway.wait_for(to="0912345678", timeout=5)
    assert provider_id == received.id
    assert received.text == "Mã xác thực Cổng DVC: 123456."
    assert received.headers["Authorization"] == f"Bearer {sms_gateway.token}"


def test_sms_gateway_fails_the_next_requests_when_told(real_messaging, sms_gateway):
    """fail_next(2): two 503s (retryable for the portal), then it accepts again."""
    sms_gateway.fail_next(2)
    channel = HttpJsonSmsChannel()
    for _ in range(2):
        with pytest.raises(RetryableError, match="503"):
            channel.send(to="0912345678", subject="", body="lần thử", reference="ref-2")
    channel.send(to="0912345678", subject="", body="lần thử", reference="ref-2")
    assert [m.text for m in sms_gateway.messages] == ["lần thử"]
    assert sms_gateway.request_count == 3


def test_sms_gateway_refuses_a_wrong_token(real_messaging, sms_gateway):
    real_messaging.SMS_GATEWAY_TOKEN = "not-the-token"
    with pytest.raises(PermanentError, match="401"):
        HttpJsonSmsChannel().send(to="0912345678", subject="", body="x", reference="ref-3")
    assert sms_gateway.messages == []


def test_sms_gateway_refuses_a_body_that_is_not_the_protocol(sms_gateway):
    request = urllib.request.Request(
        sms_gateway.url,
        data=json.dumps({"phone": "0912345678"}).encode(),
        headers={"Authorization": f"Bearer {sms_gateway.token}"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 400
