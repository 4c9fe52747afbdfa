"""Who calls the API: a personal access token (`Authorization: Bearer dvc_…`) or the portal's
session (with CSRF on unsafe methods, as DRF's SessionAuthentication does). A staff session
counts only once its second factor is verified, as on the back-office pages."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from dichvucong.backoffice.twofactor import is_staff_member

from .constants import Scope
from .models import ApiToken
from .services import token_authenticate


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng: Bearer <khóa truy cập>.")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Khóa truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if user.kind == "staff" and not user.is_verified():
            return None  # a staff session without its second factor is no session here
        return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "dichvucong.api.auth.TokenAuthentication"
    name = "khoaTruyCap"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Khóa truy cập API cá nhân (dvc_…), tạo ở trang Khóa truy cập API.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "dichvucong.api.auth.SessionAuthentication"
    name = "phienDangNhap"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


def _has_scope(request, scope: str) -> bool:
    """A token needs the scope; a session of the account itself has them all."""
    if isinstance(request.auth, ApiToken):
        return scope in request.auth.scopes
    return True


class ScopedPermission(permissions.BasePermission):
    """An account of the right kind whose token holds the scope the method needs (reading:
    `read_scope`, anything else: `write_scope`)."""

    read_scope: str
    write_scope: str
    refusal: str  # shown when the account is of the wrong kind
    account_allowed: Callable[[Any], bool]  # a method of each subclass
    message = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if not self.account_allowed(user):
            self.message = str(self.refusal)
            return False
        safe = request.method in permissions.SAFE_METHODS
        scope = self.read_scope if safe else self.write_scope
        if not _has_scope(request, scope):
            self.message = _("Khóa truy cập này không có quyền %(scope)s.") % {"scope": scope}
            return False
        return True


class IsApplicant(ScopedPermission):
    """Citizens and organisations (not staff)."""

    read_scope, write_scope = Scope.DOSSIERS_READ, Scope.DOSSIERS_WRITE
    refusal = gettext_lazy("Chỉ tài khoản cá nhân hoặc tổ chức mới dùng được chức năng này.")

    def account_allowed(self, user) -> bool:
        return user.is_applicant


class IsAgencyStaff(ScopedPermission):
    """Staff of an agency."""

    read_scope, write_scope = Scope.BACKOFFICE_READ, Scope.BACKOFFICE_ACT
    refusal = gettext_lazy("Chỉ cán bộ của đơn vị mới dùng được chức năng này.")

    def account_allowed(self, user) -> bool:
        return is_staff_member(user)
