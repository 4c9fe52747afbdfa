"""`Idempotency-Key` on creating a draft and on submitting: the first successful answer is
stored (per user, in the database, until IDEMPOTENCY_KEY_HOURS pass) and a request repeated
with the same key gets it again, marked `Idempotent-Replayed: true`; the same key with another
request (other endpoint or body) is refused with 422; while the first is still running, a
repeat gets 409. A refused first request (4xx) releases its key."""

import datetime as dt
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from dichvucong.core.errors import ApplicationError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Khóa chống gửi lặp (1–255 ký tự ASCII in được, ví dụ một UUID). Gửi lại cùng khóa: "
        "nhận lại đúng câu trả lời đầu; cùng khóa với nội dung khác: lỗi 422."
    ),
)


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(request, handler) -> Response:
    """Run `handler()` (which returns a DRF Response) at most once per Idempotency-Key."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not _VALID_KEY.match(key):
        raise ValidationError(
            {HEADER: [_("Idempotency-Key phải gồm 1 đến 255 ký tự ASCII in được.")]}
        )
    now = timezone.now()
    fingerprint = _fingerprint(request)
    IdempotencyKey.objects.filter(user=request.user, key=key, expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                request_hash=fingerprint,
                expires_at=now + dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS),
            )
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing is None:  # released meanwhile: try once more as a new request
            return idempotent(request, handler)
        if existing.request_hash != fingerprint:
            raise ApplicationError(
                _(
                    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác. Hãy dùng khóa "
                    "mới cho yêu cầu mới."
                ),
                code="idempotency_key_reused",
            ) from None
        if existing.status_code is None:
            raise ApplicationError(
                _("Yêu cầu với khóa này đang được xử lý. Vui lòng thử lại sau giây lát."),
                code="idempotency_in_progress",
            ) from None
        replay = Response(existing.response, status=existing.status_code)
        replay["Idempotent-Replayed"] = "true"
        return replay
    try:
        response = handler()
    except BaseException:
        record.delete()
        raise
    if 200 <= response.status_code < 300:
        record.status_code = response.status_code
        record.response = json.loads(json.dumps(response.data, default=str))
        record.save(update_fields=["status_code", "response"])
    else:
        record.delete()
    return response


def idempotency_purge(*, now: dt.datetime | None = None) -> int:
    deleted, _unused = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
