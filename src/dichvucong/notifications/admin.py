from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationStatus
from .services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "to", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["to", "template"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại"))
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=NotificationStatus.FAILED))
        for notification in failed:
            notification_resend(notification=notification)
        self.message_user(
            request, _("Đã xếp %(n)d thông báo để gửi lại.") % {"n": len(failed)}, messages.SUCCESS
        )
