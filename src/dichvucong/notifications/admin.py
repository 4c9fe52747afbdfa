from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .messages import (
    SMS_TWO_SEGMENTS,
    MessageTemplateError,
    file_template_source,
    file_templates,
    render_source,
    sample_context,
    sms_segments,
)
from .models import MessageTemplate, Notification, NotificationChannel, NotificationStatus
from .services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "to",
        "template",
        "reference",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    search_fields = ["to", "template", "reference", "provider_message_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of what was sent

    @admin.action(description=_("Gửi lại"))
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=NotificationStatus.FAILED))
        resent = sum(notification_resend(notification=n) for n in failed)
        self.message_user(
            request, gettext("Đã xếp %(n)d thông báo để gửi lại.") % {"n": resent}, messages.SUCCESS
        )
        skipped = queryset.count() - len(failed)
        if skipped:
            self.message_user(
                request,
                gettext("%(n)d thông báo không ở trạng thái “Gửi lỗi” nên không gửi lại.")
                % {"n": skipped},
                messages.WARNING,
            )


def _name_choices(current: str = "") -> list[tuple[str, str]]:
    names = sorted({name for name, _channel in file_templates()} | ({current} - {""}))
    return [(name, name) for name in names]


class MessageTemplateForm(forms.ModelForm):
    """Refuses a wording that does not compile or render with realistic sample data, an email
    without a subject, and an SMS longer than two parts."""

    name = forms.ChoiceField(label=_("Mẫu"), choices=())

    class Meta:
        model = MessageTemplate
        fields = ["name", "channel", "subject", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("name") or (self.instance.name if self.instance.pk else "")
        self.fields["name"].choices = _name_choices(current)

    def clean(self):
        data = super().clean()
        name, channel = data.get("name"), data.get("channel")
        subject, body = data.get("subject", ""), data.get("body", "")
        if not name or not channel or body is None:
            return data
        if channel == NotificationChannel.EMAIL and not subject.strip():
            self.add_error("subject", gettext("Thư điện tử cần có tiêu đề."))
            return data
        if channel != NotificationChannel.EMAIL:
            data["subject"] = subject = ""
        try:
            _subject, text = render_source(subject=subject, body=body, context=sample_context(name))
        except MessageTemplateError as exc:
            self.add_error("body", str(exc))
            return data
        if not text.strip():
            self.add_error("body", gettext("Nội dung sau khi điền dữ liệu mẫu đang trống."))
        if channel == NotificationChannel.SMS:
            text = " ".join(text.split())
            if len(text) > SMS_TWO_SEGMENTS:
                self.add_error(
                    "body",
                    gettext(
                        "Tin nhắn dài %(length)d ký tự sau khi điền dữ liệu mẫu; tối đa "
                        "%(max)d ký tự (2 tin SMS có dấu)."
                    )
                    % {"length": len(text), "max": SMS_TWO_SEGMENTS},
                )
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Administrators' wording of the messages, previewed with realistic sample data."""

    form = MessageTemplateForm
    list_display = ["name", "channel", "is_active", "updated_at"]
    list_filter = ["channel", "is_active"]
    search_fields = ["name", "subject", "body"]
    readonly_fields = ["preview", "variables"]
    fieldsets = [
        (None, {"fields": ["name", "channel", "is_active"]}),
        (_("Nội dung"), {"fields": ["subject", "body"]}),
        (_("Xem trước với dữ liệu mẫu"), {"fields": ["variables", "preview"]}),
    ]
    change_list_template = "admin/notifications/messagetemplate/change_list.html"

    def get_changeform_initial_data(self, request):
        """ "Thêm" from the list of file templates: start from the file's wording."""
        initial = super().get_changeform_initial_data(request)
        name, channel = initial.get("name"), initial.get("channel")
        if name and channel:
            subject, body = file_template_source(name=name, channel=channel)
            initial.setdefault("subject", subject)
            initial.setdefault("body", body)
        return initial

    @admin.display(description=_("Biến có thể dùng"))
    def variables(self, obj):
        if obj is None or not obj.name:
            return "—"
        return ", ".join(f"{{{{ {key} }}}}" for key in sorted(sample_context(obj.name)))

    @admin.display(description=_("Xem trước"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return gettext("Lưu mẫu (“Lưu và tiếp tục chỉnh sửa”) để xem trước.")
        try:
            subject, body = render_source(
                subject=obj.subject, body=obj.body, context=sample_context(obj.name)
            )
        except MessageTemplateError as exc:
            return str(exc)
        parts = []
        if obj.channel == NotificationChannel.EMAIL:
            parts.append(format_html("<p><strong>{}</strong> {}</p>", gettext("Tiêu đề:"), subject))
        if obj.channel == NotificationChannel.SMS:
            body = " ".join(body.split())
            parts.append(
                format_html(
                    "<p>{}</p>",
                    gettext("%(length)d ký tự, %(parts)d tin SMS.")
                    % {"length": len(body), "parts": sms_segments(body)},
                )
            )
        parts.append(format_html('<pre style="white-space: pre-wrap">{}</pre>', body))
        return format_html_join("", "{}", ((p,) for p in parts))

    def changelist_view(self, request, extra_context=None):
        overridden = set(MessageTemplate.objects.values_list("name", "channel"))
        extra_context = {
            **(extra_context or {}),
            "file_templates": [
                {
                    "name": name,
                    "channel": channel,
                    "channel_label": NotificationChannel(channel).label,
                    "overridden": (name, channel) in overridden,
                }
                for name, channel in file_templates()
            ],
        }
        return super().changelist_view(request, extra_context=extra_context)
