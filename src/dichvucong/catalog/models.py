"""The procedure catalogue (DESIGN §3): agencies, fields, procedures and their versions.

A procedure (TTHC) is a stable identity (`Procedure`: agency, field, national code) whose content
lives in versions (`ProcedureVersion`: name, levels, deadline, fee, steps, components, the
declaration-form schema). A published version never changes: editing a procedure drafts a new
version and publishing it supersedes the previous one, so a dossier can keep the exact version it
was received under. Writes go through `catalog.services`; the `save()` guards below only refuse
accidental edits of published content.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "tinh", _("Cấp tỉnh")
    DEPARTMENT = "so", _("Sở, ban, ngành")
    COMMUNE = "xa", _("Cấp xã")


class Agency(models.Model):
    """Đơn vị: an agency that publishes procedures and whose staff handle dossiers.

    Agencies are merged and renamed, never deleted once they have dossiers (PROTECT). A merged
    agency stays (inactive, `merged_into` set) so old dossiers keep pointing at it; a renamed
    agency keeps its former names in `AgencyNameHistory` (see `services.agency_rename`).
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
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã sáp nhập vào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_agencies",
    )
    merged_at = models.DateTimeField(_("sáp nhập lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=AgencyLevel.values), name="agency_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(is_active=False),
                name="agency_merged_is_inactive",
                violation_error_message=_("Đơn vị đã sáp nhập thì không còn hoạt động."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyNameHistory(models.Model):
    """A name an agency carried until `valid_until` (written by `services.agency_rename`).

    Records made before a rename (dossiers, slips, statistics) show the name of their time
    through `selectors.agency_name_at(agency, when)`.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="name_history"
    )
    name = models.CharField(_("tên cũ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt cũ"), max_length=64, blank=True)
    valid_until = models.DateTimeField(_("dùng đến"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["agency", "-valid_until"]
        indexes = [models.Index(fields=["agency", "valid_until"], name="agencyname_lookup_idx")]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    """Lĩnh vực: a group of procedures; belongs to the agency that publishes it."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="fields"
    )
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    code = models.CharField(_("mã lĩnh vực"), max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["agency__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="field_agency_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: the stable identity; its content is in `current_version`.

    `name`, `name_search` and `search_text` are copies kept by `services` whenever a version is
    published or the agency or field is renamed: the public list sorts and searches on this one
    table (an indexed, folded column on SQLite and PostgreSQL alike, DESIGN §6).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="procedures"
    )
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    national_code = models.CharField(
        _("mã thủ tục"),
        max_length=32,
        blank=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.000105."),
    )
    is_published = models.BooleanField(
        _("công khai trên cổng"),
        default=True,
        help_text=_("Bỏ chọn để ẩn thủ tục (ví dụ khi bị bãi bỏ); các hồ sơ cũ vẫn giữ nguyên."),
    )
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản đang áp dụng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("tên thủ tục"), max_length=500, editable=False)
    name_search = models.CharField(max_length=500, editable=False, db_index=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name_search", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "national_code"],
                condition=~models.Q(national_code=""),
                name="procedure_agency_code_unique",
                violation_error_message=_("Đơn vị đã có thủ tục với mã này."),
            )
        ]
        indexes = [
            models.Index(fields=["national_code"], name="procedure_code_idx"),
            models.Index(fields=["agency", "field"], name="procedure_agency_field_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.national_code or f"#{self.pk}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đang áp dụng")
    SUPERSEDED = "superseded", _("Đã thay thế")


class ProcedureVersion(models.Model):
    """One version of a procedure's content. Draft → published (immutable) → superseded."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    level_3 = models.BooleanField(
        _("mức độ 3 (một phần)"),
        default=True,
        help_text=_("Nộp trực tuyến, xuất trình bản gốc và nhận kết quả tại cơ quan."),
    )
    level_4 = models.BooleanField(
        _("mức độ 4 (toàn trình)"),
        default=False,
        help_text=_("Nộp, thanh toán và nhận kết quả hoàn toàn trực tuyến."),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        help_text=_("0 nghĩa là giải quyết trong ngày."),
    )
    fee = models.PositiveBigIntegerField(_("lệ phí (đồng)"), default=0)
    fee_text = models.CharField(
        _("phí, lệ phí"),
        max_length=500,
        blank=True,
        help_text=_("Cách tính phí, lệ phí như được công bố, ví dụ '600.000 đồng/giấy phép'."),
    )
    for_citizen = models.BooleanField(_("cá nhân được nộp"), default=True)
    for_organisation = models.BooleanField(_("tổ chức được nộp"), default=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(
        _("căn cứ pháp lý"), blank=True, help_text=_("Mỗi văn bản một dòng.")
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True, help_text=_("Mỗi bước một dòng."))
    channels = models.TextField(_("cách thức thực hiện"), blank=True)
    keywords = models.CharField(
        _("từ khóa tìm kiếm"),
        max_length=500,
        blank=True,
        help_text=_("Tên gọi khác, từ viết tắt người dân hay dùng; cách nhau bởi dấu phẩy."),
    )
    form_schema = models.JSONField(
        _("mẫu tờ khai"),
        null=True,
        blank=True,
        help_text=_("Tờ khai trực tuyến (JSON); để trống nếu thủ tục không có tờ khai."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("thay thế lúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú thay đổi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="draft"),
                name="version_one_draft_per_procedure",
                violation_error_message=_("Thủ tục đã có một bản nháp; hãy sửa bản nháp đó."),
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="published"),
                name="version_one_published_per_procedure",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=VersionStatus.values), name="version_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level_3=True) | models.Q(level_4=True),
                name="version_offers_a_level",
                violation_error_message=_("Chọn ít nhất một mức độ: mức độ 3 hoặc mức độ 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(for_citizen=True) | models.Q(for_organisation=True),
                name="version_has_applicants",
                violation_error_message=_(
                    "Chọn ít nhất một đối tượng được nộp: cá nhân hoặc tổ chức."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (phiên bản {self.number})"

    def save(self, *args, **kwargs):
        """Refuse to change the content of a version that has been published.

        Services move a version on (published → superseded) with `update_fields` limited to
        the status columns; anything else on a published row is a bug or a tampering attempt.
        """
        if self.pk and not self._state.adding:
            stored = ProcedureVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
            stored_status = next(iter(stored), None)
            if stored_status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED):
                allowed = {"status", "superseded_at"}
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= allowed:
                    raise PublishedVersionImmutable(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise PublishedVersionImmutable(self)
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def levels(self) -> list[int]:
        return [level for level, offered in ((3, self.level_3), (4, self.level_4)) if offered]


class PublishedVersionImmutable(Exception):
    """A published (or superseded) procedure version was about to change."""

    def __init__(self, version: ProcedureVersion):
        super().__init__(
            f"Phiên bản {version.number} của thủ tục đã công bố, không sửa được; "
            "hãy tạo phiên bản mới."
        )
        self.version = version


class ComponentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    ORIGINAL_OR_CERTIFIED_COPY = (
        "original_or_certified_copy",
        _("Bản chính hoặc bản sao chứng thực"),
    )


TEMPLATE_EXTENSIONS = ["docx", "doc", "pdf", "odt", "xlsx", "xls", "ods"]


def component_template_path(instance: "Component", filename: str) -> str:
    return f"catalog/mau/{filename}"


class Component(models.Model):
    """Thành phần hồ sơ: one document the applicant attaches, with an optional template."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.CASCADE,
        related_name="components",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại bản"), max_length=32, choices=ComponentKind.choices, default=ComponentKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    template_file = models.FileField(
        _("mẫu đơn, tờ khai"),
        upload_to=component_template_path,
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(TEMPLATE_EXTENSIONS)],
        help_text=_("Tệp Word, PDF, OpenDocument hoặc Excel để người dân tải về."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ComponentKind.values), name="component_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="component_qty_gte_1",
                violation_error_message=_("Số lượng phải từ 1 trở lên."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Components of a published version are part of it: they do not change either."""
        if self.version_id and self._version_is_published():
            raise PublishedVersionImmutable(self.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version_id and self._version_is_published():
            raise PublishedVersionImmutable(self.version)
        return super().delete(*args, **kwargs)

    def _version_is_published(self) -> bool:
        return (
            ProcedureVersion.objects.filter(pk=self.version_id)
            .exclude(status=VersionStatus.DRAFT)
            .exists()
        )
