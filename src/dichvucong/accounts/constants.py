from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")
    STAFF = "staff", _("Cán bộ")


class IdKindChoices(models.TextChoices):
    CMND = "cmnd", _("CMND")
    CCCD = "cccd", _("CCCD")
    PASSPORT = "passport", _("Hộ chiếu")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")


class StaffRoleName(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận (một cửa)")
    HANDLER = "handler", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    AGENCY_ADMIN = "agency_admin", _("Quản trị đơn vị")


class CodePurpose(models.TextChoices):
    VERIFY_EMAIL = "verify_email", _("Xác thực thư điện tử")
    VERIFY_PHONE = "verify_phone", _("Xác thực số điện thoại")
    RESET_PASSWORD = "reset_password", _("Đặt lại mật khẩu")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
