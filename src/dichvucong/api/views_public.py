"""Public endpoints: the catalogue (catalog.selectors, the pages' search) and the lookup
(dossiers.lookup, with the page's privacy, log and shared rate limit)."""

from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from dichvucong.catalog import search, selectors
from dichvucong.core.errors import RateLimited
from dichvucong.dossiers import lookup

from . import serializers as s
from .common import ApiView


@extend_schema(tags=["Danh mục thủ tục"], responses=s.AgencySerializer(many=True))
class AgencyList(ApiView):
    """Đơn vị tiếp nhận hồ sơ (đang hoạt động), theo tên."""

    serializer_class = s.AgencySerializer
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        agencies = selectors.agencies_public().only(
            "id", "code", "name", "short_name", "level", "address", "hotline"
        )
        return self.paginated(agencies, s.AgencySerializer)


@extend_schema(tags=["Danh mục thủ tục"])
class AgencyDetail(ApiView):
    """Một đơn vị theo mã định danh."""

    serializer_class = s.AgencySerializer
    authentication_classes = []
    permission_classes = []

    def get(self, request, code: str):
        agency = selectors.agencies_public().filter(code=code).first()
        if agency is None:
            raise exceptions.NotFound(_("Không tìm thấy đơn vị."))
        return Response(s.AgencySerializer(agency).data)


@extend_schema(
    tags=["Danh mục thủ tục"],
    parameters=[s.FieldQuerySerializer],
    responses=s.FieldSerializer(many=True),
)
class FieldList(ApiView):
    """Lĩnh vực; lọc theo mã đơn vị (agency)."""

    serializer_class = s.FieldSerializer
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        query = self.query(s.FieldQuerySerializer)
        if query.get("agency"):
            agency = _agency(query["agency"])
            return self.paginated(selectors.fields_of_agency(agency), s.FieldSerializer)
        return self.paginated(selectors.fields_for_filter(), s.FieldSerializer)


def _agency(code: str):
    agency = selectors.agencies_public().filter(code=code).first()
    if agency is None:
        raise exceptions.ValidationError({"agency": [_("Không có đơn vị với mã này.")]})
    return agency


@extend_schema(
    tags=["Danh mục thủ tục"],
    parameters=[s.ProcedureQuerySerializer],
    responses=s.ProcedureSerializer(many=True),
)
class ProcedureList(ApiView):
    """Thủ tục hành chính: lọc theo đơn vị, lĩnh vực, mức độ; tìm theo từ khóa như trang
    "Thủ tục hành chính" (không phân biệt dấu, hoa thường, từ viết tắt)."""

    serializer_class = s.ProcedureSerializer
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        query = self.query(s.ProcedureQuerySerializer)
        field = None
        if query.get("field"):
            field = selectors.field_option(str(query["field"]))
            if field is None:
                raise exceptions.ValidationError({"field": [_("Không có lĩnh vực này.")]})
        filters = selectors.ProcedureFilters(
            agency=_agency(query["agency"]) if query.get("agency") else None,
            field=field,
            level=query.get("level"),
            query=query.get("q") or "",
        )
        procedures = selectors.procedure_list(filters)
        ordering = query.get("ordering") or "relevance"
        if ordering == "name" or (ordering == "relevance" and not filters.query):
            procedures = procedures.order_by(search.name_order(), "id")
        elif ordering in ("processing_days", "-processing_days"):
            days = F("current_version__processing_days")
            first = days.desc() if ordering.startswith("-") else days.asc()
            procedures = procedures.order_by(first, search.name_order(), "id")
        return self.paginated(procedures, s.ProcedureSerializer)


@extend_schema(tags=["Danh mục thủ tục"])
class ProcedureDetail(ApiView):
    """Một thủ tục: nội dung phiên bản đang áp dụng, thành phần hồ sơ, mẫu tờ khai."""

    serializer_class = s.ProcedureDetailSerializer
    authentication_classes = []
    permission_classes = []

    def get(self, request, pk: int):
        procedure = selectors.procedure_detail(pk)
        if procedure is None:
            raise exceptions.NotFound(_("Không tìm thấy thủ tục."))
        return Response(s.ProcedureDetailSerializer(procedure).data)


@extend_schema(
    tags=["Tra cứu hồ sơ"],
    parameters=[s.LookupQuerySerializer],
    responses={200: s.LookupResultSerializer},
)
class Lookup(ApiView):
    """ "Tra cứu hồ sơ": theo mã hồ sơ, hoặc theo số CMND/CCCD/Hộ chiếu kèm ngày sinh.
    Chỉ có thông tin công khai (tên người nộp đã che bớt); mã không có và thông tin không
    khớp cho cùng một câu trả lời 404. Giới hạn số lần tra cứu mỗi phút (chung với trang)."""

    authentication_classes = []
    permission_classes = []

    def get(self, request):
        if lookup.rate_limited(self.client):
            raise RateLimited(
                _("Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 1 phút.")
            )
        query = self.query(s.LookupQuerySerializer)
        outcome = lookup.lookup_search(
            raw_query=query["q"], birth_date=query.get("birth_date"), client_address=self.client
        )
        if outcome.kind == "invalid":
            raise exceptions.ValidationError({"q": [str(lookup.INVALID_QUERY)]})
        if outcome.kind == "ask_birth_date":
            raise exceptions.ValidationError(
                {"birth_date": [_("Vui lòng nhập ngày sinh của người nộp hồ sơ (YYYY-MM-DD).")]}
            )
        if not outcome.results:
            raise exceptions.NotFound(str(lookup.NOT_FOUND))
        return Response(s.LookupResultSerializer({"results": outcome.results}).data)
