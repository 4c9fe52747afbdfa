"""Two-factor login for staff (django-otp): a TOTP app enrolled with a QR code on first
login, and ten single-use recovery codes. Only a session verified this way reaches the back
office (`staff_required`)."""

import secrets
from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
TOTP_NAME = "Ứng dụng xác thực"


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_pending(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000")


def secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_confirm(*, device: TOTPDevice) -> list[str]:
    """Confirm the enrolled device and issue fresh recovery codes (shown once)."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static, _ = StaticDevice.objects.get_or_create(user=device.user, name="Mã khôi phục")
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return codes


def verify_code(*, user, code: str):
    """The device a code belongs to (TOTP or a recovery code, which is then used up)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not code:
        return None
    device = confirmed_totp(user)
    if device is not None and len(code) == 6:
        verified, _message = device.verify_is_allowed()
        if verified and device.verify_token(code):
            return device
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(code):
            return static
    return None


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.kind == "staff" and user.agency_id is not None


def staff_required(view):
    """Staff of an agency, logged in with both factors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise Http404
        if not user.is_verified():
            target = reverse("backoffice:otp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
