"""`stats_rebuild`: what each dossier adds to which day row, idempotency, the schedule's task,
the command, and the embedded profile's refresh."""

import datetime as dt
import io
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from dichvucong.dossiers import deadlines, services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow import actions
from dichvucong.dossiers.workflow.statuses import OPEN
from dichvucong.stats import tasks
from dichvucong.stats.constants import FLOW_METRICS, METRICS, SNAPSHOT_METRICS, RebuildTrigger
from dichvucong.stats.models import DailyAgencyStats, MonthlyAgencyStats, RebuildLog
from dichvucong.stats.services import (
    rating_create,
    stats_rebuild,
    stats_refresh_if_stale,
)

from .timeline import at

pytestmark = pytest.mark.django_db

NOV = [dt.date(2026, 11, d) for d in range(1, 31)]


def table() -> list[tuple]:
    return list(
        DailyAgencyStats.objects.order_by("day", "agency_id", "field_id", "level").values_list(
            "day", "month", "agency_id", "field_id", "level", *METRICS
        )
    )


def total(metric: str, **filters) -> int:
    return DailyAgencyStats.objects.filter(**filters).aggregate(n=Sum(metric))["n"] or 0


@pytest.fixture
def busy_week(clock, make_office, life):
    """Two agencies, both levels, every outcome, 9–13/11/2026."""
    first, second = make_office(days=2), make_office(days=5)
    clock.set(at(2026, 11, 9, 8))
    people = {}
    people["returned"] = life(first, level=4)
    people["declined"] = life(first)
    people["open"] = life(second)
    people["refused"] = life(second)
    people["withdrawn"] = life(first)
    for key in ("returned", "declined", "open"):
        people[key].receive(at(2026, 11, 9, 9))
    people["returned"].decide(at(2026, 11, 10, 9))
    people["returned"].return_result(at(2026, 11, 12, 10))
    people["declined"].decide(at(2026, 11, 12, 9), approve=False)
    d = people["refused"]._at(at(2026, 11, 10, 14))
    actions.dossier_refuse(
        dossier_id=d.pk, user=second.reception, expected_version=d.version, note="Sai thẩm quyền"
    )
    d = people["withdrawn"]._at(at(2026, 11, 11, 8))
    services.dossier_withdraw(
        dossier_id=d.pk, user=d.applicant, reason="Nộp nhầm", expected_version=d.version
    )
    clock.set(at(2026, 11, 13, 9))
    d = people["returned"].dossier
    rating_create(dossier_id=d.pk, user=d.applicant, score="very_satisfied", comment="Nhanh")
    clock.set(at(2026, 11, 14, 9))
    return first, second, people


def test_each_outcome_lands_on_its_day_agency_field_and_level(clock, busy_week):
    first, second, _people = busy_week
    stats_rebuild(day_from=NOV[8], day_to=NOV[13], now=at(2026, 11, 14, 9))
    field_first = first.procedure.field_id
    assert total("received_online", day=NOV[8], agency_id=first.agency.pk) == 2
    assert total("received_online", day=NOV[8], agency_id=second.agency.pk) == 1
    assert total("received_online", day=NOV[8], level=4) == 1
    assert total("resolved_early", day=NOV[9], agency_id=first.agency.pk, level=4) == 1
    assert total("resolved_late", day=NOV[11], agency_id=first.agency.pk, level=3) == 1
    assert total("returned", day=NOV[11], field_id=field_first) == 1
    assert total("refused", day=NOV[9], agency_id=second.agency.pk) == 1
    assert total("withdrawn", day=NOV[10], agency_id=first.agency.pk) == 1
    assert total("rated_very_satisfied", day=NOV[12], agency_id=first.agency.pk, level=4) == 1
    # the open one (5 working days: due 16/11) is on time every evening, and today
    for day in NOV[8:14]:
        assert total("open_on_time", day=day, agency_id=second.agency.pk) == 1, day
    # the month is the day's month; no other rows
    assert set(DailyAgencyStats.objects.values_list("month", flat=True)) == {dt.date(2026, 11, 1)}
    assert total("received_in_person") == 0
    assert not DailyAgencyStats.objects.exclude(day__range=(NOV[8], NOV[13])).exists()


def test_rebuilding_twice_or_in_pieces_gives_the_same_rows(clock, busy_week):
    now = at(2026, 11, 14, 9)
    stats_rebuild(day_from=NOV[0], day_to=NOV[13], now=now)
    once = table()
    assert once
    stats_rebuild(day_from=NOV[0], day_to=NOV[13], now=now)
    assert table() == once
    DailyAgencyStats.objects.all().delete()
    for day in NOV[:14]:
        stats_rebuild(day_from=day, day_to=day, now=now)
    assert table() == once
    stats_rebuild(day_from=NOV[10], day_to=NOV[11], now=now)  # a piece again
    assert table() == once
    assert RebuildLog.objects.filter(finished_at__isnull=False).count() == 17


