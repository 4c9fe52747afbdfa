"""Benchmark officers: a staff account of an agency with its roles and a confirmed TOTP device,
and a logged-in, OTP-verified session for it built server-side (no password, no code typed),
as the back office would hold after "Đăng nhập" + "Xác thực hai lớp".

Used by bench/generate.py (the inbox scenario's officer), bench/load.py (its session cookie)
and bench/stats.py (the officials' report pages).
"""


def officer_create(*, username: str, agency, roles: tuple[str, ...], full_name: str):
    """The officer `username` of `agency` with `roles` and a confirmed TOTP device (kept when
    it exists); returns (user, device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dichvucong.accounts.models import StaffRole, User

    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"kind": "staff", "agency": agency, "full_name": full_name},
    )
    for role in roles:
        StaffRole.objects.get_or_create(user=user, role=role)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    return user, device


def session_create(user, device=None) -> str:
    """A saved session in which `user` is logged in (and verified with `device`, for an
    officer); returns its key (the value of the session cookie)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.save()
    return store.session_key
