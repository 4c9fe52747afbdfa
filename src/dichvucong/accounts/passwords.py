"""Password rules after NIST 800-63B / OWASP ASVS: length, not common, not the person's own data.

No composition rules. Django's MinimumLength and CommonPassword validators do their part
(settings.AUTH_PASSWORD_VALIDATORS); these two add the rest.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dichvucong.core.text import fold

MAX_PASSWORD_LENGTH = 128
MIN_PASSWORD_LENGTH = 8


class MinimumLengthValidator:
    """At least 8 characters (Django's own message has no Vietnamese translation)."""

    def validate(self, password: str, user=None) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(
                _("Mật khẩu quá ngắn: cần ít nhất %(min)d ký tự.") % {"min": MIN_PASSWORD_LENGTH},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("Ít nhất %(min)d ký tự.") % {"min": MIN_PASSWORD_LENGTH}


class MaximumLengthValidator:
    """Long passphrases are welcome (at least 64 characters allowed); 128 bounds hashing cost."""

    def validate(self, password: str, user=None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                _("Mật khẩu dài tối đa %(max)d ký tự.") % {"max": MAX_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Tối đa %(max)d ký tự.") % {"max": MAX_PASSWORD_LENGTH}


def _compact(value: str) -> str:
    return "".join(ch for ch in fold(value) if ch.isalnum())


class PersonalDataValidator:
    """Refuse a password that contains, or is contained in, the ID number, phone, email or name."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        candidate = _compact(password)
        if not candidate:
            return
        facts = [
            getattr(user, "id_number", ""),
            getattr(user, "phone", "") or "",
            (getattr(user, "email", "") or "").split("@")[0],
            getattr(user, "full_name", ""),
            getattr(user, "username", ""),
            getattr(user, "tax_code", ""),
        ]
        for fact in facts:
            compact = _compact(fact)
            if len(compact) < 4:
                continue
            if compact in candidate or (len(candidate) >= 6 and candidate in compact):
                raise ValidationError(
                    _(
                        "Mật khẩu quá giống thông tin cá nhân (số giấy tờ, số điện thoại, "
                        "thư điện tử hoặc họ tên). Vui lòng chọn mật khẩu khác."
                    ),
                    code="password_too_similar",
                )

    def get_help_text(self) -> str:
        return _("Không dùng số giấy tờ, số điện thoại, thư điện tử hay họ tên làm mật khẩu.")
