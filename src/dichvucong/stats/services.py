"""Writes of the statistics app: the daily table's rebuild, ratings, feedback and its answer.

`stats_rebuild` is called by the Celery beat (tasks.py), by `manage.py rebuild_stats`, and in
the embedded profile (no broker) by the pages themselves when their figures are stale
(`stats_refresh_if_stale`). The others are called by the views.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.dossiers.workflow.statuses import Status
from dichvucong.notifications.services import notification_queue

from . import aggregation, selectors
from .constants import (
    FLOW_METRICS,
    METRICS,
    SNAPSHOT_METRICS,
    FeedbackStatus,
    RatingScore,
    RebuildTrigger,
)
from .models import DailyAgencyStats, Feedback, MonthlyAgencyStats, Rating, RebuildLog
from .selectors import month_end, months_between

logger = logging.getLogger(__name__)

BATCH = 2000
# Keys of PostgreSQL advisory locks: one rebuild of a day (of a month's roll-up) at a time.
LOCK_NAMESPACE = 8_2026
MONTH_LOCK_NAMESPACE = 8_2027


@dataclass
class RebuildResult:
    day_from: dt.date
    day_to: dt.date
    days: int
    dossiers: int
    rows: int
    seconds: float


def _facts_batches(*, start: dt.datetime, end: dt.datetime, using: str = "default"):
    """The received dossiers that may count in [start, end): received before `end`, and not
    decided (or decided or returned at or after `start`). Keyset pages by id, each with its
    pause/resume/apology/withdrawal events (one query per page)."""
    relevant = (
        Dossier.objects.using(using)
        .filter(received_at__isnull=False, received_at__lt=end)
        .filter(
            Q(finished_at__isnull=True, returned_at__isnull=True)
            | Q(finished_at__gte=start)
            | Q(returned_at__gte=start)
        )
    )
    columns = (
        "id",
        "agency_id",
        "procedure__field_id",
        "level",
        "status",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "original_due_at",
        "paused_at",
    )
    last_id = 0
    while True:
        rows = list(relevant.filter(id__gt=last_id).order_by("id").values_list(*columns)[:BATCH])
        if not rows:
            return
        first_id, last_id = rows[0][0], rows[-1][0]
        events: dict[int, list[tuple[str, dt.datetime]]] = {}
        for dossier_id, action, when in (
            DossierEvent.objects.using(using)
            .filter(
                dossier_id__gte=first_id,
                dossier_id__lte=last_id,
                action__in=aggregation.EVENT_ACTIONS,
            )
            .values_list("dossier_id", "action", "created_at")
        ):
            events.setdefault(dossier_id, []).append((action, when))
        yield [
            aggregation.DossierFacts(
                agency_id=row[1],
                field_id=row[2],
                level=row[3],
                status=row[4],
                received_at=row[5],
                due_at=row[6],
                finished_at=row[7],
                returned_at=row[8],
                original_due_at=row[9],
                paused_at=row[10],
                events=events.get(row[0], []),
            )
            for row in rows
        ]


def _lock_day(day: dt.date, namespace: int = LOCK_NAMESPACE) -> None:
    """Two rebuilds of one day (the beat and an operator's command) take turns. SQLite has a
    single writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, day.toordinal()])


