import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage
from .workflow.statuses import OPEN, SYNC_CODES, Actor, Status


class ResultDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("Nhận trực tiếp tại bộ phận một cửa")
    ONLINE = "online", _("Nhận bản điện tử trên cổng")
    POST = "post", _("Nhận qua dịch vụ bưu chính")


class Dossier(models.Model):
    """Hồ sơ: one application for one procedure, from draft to returned result.

    It keeps the procedure version it was made under (DESIGN §4). `version` is the optimistic
    lock: every change increments it, and a change made from a stale page is refused.
    Personal data stays on the applicant's account; the dossier points to it.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=48, null=True, blank=True, unique=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    level = models.PositiveSmallIntegerField(_("mức độ"), choices=[(3, "3"), (4, "4")])
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    draft_data = models.JSONField(_("dữ liệu đang khai"), default=dict, blank=True)
    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=16,
        choices=ResultDelivery.choices,
        default=ResultDelivery.IN_PERSON,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    paused_at = models.DateTimeField(
        _("tạm dừng tính thời hạn từ"),
        null=True,
        blank=True,
        help_text=_("Đang chờ người nộp bổ sung trong khi xử lý: thời gian này không tính."),
    )
    original_due_at = models.DateTimeField(
        _("ngày hẹn trả ban đầu"),
        null=True,
        blank=True,
        help_text=_("Còn giữ khi đã có phiếu xin lỗi và hẹn lại ngày trả kết quả."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    start_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant_idx"),
            models.Index(fields=["applicant", "status"], name="dossier_applicant_status_idx"),
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_inbox_idx"),
            models.Index(fields=["agency", "assignee", "status"], name="dossier_assignee_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="dossier_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[3, 4]), name="dossier_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(code__isnull=False),
                name="dossier_code_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.code or _("Hồ sơ nháp #%(id)s") % {"id": self.pk}

    @property
    def sync_code(self) -> int | None:
        return SYNC_CODES[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_open(self) -> bool:
        """Received and not finished: the deadline runs (unless paused)."""
        return self.status in OPEN

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.is_open and self.due_at and self.paused_at is None and self.due_at < timezone.now()
        )


class AttachmentKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Bổ sung")
    RESULT = "result", _("Kết quả")
    DRAFT_RESULT = "draft_result", _("Dự thảo kết quả")


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Stored under a random name; the original name is kept in the row only."""
    now = timezone.now()
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{now:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    """A file of a dossier: a component, a supplement, or a result. Never overwritten:
    supplements are added beside the first files. Draft files may be removed before
    submission; after it, nothing removes them."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(
        "catalog.Component",
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.COMPONENT
    )
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=128)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(
        _("lần nộp"), default=0, help_text=_("0: lần nộp đầu; 1, 2…: các lần bổ sung.")
    )

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "round", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="attachment_dossier_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class EventType(models.TextChoices):
    CREATED = "created", _("Tạo hồ sơ nháp")
    TRANSITION = "transition", _("Chuyển trạng thái")
    ATTACHMENT_ADDED = "attachment_added", _("Thêm tệp")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")


class DossierEvent(models.Model):
    """The timeline and audit log of a dossier: append-only (save refuses updates, delete
    refuses always). Stores ids and statuses, not copies of personal data."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=24, choices=EventType.choices)
    action = models.CharField(_("thao tác"), max_length=32, blank=True)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(max_length=16, choices=Actor.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(_("nội dung"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Hiện trên trang tra cứu công khai (không kèm nội dung).")
    )
    client_address = models.GenericIPAddressField(_("địa chỉ mạng"), null=True, blank=True)

    class Meta:
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "created_at"], name="event_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.action or self.type}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise PermissionError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Dossier events are append-only.")


class DossierCodeSequence(models.Model):
    """The per-agency, per-day counter behind dossier codes (DESIGN §4)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="codeseq_agency_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("Xem hồ sơ")
    DOWNLOAD = "download", _("Tải tệp")
    PREVIEW = "preview", _("Xem trước tệp")
    SLIP = "slip", _("In phiếu")


class DossierAccess(models.Model):
    """Every staff look at a dossier's personal data (page, file, slip): who, when, what,
    from where. Append-only like the events (DESIGN ground rules: audit)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("thao tác"), max_length=16, choices=AccessKind.choices)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("chi tiết"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("địa chỉ mạng"), null=True, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lượt truy cập hồ sơ")
        verbose_name_plural = _("nhật ký truy cập hồ sơ")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "-created_at"], name="access_dossier_idx"),
            models.Index(fields=["user", "-created_at"], name="access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.dossier_id}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class LookupLog(models.Model):
    """Every public lookup, for abuse analysis: a keyed hash of what was asked (never the
    code or ID itself), the client address, the outcome. Purged after
    LOOKUP_LOG_RETENTION_DAYS (manage.py purge_lookup_log, run daily)."""

    query_hash = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16)  # code / id / id_birth / invalid
    found = models.BooleanField(default=False)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lượt tra cứu")
        verbose_name_plural = _("nhật ký tra cứu")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client_address", "-created_at"], name="lookup_client_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
