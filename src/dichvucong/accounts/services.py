"""Every write on accounts: registration, verification codes, password reset, profile.

Views and (later) the API call these; each is one transaction and queues its messages
through notifications.services in that same transaction.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dichvucong.core.errors import ApplicationError
from dichvucong.core.masking import mask_email, mask_phone
from dichvucong.notifications.services import (
    notification_queue,
    notifications_cancel_pending,
)

from .constants import AccountKind, Channel, CodePurpose
from .models import User, VerificationCode
from .selectors import email_taken, phone_taken


@dataclass(frozen=True)
class Registration:
    kind: str
    full_name: str
    id_kind: str
    id_number: str
    birth_date: dt.date | None
    gender: str
    phone: str
    email: str
    organisation_name: str = ""
    tax_code: str = ""


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _code_digest(*, user_id: int, purpose: str, value: str) -> str:
    return _digest(f"{purpose}:{user_id}:{value}")


@transaction.atomic
def account_register(*, data: Registration, password: str) -> User:
    """Create a citizen or organisation account and send the verification code and link.

    Uniqueness is checked by the form for a friendly message and enforced by the database
    constraints; a race between two registrations surfaces as ApplicationError here.
    """
    username = data.tax_code if data.kind == AccountKind.ORGANISATION else data.id_number
    user = User(
        username=username,
        kind=data.kind,
        full_name=data.full_name,
        id_kind=data.id_kind,
        id_number=data.id_number,
        birth_date=data.birth_date,
        gender=data.gender,
        phone=data.phone,
        email=data.email.lower(),
        organisation_name=data.organisation_name,
        tax_code=data.tax_code,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ApplicationError(
            _("Số giấy tờ, số điện thoại hoặc thư điện tử đã được dùng cho một tài khoản khác."),
            code="duplicate",
        ) from exc
    verification_send(user=user, purpose=CodePurpose.VERIFY_EMAIL)
    verification_send(user=user, purpose=CodePurpose.VERIFY_PHONE)
    return user


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def verification_send(*, user: User, purpose: str, channel: str | None = None) -> VerificationCode:
    """Issue a fresh one-time code (earlier unused ones of the same purpose stop working).

    verify_email goes by email with a link as well; verify_phone by SMS; reset_password by
    the channel asked for.
    """
    if purpose == CodePurpose.VERIFY_EMAIL:
        channel = Channel.EMAIL
    elif purpose == CodePurpose.VERIFY_PHONE:
        channel = Channel.SMS
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(f"unknown channel {channel!r}")
    target = user.email if channel == Channel.EMAIL else user.phone
    if not target:
        raise ApplicationError(_("Tài khoản chưa có địa chỉ nhận mã này."), code="no_target")
    now = timezone.now()
    with transaction.atomic():
        VerificationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        # The old codes' messages still waiting for a retry would only deliver dead codes.
        notifications_cancel_pending(recipient=user, template=purpose)
        code = _new_code()
        token = secrets.token_urlsafe(32) if channel == Channel.EMAIL else ""
        record = VerificationCode.objects.create(
            user=user,
            purpose=purpose,
            channel=channel,
            target=target,
            code_hash=_code_digest(user_id=user.pk, purpose=purpose, value=code),
            token_hash=_digest(f"token:{token}") if token else "",
            expires_at=now + dt.timedelta(minutes=settings.VERIFICATION_CODE_TTL_MINUTES),
        )
        context = {
            "name": user.display_name,
            "code": code,
            "minutes": settings.VERIFICATION_CODE_TTL_MINUTES,
            "portal": settings.PORTAL_NAME,
        }
        if token:
            context["link"] = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
                "accounts:verify_link", kwargs={"token": token}
            )
        notification_queue(
            recipient=user,
            channel=channel,
            to=target,
            template=purpose,
            context=context,
            expires_at=record.expires_at,
        )
    return record


def _mark_verified(user: User, record: VerificationCode, now: dt.datetime) -> str:
    if record.purpose == CodePurpose.VERIFY_EMAIL and (user.email or "").lower() == record.target:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
        return Channel.EMAIL
    if record.purpose == CodePurpose.VERIFY_PHONE and user.phone == record.target:
        user.phone_verified_at = now
        user.save(update_fields=["phone_verified_at"])
        return Channel.SMS
    raise ApplicationError(_("Mã xác thực không còn hiệu lực."), code="stale_target")


INVALID_CODE = gettext_noop(
    "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng kiểm tra lại hoặc gửi lại mã."
)


def verification_confirm_code(*, user: User, code: str) -> str:
    """Verify the channel a code was sent to; returns "email" or "sms".

    Each wrong try counts against every live code of the account (committed even though the
    caller gets an error); after the maximum they all stop working and a new code is needed.
    """
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    now = timezone.now()
    with transaction.atomic():
        live = list(
            VerificationCode.objects.select_for_update()
            .filter(
                user=user,
                purpose__in=[CodePurpose.VERIFY_EMAIL, CodePurpose.VERIFY_PHONE],
                used_at__isnull=True,
                expires_at__gt=now,
                attempts__lt=settings.VERIFICATION_CODE_MAX_ATTEMPTS,
            )
            .order_by("-created_at")
        )
        for record in live:
            expected = _code_digest(user_id=user.pk, purpose=record.purpose, value=code)
            if len(code) == 6 and hmac.compare_digest(expected, record.code_hash):
                record.used_at = now
                record.save(update_fields=["used_at"])
                return _mark_verified(user, record, now)
        VerificationCode.objects.filter(pk__in=[r.pk for r in live]).update(
            attempts=F("attempts") + 1
        )
    raise ApplicationError(_(INVALID_CODE), field="code", code="invalid_code")


@transaction.atomic
def verification_confirm_link(*, token: str) -> User:
    """The email link: verifies the address it was sent to, once, before it expires."""
    now = timezone.now()
    record = (
        VerificationCode.objects.select_for_update()
        .select_related("user")
        .filter(
            token_hash=_digest(f"token:{token}"),
            purpose=CodePurpose.VERIFY_EMAIL,
            used_at__isnull=True,
            expires_at__gt=now,
        )
        .first()
    )
    if record is None or not token:
        raise ApplicationError(
            _("Liên kết xác thực không đúng, đã được dùng hoặc đã hết hạn."), code="invalid_link"
        )
    record.used_at = now
    record.save(update_fields=["used_at"])
    _mark_verified(record.user, record, now)
    return record.user


def password_reset_request(*, user: User | None, channel: str) -> None:
    """Send a reset code to the account's email or phone. Unknown accounts: nothing happens,
    and the caller answers exactly as for known ones."""
    if user is None or not user.is_active:
        return
    target = user.email if channel == Channel.EMAIL else user.phone
    if not target:
        return
    verification_send(user=user, purpose=CodePurpose.RESET_PASSWORD, channel=channel)


def password_reset_confirm(*, user: User | None, code: str, new_password: str) -> None:
    """Set a new password with a reset code; a wrong code counts an attempt (kept on error)."""
    now = timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    error = ApplicationError(_(INVALID_CODE), field="code", code="invalid_code")
    if user is None:
        raise error
    with transaction.atomic():
        record = (
            VerificationCode.objects.select_for_update()
            .filter(
                user=user,
                purpose=CodePurpose.RESET_PASSWORD,
                used_at__isnull=True,
                expires_at__gt=now,
                attempts__lt=settings.VERIFICATION_CODE_MAX_ATTEMPTS,
            )
            .order_by("-created_at")
            .first()
        )
        if record is None:
            raise error
        expected = _code_digest(user_id=user.pk, purpose=record.purpose, value=code)
        if len(code) == 6 and hmac.compare_digest(expected, record.code_hash):
            record.used_at = now
            record.save(update_fields=["used_at"])
            user.set_password(new_password)
            # A code that reached the person proves the channel too.
            if record.channel == Channel.EMAIL and (user.email or "").lower() == record.target:
                user.email_verified_at = user.email_verified_at or now
            if record.channel == Channel.SMS and user.phone == record.target:
                user.phone_verified_at = user.phone_verified_at or now
            user.save(update_fields=["password", "email_verified_at", "phone_verified_at"])
            return
        VerificationCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    raise error


@transaction.atomic
def profile_update(
    *,
    user: User,
    phone: str,
    email: str,
    address: str,
    notify_by_email: bool,
    notify_by_sms: bool,
) -> list[str]:
    """Change contact data; a changed phone or email is unverified and gets a new code.

    Returns the channels a new code was sent to.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    email = email.lower()
    if phone_taken(phone, exclude_user_id=user.pk):
        raise ApplicationError(
            _("Số điện thoại này đã được dùng cho một tài khoản khác."), field="phone"
        )
    if email_taken(email, exclude_user_id=user.pk):
        raise ApplicationError(
            _("Thư điện tử này đã được dùng cho một tài khoản khác."), field="email"
        )
    resend = []
    if phone != user.phone:
        user.phone, user.phone_verified_at = phone, None
        resend.append(CodePurpose.VERIFY_PHONE)
    if email != (user.email or ""):
        user.email, user.email_verified_at = email, None
        resend.append(CodePurpose.VERIFY_EMAIL)
    user.address = address
    user.notify_by_email = notify_by_email
    user.notify_by_sms = notify_by_sms
    user.save()
    for purpose in resend:
        verification_send(user=user, purpose=purpose)
    return [Channel.SMS if p == CodePurpose.VERIFY_PHONE else Channel.EMAIL for p in resend]


def verification_targets(user: User) -> dict[str, str]:
    """Masked addresses for the 'we sent a code to …' sentence."""
    return {
        "phone": mask_phone(user.phone or ""),
        "email": mask_email(user.email or ""),
    }


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