def _write_day(day: dt.date, rows: dict) -> int:
    with transaction.atomic():
        _lock_day(day)
        DailyAgencyStats.objects.filter(day=day).delete()
        objects = [
            DailyAgencyStats(
                day=day,
                month=day.replace(day=1),
                agency_id=agency_id,
                field_id=field_id,
                level=level,
                **dict(zip(METRICS, values, strict=True)),
            )
            for (_day, agency_id, field_id, level), values in sorted(rows.items())
        ]
        DailyAgencyStats.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def stats_roll_up(*, months, today: dt.date) -> int:
    """Recompute the monthly rows of `months` (first days) from the daily table, one
    transaction per month: flows summed over the month's days, the snapshot of its last day
    (of `today` for the current month). Returns the rows written."""
    written = 0
    keys = ("agency_id", "field_id", "level")
    for month in sorted(set(months)):
        snapshot_day = min(month_end(month), today)
        sums = {f"sum_{name}": Sum(name) for name in FLOW_METRICS}
        sums.update(
            {f"sum_{name}": Sum(name, filter=Q(day=snapshot_day)) for name in SNAPSHOT_METRICS}
        )
        with transaction.atomic():
            _lock_day(month, MONTH_LOCK_NAMESPACE)
            MonthlyAgencyStats.objects.filter(month=month).delete()
            objects = []
            for row in (
                DailyAgencyStats.objects.filter(month=month)
                .values(*keys)
                .annotate(**sums)
                .order_by(*keys)
            ):
                values = {name: row[f"sum_{name}"] or 0 for name in METRICS}
                if any(values.values()):
                    objects.append(
                        MonthlyAgencyStats(month=month, **{k: row[k] for k in keys}, **values)
                    )
            MonthlyAgencyStats.objects.bulk_create(objects, batch_size=500)
        written += len(objects)
    return written


def stats_compute(
    *,
    day_from: dt.date,
    day_to: dt.date,
    now: dt.datetime,
    using: str = "default",
    ratings: bool = True,
) -> tuple[aggregation.Counts, int]:
    """The day rows of day_from…day_to (day_to no later than today) as `stats_rebuild` would
    write them, and how many dossiers were read. Reads only: the benchmark also runs it on
    another database (`using`), without the ratings when that one has no stats tables."""
    counts = aggregation.Counts()
    dossiers = 0
    if day_from > day_to:
        return counts, dossiers
    start = aggregation.day_start(day_from)
    # up to the end of day_to, and no later than `now` (included)
    end = min(
        aggregation.day_start(day_to + dt.timedelta(days=1)), now + dt.timedelta(microseconds=1)
    )
    for batch in _facts_batches(start=start, end=end, using=using):
        dossiers += len(batch)
        for facts in batch:
            aggregation.add_dossier(counts, facts, day_from=day_from, day_to=day_to, now=now)
    aggregation.add_events(
        counts,
        DossierEvent.objects.using(using)
        .filter(action__in=("refuse", "withdraw"), created_at__gte=start, created_at__lt=end)
        .values_list(
            "action",
            "created_at",
            "dossier__agency_id",
            "dossier__procedure__field_id",
            "dossier__level",
        ),
        day_from=day_from,
        day_to=day_to,
    )
    if ratings:
        aggregation.add_ratings(
            counts,
            Rating.objects.using(using)
            .filter(created_at__gte=start, created_at__lt=end)
            .values_list(
                "score",
                "created_at",
                "dossier__agency_id",
                "dossier__procedure__field_id",
                "dossier__level",
            ),
            day_from=day_from,
            day_to=day_to,
        )
    return counts, dossiers


def stats_rebuild(
    *,
    day_from: dt.date,
    day_to: dt.date,
    now: dt.datetime | None = None,
    trigger: str = RebuildTrigger.COMMAND,
) -> RebuildResult:
    """Recompute the daily rows of day_from…day_to (local days, inclusive) from the dossiers,
    their events and the ratings. Idempotent: each day's rows are replaced whole, in one
    transaction per day, so a reader sees a day either before or after, and running it twice
    gives the same rows. Days after today are left empty; today's snapshot is taken at `now`.
    """
    now = now or timezone.now()
    today = aggregation.local_day(now)
    if day_from > day_to:
        raise ApplicationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
    day_to = min(day_to, today)
    started = timezone.now()
    log = RebuildLog.objects.create(
        day_from=day_from, day_to=day_to, as_of=now, trigger=trigger, started_at=started
    )
    counts, dossiers = stats_compute(day_from=day_from, day_to=day_to, now=now)
    by_day = counts.by_day()
    written = 0
    day = day_from
    while day <= day_to:
        written += _write_day(day, by_day.get(day, {}))
        day += dt.timedelta(days=1)
    if day_from <= day_to:
        stats_roll_up(months=months_between(day_from, day_to), today=today)
    finished = timezone.now()
    RebuildLog.objects.filter(pk=log.pk).update(
        finished_at=finished, dossiers=dossiers, rows=written
    )
    days = max(0, (day_to - day_from).days + 1)
    logger.info(
        "stats rebuilt %s…%s: %s days, %s dossiers, %s rows",
        day_from,
        day_to,
        days,
        dossiers,
        written,
    )
    return RebuildResult(
        day_from=day_from,
        day_to=day_to,
        days=days,
        dossiers=dossiers,
        rows=written,
        seconds=(finished - started).total_seconds(),
    )


