from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "kind", "agency", "phone", "email", "is_active"]
    list_filter = ["kind", "agency", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "id_number", "phone", "email", "tax_code"]
    ordering = ["username"]
    inlines = [StaffRoleInline]
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "phone_verified_at"]
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (
            _("Thông tin cá nhân"),
            {
                "fields": (
                    "full_name",
                    "id_kind",
                    "id_number",
                    "birth_date",
                    "gender",
                    "organisation_name",
                    "tax_code",
                    "address",
                )
            },
        ),
        (
            _("Liên lạc"),
            {"fields": ("phone", "phone_verified_at", "email", "email_verified_at")},
        ),
        (_("Cán bộ"), {"fields": ("agency",)}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "kind", "full_name", "agency", "password1", "password2")}),
    )
