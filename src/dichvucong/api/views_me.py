"""The applicant's endpoints (session or token with dossiers:read / dossiers:write): profile,
"Hồ sơ của bạn", drafts, files, submission, supplement, withdrawal, rating, slips. Each calls
the same dossiers services and selectors as the pages."""

import re

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from dichvucong.catalog import selectors as catalog_selectors
from dichvucong.dossiers import selectors, services, slips
from dichvucong.dossiers.declaration import PREFIX
from dichvucong.dossiers.downloads import attachment_response, slip_response
from dichvucong.stats.services import rating_create

from . import serializers as s
from .auth import IsApplicant
from .common import ApiView
from .idempotency import PARAMETER as IDEMPOTENCY_HEADER
from .idempotency import idempotent
from .problems import ProblemError

_INPUT_NAME = re.compile(r"^[a-z0-9_\-]{1,100}$")
MAX_VALUE_LENGTH = 5000
MAX_VALUES = 500
PDF_RESPONSE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Tệp PDF")
}
FILE_RESPONSE = {
    (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="Tệp")
}


def raw_form_data(form_data: dict) -> dict[str, list[str]]:
    """The API's `form_data` ({input name: value or [values]}) as the pages post it
    ({"tk-<input name>": [values]}), for the same draft and submission services."""
    raw: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for name, value in form_data.items():
        values = value if isinstance(value, list) else [value]
        if not _INPUT_NAME.match(name):
            errors[f"form_data.{name}"] = [_("Tên ô tờ khai không hợp lệ.")]
            continue
        texts = []
        for item in values:
            if item is None or item is False:
                continue
            if item is True:
                item = "on"
            if isinstance(item, dict | list) or len(str(item)) > MAX_VALUE_LENGTH:
                errors[f"form_data.{name}"] = [_("Giá trị phải là chuỗi hoặc số.")]
                break
            text = str(item)
            if "\x00" in text:
                errors[f"form_data.{name}"] = [_("Giá trị chứa ký tự không hợp lệ.")]
                break
            texts.append(text)
        raw[f"{PREFIX}-{name}"] = texts
    if len(raw) > MAX_VALUES:
        errors["form_data"] = [_("Tờ khai có quá nhiều ô.")]
    if errors:
        raise exceptions.ValidationError(errors)
    return raw


class ApplicantView(ApiView):
    permission_classes = [IsApplicant]

    def own(self, pk: int):
        dossier = selectors.dossier_for_applicant(user=self.request.user, pk=pk)
        if dossier is None:
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ."))
        return dossier

    def detail(self, pk: int, status: int = 200) -> Response:
        dossier = self.own(pk)
        context = {
            "request": self.request,
            "slips": [] if dossier.is_draft else slips.applicant_slips(dossier),
        }
        return Response(s.DossierDetailSerializer(dossier, context=context).data, status=status)


@extend_schema(tags=["Người nộp"])
class Profile(ApplicantView):
    """Thông tin tài khoản đang dùng API."""

    serializer_class = s.ProfileSerializer

    def get(self, request):
        return Response(s.ProfileSerializer(request.user).data)


@extend_schema(tags=["Người nộp"])
class MyDossiers(ApplicantView):
    serializer_class = s.DossierSerializer

    @extend_schema(
        summary="Hồ sơ của bạn",
        parameters=[s.MyDossierQuerySerializer],
        responses=s.DossierSerializer(many=True),
    )
    def get(self, request):
        query = self.query(s.MyDossierQuerySerializer)
        dossiers = selectors.dossiers_of_applicant(user=request.user, status=query.get("status"))
        return self.paginated(dossiers, s.DossierSerializer)

    @extend_schema(
        summary="Tạo hồ sơ nháp",
        request=s.DraftCreateSerializer,
        responses={201: s.DossierDetailSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request):
        return idempotent(request, self._create)

    def _create(self) -> Response:
        data = self.body(s.DraftCreateSerializer)
        raw = raw_form_data(data["form_data"]) if data.get("form_data") else None
        procedure = catalog_selectors.procedures_public().filter(pk=data["procedure"]).first()
        if procedure is None:
            raise exceptions.ValidationError({"procedure": [_("Không có thủ tục này.")]})
        with transaction.atomic():  # the draft and its first answers, or nothing
            dossier = services.dossier_start(
                user=self.request.user, procedure=procedure, level=data["level"]
            )
            if raw is not None:
                services.dossier_save_draft(
                    dossier_id=dossier.pk, user=self.request.user, raw_data=raw, uploads={}
                )
        return self.detail(dossier.pk, status=201)


@extend_schema(tags=["Người nộp"])
class MyDossier(ApplicantView):
    serializer_class = s.DossierDetailSerializer

    @extend_schema(summary="Một hồ sơ của bạn")
    def get(self, request, pk: int):
        return self.detail(pk)

    @extend_schema(
        summary="Lưu nháp tờ khai",
        request=s.DraftUpdateSerializer,
        responses={200: s.DossierDetailSerializer},
    )
    def patch(self, request, pk: int):
        data = self.body(s.DraftUpdateSerializer)
        services.dossier_save_draft(
            dossier_id=self.own(pk).pk,
            user=request.user,
            raw_data=raw_form_data(data["form_data"]),
            uploads={},
        )
        return self.detail(pk)


@extend_schema(tags=["Người nộp"])
class MyAttachments(ApplicantView):
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = s.AttachmentSerializer

    @extend_schema(
        summary="Đính kèm một tệp vào hồ sơ nháp",
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.AttachmentSerializer},
    )
    def post(self, request, pk: int):
        data = self.body(s.UploadSerializer)
        dossier = self.own(pk)
        outcome = services.dossier_save_draft(
            dossier_id=dossier.pk,
            user=request.user,
            raw_data=dossier.draft_data,
            uploads={data["component"]: [data["file"]]},
        )
        if outcome.errors:
            raise exceptions.ValidationError({"file": outcome.errors[str(data["component"])]})
        if not outcome.added:
            raise exceptions.ValidationError(
                {"component": [_("Thủ tục này không có thành phần hồ sơ này.")]}
            )
        return Response(
            s.AttachmentSerializer(outcome.added[0], context={"request": request}).data,
            status=201,
        )