def first_day() -> dt.date | None:
    """The first local day anything countable happened (the first receipt or refusal)."""
    first = Dossier.objects.exclude(status=Status.DRAFT).aggregate(first=Min("submitted_at"))[
        "first"
    ]
    return aggregation.local_day(first) if first else None


def stats_rebuild_recent(
    *, days_back: int, now: dt.datetime | None = None, trigger: str
) -> RebuildResult:
    """Today and the `days_back` days before it (the beat's job: every few minutes with 0,
    after midnight with a few days to settle yesterday's end-of-day snapshot)."""
    now = now or timezone.now()
    today = aggregation.local_day(now)
    return stats_rebuild(
        day_from=today - dt.timedelta(days=days_back), day_to=today, now=now, trigger=trigger
    )


def stats_figures_run(*, now: dt.datetime | None = None) -> RebuildLog | None:
    """The run the pages' figures come from (its `as_of` says how fresh they are), after
    refreshing them if they are stale and nobody else will (`stats_refresh_if_stale`)."""
    latest = selectors.freshness()
    if stats_refresh_if_stale(now=now, latest=latest) is not None:
        latest = selectors.freshness()
    return latest


def stats_refresh_if_stale(
    *, now: dt.datetime | None = None, latest: RebuildLog | bool | None = False
) -> RebuildResult | None:
    """The embedded profile has no beat: a page asking for figures older than
    STATS_REFRESH_MINUTES rebuilds the days since the last run (or since the first dossier,
    at most STATS_REFRESH_MAX_DAYS) before answering. With a broker, the beat does it and this
    does nothing. `latest`: the latest run when the caller has read it already."""
    if settings.CELERY_BROKER_URL:
        return None
    now = now or timezone.now()
    if latest is False:
        latest = selectors.freshness()
    minutes = getattr(settings, "STATS_REFRESH_MINUTES", 15)
    if latest is not None and now - latest.as_of < dt.timedelta(minutes=minutes):
        return None
    today = aggregation.local_day(now)
    if latest is not None:
        start = min(latest.day_to, aggregation.local_day(latest.as_of))
    else:
        start = first_day() or today
    max_days = getattr(settings, "STATS_REFRESH_MAX_DAYS", 400)
    start = max(start, today - dt.timedelta(days=max_days))
    return stats_rebuild(day_from=start, day_to=today, now=now, trigger=RebuildTrigger.PAGE)


# --- Ratings ---------------------------------------------------------------------------------


def rating_create(*, dossier_id: int, user, score: str, comment: str = "") -> Rating:
    """ "Đánh giá mức độ hài lòng": the applicant, once, after the result was returned."""
    if score not in RatingScore.values:
        raise ApplicationError(_("Vui lòng chọn mức độ hài lòng."), field="score")
    dossier = Dossier.objects.filter(pk=dossier_id).only("id", "applicant_id", "status").first()
    if dossier is None or not user.is_authenticated or dossier.applicant_id != user.pk:
        raise ApplicationError(_("Bạn không có quyền đánh giá hồ sơ này."), code="forbidden")
    if dossier.status != Status.RETURNED:
        raise ApplicationError(
            _("Chỉ đánh giá được khi hồ sơ đã trả kết quả."), code="not_returned"
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier, score=score, comment=(comment or "").strip()
            )
    except IntegrityError:
        raise ApplicationError(_("Hồ sơ này đã được đánh giá."), code="already_rated") from None


