"""Administrators see every personal access token (never its secret) and can revoke them."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from dichvucong.dossiers.admin import ReadOnlyAdmin

from .models import ApiToken
from .services import tokens_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request, queryset):
        count = tokens_revoke(token_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("Đã thu hồi %(n)d khóa.") % {"n": count}, messages.SUCCESS)
