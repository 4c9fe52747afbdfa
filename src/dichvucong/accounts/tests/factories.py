"""Accounts built through the real services, with a trait per state (verified, organisation)."""

import datetime as dt
import itertools

from django.utils import timezone

from dichvucong.accounts.constants import AccountKind, StaffRoleName
from dichvucong.accounts.models import StaffRole, User
from dichvucong.accounts.services import Registration, account_register

PASSWORD = "mùa thu Hà Nội 2026"
_seq = itertools.count(1)


def cccd_for(birth_date: dt.date, *, female: bool = False, serial: int | None = None) -> str:
    """A valid CCCD (Bình Phước, 070) consistent with the birth date."""
    century = (birth_date.year - 1900) // 100
    digit = century * 2 + (1 if female else 0)
    serial = next(_seq) if serial is None else serial
    return f"070{digit}{birth_date.year % 100:02d}{serial:06d}"


def registration(**overrides) -> Registration:
    n = next(_seq)
    birth = overrides.pop("birth_date", dt.date(1990, 8, 15))
    data = {
        "kind": AccountKind.CITIZEN,
        "full_name": "Nguyễn Văn An",
        "id_kind": "cccd",
        "id_number": cccd_for(birth, serial=n),
        "birth_date": birth,
        "gender": "male",
        "phone": f"09{n:08d}",
        "email": f"cong.dan{n}@example.vn",
    }
    data.update(overrides)
    return Registration(**data)


def citizen(*, verified: bool = False, password: str = PASSWORD, **overrides) -> User:
    user = account_register(data=registration(**overrides), password=password)
    if verified:
        user.email_verified_at = user.phone_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at", "phone_verified_at"])
    return user


def staff(*, agency, role: str = StaffRoleName.RECEPTION, username: str | None = None) -> User:
    user = User.objects.create_user(
        username or f"canbo{next(_seq)}", password=PASSWORD, full_name="Cán bộ", agency=agency
    )
    StaffRole.objects.create(user=user, role=role)
    return user
