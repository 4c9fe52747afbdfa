"""Demo staff (DESIGN §6), never in production: three officials for each of the guides'
two departments and the administrator `quantri`, all with the password Demo@2026."""

from django.db import transaction

from dichvucong.catalog.models import Agency

from .constants import AccountKind, StaffRoleName
from .models import StaffRole, User

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - published demo password, demo data only

DEMO_STAFF = [
    # username, full name, agency name, role
    ("tiepnhan.ngoaivu", "Trần Thị Thu Hà", "Sở Ngoại vụ", StaffRoleName.RECEPTION),
    ("chuyenvien.ngoaivu", "Lê Minh Tuấn", "Sở Ngoại vụ", StaffRoleName.HANDLER),
    ("lanhdao.ngoaivu", "Nguyễn Văn Hùng", "Sở Ngoại vụ", StaffRoleName.LEADER),
    (
        "tiepnhan.ldtbxh",
        "Phạm Thị Lan",
        "Sở Lao động - Thương binh và Xã hội",
        StaffRoleName.RECEPTION,
    ),
    (
        "chuyenvien.ldtbxh",
        "Hoàng Văn Nam",
        "Sở Lao động - Thương binh và Xã hội",
        StaffRoleName.HANDLER,
    ),
    (
        "lanhdao.ldtbxh",
        "Đỗ Thị Mai",
        "Sở Lao động - Thương binh và Xã hội",
        StaffRoleName.LEADER,
    ),
]


@transaction.atomic
def demo_staff_load() -> list[User]:
    """Create the seven demo accounts when missing; existing accounts are left as they are."""
    created = []
    for username, full_name, agency_name, role in DEMO_STAFF:
        agency = Agency.objects.get(name=agency_name)
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "kind": AccountKind.STAFF,
                "full_name": full_name,
                "agency": agency,
                "email": f"{username}@dichvucong.local",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(user)
        StaffRole.objects.get_or_create(user=user, role=role)
    admin, was_created = User.objects.get_or_create(
        username="quantri",
        defaults={
            "kind": AccountKind.STAFF,
            "full_name": "Quản trị hệ thống",
            "is_staff": True,
            "is_superuser": True,
            "email": "quantri@dichvucong.local",
        },
    )
    if was_created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        created.append(admin)
    return created
