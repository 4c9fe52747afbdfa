from django.db.models import Q

from dichvucong.core.validators import normalise_id_number, normalise_phone

from .models import User


def user_by_login_name(login_name: str) -> User | None:
    """The account a login name designates: username (ID number, tax code), phone or email."""
    raw = (login_name or "").strip()
    if not raw:
        return None
    if "@" in raw:
        query = Q(email__iexact=raw)
    else:
        phone = normalise_phone(raw)
        query = Q(username=raw) | Q(username=normalise_id_number(raw))
        if phone.isdigit() and len(phone) == 10 and phone.startswith("0"):
            query |= Q(phone=phone)
    matches = list(User.objects.filter(query)[:2])
    return matches[0] if len(matches) == 1 else None


def id_number_taken(id_number: str) -> bool:
    return User.objects.filter(kind="citizen", id_number=id_number).exists()


def username_taken(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def phone_taken(phone: str, *, exclude_user_id: int | None = None) -> bool:
    return User.objects.filter(phone=phone).exclude(pk=exclude_user_id).exists()


def email_taken(email: str, *, exclude_user_id: int | None = None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_user_id).exists()


def tax_code_taken(tax_code: str) -> bool:
    return User.objects.filter(kind="organisation", tax_code=tax_code).exists()
