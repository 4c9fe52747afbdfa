"""The working-day calendar: legal deadlines in Việt Nam count working days (DESIGN §4).

Public holidays come from the `holidays` package (Tết by the lunar calendar, Giỗ Tổ Hùng
Vương, 30/4, 1/5, 2/9 and the official swaps); a swap it announces as "thay cho ngày
dd/mm/yyyy" makes that Saturday a working day. Administrators add their own exceptions
(core.models.CalendarOverride), which win over everything else.
"""

import datetime as dt
import re
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

_SWAP = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=64)
def _public(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, make-up working days) of a year from the holidays package."""
    days = holidays.country_holidays("VN", years=year, language="vi")
    off = frozenset(days.keys())
    makeup = set()
    for name in days.values():
        for day, month, year_ in _SWAP.findall(name):
            makeup.add(dt.date(int(year_), int(month), int(day)))
    return off, frozenset(makeup)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from .models import CalendarOverride

    return dict(
        CalendarOverride.objects.filter(date__range=(start, end)).values_list(
            "date", "is_working_day"
        )
    )


class WorkingCalendar:
    """A calendar over a range of dates with the overrides read once (one query)."""

    def __init__(self, start: dt.date, end: dt.date):
        self.overrides = _overrides(start, end)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        off, _makeup = _public(day.year)
        # A swap may be announced with a holiday of the year before or after.
        if any(day in _public(year)[1] for year in (day.year - 1, day.year, day.year + 1)):
            return True
        return day.weekday() < 5 and day not in off

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (`day` itself when count is 0 and it is
        a working day, else the next working day)."""
        if count == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def count_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end)."""
        total, day = 0, start
        while day < end:
            total += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return total


def _calendar_for(day: dt.date, span_days: int) -> WorkingCalendar:
    # A range wide enough for Tết plus the deadline (never more than a few months).
    return WorkingCalendar(day - dt.timedelta(days=7), day + dt.timedelta(days=span_days * 3 + 40))


def counting_start(received_at: dt.datetime) -> dt.date:
    """The day counting starts: the day of receipt, or the next working day when received
    after the cut-off hour or on a day off."""
    local = timezone.localtime(received_at)
    calendar = _calendar_for(local.date(), 7)
    if local.hour >= settings.RECEIPT_CUTOFF_HOUR or not calendar.is_working_day(local.date()):
        return calendar.next_working_day(local.date())
    return local.date()


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(settings.OFFICE_CLOSE_HOUR, 0)),
        timezone.get_default_timezone(),
    )


def due_at(received_at: dt.datetime, processing_days: int) -> dt.datetime:
    """The appointment: the end of office hours on the `processing_days`-th working day after
    the day counting starts (on that day itself for "giải quyết trong ngày")."""
    start = counting_start(received_at)
    calendar = _calendar_for(start, processing_days)
    return end_of_day(calendar.add(start, processing_days))


def paused_working_days(paused_at: dt.datetime, resumed_at: dt.datetime) -> int:
    """Working days a dossier waited for the applicant's supplement: they do not count.

    A pause that starts and ends on the same day costs nothing; otherwise the working days
    from the pause's day up to (not including) the resumption's day are given back.
    """
    start = timezone.localtime(paused_at).date()
    end = timezone.localtime(resumed_at).date()
    if end <= start:
        return 0
    return WorkingCalendar(start, end).count_between(start, end)


def extend(due: dt.datetime, working_days: int) -> dt.datetime:
    if working_days <= 0:
        return due
    day = timezone.localtime(due).date()
    return end_of_day(_calendar_for(day, working_days).add(day, working_days))


def working_days_left(due: dt.datetime, now: dt.datetime | None = None) -> int:
    """Working days from today to the due day (0 on the day; negative when overdue)."""
    today = timezone.localtime(now or timezone.now()).date()
    due_day = timezone.localtime(due).date()
    if due_day >= today:
        return WorkingCalendar(today, due_day).count_between(today, due_day)
    return -WorkingCalendar(due_day, today).count_between(due_day, today)
