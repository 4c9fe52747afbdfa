from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.core.forms import TextField, VietnameseErrorsMixin, VnDateField
from dichvucong.core.validators import (
    IdKind,
    cccd_birth_facts,
    check_cccd_against_birth_date,
    parse_id_number,
    validate_mobile_phone,
    validate_tax_code,
)

from .constants import AccountKind, Channel
from .models import User
from .selectors import email_taken, id_number_taken, phone_taken, tax_code_taken


def _validate_password(form: forms.Form, field: str, user: User) -> None:
    password = form.cleaned_data.get(field)
    if not password:
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        form.add_error(field, exc)


class PasswordPairMixin:
    """'Mật khẩu' + 'Nhập lại mật khẩu': must match, must pass the password rules."""

    password_field = "password"  # noqa: S105 - a field name
    confirm_field = "password2"

    def check_passwords(self, user: User) -> None:
        password = self.cleaned_data.get(self.password_field)
        confirm = self.cleaned_data.get(self.confirm_field)
        if password and confirm and password != confirm:
            self.add_error(self.confirm_field, _("Mật khẩu nhập lại không khớp."))
            return
        _validate_password(self, self.password_field, user)


def password_field(label):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Ít nhất 8 ký tự; nên dùng một cụm từ dễ nhớ. Không dùng mật khẩu phổ biến "
            "hay thông tin cá nhân."
        ),
    )


class RegistrationForm(VietnameseErrorsMixin, PasswordPairMixin, forms.Form):
    """Seeds §I Bước 3: the registration form with the labels of DESIGN §6."""

    account_kind = forms.ChoiceField(
        label=_("Loại tài khoản"),
        choices=[(AccountKind.CITIZEN, _("Cá nhân")), (AccountKind.ORGANISATION, _("Tổ chức"))],
        initial=AccountKind.CITIZEN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn loại tài khoản.")},
    )
    organisation_name = TextField(
        label=_("Tên tổ chức"),
        max_length=255,
        required=False,
        help_text=_("Chỉ dành cho tổ chức: tên đầy đủ theo giấy chứng nhận đăng ký."),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=16,
        required=False,
        help_text=_("Chỉ dành cho tổ chức: dùng làm tên đăng nhập của tổ chức."),
    )
    full_name = TextField(
        label=_("Họ và tên"),
        max_length=150,
        help_text=_(
            "Nhập chính xác họ tên theo giấy CMND/CCCD/Hộ chiếu. Với tổ chức: người đại diện."
        ),
    )
    id_number = forms.CharField(
        label=_("Số CMND/CCCD/Hộ chiếu"),
        max_length=32,
        help_text=_(
            "CMND 9 chữ số, CCCD 12 chữ số, hộ chiếu 1 chữ cái và 7 chữ số. "
            "Cá nhân dùng số này để đăng nhập."
        ),
    )
    birth_date = VnDateField(
        label=_("Ngày sinh"),
        help_text=_("Theo dạng ngày/tháng/năm, ví dụ 15/08/1985."),
        error_messages={"required": _("Vui lòng nhập ngày sinh.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Số di động để nhận mã xác thực và thông báo về hồ sơ."),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        help_text=_("Để nhận liên kết xác thực và thông báo về hồ sơ."),
        error_messages={"invalid": _("Thư điện tử không hợp lệ, ví dụ: ten@example.com.")},
    )
    password = password_field(_("Mật khẩu"))
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("Tôi đồng ý với điều khoản sử dụng"),
        error_messages={"required": _("Bạn cần đồng ý với điều khoản sử dụng để đăng ký.")},
    )

    def clean_id_number(self):
        parsed = parse_id_number(self.cleaned_data["id_number"])
        self.id_kind = parsed.kind
        return parsed.value

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("Ngày sinh không thể sau ngày hôm nay."))
        if value.year < 1900:
            raise ValidationError(_("Năm sinh không hợp lệ."))
        return value

    def clean_phone(self):
        phone = validate_mobile_phone(self.cleaned_data["phone"])
        if phone_taken(phone):
            raise ValidationError(
                _(
                    "Số điện thoại này đã được dùng để đăng ký. Hãy đăng nhập hoặc dùng "
                    "chức năng Quên mật khẩu."
                )
            )
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email_taken(email):
            raise ValidationError(
                _(
                    "Thư điện tử này đã được dùng để đăng ký. Hãy đăng nhập hoặc dùng "
                    "chức năng Quên mật khẩu."
                )
            )
        return email

    def clean(self):
        data = super().clean()
        kind = data.get("account_kind")
        id_number = data.get("id_number")
        birth_date = data.get("birth_date")
        if kind == AccountKind.ORGANISATION:
            if not data.get("organisation_name"):
                self.add_error("organisation_name", _("Vui lòng nhập tên tổ chức."))
            if not data.get("tax_code"):
                self.add_error("tax_code", _("Vui lòng nhập mã số thuế."))
            else:
                try:
                    data["tax_code"] = validate_tax_code(data["tax_code"])
                except ValidationError as exc:
                    self.add_error("tax_code", exc)
                else:
                    if tax_code_taken(data["tax_code"]):
                        self.add_error(
                            "tax_code", _("Mã số thuế này đã được dùng để đăng ký tài khoản.")
                        )
        else:
            data["organisation_name"] = ""
            data["tax_code"] = ""
            if id_number and id_number_taken(id_number):
                self.add_error(
                    "id_number",
                    _(
                        "Số giấy tờ này đã được dùng để đăng ký. Hãy đăng nhập hoặc dùng "
                        "chức năng Quên mật khẩu."
                    ),
                )
        if id_number and birth_date and getattr(self, "id_kind", None) == IdKind.CCCD:
            try:
                check_cccd_against_birth_date(id_number, birth_date)
            except ValidationError as exc:
                self.add_error("id_number", exc)
        candidate = User(
            username=id_number or "",
            full_name=data.get("full_name") or "",
            id_number=id_number or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            tax_code=data.get("tax_code") or "",
        )
        self.check_passwords(candidate)
        return data

    def gender(self) -> str:
        if getattr(self, "id_kind", None) == IdKind.CCCD:
            return cccd_birth_facts(self.cleaned_data["id_number"])[1]
        return ""


