"""From one dossier to the counts of the daily table: the pure part of `stats_rebuild`.

Each dossier adds to the day rows of its agency, field and level:

- flows, on the local day they happened: received (`received_at`), decided early / on time /
  late (the decision time, classified by `dossiers.deadlines.classify_times`, the one rule of
  DESIGN §4), returned (`returned_at`);
- the snapshot at the end of every day it was open (received, not yet decided, not
  withdrawn): on time / overdue / paused, again by `classify_times`, fed with the dossier as
  it stood at that moment.

"As it stood" matters when a past day is rebuilt: the dossier's due date has since moved (a
supplement during processing gives the waited working days back; an apology sets a new date)
and its pause may be over. The events say when: a pause runs from "request_supplement_processing"
to "resubmit_processing"; an apology ("apologise") makes it overdue from then on; a withdrawal
ends it. The due date before a later resumption is the current one minus the working days that
resumption gave back, counted backwards on the same working-day calendar. For today the
snapshot is taken at the rebuild's `now`, and equals `classify(dossier, now)`.

Nothing here writes; `services.stats_rebuild` feeds it and stores the result.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from dichvucong.core import calendar
from dichvucong.dossiers import deadlines
from dichvucong.dossiers.workflow.statuses import Status

from .constants import METRICS

PAUSE = "request_supplement_processing"
RESUME = "resubmit_processing"
APOLOGY = "apologise"
WITHDRAW = "withdraw"
# The events whose times the snapshot needs.
EVENT_ACTIONS = (PAUSE, RESUME, APOLOGY, WITHDRAW)

FINISHED_METRIC = {
    deadlines.EARLY: "resolved_early",
    deadlines.ON_TIME: "resolved_on_time",
    deadlines.LATE: "resolved_late",
}
OPEN_METRIC = {
    deadlines.ON_TIME: "open_on_time",
    deadlines.OVERDUE: "open_overdue",
    deadlines.PAUSED: "paused",
}
INDEX = {name: i for i, name in enumerate(METRICS)}

Key = tuple[dt.date, int, int, int]  # day, agency, field, level


def local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


@lru_cache(maxsize=8192)
def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@lru_cache(maxsize=8192)
def day_end(day: dt.date) -> dt.datetime:
    """The last instant of a local day: what "at the end of the day" means in a snapshot."""
    return day_start(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


class Counts:
    """The rows being built: (day, agency, field, level) → one count per metric."""

    def __init__(self) -> None:
        self.rows: dict[Key, list[int]] = defaultdict(lambda: [0] * len(METRICS))

    def add(self, key: Key, metric: str, n: int = 1) -> None:
        self.rows[key][INDEX[metric]] += n

    def by_day(self) -> dict[dt.date, dict[Key, list[int]]]:
        days: dict[dt.date, dict[Key, list[int]]] = defaultdict(dict)
        for key, values in self.rows.items():
            if any(values):
                days[key[0]][key] = values
        return days


@dataclass
class DossierFacts:
    """What the rebuild reads of one received dossier (a `.values_list()` row) and of its
    events (times of pauses, resumptions, an apology, a withdrawal)."""

    agency_id: int
    field_id: int
    level: int
    status: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    events: list[tuple[str, dt.datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
        self.apology_at: dt.datetime | None = None
        self.withdrawn_at: dt.datetime | None = None
        start: dt.datetime | None = None
        for action, when in sorted(self.events, key=lambda e: e[1]):
            if action == PAUSE:
                start = when
            elif action == RESUME and start is not None:
                self.pauses.append((start, when))
                start = None
            elif action == APOLOGY and self.apology_at is None:
                self.apology_at = when
            elif action == WITHDRAW:
                self.withdrawn_at = when
                if start is not None:
                    self.pauses.append((start, when))
                    start = None
        if start is not None:
            self.pauses.append((start, None))
        # Rows without their events (imported, or made by hand): trust the dossier's columns.
        if self.paused_at is not None and not any(end is None for _, end in self.pauses):
            self.pauses.append((self.paused_at, None))
        if self.original_due_at is not None and self.apology_at is None:
            self.apology_at = self.received_at

    @property
    def key(self) -> tuple[int, int, int]:
        return self.agency_id, self.field_id, self.level

    @property
    def decided_at(self) -> dt.datetime | None:
        if self.status in deadlines.FINISHED:
            return self.finished_at or self.returned_at
        return None

    def state_at(self, moment: dt.datetime) -> dict | None:
        """The values `classify_times` needs for the dossier as it stood at `moment`, or None
        when it was not open then."""
        if self.received_at > moment:
            return None
        decided = self.decided_at
        if decided is not None and decided <= moment:
            return None
        if self.withdrawn_at is not None and self.withdrawn_at <= moment:
            return None
        if self.status == Status.WITHDRAWN and self.withdrawn_at is None:
            return None  # withdrawn, but its event is missing: never counted as open
        if self.status not in deadlines.FINISHED and self.status not in OPEN_OR_WITHDRAWN:
            return None
        paused_at = next(
            (
                start
                for start, end in self.pauses
                if start <= moment and (end is None or end > moment)
            ),
            None,
        )
        apologised = self.apology_at is not None and self.apology_at <= moment
        return {
            "status": Status.SUPPLEMENT_REQUESTED if paused_at else Status.PROCESSING,
            "due_at": self.due_at_moment(moment),
            "paused_at": paused_at,
            "original_due_at": self.original_due_at if apologised else None,
            "now": moment,
        }

    def due_at_moment(self, moment: dt.datetime) -> dt.datetime | None:
        """The appointment in force at `moment` (before any apology): today's date minus the
        working days given back by resumptions after `moment`."""
        due = self.original_due_at if self.apology_at is not None else self.due_at
        if due is None:
            return None
        for start, end in reversed(self.pauses):
            if end is None or end <= moment:
                continue
            if self.apology_at is not None and end > self.apology_at:
                continue  # it moved the new date, not the one before the apology
            due = working_days_back(due, calendar.paused_working_days(start, end))
        return due


OPEN_OR_WITHDRAWN = frozenset(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.AWAITING_APPROVAL,
        Status.SUPPLEMENT_REQUESTED,
        Status.WITHDRAWN,
    }
)


@lru_cache(maxsize=4096)
def _working_days_back(day: dt.date, count: int) -> dt.date:
    working = calendar.WorkingCalendar(day - dt.timedelta(days=count * 3 + 40), day)
    for _ in range(count):
        day -= dt.timedelta(days=1)
        while not working.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def working_days_back(due: dt.datetime, count: int) -> dt.datetime:
    """The inverse of `core.calendar.extend`: the appointment `count` working days earlier."""
    if count <= 0:
        return due
    return calendar.end_of_day(_working_days_back(local_day(due), count))


def add_dossier(
    counts: Counts, facts: DossierFacts, *, day_from: dt.date, day_to: dt.date, now: dt.datetime
) -> None:
    """Add one received dossier's flows and snapshots for the days day_from…day_to."""
    agency, field_, level = facts.key

    def inside(value: dt.datetime | None) -> dt.date | None:
        if value is None or value > now:
            return None
        day = local_day(value)
        return day if day_from <= day <= day_to else None

    received_day = local_day(facts.received_at)
    if (day := inside(facts.received_at)) is not None:
        counts.add((day, agency, field_, level), "received_online")
    decided = facts.decided_at
    if (day := inside(decided)) is not None:
        code = deadlines.classify_times(
            status=facts.status,
            due_at=facts.due_at,
            finished_at=facts.finished_at,
            returned_at=facts.returned_at,
            original_due_at=facts.original_due_at,
            paused_at=facts.paused_at,
            now=now,
        )
        if code in FINISHED_METRIC:
            counts.add((day, agency, field_, level), FINISHED_METRIC[code])
    if facts.status == Status.RETURNED and (day := inside(facts.returned_at)) is not None:
        counts.add((day, agency, field_, level), "returned")

    last = min(day_to, local_day(now))
    if decided is not None:
        last = min(last, local_day(decided))
    if facts.withdrawn_at is not None:
        last = min(last, local_day(facts.withdrawn_at))
    day = max(day_from, received_day)
    one_day = dt.timedelta(days=1)
    due = facts.due_at
    if (
        due is not None
        and not facts.pauses
        and facts.apology_at is None
        and facts.status != Status.WITHDRAWN
    ):
        # Most dossiers: no pause, no apology, no withdrawal. Every evening it was open the
        # dossier stood as it stands now; only the clock against its appointment moved, so
        # the rule is asked once on each side of the appointment.
        before = deadlines.classify_times(status=Status.PROCESSING, due_at=due, now=due)
        after = deadlines.classify_times(
            status=Status.PROCESSING, due_at=due, now=due + dt.timedelta(microseconds=1)
        )
        while day <= last:
            moment = min(day_end(day), now)
            if facts.received_at <= moment and (decided is None or decided > moment):
                code = after if moment > due else before
                counts.add((day, agency, field_, level), OPEN_METRIC[code])
            day += one_day
        return
    while day <= last:
        moment = min(day_end(day), now)
        state = facts.state_at(moment)
        if state is not None:
            code = deadlines.classify_times(**state)
            if code in OPEN_METRIC:
                counts.add((day, agency, field_, level), OPEN_METRIC[code])
        day += one_day


def add_events(
    counts: Counts,
    rows: Iterable[tuple[str, dt.datetime, int, int, int]],
    *,
    day_from: dt.date,
    day_to: dt.date,
) -> None:
    """Refusals at reception and withdrawals, on the day they happened: (action, time,
    agency, field, level) rows."""
    metric = {"refuse": "refused", "withdraw": "withdrawn"}
    for action, when, agency, field_, level in rows:
        day = local_day(when)
        if day_from <= day <= day_to and action in metric:
            counts.add((day, agency, field_, level), metric[action])


def add_ratings(
    counts: Counts,
    rows: Iterable[tuple[str, dt.datetime, int, int, int]],
    *,
    day_from: dt.date,
    day_to: dt.date,
) -> None:
    """Ratings on the day they were given: (score, time, agency, field, level) rows."""
    from .constants import RATING_METRIC

    for score, when, agency, field_, level in rows:
        day = local_day(when)
        if day_from <= day <= day_to and score in RATING_METRIC:
            counts.add((day, agency, field_, level), RATING_METRIC[score])
