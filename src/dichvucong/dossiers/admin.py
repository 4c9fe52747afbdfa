from django.contrib import admin

from .models import Attachment, Dossier, DossierAccess, DossierEvent, LookupLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Dossiers change only through the workflow services; the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["code", "procedure", "agency", "status", "level", "submitted_at", "due_at"]
    list_filter = ["status", "level", "agency"]
    search_fields = ["code"]
    list_select_related = ["procedure", "agency"]
    show_full_result_count = False


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "dossier",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "client_address",
    ]
    list_filter = ["action", "actor_role", "created_at"]
    search_fields = ["dossier__code", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier", "actor"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "dossier", "kind", "content_type", "size", "uploaded_at"]
    list_select_related = ["dossier"]
    show_full_result_count = False


@admin.register(DossierAccess)
class DossierAccessAdmin(ReadOnlyAdmin):
    """The staff access log (DESIGN ground rules: audit): browse and filter, never change."""

    list_display = ["created_at", "user", "kind", "dossier", "attachment", "client_address"]
    list_filter = ["kind", "created_at"]
    search_fields = ["dossier__code", "user__username", "client_address"]
    list_select_related = ["user", "dossier", "attachment"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(LookupLog)
class LookupLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "found", "client_address", "query_hash"]
    list_filter = ["kind", "found"]
    search_fields = ["client_address", "query_hash"]
    date_hierarchy = "created_at"
    show_full_result_count = False