class LoginForm(VietnameseErrorsMixin, forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=254,
        help_text=_("Số CMND/CCCD/Hộ chiếu (tổ chức: mã số thuế), số điện thoại hoặc thư điện tử."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Vui lòng nhập tên đăng nhập.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
    )


class CodeForm(VietnameseErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        help_text=_("Mã gồm 6 chữ số, gửi qua tin nhắn SMS hoặc thư điện tử."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "input-short"}
        ),
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
    )


class ResendForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)


class PasswordResetRequestForm(VietnameseErrorsMixin, forms.Form):
    username = LoginForm.base_fields["username"]
    channel = forms.ChoiceField(
        label=_("Nhận mã qua"),
        choices=Channel.choices,
        initial=Channel.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn cách nhận mã.")},
    )


class PasswordResetForm(VietnameseErrorsMixin, PasswordPairMixin, forms.Form):
    username = LoginForm.base_fields["username"]
    code = CodeForm.base_fields["code"]
    password = password_field(_("Mật khẩu mới"))
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        self.check_passwords(self.user or User())
        return data


class ProfileForm(VietnameseErrorsMixin, forms.Form):
    phone = RegistrationForm.base_fields["phone"]
    email = RegistrationForm.base_fields["email"]
    address = TextField(
        label=_("Địa chỉ"),
        max_length=255,
        required=False,
        help_text=_("Số nhà, đường, xã/phường, tỉnh/thành phố; dùng để điền sẵn vào tờ khai."),
    )
    notify_by_email = forms.BooleanField(label=_("Nhận thông báo qua thư điện tử"), required=False)
    notify_by_sms = forms.BooleanField(label=_("Nhận thông báo qua tin nhắn SMS"), required=False)

    def clean_phone(self):
        return validate_mobile_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PasswordChangeForm(VietnameseErrorsMixin, PasswordPairMixin, forms.Form):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = password_field(_("Mật khẩu mới"))
    password2 = PasswordResetForm.base_fields["password2"]

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("Mật khẩu hiện tại không đúng."))
        return value

    def clean(self):
        data = super().clean()
        self.check_passwords(self.user)
        return data
