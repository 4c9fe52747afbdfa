"""What the API reads and writes. Output serializers only shape what selectors return;
input serializers check types and bounds; every rule stays in the services."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dichvucong.dossiers.workflow.statuses import SYNC_CODES, Status
from dichvucong.stats.constants import RatingScore

MAX_ID = 2**53  # ids in paths and queries: beyond any row, and safe for JSON clients


class StatusFields(serializers.Serializer):
    """Our status code, its Vietnamese label and the national portal's sync code."""

    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    status_label = serializers.SerializerMethodField()
    sync_code = serializers.SerializerMethodField(
        help_text="Mã trạng thái đồng bộ Cổng DVC quốc gia (1–10); null với hồ sơ nháp."
    )

    def get_status_label(self, obj) -> str:
        return str(Status(obj.status).label)

    def get_sync_code(self, obj) -> int | None:
        return SYNC_CODES[obj.status]


# --- Catalogue ----------------------------------------------------------------------------


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="Mã định danh QCVN 102")
    name = serializers.CharField()
    short_name = serializers.CharField()
    level = serializers.CharField()
    address = serializers.CharField()
    hotline = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class FieldSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    agency_id = serializers.IntegerField()
    agency_code = serializers.CharField()


class FieldRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProcedureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    national_code = serializers.CharField()
    name = serializers.CharField()
    agency = AgencyRefSerializer()
    field = FieldRefSerializer()
    levels = serializers.SerializerMethodField()
    processing_days = serializers.SerializerMethodField()

    def get_levels(self, obj) -> list[int]:
        return obj.current_version.levels

    def get_processing_days(self, obj) -> int:
        return obj.current_version.processing_days


class ComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    quantity = serializers.IntegerField()
    required = serializers.BooleanField()
    template_url = serializers.SerializerMethodField()

    def get_template_url(self, obj) -> str | None:
        if not obj.template_file:
            return None
        return reverse("catalog:component_template", args=[obj.pk])


class ProcedureDetailSerializer(ProcedureSerializer):
    version = serializers.IntegerField(source="current_version.number")
    fee = serializers.IntegerField(source="current_version.fee")
    fee_text = serializers.CharField(source="current_version.fee_text")
    for_citizen = serializers.BooleanField(source="current_version.for_citizen")
    for_organisation = serializers.BooleanField(source="current_version.for_organisation")
    requirements = serializers.CharField(source="current_version.requirements")
    legal_basis = serializers.CharField(source="current_version.legal_basis")
    result = serializers.CharField(source="current_version.result")
    steps = serializers.CharField(source="current_version.steps")
    channels = serializers.CharField(source="current_version.channels")
    components = ComponentSerializer(source="current_version.components.all", many=True)
    form_schema = serializers.JSONField(
        source="current_version.form_schema",
        allow_null=True,
        help_text="Mẫu tờ khai (JSON: title, fields[]); null khi thủ tục không có tờ khai.",
    )


class ProcedureQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, max_length=32, help_text="Mã đơn vị")
    field = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    level = serializers.ChoiceField(choices=[3, 4], required=False)
    q = serializers.CharField(required=False, max_length=200, allow_blank=True)
    ordering = serializers.ChoiceField(
        choices=["relevance", "name", "-name", "processing_days", "-processing_days"],
        required=False,
        help_text="Mặc định: theo mức liên quan khi có q, theo tên khi không.",
    )


class FieldQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, max_length=32, help_text="Mã đơn vị")


# --- Lookup -------------------------------------------------------------------------------


class LookupQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=64, help_text="Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu")
    birth_date = serializers.DateField(
        required=False, help_text="Ngày sinh người nộp (YYYY-MM-DD), khi tra cứu theo số giấy tờ"
    )


class PublicEventSerializer(serializers.Serializer):
    status_label = serializers.CharField(source="status")
    at = serializers.DateTimeField()


class PublicDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    agency = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    sync_code = serializers.SerializerMethodField()
    applicant = serializers.CharField(help_text="Tên người nộp đã che bớt")
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeline = PublicEventSerializer(many=True)

    def get_sync_code(self, obj) -> int | None:
        return SYNC_CODES[obj.status]


class LookupResultSerializer(serializers.Serializer):
    results = PublicDossierSerializer(many=True)


