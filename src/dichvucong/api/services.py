"""Writes of the API app: personal access tokens ("Khóa truy cập API") and idempotency keys.

Tokens: `dvc_` + 40 random URL-safe characters; the database keeps a SHA-256 of the whole
token (unique, looked up by equality) and its first characters to show in lists. Applicants
hold the dossier scopes; staff hold the back-office scopes and only once their two-factor
login is set up (a token must not be a way round the second factor).
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.backoffice.twofactor import confirmed_totp, is_staff_member
from dichvucong.core.errors import ApplicationError

from .constants import APPLICANT_SCOPES, MAX_TOKEN_DAYS, STAFF_SCOPES, TOKEN_PREFIX
from .models import ApiToken

MAX_ACTIVE_TOKENS = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def scopes_for(user) -> tuple[str, ...]:
    """The scopes this account may give its tokens (none: it may not have tokens)."""
    if not user.is_authenticated or not user.is_active:
        return ()
    if user.is_applicant:
        return tuple(APPLICANT_SCOPES)
    if is_staff_member(user) and confirmed_totp(user) is not None:
        return tuple(STAFF_SCOPES)
    return ()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def token_create(*, user, name: str, scopes: list[str], days: int) -> NewToken:
    """Create a token for `user` (the page under their profile calls this)."""
    allowed = scopes_for(user)
    if not allowed:
        raise ApplicationError(
            _(
                "Tài khoản này chưa được tạo khóa truy cập API. Cán bộ cần thiết lập xác thực "
                "hai lớp trước."
            ),
            code="forbidden",
        )
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Vui lòng đặt tên gợi nhớ cho khóa."), field="name")
    chosen = sorted(set(scopes or []))
    if not chosen:
        raise ApplicationError(_("Vui lòng chọn ít nhất một quyền."), field="scopes")
    if not set(chosen) <= set(allowed):
        raise ApplicationError(_("Tài khoản này không được cấp quyền đã chọn."), field="scopes")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApplicationError(
            _("Thời hạn từ 1 đến %(n)d ngày.") % {"n": MAX_TOKEN_DAYS}, field="days"
        )
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(
            _("Mỗi tài khoản có tối đa %(n)d khóa còn hiệu lực. Hãy thu hồi khóa không dùng.")
            % {"n": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        scopes=chosen,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, user, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise ApplicationError(_("Không tìm thấy khóa."), code="not_found")


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` is, with its user; records when it was last used (at most once
    a minute, so that busy clients do not write on every call)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 128:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
    now = timezone.now()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    # staff who lost their second factor lose their tokens' rights with it
    allowed = set(APPLICANT_SCOPES) if token.user.is_applicant else set(scopes_for(token.user))
    if not set(token.scopes) <= allowed:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def tokens_revoke(*, token_ids: list[int]) -> int:
    """Revoke tokens of any account (the administrators' action); returns how many."""
    return ApiToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
