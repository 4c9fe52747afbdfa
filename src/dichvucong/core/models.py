from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An administrator's exception to the working-day calendar: an extra day off (e.g. a
    provincial decision) or a make-up working day (làm bù, usually a Saturday)."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        help_text=_("Chọn nếu ngày này đi làm (làm bù); bỏ chọn nếu được nghỉ."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("lịch nghỉ, làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = _("làm bù") if self.is_working_day else _("nghỉ")
        return f"{self.date:%d/%m/%Y} ({kind})"
