"""The classification of DESIGN §4 as the daily table counts it, on hand-made boundary cases
driven through the real workflow at chosen times: due today, due yesterday, paused across a
holiday, an apology counts late. The rule itself is `dossiers.deadlines.classify` (tested in
dossiers/tests/test_deadlines.py); these check that the aggregates apply it to the right
day and to the dossier as it stood that day."""

import datetime as dt

import pytest
from django.db.models import Sum

from dichvucong.core import calendar
from dichvucong.dossiers import deadlines
from dichvucong.stats.constants import METRICS
from dichvucong.stats.models import DailyAgencyStats
from dichvucong.stats.services import stats_rebuild

from .timeline import at

pytestmark = pytest.mark.django_db


def counts(day: dt.date, agency) -> dict[str, int]:
    """Every metric of `day` for `agency`, summed over fields and levels."""
    sums = DailyAgencyStats.objects.filter(day=day, agency_id=agency.pk).aggregate(
        **{m: Sum(m) for m in METRICS}
    )
    return {metric: value for metric, value in sums.items() if value}


def rebuild(clock, now, day_from, day_to=None):
    clock.set(now)
    return stats_rebuild(day_from=day_from, day_to=day_to or day_from, now=now)


# Monday 9 November 2026; a procedure of 2 working days received at 09:00 is due on
# Wednesday 11 November at 17:00.
MON, TUE, WED, THU = (dt.date(2026, 11, d) for d in (9, 10, 11, 12))


def test_due_today_is_on_time_until_the_evening_then_overdue(clock, make_office, life):
    """An open dossier due today counts "trong hạn" in today's figures; at the end of the
    day it is "quá hạn"; the next day (due yesterday) it stays overdue."""
    office = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    dossier = life(office)
    dossier.receive(at(2026, 11, 9, 9))
    d = dossier.process(at(2026, 11, 9, 10))
    assert d.due_at == at(2026, 11, 11, 17)

    rebuild(clock, at(2026, 11, 11, 10), WED)  # due today, 10:00
    assert counts(WED, office.agency) == {"open_on_time": 1}

    rebuild(clock, at(2026, 11, 12, 10), MON, THU)  # the next morning
    assert counts(MON, office.agency) == {"received_online": 1, "open_on_time": 1}
    assert counts(TUE, office.agency) == {"open_on_time": 1}
    assert counts(WED, office.agency) == {"open_overdue": 1}  # the end of the due day
    assert counts(THU, office.agency) == {"open_overdue": 1}  # due yesterday


def test_decided_on_the_due_day_is_on_time_the_day_after_is_late(clock, make_office, life):
    office = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    early, due_day, after, declined = (life(office) for _ in range(4))
    for dossier in (early, due_day, after, declined):
        dossier.receive(at(2026, 11, 9, 9))
    early.decide(at(2026, 11, 10, 15))
    due_day.decide(at(2026, 11, 11, 16, 59))
    declined.decide(at(2026, 11, 11, 17, 0), approve=False)  # exactly at the appointment
    after.decide(at(2026, 11, 12, 8, 30))  # due yesterday

    rebuild(clock, at(2026, 11, 13, 9), MON, THU)
    assert counts(TUE, office.agency) == {"resolved_early": 1, "open_on_time": 3}
    assert counts(WED, office.agency) == {"resolved_on_time": 2, "open_overdue": 1}
    assert counts(THU, office.agency) == {"resolved_late": 1}
    # the same words as the slips and the back office
    for dossier, code in [
        (early, deadlines.EARLY),
        (due_day, deadlines.ON_TIME),
        (declined, deadlines.ON_TIME),
        (after, deadlines.LATE),
    ]:
        assert deadlines.classify(dossier.dossier) == code


