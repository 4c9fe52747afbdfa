"""Administrators edit the wording: their template replaces the file, is checked before it is
saved, and is previewed with realistic sample data."""

import pytest

from dichvucong.accounts.models import User
from dichvucong.notifications.messages import (
    file_template_source,
    file_templates,
    render_message,
    sample_context,
    sms_segments,
)
from dichvucong.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db

ADD_URL = "/quan-tri/notifications/messagetemplate/add/"


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("quantri.thu", password="Mật khẩu quản trị 2026")
    client.force_login(admin)
    return client


def test_every_event_of_the_guides_has_its_messages():
    """Email, SMS and in-app for every dossier event; email only for the staff digest."""
    found = set(file_templates())
    for name in [
        "dossier_received",
        "dossier_supplement_requested",
        "dossier_refused",
        "dossier_result_ready",
        "dossier_not_resolved",
        "dossier_returned",
        "dossier_apology",
    ]:
        assert {(name, "email"), (name, "sms"), (name, "inapp")} <= found, name
    assert ("staff_digest", "email") in found
    assert {("verify_email", "email"), ("verify_phone", "sms"), ("reset_password", "sms")} <= found


@pytest.mark.parametrize(("name", "channel"), file_templates())
def test_every_file_template_renders_its_sample_completely(name, channel):
    """No template leaves a variable unfilled or a tag unrendered; SMS fit two parts."""
    levels = [3, 4] if name == "dossier_result_ready" else [None]
    for level in levels:
        context = sample_context(name)
        if level:
            context["level"] = level
        subject, body = render_message(template=name, channel=channel, context=context)
        assert body
        assert "{{" not in body
        assert "{%" not in body
        assert (channel == "email") == bool(subject)
        if channel == "sms":
            assert len(body) <= 134, (name, len(body), body)
            assert sms_segments(body) <= 2


def test_an_active_override_replaces_the_file_and_an_inactive_one_does_not():
    context = {"code": "482913", "minutes": 15}
    override = MessageTemplate.objects.create(
        name="verify_phone",
        channel="sms",
        body="DVC Bình Phước: mã {{ code }} ({{ minutes }} phút).",
    )
    assert render_message(template="verify_phone", channel="sms", context=context) == (
        "",
        "DVC Bình Phước: mã 482913 (15 phút).",
    )
    override.is_active = False
    override.save()
    _, body = render_message(template="verify_phone", channel="sms", context=context)
    assert body.startswith("Mã xác thực Cổng DVC: 482913.")


def test_an_email_override_has_its_own_subject_and_no_html_escaping():
    MessageTemplate.objects.create(
        name="dossier_refused",
        channel="email",
        subject="Từ chối hồ sơ {{ code }}",
        body="Kính gửi {{ name }},\nLý do: {{ note }}",
    )
    subject, body = render_message(
        template="dossier_refused",
        channel="email",
        context={"code": "X-1", "name": "Công ty A & B", "note": '"Thiếu" <giấy tờ>'},
    )
    assert subject == "Từ chối hồ sơ X-1"
    assert body == 'Kính gửi Công ty A & B,\nLý do: "Thiếu" <giấy tờ>'


def test_the_admin_refuses_a_template_with_a_syntax_error_in_vietnamese(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "name": "dossier_received",
            "channel": "sms",
            "body": "Hồ sơ {{ code } đã được tiếp nhận {% if due %}",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Mẫu có lỗi cú pháp" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_the_admin_refuses_an_sms_longer_than_two_parts(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "name": "dossier_received",
            "channel": "sms",
            "body": "Hồ sơ {{ code }} ({{ procedure }}) đã được {{ agency }} tiếp nhận.",
            "is_active": "on",
        },
    )
    assert "tối đa 134 ký tự" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_the_admin_asks_an_email_for_a_subject(admin_client):
    response = admin_client.post(
        ADD_URL,
        {"name": "dossier_received", "channel": "email", "body": "Kính gửi {{ name }}"},
    )
    assert "Thư điện tử cần có tiêu đề." in response.content.decode()


def test_the_admin_saves_a_valid_template_and_previews_it_with_sample_data(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "name": "dossier_received",
            "channel": "sms",
            "body": "Hồ sơ {{ code }} đã tiếp nhận, hẹn trả {{ due }}.",
            "is_active": "on",
            "_continue": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = MessageTemplate.objects.get()
    page = admin_client.get(f"/quan-tri/notifications/messagetemplate/{template.pk}/change/")
    content = page.content.decode()
    sample = sample_context("dossier_received")
    assert f"Hồ sơ {sample['code']} đã tiếp nhận, hẹn trả {sample['due']}." in content
    assert "1 tin SMS" in content


def test_adding_from_the_list_starts_from_the_files_wording(admin_client):
    listing = admin_client.get("/quan-tri/notifications/messagetemplate/").content.decode()
    assert "?name=dossier_apology&amp;channel=email" in listing
    page = admin_client.get(ADD_URL + "?name=dossier_apology&channel=email").content.decode()
    subject, body = file_template_source(name="dossier_apology", channel="email")
    assert subject.startswith("Xin lỗi và hẹn lại ngày trả kết quả")
    assert "Ngày hẹn trả kết quả mới: {{ new_due }}" in body
    assert "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}" in page


def test_the_outbox_admin_lists_and_resends(admin_client, django_capture_on_commit_callbacks):
    from dichvucong.notifications.models import Notification
    from dichvucong.notifications.services import notification_queue

    row = notification_queue(
        recipient=None,
        channel="sms",
        to="0912345678",
        template="verify_phone",
        context={"code": "1", "minutes": 1},
    )
    Notification.objects.filter(pk=row.pk).update(status="failed", attempts=5)
    assert admin_client.get("/quan-tri/notifications/notification/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/quan-tri/notifications/notification/",
            {"action": "resend", "_selected_action": [row.pk]},
            follow=True,
        )
    assert "Đã xếp 1 thông báo để gửi lại." in response.content.decode()
    row.refresh_from_db()
    assert row.status == "sent"  # the dev outbox took it
