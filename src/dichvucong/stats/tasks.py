"""Celery tasks: thin wrappers around the rebuild (STYLE §5). Safe to run twice: a rebuild
replaces whole days. Scheduled by the beat (config/settings/base.py, CELERY_BEAT_SCHEDULE):
today every few minutes, and after midnight the last days again, so that yesterday's
end-of-day snapshot is taken once the day is over."""

from celery import shared_task

from . import services
from .constants import RebuildTrigger


@shared_task(name="stats.rebuild_recent", ignore_result=True)
def rebuild_recent(days_back: int = 0) -> int:
    result = services.stats_rebuild_recent(days_back=days_back, trigger=RebuildTrigger.SCHEDULE)
    return result.rows
