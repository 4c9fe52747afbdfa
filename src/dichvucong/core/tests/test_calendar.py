"""Working days on the cases the law makes hard: Tết, 30/4–1/5, 2/9, swaps, overrides."""

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.core.calendar import (
    WorkingCalendar,
    counting_start,
    due_at,
    extend,
    paused_working_days,
    working_days_left,
)
from dichvucong.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def at(y, m, d, hour=9, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=timezone.get_default_timezone())


def local_day(value):
    return timezone.localtime(value).date()


def test_weekends_are_not_working_days():
    cal = WorkingCalendar(dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert cal.is_working_day(dt.date(2026, 11, 27))  # Friday
    assert not cal.is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(dt.date(2026, 11, 29))  # Sunday


def test_a_five_day_procedure_received_on_monday_is_due_next_monday():
    due = due_at(at(2026, 11, 30), 5)
    assert local_day(due) == dt.date(2026, 12, 7)
    assert timezone.localtime(due).hour == 17


def test_after_the_cut_off_hour_counting_starts_the_next_working_day(settings):
    settings.RECEIPT_CUTOFF_HOUR = 16
    assert counting_start(at(2026, 11, 30, 15, 59)) == dt.date(2026, 11, 30)
    assert counting_start(at(2026, 11, 30, 16, 0)) == dt.date(2026, 12, 1)
    assert local_day(due_at(at(2026, 11, 30, 16, 30), 5)) == dt.date(2026, 12, 8)
    # received on Friday evening: counting starts on Monday
    assert counting_start(at(2026, 12, 4, 18)) == dt.date(2026, 12, 7)


def test_received_on_a_saturday_counts_from_monday():
    assert counting_start(at(2026, 11, 28, 10)) == dt.date(2026, 11, 30)
    assert local_day(due_at(at(2026, 11, 28, 10), 1)) == dt.date(2026, 12, 1)


def test_same_day_procedures():
    assert local_day(due_at(at(2026, 11, 30, 9), 0)) == dt.date(2026, 11, 30)
    assert local_day(due_at(at(2026, 11, 30, 16, 30), 0)) == dt.date(2026, 12, 1)


def test_tet_2027_is_skipped():
    """Tết Đinh Mùi: 04/02 to 10/02/2027 off (29 Tết to mùng năm, with the weekend)."""
    cal = WorkingCalendar(dt.date(2027, 1, 25), dt.date(2027, 2, 28))
    for day in range(4, 11):
        assert not cal.is_working_day(dt.date(2027, 2, day)), day
    # Received Wednesday 03/02/2027 with 3 working days: 03 (day 0), then 11, 12, 15.
    assert local_day(due_at(at(2027, 2, 3), 3)) == dt.date(2027, 2, 15)


def test_30_4_and_1_5_with_the_make_up_monday_in_2027():
    # 30/4 Friday, 1/5 Saturday, 3/5 Monday off in its place.
    assert local_day(due_at(at(2027, 4, 29), 1)) == dt.date(2027, 5, 4)


def test_national_day_2_9():
    # 2026: 31/8 (swap), 1/9 and 2/9 off; received Friday 28/08/2026 with 2 days.
    assert local_day(due_at(at(2026, 8, 28), 2)) == dt.date(2026, 9, 4)


def test_a_swapped_saturday_is_a_working_day():
    """The 31/08/2026 day off was taken "thay cho ngày 22/08/2026": that Saturday works."""
    cal = WorkingCalendar(dt.date(2026, 8, 1), dt.date(2026, 9, 30))
    assert cal.is_working_day(dt.date(2026, 8, 22))
    assert not cal.is_working_day(dt.date(2026, 8, 31))
    # Received Friday 21/08/2026 with 1 day: due the make-up Saturday.
    assert local_day(due_at(at(2026, 8, 21), 1)) == dt.date(2026, 8, 22)


def test_administrator_overrides_win():
    CalendarOverride.objects.create(date=dt.date(2026, 12, 1), is_working_day=False, note="Bão")
    CalendarOverride.objects.create(
        date=dt.date(2026, 12, 5), is_working_day=True, note="Làm bù thứ Bảy"
    )
    cal = WorkingCalendar(dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert not cal.is_working_day(dt.date(2026, 12, 1))
    assert cal.is_working_day(dt.date(2026, 12, 5))
    # Monday 30/11 with 3 days: 2/12, 3/12, 4/12 (1/12 is off)
    assert local_day(due_at(at(2026, 11, 30), 3)) == dt.date(2026, 12, 4)
    # with 4 days the make-up Saturday counts
    assert local_day(due_at(at(2026, 11, 30), 4)) == dt.date(2026, 12, 5)


def test_a_pause_for_a_supplement_gives_its_working_days_back():
    # paused Thursday 03/12, resumed Tuesday 08/12: Thu, Fri, Mon = 3 working days
    assert paused_working_days(at(2026, 12, 3, 10), at(2026, 12, 8, 9)) == 3
    assert paused_working_days(at(2026, 12, 3, 10), at(2026, 12, 3, 15)) == 0
    due = due_at(at(2026, 11, 30), 5)  # 07/12
    assert local_day(extend(due, 3)) == dt.date(2026, 12, 10)


def test_working_days_left():
    due = due_at(at(2026, 11, 30), 5)  # Monday 07/12
    assert working_days_left(due, now=at(2026, 12, 7, 8)) == 0
    assert working_days_left(due, now=at(2026, 12, 4, 8)) == 1  # Friday: Friday itself
    assert working_days_left(due, now=at(2026, 12, 9, 8)) == -2  # overdue by 2
