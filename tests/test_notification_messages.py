"""Every dossier event's messages, rendered with real data and delivered to real servers.

A real dossier goes through the real workflow (`dossier_transition` with the event's template,
as the back office calls it); the applicant's email arrives at the real SMTP server, the SMS
at the real HTTP gateway, and the in-app message in their centre. Each SMS fits two parts.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.core import calendar
from dichvucong.dossiers.notify import notify_applicant
from dichvucong.dossiers.tests import factories as dossier_factories
from dichvucong.dossiers.workflow.services import dossier_transition
from dichvucong.notifications.messages import SMS_TWO_SEGMENTS
from dichvucong.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

AGENCY = "Sở Lao động - Thương binh và Xã hội"
PROCEDURE = "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam"
APPLICANT = "Nguyễn Thị Thanh Hương"


@pytest.fixture
def office():
    """A real agency with a long real name, its three officers and a long procedure name."""
    agency = dossier_factories.agency(name=AGENCY)
    procedure = dossier_factories.procedure(agency_=agency, name=PROCEDURE, processing_days=10)
    return {
        "agency": agency,
        "procedure": procedure,
        "reception": staff(agency=agency, role="reception"),
        "handler": staff(agency=agency, role="handler"),
        "leader": staff(agency=agency, role="leader"),
    }


def _submitted(office, *, level=3):
    applicant = citizen(verified=True, full_name=APPLICANT)
    return dossier_factories.submitted(user=applicant, procedure_=office["procedure"], level=level)


def _receive(office, dossier):
    def set_due(d):
        d.due_at = calendar.due_at(timezone.now(), d.procedure_version.processing_days)

    return dossier_transition(
        dossier_id=dossier.pk,
        name="receive",
        user=office["reception"],
        apply=set_due,
        notify_template="dossier_received",
    )


def _to_approval(office, dossier):
    dossier = dossier_transition(
        dossier_id=dossier.pk, name="start_processing", user=office["handler"]
    )
    return dossier_transition(dossier_id=dossier.pk, name="propose", user=office["handler"])


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def _email(smtp_server, **query) -> Email:
    """The message as a person reads it (line ends as in the template)."""
    received = smtp_server.wait_for(**query)
    return Email(subject=received.subject, body=received.body.replace("\r\n", "\n"))


def _delivered(dossier, template, smtp_server, sms_gateway):
    """The email and SMS that reached the servers, and the in-app row, for one event."""
    applicant = dossier.applicant
    email = _email(smtp_server, to=applicant.email, contains=dossier.code + " ")
    sms = sms_gateway.wait_for(to=applicant.phone, contains=dossier.code)
    rows = Notification.objects.filter(recipient=applicant, template=template)
    assert sorted(rows.values_list("channel", "status")) == [
        ("email", "sent"),
        ("inapp", "sent"),
        ("sms", "sent"),
    ]
    inapp = rows.get(channel="inapp")
    assert len(sms.text) <= SMS_TWO_SEGMENTS, (template, len(sms.text), sms.text)
    assert f"Kính gửi {APPLICANT}," in email.body
    assert dossier.code in email.subject
    assert f"/ho-so/{dossier.pk}/" in email.body
    assert inapp.link.endswith(f"/ho-so/{dossier.pk}/")
    return email, sms, inapp


def _clear(smtp_server, sms_gateway):
    smtp_server.clear()
    sms_gateway.reset()


def test_received_with_the_appointment_date(office, real_messaging, smtp_server, sms_gateway):
    dossier = _submitted(office)
    _clear(smtp_server, sms_gateway)
    dossier = _receive(office, dossier)
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    email, sms, inapp = _delivered(dossier, "dossier_received", smtp_server, sms_gateway)
    assert f"Ngày hẹn trả kết quả: {due}" in email.body
    assert f"Thủ tục: {PROCEDURE}" in email.body
    assert "Thời hạn giải quyết: 10 ngày làm việc" in email.body
    assert f"{AGENCY} đã tiếp nhận hồ sơ của bạn." in email.body
    assert sms.text == (
        f"Hồ sơ {dossier.code} đã được tiếp nhận. Ngày hẹn trả kết quả: {due}. "
        "Theo dõi trên Cổng DVC."
    )
    assert due in inapp.body


def test_supplement_requested_with_the_detailed_list(
    office, real_messaging, smtp_server, sms_gateway
):
    dossier = _submitted(office)
    _clear(smtp_server, sms_gateway)
    note = "Bản sao hộ chiếu bị mờ, không đọc được số hộ chiếu; đề nghị nộp lại bản rõ nét."
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="request_supplement",
        user=office["reception"],
        note=note,
        data={"missing": ["Bản sao CCCD"]},
        notify_template="dossier_supplement_requested",
    )
    email, sms, inapp = _delivered(
        dossier, "dossier_supplement_requested", smtp_server, sms_gateway
    )
    assert f"Nội dung và lý do:\n{note}" in email.body
    assert 'bấm "Nộp bổ sung"' in email.body
    assert "cần bổ sung, hoàn thiện" in sms.text
    assert note in inapp.body

    # With the list of missing documents (the back office passes it as `missing`):
    _clear(smtp_server, sms_gateway)
    notify_applicant(
        dossier=dossier,
        template="dossier_supplement_requested",
        extra={"note": note, "missing": ["Bản sao hộ chiếu", "Giấy chứng nhận sức khỏe"]},
    )
    email = _email(smtp_server, to=dossier.applicant.email, contains=dossier.code)
    assert (
        "Giấy tờ cần bổ sung, hoàn thiện:\n- Bản sao hộ chiếu\n- Giấy chứng nhận sức khỏe"
        in email.body
    )


def test_refused_with_the_reason(office, real_messaging, smtp_server, sms_gateway):
    dossier = _submitted(office)
    _clear(smtp_server, sms_gateway)
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của Sở; đề nghị nộp tại UBND cấp xã."
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="refuse",
        user=office["reception"],
        note=reason,
        notify_template="dossier_refused",
    )
    email, sms, inapp = _delivered(dossier, "dossier_refused", smtp_server, sms_gateway)
    assert f"Lý do: {reason}" in email.body
    assert f"{AGENCY} từ chối tiếp nhận hồ sơ {dossier.code}" in email.body
    assert real_messaging.PORTAL_HOTLINE in sms.text
    assert reason in inapp.body


@pytest.mark.parametrize("level", [3, 4])
def test_result_ready_says_how_to_receive_it_by_level(
    level, office, real_messaging, smtp_server, sms_gateway
):
    dossier = _to_approval(office, _receive(office, _submitted(office, level=level)))
    _clear(smtp_server, sms_gateway)
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="approve",
        user=office["leader"],
        notify_template="dossier_result_ready",
    )
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    email, sms, inapp = _delivered(dossier, "dossier_result_ready", smtp_server, sms_gateway)
    if level == 3:
        assert f"Đến bộ phận một cửa của {AGENCY} từ ngày {due}" in email.body
        assert "bản chính" in email.body
        assert "lệ phí" in email.body
        assert "bộ phận một cửa" in sms.text
        assert due in sms.text
        assert "Tải bản điện tử" not in email.body
    else:
        assert "Tải bản điện tử của kết quả ngay trên trang hồ sơ" in email.body
        assert "bưu chính" in email.body
        assert "Tải kết quả" in sms.text
        assert "bộ phận một cửa" not in email.body
    assert "đã có kết quả" in inapp.body


def test_not_resolved_with_the_reason_then_returned(
    office, real_messaging, smtp_server, sms_gateway
):
    dossier = _to_approval(office, _receive(office, _submitted(office)))
    _clear(smtp_server, sms_gateway)
    reason = "Người lao động chưa đủ điều kiện theo Điều 151 Bộ luật Lao động."
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="decline",
        user=office["leader"],
        note=reason,
        notify_template="dossier_not_resolved",
    )
    email, sms, inapp = _delivered(dossier, "dossier_not_resolved", smtp_server, sms_gateway)
    assert f"Lý do: {reason}" in email.body
    assert "không được giải quyết" in sms.text
    assert reason in inapp.body

    _clear(smtp_server, sms_gateway)
    dossier = dossier_transition(
        dossier_id=dossier.pk,
        name="return_result",
        user=office["reception"],
        notify_template="dossier_returned",
    )
    email, sms, inapp = _delivered(dossier, "dossier_returned", smtp_server, sms_gateway)
    assert "đánh giá mức độ hài lòng" in email.body
    assert "đã trả kết quả" in sms.text


def test_apology_with_the_new_date(office, real_messaging, smtp_server, sms_gateway):
    """Through the back office's own action, which moves the appointment date first."""
    from dichvucong.dossiers.workflow.actions import dossier_apologise

    dossier = _receive(office, _submitted(office))
    dossier = dossier_transition(
        dossier_id=dossier.pk, name="start_processing", user=office["handler"]
    )
    old_due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    new_due = timezone.localtime(calendar.extend(dossier.due_at, 5)).date()
    new_due_text = new_due.strftime("%d/%m/%Y")
    reason = "Cần lấy ý kiến của cơ quan công an về lý lịch người lao động."
    _clear(smtp_server, sms_gateway)
    dossier = dossier_apologise(
        dossier_id=dossier.pk,
        user=office["handler"],
        expected_version=dossier.version,
        new_due=new_due,
        note=reason,
    )
    email, sms, inapp = _delivered(dossier, "dossier_apology", smtp_server, sms_gateway)
    assert "thành thật xin lỗi" in email.body
    assert f"Ngày hẹn trả kết quả mới: {new_due_text}" in email.body
    assert old_due not in email.body  # the old date is not passed: never shown as the new one
    assert f"Lý do: {reason}" in email.body
    assert f"Ngày hẹn mới: {new_due_text}" in sms.text
    assert new_due_text in inapp.body


def test_the_channels_the_applicant_chose_are_the_only_ones_used(
    office, real_messaging, smtp_server, sms_gateway
):
    """Profile: no SMS wanted → email and in-app only (and the centre always)."""
    dossier = _submitted(office)
    applicant = dossier.applicant
    applicant.notify_by_sms = False
    applicant.save(update_fields=["notify_by_sms"])
    _clear(smtp_server, sms_gateway)
    dossier = _receive(office, dossier)
    smtp_server.wait_for(to=applicant.email, contains=dossier.code)
    channels = Notification.objects.filter(
        recipient=applicant, template="dossier_received"
    ).values_list("channel", flat=True)
    assert sorted(channels) == ["email", "inapp"]
    assert sms_gateway.find(to=applicant.phone) == []
