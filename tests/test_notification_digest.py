"""The officers' daily digest: dossiers due soon and overdue, by email, once a day.

Real dossiers received through the workflow, a real SMTP server; the beat task is called as
beat would call it.
"""

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.tests import factories as dossier_factories
from dichvucong.dossiers.workflow.services import dossier_transition
from dichvucong.notifications.models import Notification
from dichvucong.notifications.tasks import send_staff_digests

pytestmark = pytest.mark.django_db(transaction=True)


def _officer(agency, role, email):
    user = staff(agency=agency, role=role)
    user.full_name = f"Cán bộ {role}"
    user.email = email
    user.save(update_fields=["full_name", "email"])
    return user


def _received(procedure, reception, *, due_in_days: float, assignee=None) -> Dossier:
    dossier = dossier_factories.submitted(user=citizen(verified=True), procedure_=procedure)
    due = timezone.now() + dt.timedelta(days=due_in_days)

    def receive(d):
        d.due_at = due
        d.assignee = assignee

    return dossier_transition(dossier_id=dossier.pk, name="receive", user=reception, apply=receive)


def test_each_officer_gets_one_digest_of_what_concerns_them(real_messaging, smtp_server):
    agency = dossier_factories.agency(name="Sở Ngoại vụ")
    procedure = dossier_factories.procedure(
        agency_=agency, name="Cho phép tổ chức hội nghị, hội thảo quốc tế"
    )
    reception = _officer(agency, "reception", "tiepnhan@ngoaivu.example.vn")
    handler = _officer(agency, "handler", "chuyenvien@ngoaivu.example.vn")
    idle = _officer(agency, "handler", "ranh@ngoaivu.example.vn")
    overdue = _received(procedure, reception, due_in_days=-2, assignee=handler)
    soon = _received(procedure, reception, due_in_days=1)
    later = _received(procedure, reception, due_in_days=20, assignee=handler)
    other_agency = dossier_factories.agency(name="Sở Tư pháp")
    _officer(other_agency, "reception", "tiepnhan@tuphap.example.vn")
    smtp_server.clear()

    assert send_staff_digests() == 2
    assert send_staff_digests() == 0  # beat ran twice, or an operator ran it by hand

    to_reception = smtp_server.wait_for(to=reception.email)
    to_handler = smtp_server.wait_for(to=handler.email)
    body = to_reception.body.replace("\r\n", "\n")
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert to_reception.subject == f"Hồ sơ sắp đến hạn và quá hạn ngày {today} - Sở Ngoại vụ"
    assert "Kính gửi Cán bộ reception," in body
    assert "QUÁ HẠN (1 hồ sơ):" in body
    assert "SẮP ĐẾN HẠN (1 hồ sơ):" in body
    overdue_due = timezone.localtime(overdue.due_at).strftime("%d/%m/%Y")
    assert f"- {overdue.code}: {procedure.name} (hẹn trả {overdue_due})" in body
    assert soon.code in body
    assert later.code not in body
    assert overdue.code in to_handler.body
    assert soon.code not in to_handler.body
    assert smtp_server.find(to=idle.email) == []
    assert smtp_server.find(to="tiepnhan@tuphap.example.vn") == []
    assert Notification.objects.filter(template="staff_digest", status="sent").count() == 2
