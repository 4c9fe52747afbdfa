"""The statistics' vocabulary: the counted quantities, rating scores, feedback statuses.

Flow counts add up over days (a dossier is received, decided, returned, refused, withdrawn or
rated on one day); snapshot counts describe the open dossiers at the end of one day and are
read for one day only (the last day of the period), never summed over days.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

FLOW_METRICS = (
    "received_online",
    "received_in_person",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "refused",
    "withdrawn",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_unsatisfied",
)
SNAPSHOT_METRICS = ("open_on_time", "open_overdue", "paused")
METRICS = FLOW_METRICS + SNAPSHOT_METRICS

METRIC_LABELS = {
    "received_online": _("Tiếp nhận trực tuyến"),
    "received_in_person": _("Tiếp nhận trực tiếp"),
    "resolved_early": _("Giải quyết trước hạn"),
    "resolved_on_time": _("Giải quyết đúng hạn"),
    "resolved_late": _("Giải quyết quá hạn"),
    "returned": _("Đã trả kết quả"),
    "refused": _("Từ chối tiếp nhận"),
    "withdrawn": _("Công dân rút hồ sơ"),
    "rated_very_satisfied": _("Rất hài lòng"),
    "rated_satisfied": _("Hài lòng"),
    "rated_unsatisfied": _("Không hài lòng"),
    "open_on_time": _("Đang giải quyết trong hạn"),
    "open_overdue": _("Đang giải quyết quá hạn"),
    "paused": _("Tạm dừng (chờ bổ sung)"),
}


class RatingScore(models.TextChoices):
    """ "Đánh giá mức độ hài lòng" as the national portal words it."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


# Points of each score in the average shown on the statistics page (a 3-point scale).
SCORE_POINTS = {
    RatingScore.VERY_SATISFIED: 3,
    RatingScore.SATISFIED: 2,
    RatingScore.UNSATISFIED: 1,
}
RATING_METRIC = {
    RatingScore.VERY_SATISFIED: "rated_very_satisfied",
    RatingScore.SATISFIED: "rated_satisfied",
    RatingScore.UNSATISFIED: "rated_unsatisfied",
}


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class RebuildTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Lịch chạy định kỳ")
    COMMAND = "command", _("Lệnh quản trị")
    PAGE = "page", _("Làm mới khi xem trang")
