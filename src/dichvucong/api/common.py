"""Pieces every API view shares: the base view, pagination, the OpenAPI problem responses,
query-parameter checking, path converters bounded to real ids."""

from django.urls import register_converter
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination

from dichvucong.core.ratelimit import client_address

from .problems import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Lỗi theo từng trường: tên trường → các thông báo",
    )


PROBLEM_CODES = {
    "400": "Dữ liệu không hợp lệ (lỗi theo từng trường trong errors)",
    "401": "Chưa xác thực",
    "403": "Không có quyền",
    "404": "Không tìm thấy",
    "405": "Phương thức không được hỗ trợ",
    "406": "Không đáp ứng được định dạng yêu cầu",
    "409": "Xung đột: hồ sơ đã thay đổi hoặc không ở trạng thái phù hợp",
    "413": "Dữ liệu gửi lên quá lớn",
    "415": "Kiểu nội dung không được hỗ trợ",
    "422": "Quy tắc nghiệp vụ từ chối thao tác",
    "429": "Quá nhiều yêu cầu",
}


class ProblemAutoSchema(AutoSchema):
    """Every operation documents its problem+json answers beside its success."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in PROBLEM_CODES.items():
            if code not in responses:
                response = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
                )
                response["description"] = description
                responses[code] = response
        return responses


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "Trang không tồn tại."
    page_query_description = "Số trang (từ 1)."
    page_size_query_description = "Số dòng mỗi trang (1–100, mặc định 20)."

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_page_number(self, request, paginator):
        page = request.query_params.get(self.page_query_param) or 1
        if str(page).isdigit() and len(str(page)) > 9:
            return 10**9  # beyond the last page: "Trang không tồn tại."
        return page

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or len(raw) > 3 or not 1 <= int(raw) <= self.max_page_size:
            raise serializers.ValidationError(
                {"page_size": [_("Số dòng mỗi trang từ 1 đến %(n)d.") % {"n": self.max_page_size}]}
            )
        return int(raw)


class ApiView(GenericAPIView):
    pagination_class = Pagination

    def query(self, serializer_class) -> dict:
        """The query string checked by `serializer_class` (400 with messages per parameter)."""
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def body(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @property
    def client(self) -> str:
        return client_address(self.request)

    def paginated(self, items, serializer_class, **context):
        page = self.paginate_queryset(items)
        data = serializer_class(page, many=True, context={"request": self.request, **context}).data
        return self.get_paginated_response(data)


class IdConverter:
    """A database id in a path: 1 to 18 digits (a bigger number is no row, and must not
    reach the database, where it would overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
