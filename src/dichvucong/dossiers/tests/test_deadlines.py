"""`deadlines.classify`: early / on time / late for decided dossiers, on time / overdue / paused
for open ones (DESIGN §4). Hand-made boundary cases around an appointment at 17:00 local time
on Tuesday 1 December 2026; no database, no clock (every case passes `now`)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dichvucong.dossiers import deadlines
from dichvucong.dossiers.deadlines import EARLY, LATE, ON_TIME, OVERDUE, PAUSED
from dichvucong.dossiers.models import Dossier

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC
DUE = dt.datetime(2026, 12, 1, 17, 0, tzinfo=HCM)
RECEIVED = dt.datetime(2026, 11, 24, 9, 0, tzinfo=HCM)


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=HCM)


def dossier(status: str = "resolved", **values) -> Dossier:
    """An unsaved dossier: classify reads only its status and dates."""
    values.setdefault("received_at", RECEIVED)
    values.setdefault("due_at", DUE)
    return Dossier(status=status, **values)


@pytest.mark.parametrize(
    ("finished_at", "expected"),
    [
        (at(30, 9, month=11), EARLY),  # the day before
        (at(30, 23, 59, 59, month=11), EARLY),  # the last second of the day before
        (at(1, 0, 0), ON_TIME),  # the first second of the due day
        (at(1, 16, 59), ON_TIME),  # the due day at 16:59
        (at(1, 17, 0), ON_TIME),  # exactly at the appointment
        (at(1, 17, 0, 1), LATE),  # one second after
        (at(1, 17, 30), LATE),  # the due day after 17:00
        (at(2, 8, 0), LATE),  # the next day
    ],
    ids=[
        "day-before",
        "day-before-23:59:59",
        "due-day-00:00",
        "due-day-16:59",
        "due-day-17:00",
        "one-second-after",
        "due-day-17:30",
        "next-day",
    ],
)
def test_a_decided_dossier_against_its_appointment(finished_at, expected):
    assert deadlines.classify(dossier(finished_at=finished_at)) == expected


def test_the_due_day_is_the_local_day_not_the_utc_one():
    """00:30 on the due day in Việt Nam is still 30 November in UTC: on time, not early."""
    finished = dt.datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert deadlines.classify(dossier(finished_at=finished)) == ON_TIME
    just_before = dt.datetime(2026, 12, 1, 9, 59, 59, tzinfo=UTC)  # 16:59:59 local
    assert deadlines.classify(dossier(finished_at=just_before)) == ON_TIME
    just_after = dt.datetime(2026, 12, 1, 10, 0, 1, tzinfo=UTC)  # 17:00:01 local
    assert deadlines.classify(dossier(finished_at=just_after)) == LATE


def test_an_apology_makes_a_decided_dossier_late_whatever_the_new_date():
    moved = {"original_due_at": DUE, "due_at": at(8, 17)}
    assert deadlines.classify(dossier(finished_at=at(3, 10), **moved)) == LATE
    # even decided before the first appointment, once an apology was issued
    assert deadlines.classify(dossier(finished_at=at(30, 10, month=11), **moved)) == LATE


@pytest.mark.parametrize("status", ["resolved", "not_resolved", "returned"])
def test_every_decided_status_is_judged_on_the_decision_time(status):
    """A refusal to grant ("Không giải quyết") is a decision too; a returned dossier is judged
    when its result was ready, not when the applicant came to collect it."""
    decided = dossier(status, finished_at=at(30, 10, month=11), returned_at=at(4, 9))
    assert deadlines.classify(decided) == EARLY


def test_a_returned_dossier_without_a_decision_time_falls_back_to_the_return():
    assert deadlines.classify(dossier("returned", returned_at=at(2, 9))) == LATE


@pytest.mark.parametrize("status", ["received", "processing", "awaiting_approval"])
def test_an_open_dossier_is_on_time_until_the_appointment_then_overdue(status):
    assert deadlines.classify(dossier(status), now=at(30, 12, month=11)) == ON_TIME
    assert deadlines.classify(dossier(status), now=DUE) == ON_TIME
    assert deadlines.classify(dossier(status), now=at(1, 17, 0, 1)) == OVERDUE
    assert deadlines.classify(dossier(status), now=at(5, 9)) == OVERDUE


def test_an_open_dossier_waiting_for_a_supplement_is_paused_even_past_its_date():
    waiting = dossier("supplement_requested", paused_at=at(27, 10, month=11))
    assert deadlines.classify(waiting, now=at(30, 10, month=11)) == PAUSED
    assert deadlines.classify(waiting, now=at(9, 10)) == PAUSED


def test_an_open_dossier_with_an_apology_counts_as_overdue():
    moved = dossier("processing", original_due_at=DUE, due_at=at(8, 17))
    assert deadlines.classify(moved, now=at(30, 10, month=11)) == OVERDUE


@pytest.mark.parametrize(
    ("status", "values"),
    [
        ("draft", {"received_at": None, "due_at": None}),
        ("submitted", {"received_at": None, "due_at": None}),
        # asked to supplement at reception: never received, no appointment yet
        ("supplement_requested", {"received_at": None, "due_at": None}),
        ("refused", {"received_at": None, "due_at": None}),
        ("withdrawn", {"received_at": None, "due_at": None}),
    ],
)
def test_a_dossier_never_received_is_not_classified(status, values):
    subject = dossier(status, **values)
    assert deadlines.classify(subject, now=at(9, 10)) is None
    assert deadlines.classify_label(subject, now=at(9, 10)) == ""


def test_labels_are_the_vietnamese_words_of_the_statistics():
    """ "on_time" reads "Đúng hạn" for a decided dossier and "Trong hạn" for an open one."""
    now = at(30, 10, month=11)
    cases = [
        (dossier(finished_at=at(30, 9, month=11)), "Trước hạn"),
        (dossier(finished_at=at(1, 16, 59)), "Đúng hạn"),
        (dossier(finished_at=at(1, 17, 30)), "Quá hạn"),
        (dossier("processing"), "Trong hạn"),
        (dossier("processing", due_at=at(27, 17, month=11)), "Quá hạn"),
        (dossier("supplement_requested", paused_at=now), "Tạm dừng"),
    ]
    for subject, label in cases:
        assert deadlines.classify_label(subject, now=now) == label


def test_classify_times_is_the_same_rule_on_plain_values():
    """For callers holding `.values()` rows (the statistics)."""
    assert deadlines.classify_times(status="resolved", due_at=DUE, finished_at=at(1, 16)) == (
        ON_TIME
    )
    assert deadlines.classify_times(status="processing", due_at=DUE, now=at(1, 17, 0, 1)) == OVERDUE
    assert deadlines.classify_times(status="submitted", due_at=None) is None


def test_without_now_the_current_time_is_used():
    far = dossier("processing", due_at=dt.datetime(2999, 1, 1, 17, tzinfo=HCM))
    assert deadlines.classify(far) == ON_TIME
    past = dossier("processing", due_at=dt.datetime(2000, 1, 3, 17, tzinfo=HCM))
    assert deadlines.classify(past) == OVERDUE
