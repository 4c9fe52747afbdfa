from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import FeedbackStatus, RatingScore, RebuildTrigger


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class DailyAgencyStats(models.Model):
    """One day × agency × field × level of the dossiers' figures, pre-aggregated so that the
    public page and the officials' reports never count dossiers (DESIGN §2, issue 8 item 4).

    Written only by `services.stats_rebuild`, which recomputes whole days from the dossiers
    and then rolls them up by month (MonthlyAgencyStats, what the pages read);
    a row exists only when one of its counts is not zero. Flow counts (received, decided,
    returned, refused, withdrawn, rated) belong to the day they happened; `open_*` and
    `paused` are the open dossiers at the end of the day (at the time of the rebuild for
    today). The agency and field are ids, not foreign keys: agencies are merged and renamed
    but never deleted, and this table must not stand in the way of either.
    """

    day = models.DateField(_("ngày"))
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng của `day`."))
    agency_id = models.PositiveIntegerField(_("đơn vị"))
    field_id = models.PositiveIntegerField(_("lĩnh vực"))
    level = models.PositiveSmallIntegerField(_("mức độ"))
    received_online = _count(_("tiếp nhận trực tuyến"))
    received_in_person = _count(_("tiếp nhận trực tiếp"))
    resolved_early = _count(_("giải quyết trước hạn"))
    resolved_on_time = _count(_("giải quyết đúng hạn"))
    resolved_late = _count(_("giải quyết quá hạn"))
    returned = _count(_("đã trả kết quả"))
    refused = _count(_("từ chối tiếp nhận"))
    withdrawn = _count(_("rút hồ sơ"))
    rated_very_satisfied = _count(_("rất hài lòng"))
    rated_satisfied = _count(_("hài lòng"))
    rated_unsatisfied = _count(_("không hài lòng"))
    open_on_time = _count(_("đang giải quyết trong hạn (cuối ngày)"))
    open_overdue = _count(_("đang giải quyết quá hạn (cuối ngày)"))
    paused = _count(_("tạm dừng (cuối ngày)"))

    class Meta:
        verbose_name = _("số liệu ngày")
        verbose_name_plural = _("số liệu theo ngày")
        ordering = ["-day", "agency_id", "field_id", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency_id", "field_id", "level"], name="dailystats_key_unique"
            ),
            models.CheckConstraint(condition=models.Q(level__in=[3, 4]), name="dailystats_level"),
        ]
        indexes = [
            models.Index(fields=["agency_id", "day"], name="dailystats_agency_day_idx"),
            models.Index(fields=["month", "agency_id"], name="dailystats_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.field_id}/{self.level}"


class MonthlyAgencyStats(models.Model):
    """The daily table summed by month (same keys and counts): what the pages read, so that a
    province-wide page over three years sums a few thousand rows, not a million.

    Rolled up by `services.stats_roll_up` after every rebuild, for the months it touched: flow
    counts are the sums of the month's days; `open_*` and `paused` are those of the month's
    last day (of today, for the current month).
    """

    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    agency_id = models.PositiveIntegerField(_("đơn vị"))
    field_id = models.PositiveIntegerField(_("lĩnh vực"))
    level = models.PositiveSmallIntegerField(_("mức độ"))
    received_online = _count(_("tiếp nhận trực tuyến"))
    received_in_person = _count(_("tiếp nhận trực tiếp"))
    resolved_early = _count(_("giải quyết trước hạn"))
    resolved_on_time = _count(_("giải quyết đúng hạn"))
    resolved_late = _count(_("giải quyết quá hạn"))
    returned = _count(_("đã trả kết quả"))
    refused = _count(_("từ chối tiếp nhận"))
    withdrawn = _count(_("rút hồ sơ"))
    rated_very_satisfied = _count(_("rất hài lòng"))
    rated_satisfied = _count(_("hài lòng"))
    rated_unsatisfied = _count(_("không hài lòng"))
    open_on_time = _count(_("đang giải quyết trong hạn (cuối tháng)"))
    open_overdue = _count(_("đang giải quyết quá hạn (cuối tháng)"))
    paused = _count(_("tạm dừng (cuối tháng)"))

    class Meta:
        verbose_name = _("số liệu tháng")
        verbose_name_plural = _("số liệu theo tháng")
        ordering = ["-month", "agency_id", "field_id", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "field_id", "level"], name="monthlystats_key_unique"
            ),
            models.CheckConstraint(condition=models.Q(level__in=[3, 4]), name="monthlystats_level"),
        ]
        indexes = [models.Index(fields=["agency_id", "month"], name="monthlystats_agency_idx")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id}/{self.field_id}/{self.level}"


class RebuildLog(models.Model):
    """One run of `stats_rebuild`: which days, computed as of when, by what. The latest
    finished run tells the pages how fresh their figures are."""

    day_from = models.DateField(_("từ ngày"))
    day_to = models.DateField(_("đến ngày"))
    as_of = models.DateTimeField(_("số liệu tính đến"))
    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    trigger = models.CharField(_("nguồn"), max_length=16, choices=RebuildTrigger.choices)
    dossiers = models.PositiveIntegerField(_("số hồ sơ đã đọc"), default=0)
    rows = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)

    class Meta:
        verbose_name = _("lượt tổng hợp số liệu")
        verbose_name_plural = _("lượt tổng hợp số liệu")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-finished_at"], name="rebuildlog_finished_idx")]

    def __str__(self) -> str:
        return f"{self.day_from}…{self.day_to} ({self.as_of:%Y-%m-%d %H:%M})"


class Rating(models.Model):
    """ "Đánh giá mức độ hài lòng": the applicant's one rating of a returned dossier.

    Who rated is the dossier's applicant (the service checks it); nothing personal is copied
    here.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.CharField(_("mức độ hài lòng"), max_length=16, choices=RatingScore.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__in=RatingScore.values), name="rating_score_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_score_display()}"


class Feedback(models.Model):
    """ "Phản ánh, kiến nghị": a citizen's message to an agency (optionally about one of their
    own dossiers), answered by staff of that agency; the answer is shown to and sent to the
    author."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="feedback_author_idx"),
            models.Index(fields=["agency", "status", "-created_at"], name="feedback_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FeedbackStatus.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="new")
                | (models.Q(answered_at__isnull=False) & ~models.Q(answer="")),
                name="feedback_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
