"""Rows of the daily table made by hand (known numbers for the pages and exports)."""

import datetime as dt
import re

from django.utils import timezone

from dichvucong.catalog.services import field_create
from dichvucong.dossiers.tests.factories import agency
from dichvucong.stats.constants import RebuildTrigger
from dichvucong.stats.models import DailyAgencyStats, RebuildLog
from dichvucong.stats.services import stats_roll_up


def seed(*, agency_, field, day: dt.date, level: int = 3, **counts) -> DailyAgencyStats:
    return DailyAgencyStats.objects.create(
        day=day,
        month=day.replace(day=1),
        agency_id=agency_.pk,
        field_id=field.pk,
        level=level,
        **counts,
    )


def fresh(as_of: dt.datetime | None = None) -> RebuildLog:
    """A finished rebuild as of now (the pages do not refresh) that rolled the seeded days up
    by month, as `stats_rebuild` does."""
    as_of = as_of or timezone.now()
    months = set(DailyAgencyStats.objects.values_list("month", flat=True))
    stats_roll_up(months=months, today=timezone.localtime(as_of).date())
    return RebuildLog.objects.create(
        day_from=timezone.localtime(as_of).date(),
        day_to=timezone.localtime(as_of).date(),
        as_of=as_of,
        started_at=as_of,
        finished_at=as_of,
        trigger=RebuildTrigger.COMMAND,
    )


def agency_with_fields(name: str, *fields: str):
    agency_ = agency(name=name)
    return agency_, [field_create(agency=agency_, name=f) for f in fields]


def figure(html: str, name: str) -> str:
    """The text of a key figure (data-figure="name") on a statistics page."""
    match = re.search(rf'data-figure="{name}">(.*?)</strong>', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()
