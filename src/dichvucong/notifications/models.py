from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    INAPP = "inapp", _("Trên cổng")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    CANCELLED = "cancelled", _("Đã hủy")


class Notification(models.Model):
    """The outbox: one row per message, written in the transaction of the event that causes it.

    Delivery (notifications.services.notification_deliver) claims the row before sending, so
    a redelivered task never sends twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    to = models.CharField(_("địa chỉ nhận"), max_length=254)
    template = models.CharField(_("mẫu"), max_length=64)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider = models.CharField(_("nhà cung cấp"), max_length=32, blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=128, blank=True)
    reference = models.CharField(
        _("liên quan đến"),
        max_length=64,
        blank=True,
        help_text=_("Điều thông báo nói về, do bên gửi đặt (ví dụ mã hồ sơ)."),
    )
    key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=128,
        blank=True,
        help_text=_("Hai thông báo cùng khóa không bao giờ cùng được xếp hàng."),
    )
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    queued_at = models.DateTimeField(
        _("giao cho bộ gửi lúc"),
        null=True,
        blank=True,
        help_text=_("Trống: chưa có bộ gửi nào nhận, lượt quét kế tiếp sẽ xếp hàng lại."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("hết hạn lúc"),
        null=True,
        blank=True,
        help_text=_("Không gửi sau thời điểm này (ví dụ mã xác thực đã hết hạn)."),
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_due_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_idx"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notif_unread_idx"),
            models.Index(fields=["reference"], name="notif_reference_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=NotificationChannel.values),
                name="notif_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values),
                name="notif_status_valid",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="notif_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}: {self.template}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class MessageTemplate(models.Model):
    """An administrator's wording of one message on one channel.

    When an active row exists for (name, channel) it replaces the file template
    `notifications/messages/<name>.<channel>.txt`; deleting or deactivating it brings the file
    back. Both are Django templates rendered with the same context.
    """

    name = models.CharField(_("mẫu"), max_length=64)
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    subject = models.CharField(
        _("tiêu đề"), max_length=255, blank=True, help_text=_("Chỉ dùng cho thư điện tử.")
    )
    body = models.TextField(_("nội dung"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["name", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["name", "channel"], name="msgtemplate_unique"),
            models.CheckConstraint(
                condition=models.Q(channel__in=NotificationChannel.values),
                name="msgtemplate_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"
