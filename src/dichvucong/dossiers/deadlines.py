"""Timeliness of a dossier against its appointment (DESIGN §4): the one classification used by
the slips ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "Sổ theo dõi hồ sơ") and by the
statistics.

- A finished dossier (a decision was made: resolved or not resolved, and maybe returned) is
  *early* when the decision came before the due day, *on time* when it came on the due day no
  later than the appointment (17:00 local), *late* after it — and *late* whenever an apology
  ("Phiếu xin lỗi và hẹn lại ngày trả kết quả") was issued, whatever the new date.
- An open dossier (received, not yet decided) is *paused* while the clock is stopped for a
  supplement, *overdue* after its appointment or once an apology was issued, *on time* before.
- Anything else (draft, waiting for reception, refused, withdrawn) is not classified: None.

Pure functions: nothing here reads the database or the clock unless `now` is left out.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow.statuses import OPEN, Status

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"
OVERDUE = "overdue"
PAUSED = "paused"

# A decision was made: the deadline question is answered for good.
FINISHED = frozenset({Status.RESOLVED, Status.NOT_RESOLVED, Status.RETURNED})

FINISHED_LABELS = {EARLY: _("Trước hạn"), ON_TIME: _("Đúng hạn"), LATE: _("Quá hạn")}
OPEN_LABELS = {ON_TIME: _("Trong hạn"), OVERDUE: _("Quá hạn"), PAUSED: _("Tạm dừng")}


def classify_times(
    *,
    status: str,
    due_at: dt.datetime | None,
    finished_at: dt.datetime | None = None,
    returned_at: dt.datetime | None = None,
    original_due_at: dt.datetime | None = None,
    paused_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> str | None:
    """The classification from the raw values (for callers holding `.values()` rows).

    Returns "early" / "on_time" / "late" for a finished dossier, "on_time" / "overdue" /
    "paused" for an open one, None when the question does not apply.
    """
    if due_at is None:  # never received: no appointment to measure against
        return None
    if status in FINISHED:
        decided = finished_at or returned_at
        if decided is None:
            return None
        if original_due_at is not None or decided > due_at:
            return LATE
        if timezone.localtime(decided).date() < timezone.localtime(due_at).date():
            return EARLY
        return ON_TIME
    if status in OPEN:  # received, not decided (a supplement asked at reception has no due_at)
        if paused_at is not None:
            return PAUSED
        if original_due_at is not None:
            return OVERDUE
        return OVERDUE if (now or timezone.now()) > due_at else ON_TIME
    return None


def classify(dossier, now: dt.datetime | None = None) -> str | None:
    """`classify_times` for a Dossier (or anything with its attributes)."""
    return classify_times(
        status=dossier.status,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        original_due_at=dossier.original_due_at,
        paused_at=dossier.paused_at,
        now=now,
    )


def is_finished(status: str) -> bool:
    return status in FINISHED


def label(code: str | None, *, finished: bool) -> str:
    """The Vietnamese word for a classification: "on_time" is "Đúng hạn" for a finished
    dossier and "Trong hạn" for an open one. "" when there is none."""
    if code is None:
        return ""
    return str((FINISHED_LABELS if finished else OPEN_LABELS)[code])


def classify_label(dossier, now: dt.datetime | None = None) -> str:
    """ "Trước hạn" / "Đúng hạn" / "Quá hạn" / "Trong hạn" / "Tạm dừng", or ""."""
    return label(classify(dossier, now), finished=is_finished(dossier.status))
