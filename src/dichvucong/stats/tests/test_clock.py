"""The tests' clock (timeline.Clock) moves `timezone.now()` and the model defaults for one test
and leaves nothing behind: a stale default would date other tests' rows in the past."""

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.dossiers.models import DossierEvent
from dichvucong.stats.models import Rating

pytestmark = pytest.mark.django_db

PAST = dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)


def test_the_clock_moves_now_and_the_defaults(clock):
    Rating._meta.get_field("created_at").get_default()  # a default already cached
    clock.set(PAST)
    assert timezone.now() == PAST
    assert DossierEvent._meta.get_field("created_at").get_default() == PAST
    assert Rating._meta.get_field("created_at").get_default() == PAST


def test_and_puts_them_back_afterwards():
    real = timezone.now()
    assert real > PAST + dt.timedelta(days=365)
    for model in (DossierEvent, Rating):
        assert model._meta.get_field("created_at").get_default() >= real