# --- The applicant ----------------------------------------------------------------------


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    organisation_name = serializers.CharField()
    tax_code = serializers.CharField()
    id_kind = serializers.CharField()
    id_number = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    gender = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    address = serializers.CharField()
    email_verified = serializers.SerializerMethodField()
    phone_verified = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()

    def get_email_verified(self, obj) -> bool:
        return obj.email_verified_at is not None

    def get_phone_verified(self, obj) -> bool:
        return obj.phone_verified_at is not None

    def get_agency(self, obj) -> str | None:
        return obj.agency.code if obj.agency_id else None


class DossierSerializer(StatusFields):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    procedure_id = serializers.IntegerField()
    procedure_name = serializers.CharField(source="procedure_version.name")
    agency_name = serializers.CharField(source="agency.name")
    level = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Số phiên bản hồ sơ; gửi kèm khi thao tác.")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    round = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str:
        return reverse(self.context.get("download_route", "api:my-attachment-file"), args=[obj.pk])


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")
    note = serializers.CharField()
    data = serializers.JSONField()


class ProblemsSerializer(serializers.Serializer):
    form = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    missing_components = serializers.ListField(child=serializers.IntegerField())


class DossierDetailSerializer(DossierSerializer):
    result_delivery = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    draft_data = serializers.SerializerMethodField(
        help_text="Hồ sơ nháp: các ô tờ khai như đã nhập (tên ô → giá trị)."
    )
    form_data = serializers.JSONField(help_text="Tờ khai đã nộp (JSON đã kiểm tra).")
    attachments = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    slips = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    )
    def get_draft_data(self, obj):
        if not obj.is_draft:
            return {}
        return {key.removeprefix("tk-"): values for key, values in (obj.draft_data or {}).items()}

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        return AttachmentSerializer(obj.attachments.all(), many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, obj):
        events = [e for e in obj.events.all() if e.type in ("transition", "apology")]
        return EventSerializer(events, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_slips(self, obj):
        return self.context.get("slips", [])


class StaffDossierSerializer(DossierSerializer):
    applicant_name = serializers.CharField(source="applicant.display_name")
    assignee_id = serializers.IntegerField(allow_null=True)
    paused = serializers.SerializerMethodField()

    def get_paused(self, obj) -> bool:
        return obj.paused_at is not None


class StaffDossierDetailSerializer(DossierDetailSerializer, StaffDossierSerializer):
    applicant = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="Các thao tác cán bộ này làm được")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_applicant(self, obj):
        user = obj.applicant
        return {
            "kind": user.kind,
            "name": user.display_name,
            "id_number": user.id_number,
            "tax_code": user.tax_code,
            "phone": user.phone,
            "email": user.email,
            "address": user.address,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, obj):
        return self.context.get("actions", [])


class DraftCreateSerializer(serializers.Serializer):
    procedure = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    level = serializers.ChoiceField(choices=[3, 4])
    form_data = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Các ô tờ khai (tên ô, không có tiền tố tk-) → chuỗi hoặc danh sách chuỗi.",
    )


class DraftUpdateSerializer(serializers.Serializer):
    form_data = serializers.DictField(child=serializers.JSONField())


class UploadSerializer(serializers.Serializer):
    component = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    file = serializers.FileField(help_text="PDF, JPG hoặc PNG (DOCX, XLSX khi thành phần có mẫu)")


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Phiên bản hồ sơ đang thấy"
    )


class WithdrawSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=2000)


class SupplementSerializer(VersionedSerializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=20
    )


class RatingSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=RatingScore.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RatingOutSerializer(serializers.Serializer):
    score = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class MyDossierQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)


# --- Staff --------------------------------------------------------------------------------


class InboxQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=True, help_text="Chỉ việc cần làm của tôi (khi không lọc status)"
    )
    status = serializers.ChoiceField(
        choices=[s for s in Status.choices if s[0] != Status.DRAFT], required=False
    )
    field = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    procedure = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    due = serializers.ChoiceField(choices=["soon", "overdue"], required=False)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    ordering = serializers.ChoiceField(choices=["due", "submitted"], required=False, default="due")


class StaffActionSerializer(VersionedSerializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    missing = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list, max_length=50
    )
    assignee = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    new_due = serializers.DateField(required=False)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=20
    )
