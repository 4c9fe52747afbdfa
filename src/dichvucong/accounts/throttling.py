"""Limits on login, registration, code sending and reset (DESIGN ground rules: rate limits).

Counters live on the shared cache so several app servers agree (Redis in production).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from dichvucong.core.errors import RateLimited
from dichvucong.core.ratelimit import Limit

HOUR = 3600


def login_account_limit() -> Limit:
    return Limit(
        "login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_LOCKOUT_MINUTES * 60
    )


def login_client_limit() -> Limit:
    return Limit(
        "login-client", settings.LOGIN_FAILURES_PER_CLIENT, settings.LOGIN_LOCKOUT_MINUTES * 60
    )


def login_subject(login_name: str) -> str:
    """Counted on what was typed, normalised, so unknown and known names behave the same."""
    return "".join(login_name.split()).lower()


def lockout_message() -> str:
    return _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau %(minutes)d phút "
        "hoặc dùng chức năng Quên mật khẩu."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def check_registration_allowed(client: str) -> None:
    limit = Limit("register-client", settings.REGISTRATIONS_PER_CLIENT_PER_HOUR, HOUR)
    if limit.hit_and_check(client):
        raise RateLimited(
            _("Có quá nhiều yêu cầu đăng ký từ địa chỉ mạng của bạn. Vui lòng thử lại sau.")
        )


def check_code_sending_allowed(*, client: str, account: str) -> None:
    """Sending codes costs money (SMS) and can be abused to flood someone's phone."""
    per_client = Limit("codes-client", settings.CODES_PER_CLIENT_PER_HOUR, HOUR)
    per_account = Limit("codes-account", settings.CODES_PER_ACCOUNT_PER_HOUR, HOUR)
    if per_client.hit_and_check(client) or per_account.hit_and_check(account):
        raise RateLimited(_("Bạn đã yêu cầu gửi mã quá nhiều lần. Vui lòng thử lại sau ít phút."))


def check_code_attempt_allowed(*, client: str) -> None:
    """Guessing codes from one address across accounts."""
    limit = Limit("code-attempts-client", settings.CODES_PER_CLIENT_PER_HOUR * 3, HOUR)
    if limit.hit_and_check(client):
        raise RateLimited(_("Bạn đã nhập mã quá nhiều lần. Vui lòng thử lại sau."))
