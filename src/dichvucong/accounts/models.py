from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import AccountKind, CodePurpose, Gender, IdKindChoices, StaffRoleName
from .constants import Channel as ChannelChoices


class UserManager(DjangoUserManager):
    """Accounts are created by accounts.services; these exist for `createsuperuser`."""

    def create_user(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", AccountKind.STAFF)
        user = self.model(username=username, email=email or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, kind=AccountKind.STAFF)
        extra_fields.setdefault("full_name", username)
        return self.create_user(username, email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: a citizen, an organisation (through its representative) or staff.

    `username` is the login name: the ID number for citizens, the tax code for organisations,
    a chosen name for staff. Phone and email also log in (accounts.backends).
    """

    username = models.CharField(_("tên đăng nhập"), max_length=64, unique=True)
    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=AccountKind.choices)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    id_kind = models.CharField(
        _("loại giấy tờ"), max_length=16, choices=IdKindChoices.choices, blank=True
    )
    id_number = models.CharField(_("số CMND/CCCD/Hộ chiếu"), max_length=16, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=16, blank=True)
    email_verified_at = models.DateTimeField(_("xác thực thư điện tử lúc"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("xác thực số điện thoại lúc"), null=True, blank=True)
    notify_by_email = models.BooleanField(_("nhận thông báo qua thư điện tử"), default=True)
    notify_by_sms = models.BooleanField(_("nhận thông báo qua SMS"), default=True)
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("đơn vị công tác"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(
        _("vào trang quản trị"),
        default=False,
        help_text=_("Cho phép đăng nhập trang quản trị hệ thống."),
    )
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AccountKind.values), name="user_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(kind="citizen"),
                name="user_citizen_id_number_unique",
            ),
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=models.Q(kind="organisation"),
                name="user_organisation_tax_code_unique",
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=models.Q(phone__isnull=False), name="user_phone_unique"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=models.Q(email__isnull=False), name="user_email_unique"
            ),
        ]
        indexes = [models.Index(fields=["id_number"], name="user_id_number_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == AccountKind.ORGANISATION and self.organisation_name:
            return self.organisation_name
        return self.full_name or self.username

    @property
    def has_verified_contact(self) -> bool:
        """A verified channel is required before the first submission (DESIGN §5)."""
        return bool(self.email_verified_at or self.phone_verified_at)

    @property
    def is_applicant(self) -> bool:
        return self.kind in (AccountKind.CITIZEN, AccountKind.ORGANISATION)


class StaffRole(models.Model):
    """A role a staff account holds in its agency (one account, one agency, several roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("vai trò"), max_length=16, choices=StaffRoleName.choices)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="staffrole_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=StaffRoleName.values), name="staffrole_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class VerificationCode(models.Model):
    """A one-time code (and, for email, a link token) sent to verify a channel or reset a password.

    Only HMACs of the code and token are stored. Single use, expires, limited attempts.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_codes")
    purpose = models.CharField(max_length=16, choices=CodePurpose.choices)
    channel = models.CharField(max_length=8, choices=ChannelChoices.choices)
    target = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mã xác thực")
        verbose_name_plural = _("mã xác thực")
        indexes = [models.Index(fields=["user", "purpose", "used_at"], name="vcode_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=CodePurpose.values), name="vcode_purpose_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=ChannelChoices.values), name="vcode_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.get_channel_display()})"