# --- Feedback ("Phản ánh, kiến nghị") ----------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *, author, subject: str, content: str, agency=None, dossier: Dossier | None = None
) -> Feedback:
    """A citizen's feedback to an agency; when it is about one of their dossiers, the agency is
    the dossier's."""
    if not author.is_authenticated or not author.is_applicant:
        raise ApplicationError(
            _("Chỉ tài khoản cá nhân hoặc tổ chức mới gửi được phản ánh, kiến nghị."),
            code="forbidden",
        )
    if dossier is not None:
        if dossier.applicant_id != author.pk or dossier.status == Status.DRAFT:
            raise ApplicationError(_("Không tìm thấy hồ sơ này."), field="dossier")
        agency = dossier.agency
    if agency is None:
        raise ApplicationError(_("Vui lòng chọn đơn vị."), field="agency")
    subject, content = (subject or "").strip(), (content or "").strip()
    if not subject:
        raise ApplicationError(_("Vui lòng nhập tiêu đề."), field="subject")
    if not content:
        raise ApplicationError(_("Vui lòng nhập nội dung."), field="content")
    return Feedback.objects.create(
        author=author, agency=agency, dossier=dossier, subject=subject, content=content
    )


def can_answer(*, user, feedback: Feedback) -> bool:
    return bool(
        user.is_authenticated
        and user.kind == "staff"
        and user.agency_id is not None
        and user.agency_id == feedback.agency_id
    )


def _feedback_context(feedback: Feedback) -> dict:
    author = feedback.author
    return {
        "name": author.display_name,
        "subject": feedback.subject,
        "agency": feedback.agency.name,
        "answer": feedback.answer,
        "code": feedback.dossier.code if feedback.dossier_id and feedback.dossier else "",
        "link": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("stats:feedback_detail", kwargs={"pk": feedback.pk}),
        "portal": settings.PORTAL_NAME,
        "hotline": settings.PORTAL_HOTLINE,
    }


def _notify_author(feedback: Feedback) -> None:
    """The author's channels (profile), as for dossier messages, plus the in-app notice."""
    author = feedback.author
    context = _feedback_context(feedback)
    reference = f"PAKN-{feedback.pk}"
    if author.notify_by_email and author.email:
        notification_queue(
            recipient=author,
            channel="email",
            to=author.email,
            template="feedback_answered",
            context=context,
            reference=reference,
        )
    if author.notify_by_sms and author.phone:
        notification_queue(
            recipient=author,
            channel="sms",
            to=author.phone,
            template="feedback_answered",
            context=context,
            reference=reference,
        )
    notification_queue(
        recipient=author,
        channel="inapp",
        to=author.username,
        template="feedback_answered",
        context=context,
        reference=reference,
    )


def feedback_answer(*, feedback_id: int, user, answer: str) -> Feedback:
    """Staff of the feedback's agency answer it, once; the author is told in the same
    transaction (the outbox)."""
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(_("Vui lòng nhập nội dung trả lời."), field="answer")
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("author", "agency", "dossier")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None or not can_answer(user=user, feedback=feedback):
            raise ApplicationError(_("Bạn không có quyền trả lời phản ánh này."), code="forbidden")
        if feedback.status == FeedbackStatus.ANSWERED:
            raise ApplicationError(_("Phản ánh này đã được trả lời."), code="already_answered")
        feedback.answer = answer
        feedback.answered_by = user
        feedback.answered_at = timezone.now()
        feedback.status = FeedbackStatus.ANSWERED
        feedback.save(update_fields=["answer", "answered_by", "answered_at", "status"])
        _notify_author(feedback)
    return feedback