@extend_schema(tags=["Người nộp"])
class MyAttachment(ApplicantView):
    @extend_schema(summary="Xóa một tệp của hồ sơ nháp", responses={204: None})
    def delete(self, request, pk: int, attachment_id: int):
        if not self.own(pk).attachments.filter(pk=attachment_id).exists():
            raise exceptions.NotFound(_("Không tìm thấy tệp."))
        services.attachment_remove(attachment_id=attachment_id, user=request.user)
        return Response(status=204)


@extend_schema(tags=["Người nộp"])
class MyAttachmentFile(ApplicantView):
    @extend_schema(summary="Tải một tệp của hồ sơ", responses=FILE_RESPONSE)
    def get(self, request, attachment_id: int):
        attachment = selectors.attachment_for(user=request.user, pk=attachment_id)
        if attachment is None or attachment.dossier.applicant_id != request.user.pk:
            raise exceptions.NotFound(_("Không tìm thấy tệp."))
        return attachment_response(attachment)


@extend_schema(tags=["Người nộp"])
class Submit(ApplicantView):
    serializer_class = s.DossierDetailSerializer

    @extend_schema(
        summary="Nộp hồ sơ",
        description=(
            "Kiểm tra tờ khai và giấy tờ bắt buộc, cấp mã hồ sơ, gửi đến đơn vị. Nộp lại hồ sơ "
            "đã nộp trả về hồ sơ như cũ (không tạo gì mới)."
        ),
        request=None,
        responses={200: s.DossierDetailSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, pk: int):
        return idempotent(request, lambda: self._submit(pk))

    def _submit(self, pk: int) -> Response:
        dossier = self.own(pk)
        if dossier.is_draft:
            form, missing = services.dossier_problems(dossier)
            errors = {
                f"form_data.{name}": [str(m) for m in messages]
                for name, messages in (form.errors if not form.is_valid() else {}).items()
            }
            for component in missing:
                errors[f"components.{component.pk}"] = [
                    _("Chưa đính kèm “%(name)s”.") % {"name": component.name}
                ]
            if errors:
                raise ProblemError(
                    422,
                    _("Hồ sơ chưa đầy đủ. Vui lòng kiểm tra tờ khai và các giấy tờ bắt buộc."),
                    code="incomplete",
                    errors=errors,
                )
        services.dossier_submit(dossier_id=dossier.pk, user=self.request.user)
        return self.detail(pk)


@extend_schema(tags=["Người nộp"])
class Supplement(ApplicantView):
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = s.DossierDetailSerializer

    @extend_schema(
        summary="Nộp bổ sung",
        request={"multipart/form-data": s.SupplementSerializer},
        responses={200: s.DossierDetailSerializer},
    )
    def post(self, request, pk: int):
        data = self.body(s.SupplementSerializer)
        dossier = self.own(pk)
        updated, outcome = services.dossier_supplement(
            dossier_id=dossier.pk,
            user=request.user,
            note=data["note"],
            uploads=data["files"],
            expected_version=data["version"],
        )
        if updated is None:
            raise exceptions.ValidationError({"files": outcome.errors.get("files", [])})
        return self.detail(pk)


@extend_schema(tags=["Người nộp"])
class Withdraw(ApplicantView):
    serializer_class = s.DossierDetailSerializer

    @extend_schema(
        summary="Rút hồ sơ",
        request=s.WithdrawSerializer,
        responses={200: s.DossierDetailSerializer},
    )
    def post(self, request, pk: int):
        data = self.body(s.WithdrawSerializer)
        services.dossier_withdraw(
            dossier_id=self.own(pk).pk,
            user=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self.detail(pk)


@extend_schema(tags=["Người nộp"])
class Rate(ApplicantView):
    serializer_class = s.RatingOutSerializer

    @extend_schema(
        summary="Đánh giá mức độ hài lòng",
        request=s.RatingSerializer,
        responses={201: s.RatingOutSerializer},
    )
    def post(self, request, pk: int):
        data = self.body(s.RatingSerializer)
        rating = rating_create(
            dossier_id=self.own(pk).pk,
            user=request.user,
            score=data["score"],
            comment=data["comment"],
        )
        return Response(s.RatingOutSerializer(rating).data, status=201)


@extend_schema(tags=["Người nộp"])
class MySlip(ApplicantView):
    @extend_schema(summary="Phiếu của hồ sơ (PDF)", responses=PDF_RESPONSE)
    def get(self, request, pk: int, kind: str):
        dossier = self.own(pk)
        if dossier.is_draft or kind not in slips.applicant_slips(dossier):
            raise exceptions.NotFound(_("Hồ sơ này không có phiếu này."))
        return slip_response(
            slips.render_slip(kind=kind, dossier=dossier), kind=kind, dossier=dossier
        )
