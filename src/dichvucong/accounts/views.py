"""Account pages: registration (seeds §I), verification, login (seeds §II Bước 1), reset,
profile. Thin: forms validate, accounts.services write, throttling limits."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from dichvucong.core.errors import ApplicationError, RateLimited
from dichvucong.core.ratelimit import client_address

from . import services, throttling
from .constants import Channel, CodePurpose
from .forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    ResendForm,
)
from .selectors import user_by_login_name

RESET_SESSION_KEY = "password_reset_login_name"


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _rate_limited(request, template, context, error: RateLimited) -> HttpResponse:
    context = {**context, "rate_limit_message": error.message}
    return render(request, template, context, status=429)


@sensitive_post_parameters("password", "password2")
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    """Seeds §I Bước 2–5: fill the form, press "Đăng ký", see "Hoàn tất đăng ký"."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        try:
            throttling.check_registration_allowed(client_address(request))
        except RateLimited as error:
            return _rate_limited(request, "accounts/register.html", {"form": form}, error)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.account_register(
                    data=services.Registration(
                        kind=data["account_kind"],
                        full_name=data["full_name"],
                        id_kind=form.id_kind,
                        id_number=data["id_number"],
                        birth_date=data["birth_date"],
                        gender=form.gender(),
                        phone=data["phone"],
                        email=data["email"],
                        organisation_name=data["organisation_name"],
                        tax_code=data["tax_code"],
                    ),
                    password=data["password"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                login(request, user, backend="dichvucong.accounts.backends.LoginNameBackend")
                return redirect("accounts:registered")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@never_cache
def registered(request: HttpRequest) -> HttpResponse:
    """ "Hoàn tất đăng ký" (guide Bước 5), with where the codes went and the code box."""
    return render(
        request,
        "accounts/registered.html",
        {"form": CodeForm(), "targets": services.verification_targets(request.user)},
    )


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """ "Mã xác thực" + "Xác thực": verifies whichever channel the code was sent to."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            throttling.check_code_attempt_allowed(client=client_address(request))
            channel = services.verification_confirm_code(
                user=request.user, code=form.cleaned_data["code"]
            )
        except RateLimited as error:
            return _rate_limited(request, "accounts/verify.html", {"form": form}, error)
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            if channel == Channel.EMAIL:
                messages.success(request, _("Thư điện tử của bạn đã được xác thực."))
            else:
                messages.success(request, _("Số điện thoại của bạn đã được xác thực."))
            return redirect(_safe_next(request) or "accounts:profile")
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "targets": services.verification_targets(request.user)},
    )


@login_required
@require_POST
def resend_code(request: HttpRequest) -> HttpResponse:
    """ "Gửi lại mã" by SMS or email, limited per account and per client address."""
    form = ResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn cách nhận mã."))
        return redirect("accounts:verify")
    channel = form.cleaned_data["channel"]
    try:
        throttling.check_code_sending_allowed(
            client=client_address(request), account=str(request.user.pk)
        )
        services.verification_send(
            user=request.user,
            purpose=CodePurpose.VERIFY_EMAIL
            if channel == Channel.EMAIL
            else CodePurpose.VERIFY_PHONE,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        targets = services.verification_targets(request.user)
        if channel == Channel.EMAIL:
            messages.success(request, _("Đã gửi mã mới đến %(to)s.") % {"to": targets["email"]})
        else:
            messages.success(request, _("Đã gửi mã mới đến %(to)s.") % {"to": targets["phone"]})
    return redirect("accounts:verify")


@never_cache
def verify_link(request: HttpRequest, token: str) -> HttpResponse:
    """The email link. GET only shows a button, so mail scanners that open links change nothing."""
    if request.method == "POST":
        try:
            services.verification_confirm_link(token=token)
        except ApplicationError as error:
            return render(
                request, "accounts/verify_link.html", {"error": error.message}, status=400
            )
        messages.success(request, _("Thư điện tử của bạn đã được xác thực."))
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/verify_link.html", {"token": token})


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Seeds §II Bước 1: "Tên đăng nhập", "Mật khẩu", "Đăng nhập".

    Unknown names and wrong passwords get the same answer, and count the same way.
    """
    form = LoginForm(request.POST or None)
    next_url = _safe_next(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        client = client_address(request)
        subject = throttling.login_subject(form.cleaned_data["username"])
        account_limit, client_limit = (
            throttling.login_account_limit(),
            throttling.login_client_limit(),
        )
        if account_limit.exceeded(subject) or client_limit.exceeded(client):
            form.add_error(None, throttling.lockout_message())
            status = 429
        else:
            user = authenticate(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if user is None:
                account_limit.hit(subject)
                client_limit.hit(client)
                form.add_error(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
            else:
                account_limit.reset(subject)
                login(request, user)
                if user.is_applicant and not user.has_verified_contact:
                    messages.warning(
                        request,
                        _(
                            "Tài khoản của bạn chưa được xác thực. Hãy nhập mã xác thực đã gửi "
                            "để có thể nộp hồ sơ."
                        ),
                    )
                if next_url:
                    return redirect(next_url)
                if user.kind == "staff" and user.agency_id:
                    return redirect(settings.STAFF_HOME_URL)
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/login.html", {"form": form, "next": next_url or ""}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("home")


@never_cache
def password_reset_request(request: HttpRequest) -> HttpResponse:
    """ "Quên mật khẩu": the same answer whether or not the account exists."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_name = form.cleaned_data["username"]
        try:
            throttling.check_code_sending_allowed(
                client=client_address(request), account=throttling.login_subject(login_name)
            )
        except RateLimited as error:
            return _rate_limited(
                request, "accounts/password_reset_request.html", {"form": form}, error
            )
        services.password_reset_request(
            user=user_by_login_name(login_name), channel=form.cleaned_data["channel"]
        )
        request.session[RESET_SESSION_KEY] = login_name
        messages.info(
            request,
            _(
                "Nếu tên đăng nhập đúng, mã đặt lại mật khẩu đã được gửi đến thư điện tử hoặc "
                "số điện thoại đã đăng ký. Mã có hiệu lực trong %(minutes)d phút."
            )
            % {"minutes": settings.VERIFICATION_CODE_TTL_MINUTES},
        )
        return redirect("accounts:password_reset")
    return render(request, "accounts/password_reset_request.html", {"form": form})


@sensitive_post_parameters("password", "password2")
@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    login_name = request.POST.get("username") or request.session.get(RESET_SESSION_KEY, "")
    user = user_by_login_name(login_name) if login_name else None
    form = PasswordResetForm(request.POST or None, user=user, initial={"username": login_name})
    if request.method == "POST" and form.is_valid():
        try:
            throttling.check_code_attempt_allowed(client=client_address(request))
            services.password_reset_confirm(
                user=user,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password"],
            )
        except RateLimited as error:
            return _rate_limited(request, "accounts/password_reset.html", {"form": form}, error)
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            throttling.login_account_limit().reset(throttling.login_subject(login_name))
            messages.success(
                request, _("Đã đặt lại mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới.")
            )
            return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    """Thông tin tài khoản: see the account, edit contact data; changed ones need verifying."""
    user = request.user
    initial = {
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
        "notify_by_email": user.notify_by_email,
        "notify_by_sms": user.notify_by_sms,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            resent = services.profile_update(user=user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            if resent:
                messages.warning(
                    request,
                    _("Đã lưu. Thông tin liên lạc mới cần được xác thực: hãy nhập mã vừa gửi."),
                )
                return redirect("accounts:verify")
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "account": user})


@sensitive_post_parameters("old_password", "password", "password2")
@login_required
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, new_password=form.cleaned_data["password"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})
