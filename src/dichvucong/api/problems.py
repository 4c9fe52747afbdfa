"""Errors as RFC 9457 problem details (`application/problem+json`), in Vietnamese.

`exception_handler` is DRF's EXCEPTION_HANDLER: every refusal of the API (validation per
field, 401, 403, 404, 405, 406, 415, 429, and the domain's ApplicationError) becomes
`{"type", "title", "status", "detail", "instance", "code", "errors"?}`. DRF's own field
messages are mostly untranslated, so they are replaced by Vietnamese ones by error code.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dichvucong.core.errors import ApplicationError

# A URN per problem code: an identifier, not a page to fetch (RFC 9457 §3.1.1 allows it).
PROBLEM_TYPE = "urn:dichvucong:problem:"
PROBLEM_CONTENT_TYPE = "application/problem+json"

# ApplicationError codes of the domain -> HTTP status (the rest: 422, or 400 with a field).
DOMAIN_STATUS = {
    "forbidden": 403,
    "not_found": 404,
    "stale": 409,
    "invalid_transition": 409,
    "state": 409,
    "not_draft": 409,
    "once": 409,
    "already_rated": 409,
    "rate_limited": 429,
    "idempotency_in_progress": 409,
}

TITLES = {
    400: "Dữ liệu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    406: "Không đáp ứng được định dạng yêu cầu",
    409: "Xung đột trạng thái",
    413: "Dữ liệu quá lớn",
    415: "Kiểu nội dung không được hỗ trợ",
    422: "Không thể thực hiện",
    429: "Quá nhiều yêu cầu",
}


class ProblemError(exceptions.APIException):
    """A refusal with its own status, code and field errors (e.g. 422 for an incomplete
    dossier, with what is missing per field)."""

    def __init__(self, status: int, detail: str, *, code: str, errors=None):
        super().__init__(detail, code)
        self.status_code = status
        self.problem_code = code
        self.errors = errors


def _field_message(detail) -> str:
    """A DRF field error in Vietnamese, by its code (the message itself when it is ours)."""
    code = getattr(detail, "code", None)
    messages = {
        "required": _("Trường này là bắt buộc."),
        "null": _("Trường này không được để trống."),
        "blank": _("Trường này không được để trống."),
        "invalid": _("Giá trị không hợp lệ."),
        "max_length": _("Giá trị quá dài."),
        "min_length": _("Giá trị quá ngắn."),
        "max_value": _("Giá trị quá lớn."),
        "min_value": _("Giá trị quá nhỏ."),
        "max_string_length": _("Giá trị quá lớn."),
        "invalid_choice": _("Lựa chọn không hợp lệ."),
        "not_a_list": _("Giá trị phải là một danh sách."),
        "empty": _("Danh sách không được để trống."),
        "not_a_dict": _("Giá trị phải là một đối tượng JSON."),
        "date": _("Ngày không hợp lệ; dùng định dạng YYYY-MM-DD."),
        "no_name": _("Tệp không có tên."),
        "empty_file": _("Tệp rỗng."),
        "null_characters_not_allowed": _("Giá trị chứa ký tự không hợp lệ."),
        "surrogate_characters_not_allowed": _("Giá trị chứa ký tự không hợp lệ."),
        "max_digits": _("Giá trị quá lớn."),
        "max_whole_digits": _("Giá trị quá lớn."),
        "max_decimal_places": _("Giá trị có quá nhiều chữ số thập phân."),
    }
    if code == "invalid" and str(detail) and not str(detail).isascii():
        return str(detail)  # our own Vietnamese message
    if code in messages:
        return messages[code]
    return str(detail) if not str(detail).isascii() else _("Giá trị không hợp lệ.")


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure -> {"field" | "field.sub" | "field.0": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = "non_field_errors" if key == "non_field_errors" else str(key)
            for sub, messages in _flatten(value, f"{prefix}{name}.").items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(errors, list):
        if all(not isinstance(item, dict | list) for item in errors):
            flat[prefix.rstrip(".") or "non_field_errors"] = [_field_message(e) for e in errors]
        else:
            for index, item in enumerate(errors):
                for sub, messages in _flatten(item, f"{prefix}{index}.").items():
                    flat.setdefault(sub, []).extend(messages)
    else:
        flat[prefix.rstrip(".") or "non_field_errors"] = [_field_message(errors)]
    return flat


def problem(
    status: int,
    detail: str,
    *,
    code: str = "error",
    instance: str = "",
    errors: dict[str, list[str]] | None = None,
) -> dict:
    body = {
        "type": PROBLEM_TYPE + code,
        "title": TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, detail: str, *, request=None, headers=None, **kwargs):
    """A problem+json answer outside DRF's views (the API's catch-all 404)."""
    instance = request.path if request is not None else ""
    response = JsonResponse(
        problem(status, detail, instance=instance, **kwargs),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _describe(exc: exceptions.APIException, status: int) -> tuple[str, str, dict | None]:
    """(detail, code, field errors) of a DRF exception, in Vietnamese."""
    if isinstance(exc, exceptions.ValidationError):
        return _("Dữ liệu gửi lên không hợp lệ."), "validation", _flatten(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated):
        return (
            _("Vui lòng đăng nhập hoặc gửi khóa truy cập API (Authorization: Bearer …)."),
            "not_authenticated",
            None,
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        detail = str(exc.detail)
        if detail.isascii():
            detail = _("Khóa truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
        return detail, "authentication_failed", None
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return (
            _("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(n)d giây.") % {"n": wait},
            "throttled",
            None,
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Địa chỉ này không nhận phương thức này."), "method_not_allowed", None
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return (
            _(
                "Kiểu nội dung không được hỗ trợ; hãy gửi application/json hoặc "
                "multipart/form-data."
            ),
            "unsupported_media_type",
            None,
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không trả được dữ liệu theo định dạng yêu cầu."), "not_acceptable", None
    if isinstance(exc, exceptions.ParseError):
        return _("Dữ liệu gửi lên không đọc được (sai định dạng)."), "parse_error", None
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if status == 404:
        return (
            (str(detail) if not str(detail).isascii() else _("Không tìm thấy.")),
            "not_found",
            None,
        )
    if status == 403:
        if str(detail) and not str(detail).isascii():
            return str(detail), "forbidden", None
        return _("Bạn không có quyền thực hiện thao tác này."), "forbidden", None
    return (str(detail) if not str(detail).isascii() else _("Yêu cầu không hợp lệ.")), "error", None


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""  # not the query: it may be an ID
    if isinstance(exc, ProblemError):
        body = problem(
            exc.status_code,
            str(exc.detail),
            code=exc.problem_code,
            instance=instance,
            errors=exc.errors,
        )
        return Response(body, status=exc.status_code, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, ApplicationError):
        status = DOMAIN_STATUS.get(exc.code) or (400 if exc.field else 422)
        errors = {exc.field: [exc.message]} if exc.field else None
        body = problem(status, exc.message, code=exc.code, instance=instance, errors=errors)
        headers = {"Retry-After": "60"} if status == 429 else None
        return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, RequestDataTooBig):
        body = problem(413, _("Dữ liệu gửi lên quá lớn."), code="too_large", instance=instance)
        return Response(body, status=413, content_type=PROBLEM_CONTENT_TYPE)
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail, code, errors = _describe(exc, response.status_code)
    response.data = problem(
        response.status_code, detail, code=code, instance=instance, errors=errors
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