def test_the_months_are_the_sums_of_their_days_with_the_last_days_snapshot(clock, busy_week):
    """What the pages read: flows summed over the month's days, the open dossiers of its last
    day (today for the current month); rebuilding a day rolls its month up again."""
    stats_rebuild(day_from=NOV[0], day_to=NOV[13], now=at(2026, 11, 14, 9))
    keys = ("agency_id", "field_id", "level")
    months = {
        tuple(row[k] for k in keys): row
        for row in MonthlyAgencyStats.objects.filter(month=NOV[0]).values(*keys, *METRICS)
    }
    assert len(months) == DailyAgencyStats.objects.values(*keys).distinct().count()
    for key, row in months.items():
        daily = DailyAgencyStats.objects.filter(**dict(zip(keys, key, strict=True)))
        for metric in FLOW_METRICS:
            assert row[metric] == (daily.aggregate(n=Sum(metric))["n"] or 0), (key, metric)
        last = daily.filter(day=NOV[13]).values(*SNAPSHOT_METRICS).first() or {}
        for metric in SNAPSHOT_METRICS:
            assert row[metric] == last.get(metric, 0), (key, metric)
    assert sum(row["received_online"] for row in months.values()) == 3
    assert sum(row["open_on_time"] for row in months.values()) == 1
    DailyAgencyStats.objects.all().delete()
    stats_rebuild(day_from=NOV[9], day_to=NOV[9], now=at(2026, 11, 14, 9))
    rolled = MonthlyAgencyStats.objects.filter(month=NOV[0])
    assert rolled.aggregate(n=Sum("refused"))["n"] == 1  # only 10/11 is left in the month
    assert rolled.aggregate(n=Sum("received_online"))["n"] == 0


def test_days_after_today_stay_empty_and_today_is_taken_at_now(clock, make_office, life):
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    dossier = life(where)
    dossier.receive(at(2026, 11, 9, 9))
    result = stats_rebuild(day_from=NOV[8], day_to=NOV[20], now=at(2026, 11, 10, 12))
    assert result.day_to == NOV[9]
    assert not DailyAgencyStats.objects.filter(day__gt=NOV[9]).exists()
    assert total("open_on_time", day=NOV[9]) == 1


def test_today_snapshot_matches_classify_on_every_open_dossier(clock, make_office, life):
    """A random mix of dossiers: today's open counts are exactly `classify(dossier, now)`."""
    rng = random.Random(8)
    offices = [make_office(days=rng.choice([1, 2, 5])) for _ in range(2)]
    clock.set(at(2026, 11, 2, 8))
    lives = [life(rng.choice(offices)) for _ in range(12)]
    for n, item in enumerate(lives):
        item.receive(at(2026, 11, 2 + n % 5, 9))
        if n % 4 == 1:
            item.process(at(2026, 11, 6, 10))
            item.pause(at(2026, 11, 6, 11))
        elif n % 4 == 2:
            item.process(at(2026, 11, 2 + n % 5, 10))
            item.apologise(dt.date(2026, 11, 27), at(2026, 11, 2 + n % 5, 11))
        elif n % 4 == 3:
            item.decide(at(2026, 11, 6, 16))
    now = clock.set(at(2026, 11, 10, 11))
    stats_rebuild(day_from=NOV[9], day_to=NOV[9], now=now)
    expected = {"on_time": 0, "overdue": 0, "paused": 0}
    for dossier in Dossier.objects.filter(status__in=OPEN):
        expected[deadlines.classify(dossier, now)] += 1
    assert sum(expected.values()) == 9
    assert total("open_on_time", day=NOV[9]) == expected["on_time"]
    assert total("open_overdue", day=NOV[9]) == expected["overdue"]
    assert total("paused", day=NOV[9]) == expected["paused"]


def test_the_schedule_task_and_the_command_rebuild_recent_days(clock, busy_week):
    clock.set(at(2026, 11, 14, 0, 30))
    assert tasks.rebuild_recent.run(days_back=3) >= 0
    log = RebuildLog.objects.get()
    assert (log.day_from, log.day_to, log.trigger) == (NOV[10], NOV[13], RebuildTrigger.SCHEDULE)
    after_task = table()
    out = io.StringIO()
    call_command("rebuild_stats", "--from", "2026-11-11", "--to", "2026-11-14", stdout=out)
    assert "Đã tính lại 4 ngày" in out.getvalue()
    assert table() == after_task
    call_command("rebuild_stats", "--all", stdout=io.StringIO())
    assert RebuildLog.objects.order_by("-id").first().day_from == NOV[8]
    assert total("received_online") == 3


def test_the_embedded_profile_refreshes_stale_figures_once(clock, busy_week, settings):
    settings.CELERY_BROKER_URL = ""
    clock.set(at(2026, 11, 14, 9))
    first = stats_refresh_if_stale()
    assert first is not None
    assert first.day_from == NOV[8]  # the first dossier's day
    assert stats_refresh_if_stale() is None  # fresh for STATS_REFRESH_MINUTES
    clock.set(at(2026, 11, 14, 9, 20))
    again = stats_refresh_if_stale()
    assert (again.day_from, again.day_to) == (NOV[13], NOV[13])
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    clock.set(at(2026, 11, 15, 9))
    assert stats_refresh_if_stale() is None  # the beat's job then


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_of_the_same_days_at_once_take_turns(make_office, life, clock):
    """The beat and an operator's command on the same days: no duplicate-key error, and the
    rows are those of one rebuild."""
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    for _ in range(3):
        life(where).receive(at(2026, 11, 9, 9))
    now = at(2026, 11, 12, 9)
    stats_rebuild(day_from=NOV[8], day_to=NOV[11], now=now)
    expected = table()
    barrier = threading.Barrier(2)
    errors = []

    def rebuild():
        try:
            barrier.wait()
            stats_rebuild(day_from=NOV[8], day_to=NOV[11], now=now)
        except Exception as error:  # any error fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert table() == expected
