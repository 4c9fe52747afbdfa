"""The officials' actions: every transition allowed and refused by role and agency, the
deadline rules, the stale-page check and the full loop to "Đã trả kết quả"."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from dichvucong.accounts.tests.factories import staff
from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.dossiers.tests.factories import agency, submitted
from dichvucong.dossiers.tests.files import pdf
from dichvucong.dossiers.workflow import actions
from dichvucong.notifications.models import Notification

pytestmark = pytest.mark.django_db


def crew(office):
    return {role: staff(agency=office, role=role) for role in ("reception", "handler", "leader")}


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def receive(d, people):
    return actions.dossier_receive(
        dossier_id=d.pk, user=people["reception"], expected_version=d.version
    )


def process(d, people):
    return actions.dossier_start_processing(
        dossier_id=d.pk,
        user=people["reception"],
        expected_version=d.version,
        assignee=people["handler"],
    )


def propose(d, people):
    return actions.dossier_propose(
        dossier_id=d.pk,
        user=people["handler"],
        expected_version=d.version,
        note="Đề nghị cấp giấy phép",
        uploads=[pdf("du-thao-giay-phep.pdf")],
    )


def test_the_whole_loop_to_returned_with_a_level_4_result():
    d = submitted(level=4)
    people = crew(d.agency)
    d = actions.dossier_request_supplement(
        dossier_id=d.pk,
        user=people["reception"],
        expected_version=d.version,
        note="Ảnh CCCD bị mờ",
        missing=["Bản sao CCCD", ""],
    )
    assert d.status == "supplement_requested"
    d, _ = services.dossier_supplement(
        dossier_id=d.pk,
        user=d.applicant,
        note="Đã chụp lại",
        uploads=[pdf()],
        expected_version=d.version,
    )
    assert d.status == "submitted"
    d = receive(d, people)
    assert d.status == "received"
    assert d.due_at is not None
    assert d.received_at is not None
    d = process(d, people)
    assert d.status == "processing"
    assert d.assignee == people["handler"]
    d = propose(d, people)
    assert d.status == "awaiting_approval"
    d = actions.dossier_approve(dossier_id=d.pk, user=people["leader"], expected_version=d.version)
    assert d.status == "resolved"
    assert d.finished_at
    result = d.attachments.get(kind="result")
    assert result.original_name == "du-thao-giay-phep.pdf"  # the draft became the result
    d = actions.dossier_return_result(
        dossier_id=d.pk, user=people["reception"], expected_version=d.version
    )
    assert d.status == "returned"
    assert d.returned_at
    assert d.sync_code == 10
    actions_done = list(
        DossierEvent.objects.filter(dossier=d, type="transition").values_list("action", flat=True)
    )
    assert actions_done == [
        "submit",
        "request_supplement",
        "resubmit",
        "receive",
        "start_processing",
        "propose",
        "approve",
        "return_result",
    ]
    templates = set(
        Notification.objects.filter(recipient=d.applicant).values_list("template", flat=True)
    )
    assert {
        "dossier_submitted",
        "dossier_supplement_requested",
        "dossier_received",
        "dossier_result_ready",
        "dossier_returned",
    } <= templates


ACTIONS = {
    "receive": (
        "submitted",
        lambda d, u, p: actions.dossier_receive(
            dossier_id=d.pk, user=u, expected_version=d.version
        ),
    ),
    "refuse": (
        "submitted",
        lambda d, u, p: actions.dossier_refuse(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Không thuộc thẩm quyền"
        ),
    ),
    "request_supplement": (
        "submitted",
        lambda d, u, p: actions.dossier_request_supplement(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Thiếu"
        ),
    ),
    "start_processing": (
        "received",
        lambda d, u, p: actions.dossier_start_processing(
            dossier_id=d.pk, user=u, expected_version=d.version, assignee=p["handler"]
        ),
    ),
    "propose": (
        "processing",
        lambda d, u, p: actions.dossier_propose(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Đề xuất", uploads=[pdf()]
        ),
    ),
    "request_supplement_processing": (
        "processing",
        lambda d, u, p: actions.dossier_request_supplement(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Thiếu"
        ),
    ),
    "approve": (
        "awaiting_approval",
        lambda d, u, p: actions.dossier_approve(
            dossier_id=d.pk, user=u, expected_version=d.version
        ),
    ),
    "decline": (
        "awaiting_approval",
        lambda d, u, p: actions.dossier_decline(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Không đủ điều kiện"
        ),
    ),
    "send_back": (
        "awaiting_approval",
        lambda d, u, p: actions.dossier_send_back(
            dossier_id=d.pk, user=u, expected_version=d.version, note="Xem lại"
        ),
    ),
    "return_result": (
        "resolved",
        lambda d, u, p: actions.dossier_return_result(
            dossier_id=d.pk, user=u, expected_version=d.version
        ),
    ),
}
ALLOWED = {
    "receive": {"reception"},
    "refuse": {"reception"},
    "request_supplement": {"reception"},
    "start_processing": {"reception", "handler", "leader"},
    "propose": {"handler"},
    "request_supplement_processing": {"handler"},
    "approve": {"leader"},
    "decline": {"leader"},
    "send_back": {"leader"},
    "return_result": {"reception"},
}


def bring_to(status, people):
    d = submitted()
    people = people or crew(d.agency)
    if status == "submitted":
        return d, people
    d = Dossier.objects.get(pk=d.pk)
    steps = ["received", "processing", "awaiting_approval", "resolved"]
    for step in steps:
        if step == "received":
            d = receive(d, people)
        elif step == "processing":
            d = process(d, people)
        elif step == "awaiting_approval":
            d = propose(d, people)
        elif step == "resolved":
            d = actions.dossier_approve(
                dossier_id=d.pk, user=people["leader"], expected_version=d.version
            )
        if step == status:
            return d, people
    raise AssertionError(status)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ["reception", "handler", "leader", "other agency", "applicant"])
def test_transition_matrix(action, role):
    """Each action by each role: allowed exactly as DESIGN §4 says, refused otherwise."""
    status, run = ACTIONS[action]
    d = submitted()
    people = crew(d.agency)
    d, people = bring_to(status, None) if status != "submitted" else (d, people)
    if role == "other agency":
        user = staff(agency=agency(), role="reception")
        user2 = staff(agency=user.agency, role="handler")
        user2.staff_roles.create(role="leader")
    elif role == "applicant":
        user = d.applicant
    else:
        user = people[role]
    before = fresh(d)
    if role in ALLOWED[action]:
        after = run(d, user, people)
        assert after.status != before.status
        assert after.version == before.version + 1
    else:
        with pytest.raises(ApplicationError) as error:
            run(d, user, people)
        assert error.value.code == "forbidden"
        assert fresh(d).status == before.status
        assert fresh(d).version == before.version


def test_a_stale_page_changes_nothing():
    d = submitted()
    people = crew(d.agency)
    with pytest.raises(ApplicationError) as error:
        actions.dossier_receive(
            dossier_id=d.pk, user=people["reception"], expected_version=d.version - 1
        )
    assert error.value.code == "stale"
    assert "Hồ sơ đã được cập nhật" in error.value.message
    assert fresh(d).status == "submitted"


def test_a_wrong_state_is_refused_with_a_clear_message():
    d = submitted()
    people = crew(d.agency)
    with pytest.raises(ApplicationError) as error:
        actions.dossier_approve(dossier_id=d.pk, user=people["leader"], expected_version=d.version)
    assert error.value.code == "invalid_transition"
    assert "Phê duyệt" in error.value.message
    assert "Mới nộp, chờ tiếp nhận" in error.value.message


def test_reasons_are_required():
    d = submitted()
    people = crew(d.agency)
    with pytest.raises(ApplicationError) as error:
        actions.dossier_refuse(
            dossier_id=d.pk, user=people["reception"], expected_version=d.version, note="  "
        )
    assert error.value.field == "note"


def test_the_assignee_must_be_a_handler_of_the_agency():
    d, people = bring_to("received", None)
    stranger = staff(agency=agency(), role="handler")
    with pytest.raises(ApplicationError) as error:
        actions.dossier_start_processing(
            dossier_id=d.pk, user=people["reception"], expected_version=d.version, assignee=stranger
        )
    assert error.value.field == "assignee"
    with pytest.raises(ApplicationError):
        actions.dossier_start_processing(
            dossier_id=d.pk,
            user=people["reception"],
            expected_version=d.version,
            assignee=people["leader"],
        )


def test_a_supplement_during_processing_pauses_the_clock_and_gives_the_days_back():
    d, people = bring_to("processing", None)
    due = d.due_at
    d = actions.dossier_request_supplement(
        dossier_id=d.pk, user=people["handler"], expected_version=d.version, note="Cần bản gốc"
    )
    assert d.status == "supplement_requested"
    assert d.paused_at is not None
    # the applicant answers three working days later
    paused = timezone.localtime(d.paused_at)
    Dossier.objects.filter(pk=d.pk).update(paused_at=paused - dt.timedelta(days=7))
    d = fresh(d)
    d, _ = services.dossier_supplement(
        dossier_id=d.pk,
        user=d.applicant,
        note="Đã bổ sung",
        uploads=[pdf()],
        expected_version=d.version,
    )
    assert d.status == "processing"  # back to the handler, not to reception
    assert d.paused_at is None
    assert d.due_at > due  # the paused working days were given back
    from dichvucong.core.calendar import paused_working_days

    assert paused_working_days(paused - dt.timedelta(days=7), timezone.now()) >= 4


def test_the_apology_sets_a_new_date_once_and_before_the_due_date():
    d, people = bring_to("processing", None)
    new_day = timezone.localtime(d.due_at).date() + dt.timedelta(days=10)
    with pytest.raises(ApplicationError):  # reception may not
        actions.dossier_apologise(
            dossier_id=d.pk,
            user=people["reception"],
            expected_version=d.version,
            new_due=new_day,
            note="Chờ ý kiến",
        )
    with pytest.raises(ApplicationError) as error:
        actions.dossier_apologise(
            dossier_id=d.pk,
            user=people["handler"],
            expected_version=d.version,
            new_due=timezone.localtime(d.due_at).date(),
            note="x",
        )
    assert error.value.field == "new_due"
    d2 = actions.dossier_apologise(
        dossier_id=d.pk,
        user=people["handler"],
        expected_version=d.version,
        new_due=new_day,
        note="Chờ ý kiến sở khác",
    )
    assert timezone.localtime(d2.due_at).date() == new_day
    assert d2.original_due_at == d.due_at
    with pytest.raises(ApplicationError) as error:
        actions.dossier_apologise(
            dossier_id=d.pk,
            user=people["leader"],
            expected_version=d2.version,
            new_due=new_day + dt.timedelta(days=3),
            note="lần hai",
        )
    assert error.value.code == "once"
    assert Notification.objects.filter(template="dossier_apology").exists()


def test_no_apology_after_the_due_date():
    d, people = bring_to("processing", None)
    Dossier.objects.filter(pk=d.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ApplicationError) as error:
        actions.dossier_apologise(
            dossier_id=d.pk,
            user=people["handler"],
            expected_version=d.version,
            new_due=timezone.localdate() + dt.timedelta(days=5),
            note="muộn",
        )
    assert error.value.code == "late"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_receiving_at_once_only_one_wins():
    d = submitted()
    first, second = (
        staff(agency=d.agency, role="reception"),
        staff(agency=d.agency, role="reception"),
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def receive_as(user):
        try:
            barrier.wait()
            actions.dossier_receive(dossier_id=d.pk, user=user, expected_version=d.version)
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive_as, args=(u,)) for u in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "stale"]
    assert DossierEvent.objects.filter(dossier=d, action="receive").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transition_locks_only_its_dossier_not_the_agency_nor_the_applicant():
    """Every submission and action of an agency used to lock the agency's row too (FOR UPDATE
    over the joined tables): they queued on it and could deadlock (bench/load.py found it)."""
    from django.db import connections
    from django.db.utils import OperationalError

    from dichvucong.dossiers.workflow.services import dossier_transition

    d = submitted()
    officer = staff(agency=d.agency, role="reception")
    seen = {}

    def try_locks(dossier):
        def other_connection():
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("BEGIN")
                    for table, pk in (
                        ("catalog_agency", dossier.agency_id),
                        ("accounts_user", dossier.applicant_id),
                        ("dossiers_dossier", dossier.pk),
                    ):
                        try:
                            cursor.execute(
                                f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT",  # noqa: S608
                                [pk],
                            )
                            seen[table] = "free"
                        except OperationalError:
                            seen[table] = "locked"
                            cursor.execute("ROLLBACK")
                            cursor.execute("BEGIN")
                    cursor.execute("ROLLBACK")
            finally:
                other.close()

        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join(timeout=30)

    dossier_transition(dossier_id=d.pk, name="receive", user=officer, apply=try_locks)
    assert seen == {
        "catalog_agency": "free",
        "accounts_user": "free",
        "dossiers_dossier": "locked",
    }
