"""Reads of the statistics: everything the public page, the officials' reports and the exports
show comes from the monthly roll-up of the daily table (MonthlyAgencyStats), never from the
dossiers, so a page costs two grouped sums over a few thousand rows however many dossiers
there are.

A period is a range of whole months (the current one up to the figures' day). Flow counts are
summed over its months; the open-dossier snapshot is the one of its last day, and a month's
snapshot is the one of the month's last day.
"""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.catalog.models import Agency, Field

from .constants import (
    FLOW_METRICS,
    METRICS,
    SCORE_POINTS,
    SNAPSHOT_METRICS,
    FeedbackStatus,
    RatingScore,
)
from .models import Feedback, MonthlyAgencyStats, RebuildLog


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=pycalendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class StatsQuery:
    """What a page asks: a province-wide or one agency's figures, maybe one field and one
    level, for the months month_from…month_to (first days of months)."""

    month_from: dt.date
    month_to: dt.date
    agency_id: int | None = None
    field_id: int | None = None
    level: int | None = None

    @property
    def date_from(self) -> dt.date:
        return self.month_from

    @property
    def date_to(self) -> dt.date:
        return month_end(self.month_to)


# --- The numbers -------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Totals:
    """Counts of one group (the whole query, a month, an agency, a field) and the rates
    derived from them."""

    received_online: int = 0
    received_in_person: int = 0
    received_level4: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    returned: int = 0
    refused: int = 0
    withdrawn: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_unsatisfied: int = 0
    open_on_time: int = 0
    open_overdue: int = 0
    paused: int = 0

    def add(self, row: dict, names=(*FLOW_METRICS, "received_level4")) -> "Totals":
        for name in names:
            if name in row:
                setattr(self, name, getattr(self, name) + (row[name] or 0))
        return self

    def set_snapshot(self, row: dict) -> "Totals":
        for name in SNAPSHOT_METRICS:
            setattr(self, name, row.get(name) or 0)
        return self

    @property
    def received(self) -> int:
        return self.received_online + self.received_in_person

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_in_time(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def in_progress(self) -> int:
        return self.open_on_time + self.open_overdue + self.paused

    @property
    def on_time_rate(self) -> float | None:
        """(Trước hạn + đúng hạn) / đã giải quyết."""
        return _rate(self.resolved_in_time, self.resolved)

    @property
    def online_rate(self) -> float | None:
        return _rate(self.received_online, self.received)

    @property
    def full_online_rate(self) -> float | None:
        """Level 4 ("toàn trình") among the dossiers received online."""
        return _rate(self.received_level4, self.received_online)

    @property
    def ratings(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied + self.rated_unsatisfied

    @property
    def satisfied_rate(self) -> float | None:
        """(Rất hài lòng + hài lòng) / lượt đánh giá."""
        return _rate(self.rated_very_satisfied + self.rated_satisfied, self.ratings)

    @property
    def average_score(self) -> float | None:
        """On the 3-point scale of SCORE_POINTS (3 rất hài lòng … 1 không hài lòng)."""
        if not self.ratings:
            return None
        points = (
            SCORE_POINTS[RatingScore.VERY_SATISFIED] * self.rated_very_satisfied
            + SCORE_POINTS[RatingScore.SATISFIED] * self.rated_satisfied
            + SCORE_POINTS[RatingScore.UNSATISFIED] * self.rated_unsatisfied
        )
        return points / self.ratings

    @property
    def score(self) -> "ScoreCard":
        return ScoreCard.of(self)


# --- The score card ("in the spirit of" Quyết định 766/QĐ-TTg) -----------------------------------

# The five groups of the national index and their maximum points (100 in all). Two cannot be
# measured from this portal's data: they are shown as such and left out of the total, which
# is scaled to 100 over the groups that were measured.
SCORE_GROUPS = (
    ("publicity", _("Công khai, minh bạch"), 18),
    ("progress", _("Tiến độ, kết quả giải quyết"), 20),
    ("online", _("Cung cấp dịch vụ trực tuyến"), 22),
    ("satisfaction", _("Mức độ hài lòng"), 18),
    ("digitisation", _("Số hóa hồ sơ"), 22),
)


@dataclass
class ScoreCard:
    """Points per group (None: not measured) and the total over 100."""

    points: dict[str, float | None] = field(default_factory=dict)

    @classmethod
    def of(cls, totals: Totals) -> "ScoreCard":
        maximum = {key: top for key, _label, top in SCORE_GROUPS}
        points: dict[str, float | None] = {"publicity": None, "digitisation": None}
        rate = totals.on_time_rate
        points["progress"] = None if rate is None else maximum["progress"] * rate
        online, full = totals.online_rate, totals.full_online_rate
        if online is None:
            points["online"] = None
        else:
            half = maximum["online"] / 2
            points["online"] = half * online + half * (full or 0)
        satisfied = totals.satisfied_rate
        points["satisfaction"] = None if satisfied is None else maximum["satisfaction"] * satisfied
        return cls(points=points)

    @property
    def measured_max(self) -> int:
        return sum(top for key, _l, top in SCORE_GROUPS if self.points.get(key) is not None)

    @property
    def total(self) -> float | None:
        """Points over the measured groups, scaled to 100 (None: nothing measured)."""
        if not self.measured_max:
            return None
        earned = sum(value for value in self.points.values() if value is not None)
        return 100 * earned / self.measured_max

    def rows(self) -> list[dict]:
        return [
            {"key": key, "label": label, "max": top, "points": self.points.get(key)}
            for key, label, top in SCORE_GROUPS
        ]


# --- Queries -------------------------------------------------------------------------------


def freshness() -> RebuildLog | None:
    """The latest finished rebuild: the figures are complete up to its `as_of`."""
    return (
        RebuildLog.objects.filter(finished_at__isnull=False)
        .only("as_of", "day_from", "day_to", "finished_at")
        .order_by("-finished_at")
        .first()
    )


def _rows(query: StatsQuery) -> QuerySet[MonthlyAgencyStats]:
    rows = MonthlyAgencyStats.objects.all()
    if query.agency_id:
        rows = rows.filter(agency_id=query.agency_id)
    if query.field_id:
        rows = rows.filter(field_id=query.field_id)
    if query.level:
        rows = rows.filter(level=query.level)
    return rows


# Annotations cannot take the names of the columns they sum: "sum_<column>".
SUM = "sum_"


def _sums(*, snapshot_month: dt.date | None = None) -> dict:
    """Flow sums; snapshot sums of the months (or of `snapshot_month` only, when the group
    spans months); and the level-4 receipts."""
    sums = {SUM + name: Sum(name) for name in FLOW_METRICS}
    sums[SUM + "received_level4"] = Sum("received_online", filter=Q(level=4))
    for name in SNAPSHOT_METRICS:
        sums[SUM + name] = (
            Sum(name, filter=Q(month=snapshot_month)) if snapshot_month else Sum(name)
        )
    return sums


def _totals(row: dict) -> "Totals":
    values = {key.removeprefix(SUM): value for key, value in row.items()}
    return Totals().add(values).set_snapshot(values)


@dataclass
class Period:
    """The months a query covers, cut at the figures' freshness; `date_to` is the last day
    counted (the end of the last month, or the day of the figures), the day of the snapshot."""

    date_from: dt.date
    date_to: dt.date
    months: list[dt.date]

    @property
    def snapshot_day(self) -> dt.date:
        return self.date_to


def period_of(query: StatsQuery, *, as_of: dt.datetime | None) -> Period:
    latest = timezone.localtime(as_of).date() if as_of else timezone.localdate()
    date_to = min(query.date_to, latest)
    date_from = query.date_from
    months = months_between(date_from, date_to) if date_from <= date_to else []
    return Period(date_from=date_from, date_to=max(date_to, date_from), months=months)


@dataclass
class Report:
    query: StatsQuery
    period: Period
    as_of: dt.datetime | None
    total: Totals
    months: list[tuple[dt.date, Totals]]
    groups: list[tuple[object, Totals]]  # (Agency or Field, totals), by the `group` asked
    group: str | None


def stats_report(*, query: StatsQuery, as_of: dt.datetime | None, group: str | None) -> Report:
    """The figures of a query in total, per month, and per agency or per field (`group`):
    two grouped sums over the monthly table and one name lookup, whatever the data's size."""
    period = period_of(query, as_of=as_of)
    months: dict[dt.date, Totals] = {month: Totals() for month in period.months}
    groups: list[tuple[object, Totals]] = []
    total = Totals()
    if period.months:
        rows = _rows(query).filter(month__range=(period.months[0], period.months[-1]))
        for row in rows.values("month").annotate(**_sums()).order_by():
            months[row["month"]] = _totals(row)
        for totals in months.values():
            total.add(vars(totals))
        total.set_snapshot(vars(months[period.months[-1]]))
        if group in ("agency", "field"):
            column = "agency_id" if group == "agency" else "field_id"
            per = {
                row[column]: _totals(row)
                for row in rows.values(column)
                .annotate(**_sums(snapshot_month=period.months[-1]))
                .order_by()
            }
            model = Agency if group == "agency" else Field
            names = model.objects.in_bulk(list(per))
            groups = [(names[pk], totals) for pk, totals in per.items() if pk in names]
            if group == "agency":
                groups.sort(key=lambda item: (-(item[1].score.total or -1), item[0].name))
            else:
                groups.sort(key=lambda item: (item[0].position, item[0].name))
    return Report(
        query=query,
        period=period,
        as_of=as_of,
        total=total,
        months=list(months.items()),
        groups=groups,
        group=group,
    )


def detail_rows(*, query: StatsQuery, as_of: dt.datetime | None) -> list[dict]:
    """Month × agency × field × level rows for the CSV (the monthly table as it is: flows of
    the month, the snapshot of its last day), ordered by month, agency, field, level."""
    period = period_of(query, as_of=as_of)
    if not period.months:
        return []
    keys = ("month", "agency_id", "field_id", "level")
    rows = list(
        _rows(query)
        .filter(month__range=(period.months[0], period.months[-1]))
        .values(*keys, *METRICS)
        .order_by(*keys)
    )
    agencies = Agency.objects.in_bulk({row["agency_id"] for row in rows})
    fields = Field.objects.in_bulk({row["field_id"] for row in rows})
    result = []
    for row in rows:
        agency, field_ = agencies.get(row["agency_id"]), fields.get(row["field_id"])
        totals = Totals().add(row).set_snapshot(row)
        if row["level"] == 4:
            totals.received_level4 = totals.received_online
        result.append(
            {
                "month": row["month"],
                "agency": agency,
                "agency_code": agency.code if agency else "",
                "agency_name": agency.name if agency else str(row["agency_id"]),
                "field_name": field_.name if field_ else str(row["field_id"]),
                "level": row["level"],
                "totals": totals,
            }
        )
    return result


def first_month(*, agency_id: int | None = None) -> dt.date | None:
    """The first month with figures (of one agency): one indexed MIN."""
    rows = MonthlyAgencyStats.objects.all()
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows.aggregate(first=Min("month"))["first"]


def available_months(*, today: dt.date | None = None, back: int = 36) -> list[dt.date]:
    """The months a person can choose: the last `back` months up to this one (newest first).
    No query: the table may be empty for the oldest, which then shows zeros."""
    today = today or timezone.localdate()
    current = month_start(today)
    return [add_months(current, -i) for i in range(back)]


# --- Feedback ---------------------------------------------------------------------------------


def feedback_of_author(*, user) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(author=user)
        .select_related("agency", "dossier")
        .order_by("-created_at", "-id")
    )


def feedback_for_author(*, user, pk: int) -> Feedback | None:
    """One of the author's own feedback (None for anybody else's: the page answers 404)."""
    if not user.is_authenticated:
        return None
    return feedback_of_author(user=user).filter(pk=pk).first()


def feedback_of_agency(*, user, status: str = "") -> QuerySet[Feedback]:
    feedback = Feedback.objects.filter(agency_id=user.agency_id).select_related(
        "author", "dossier", "answered_by"
    )
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    return feedback.order_by("-status", "-created_at", "-id")  # "new" before "answered"


def feedback_for_staff(*, user, pk: int) -> Feedback | None:
    if not (user.is_authenticated and user.kind == "staff" and user.agency_id):
        return None
    return feedback_of_agency(user=user).filter(pk=pk).select_related("agency").first()
