from django import forms
from django.utils.translation import gettext_lazy as _

from dichvucong.core.forms import TextField, VietnameseErrorsMixin, VnDateField
from dichvucong.dossiers.workflow.statuses import Status


class CodeForm(VietnameseErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        help_text=_("6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục 8 chữ số."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "input-short"}
        ),
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
    )


class InboxFilterForm(forms.Form):
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Việc cần làm"))]
        + [(s.value, s.label) for s in Status if s != Status.DRAFT],
    )
    linh_vuc = forms.TypedChoiceField(label=_("Lĩnh vực"), required=False, coerce=int)
    thu_tuc = forms.TypedChoiceField(label=_("Thủ tục"), required=False, coerce=int)
    han = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", _("Tất cả")), ("soon", _("Sắp đến hạn")), ("overdue", _("Quá hạn"))],
    )
    q = forms.CharField(
        label=_("Tìm mã hồ sơ, tên hoặc số giấy tờ người nộp"), required=False, max_length=100
    )
    sap_xep = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[("due", _("Theo hạn trả")), ("submitted", _("Theo ngày nộp"))],
    )

    def __init__(self, *args, fields=(), procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linh_vuc"].choices = [("", _("Tất cả"))] + [(f.pk, f.name) for f in fields]
        self.fields["thu_tuc"].choices = [("", _("Tất cả"))] + [(p.pk, p.name) for p in procedures]


class ActionForm(VietnameseErrorsMixin, forms.Form):
    """One form for every action; the page shows only the inputs an action uses."""

    note = TextField(
        label=_("Nội dung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    missing = forms.CharField(
        label=_("Giấy tờ cần bổ sung"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi giấy tờ một dòng."),
    )
    assignee = forms.TypedChoiceField(label=_("Người xử lý"), required=False, coerce=int)
    new_due = VnDateField(label=_("Ngày hẹn mới"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn chuyên viên —"))] + [
            (h.pk, h.full_name) for h in handlers
        ]
