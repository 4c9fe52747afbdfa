"""Staff endpoints (token with backoffice:read / backoffice:act, or a session verified with
the second factor): the agency's inbox, a dossier, its actions, slips and files. Reads go
through backoffice.selectors (the officer's agency only; anything else is 404), actions
through backoffice.services.staff_act and so the dossiers' workflow; every look at personal
data is logged like on the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dichvucong.backoffice import selectors
from dichvucong.backoffice.services import ACTION_INPUTS, staff_act
from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers import audit, slips
from dichvucong.dossiers.downloads import attachment_response, slip_response
from dichvucong.dossiers.workflow.services import actor_roles
from dichvucong.dossiers.workflow.transitions import available

from . import serializers as s
from .auth import IsAgencyStaff
from .common import ApiView
from .views_me import FILE_RESPONSE, PDF_RESPONSE


class StaffView(ApiView):
    permission_classes = [IsAgencyStaff]

    def dossier(self, pk: int):
        dossier = selectors.staff_dossier(user=self.request.user, pk=pk)
        if dossier is None:
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ."))
        return dossier

    def detail(self, pk: int) -> Response:
        dossier = self.dossier(pk)
        audit.record_staff_view(user=self.request.user, dossier=dossier, client_address=self.client)
        roles = actor_roles(user=self.request.user, dossier=dossier)
        actions = [t.name for t in available(status=dossier.status, actors=roles)]
        context = {
            "request": self.request,
            "actions": actions,
            "slips": slips.available_slips(dossier),
            "download_route": "api:staff-attachment-file",
        }
        return Response(s.StaffDossierDetailSerializer(dossier, context=context).data)


@extend_schema(tags=["Cán bộ"])
class Inbox(StaffView):
    serializer_class = s.StaffDossierSerializer

    @extend_schema(
        summary="Hồ sơ của đơn vị (việc cần làm, lọc, sắp xếp)",
        parameters=[s.InboxQuerySerializer],
        responses=s.StaffDossierSerializer(many=True),
    )
    def get(self, request):
        query = self.query(s.InboxQuerySerializer)
        dossiers = selectors.inbox(
            user=request.user,
            roles=selectors.staff_roles(request.user),
            mine=query["mine"],
            status=query.get("status") or "",
            field_id=query.get("field"),
            procedure_id=query.get("procedure"),
            due=query.get("due") or "",
            query=query.get("q") or "",
            order=query["ordering"],
        )
        return self.paginated(dossiers.select_related("agency"), s.StaffDossierSerializer)


@extend_schema(tags=["Cán bộ"])
class StaffDossier(StaffView):
    serializer_class = s.StaffDossierDetailSerializer

    @extend_schema(summary="Một hồ sơ của đơn vị (lượt xem được ghi nhật ký)")
    def get(self, request, pk: int):
        return self.detail(pk)


ACTION_DESCRIPTION = "; ".join(
    f"{name}: {', '.join(inputs)}" for name, inputs in ACTION_INPUTS.items()
)


@extend_schema(tags=["Cán bộ"])
class StaffAction(StaffView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.StaffDossierDetailSerializer

    @extend_schema(
        summary="Thực hiện một thao tác trên hồ sơ",
        description=(
            "Các thao tác và dữ liệu mỗi thao tác dùng — " + ACTION_DESCRIPTION + ". Gửi kèm "
            "version (phiên bản hồ sơ đang thấy); tệp (files) gửi bằng multipart/form-data."
        ),
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(ACTION_INPUTS)
            )
        ],
        request={
            "application/json": s.StaffActionSerializer,
            "multipart/form-data": s.StaffActionSerializer,
        },
        responses={200: s.StaffDossierDetailSerializer},
    )
    def post(self, request, pk: int, name: str):
        if name not in ACTION_INPUTS:
            raise exceptions.NotFound(_("Không có thao tác này."))
        data = self.body(s.StaffActionSerializer)
        dossier = self.dossier(pk)
        staff_act(
            name,
            dossier_id=dossier.pk,
            user=request.user,
            expected_version=data["version"],
            client_address=self.client,
            note=data["note"],
            missing=data["missing"],
            assignee_id=data.get("assignee"),
            new_due=data.get("new_due"),
            uploads=data["files"],
        )
        return self.detail(pk)


@extend_schema(tags=["Cán bộ"])
class StaffSlip(StaffView):
    @extend_schema(
        summary="Phiếu của hồ sơ (PDF; được ghi nhật ký)",
        parameters=[
            OpenApiParameter(
                "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(slips.SLIP_KINDS)
            )
        ],
        responses=PDF_RESPONSE,
    )
    def get(self, request, pk: int, kind: str):
        dossier = self.dossier(pk)
        if kind not in slips.SLIP_KINDS:
            raise exceptions.NotFound(_("Không có loại phiếu này."))
        try:
            pdf = slips.render_slip(kind=kind, dossier=dossier)
        except ApplicationError as error:
            raise exceptions.NotFound(error.message) from None
        audit.record_slip(user=request.user, dossier=dossier, kind=kind, client_address=self.client)
        return slip_response(pdf, kind=kind, dossier=dossier)


@extend_schema(tags=["Cán bộ"])
class StaffAttachmentFile(StaffView):
    @extend_schema(summary="Tải một tệp của hồ sơ (được ghi nhật ký)", responses=FILE_RESPONSE)
    def get(self, request, attachment_id: int):
        attachment = selectors.staff_attachment(user=request.user, pk=attachment_id)
        if attachment is None:
            raise exceptions.NotFound(_("Không tìm thấy tệp."))
        audit.record_file_access(
            user=request.user, attachment=attachment, inline=False, client_address=self.client
        )
        return attachment_response(attachment)


class HandlerSerializer(s.serializers.Serializer):
    id = s.serializers.IntegerField()
    full_name = s.serializers.CharField()


@extend_schema(tags=["Cán bộ"], responses=HandlerSerializer(many=True))
class Handlers(StaffView):
    """Chuyên viên xử lý của đơn vị (để chọn người xử lý khi "Chuyển xử lý")."""

    serializer_class = HandlerSerializer

    def get(self, request):
        handlers = selectors.handlers_of(request.user.agency_id).only("id", "full_name")
        return self.paginated(handlers, HandlerSerializer)