def test_a_pause_across_a_holiday_gives_back_working_days_only(clock, make_office, life):
    """Received Tuesday 28/4/2026 (3 working days: 29/4, then 30/4 and 1/5 are holidays and
    2–3/5 a weekend, 4/5, 5/5 → due 5/5 17:00). A supplement asked on 29/4 pauses it until
    Monday 4/5: one working day (29/4) is given back, not six calendar days: due 6/5.
    Paused every day of the wait, holiday or not; on time on 5/5 (it would be overdue without
    the day given back); decided on 6/5: on time."""
    office = make_office(days=3)
    clock.set(at(2026, 4, 28, 8))
    dossier = life(office)
    dossier.receive(at(2026, 4, 28, 9))
    d = dossier.process(at(2026, 4, 28, 10))
    assert d.due_at == at(2026, 5, 5, 17)
    dossier.pause(at(2026, 4, 29, 10))
    d = dossier.resume(at(2026, 5, 4, 9))
    assert d.due_at == at(2026, 5, 6, 17)
    assert calendar.paused_working_days(at(2026, 4, 29, 10), at(2026, 5, 4, 9)) == 1
    dossier.decide(at(2026, 5, 6, 15))

    days = [dt.date(2026, 4, 28) + dt.timedelta(days=i) for i in range(9)]
    rebuild(clock, at(2026, 5, 10, 9), days[0], days[-1])  # after the fact
    seen = {day: counts(day, office.agency) for day in days}
    assert seen[dt.date(2026, 4, 28)] == {"received_online": 1, "open_on_time": 1}
    for day in [dt.date(2026, 4, 29), dt.date(2026, 4, 30), dt.date(2026, 5, 1)]:
        assert seen[day] == {"paused": 1}, day
    assert seen[dt.date(2026, 5, 2)] == seen[dt.date(2026, 5, 3)] == {"paused": 1}
    assert seen[dt.date(2026, 5, 4)] == {"open_on_time": 1}  # resumed, due 6/5
    assert seen[dt.date(2026, 5, 5)] == {"open_on_time": 1}  # the old due day: not overdue
    assert seen[dt.date(2026, 5, 6)] == {"resolved_on_time": 1}


def test_an_apology_counts_late_whatever_the_new_date(clock, make_office, life):
    """ "Phiếu xin lỗi và hẹn lại": overdue from the day it is issued (on time before), and
    late when decided, even before the new date, even before the first one."""
    office = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    slow, quick = life(office), life(office)
    for dossier in (slow, quick):
        dossier.receive(at(2026, 11, 9, 9))
        dossier.process(at(2026, 11, 9, 10))
        dossier.apologise(dt.date(2026, 11, 20), at(2026, 11, 10, 11))
    quick.decide(at(2026, 11, 10, 15))  # before the first appointment (11/11)
    slow.decide(at(2026, 11, 13, 9))  # before the new one (20/11)

    rebuild(clock, at(2026, 11, 14, 9), MON, dt.date(2026, 11, 13))
    assert counts(MON, office.agency) == {"received_online": 2, "open_on_time": 2}
    assert counts(TUE, office.agency) == {"resolved_late": 1, "open_overdue": 1}
    assert counts(WED, office.agency) == {"open_overdue": 1}
    assert counts(THU, office.agency) == {"open_overdue": 1}
    assert counts(dt.date(2026, 11, 13), office.agency) == {"resolved_late": 1}


def test_rebuilding_each_night_and_rebuilding_later_agree(clock, make_office, life):
    """The nightly run sees each day as it ends; a rebuild weeks later reconstructs the same
    figures from the events (pauses, resumptions, apologies)."""
    office = make_office(days=3)
    clock.set(at(2026, 4, 27, 8))
    paused, apologised, plain = life(office), life(office), life(office)
    nightly: dict[dt.date, dict] = {}

    def night(day: dt.date) -> None:
        rebuild(clock, at(day.year, day.month, day.day, 23, 59), day)
        nightly[day] = counts(day, office.agency)

    for dossier in (paused, apologised, plain):
        dossier.receive(at(2026, 4, 28, 9))
        dossier.process(at(2026, 4, 28, 10))
    night(dt.date(2026, 4, 28))
    paused.pause(at(2026, 4, 29, 10))
    apologised.apologise(dt.date(2026, 5, 12), at(2026, 4, 29, 11))
    for day in (29, 30):
        night(dt.date(2026, 4, day))
    for day in (1, 2, 3):
        night(dt.date(2026, 5, day))
    paused.resume(at(2026, 5, 4, 9))
    night(dt.date(2026, 5, 4))
    night(dt.date(2026, 5, 5))
    plain.decide(at(2026, 5, 6, 9))
    paused.decide(at(2026, 5, 6, 16))
    night(dt.date(2026, 5, 6))
    apologised.decide(at(2026, 5, 7, 9))
    night(dt.date(2026, 5, 7))

    rebuild(clock, at(2026, 6, 1, 9), dt.date(2026, 4, 28), dt.date(2026, 5, 7))
    later = {day: counts(day, office.agency) for day in nightly}
    assert later == nightly
    assert nightly[dt.date(2026, 5, 5)] == {"open_on_time": 1, "open_overdue": 2}
    assert nightly[dt.date(2026, 5, 6)] == {
        "resolved_late": 1,
        "resolved_on_time": 1,
        "open_overdue": 1,
    }
    assert nightly[dt.date(2026, 5, 7)] == {"resolved_late": 1}
