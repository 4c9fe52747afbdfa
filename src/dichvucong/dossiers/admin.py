from django.contrib import admin

from .models import Attachment, Dossier, DossierEvent


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
    list_display = ["created_at", "dossier", "action", "from_status", "to_status", "actor_role"]
    list_filter = ["action", "actor_role"]
    list_select_related = ["dossier"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "dossier", "kind", "content_type", "size", "uploaded_at"]
    list_select_related = ["dossier"]
    show_full_result_count = False
