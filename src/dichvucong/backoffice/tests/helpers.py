from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.tests.factories import staff


def login_staff(client, user):
    """Log in with both factors, as the 2FA pages would."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


def officer(client=None, *, agency, role):
    user = staff(agency=agency, role=role)
    if client is not None:
        login_staff(client, user)
    return user


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
