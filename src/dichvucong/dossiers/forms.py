import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from dichvucong.core.forms import TextField, VietnameseErrorsMixin

from .workflow.statuses import Status

LEVEL_EXPLANATIONS = {
    3: (
        _("Mức độ 3"),
        _(
            "Nộp hồ sơ trực tuyến. Đến ngày hẹn, mang bản gốc giấy tờ đến bộ phận một cửa để "
            "đối chiếu, nộp phí (nếu có) và nhận kết quả."
        ),
    ),
    4: (
        _("Mức độ 4"),
        _(
            "Toàn trình trực tuyến: nộp hồ sơ, nộp phí và nhận kết quả điện tử trên cổng "
            "(hoặc qua bưu chính), không phải đến cơ quan."
        ),
    ),
}


class LevelForm(VietnameseErrorsMixin, forms.Form):
    """Seeds §II Bước 5: choose the level the procedure offers."""

    level = forms.TypedChoiceField(
        label=_("Chọn mức độ dịch vụ công"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ.")},
    )
    start_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, levels: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (level, f"{LEVEL_EXPLANATIONS[level][0]}: {LEVEL_EXPLANATIONS[level][1]}")
            for level in levels
        ]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        self.fields["start_token"].initial = uuid.uuid4()


class WithdrawForm(VietnameseErrorsMixin, forms.Form):
    reason = TextField(
        label=_("Lý do rút hồ sơ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi lý do rút hồ sơ.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SupplementForm(VietnameseErrorsMixin, forms.Form):
    note = TextField(
        label=_("Nội dung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi ngắn gọn những gì bạn đã bổ sung hoặc sửa."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ListFilterForm(forms.Form):
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [(s.value, s.label) for s in Status],
    )
