from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "tinh", _("Cấp tỉnh")
    DEPARTMENT = "so", _("Sở, ban, ngành")
    COMMUNE = "xa", _("Cấp xã")


class Agency(models.Model):
    """Đơn vị: an agency that publishes procedures and whose staff handle dossiers.

    Agencies are merged and renamed, never deleted once they have dossiers (PROTECT).
    """

    code = models.CharField(
        _("mã định danh"),
        max_length=32,
        unique=True,
        help_text=_("Mã định danh theo QCVN 102, ví dụ 000.00.31.H10; dùng trong mã hồ sơ."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    level = models.CharField(_("cấp"), max_length=8, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=32, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=AgencyLevel.values), name="agency_level_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name
