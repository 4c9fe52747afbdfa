import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.core.forms import TextField, VietnameseErrorsMixin, VnDateField

from .constants import RatingScore
from .selectors import StatsQuery, add_months, available_months, month_start

LEVEL_CHOICES = [
    ("", _("Tất cả")),
    ("3", _("Mức độ 3 (một phần)")),
    ("4", _("Mức độ 4 (toàn trình)")),
]
DEFAULT_MONTHS = 12


def _month_value(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _parse_month(value: str) -> dt.date:
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


class StatsFilterForm(VietnameseErrorsMixin, forms.Form):
    """The filters of the public page ("Đơn vị": the whole province or one agency) and, without
    the agency, of the officials' reports (their own agency). GET parameters; an unknown or
    stale value falls back to its default rather than failing, so a link always shows figures.
    """

    don_vi = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    linh_vuc = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )
    muc_do = forms.TypedChoiceField(
        label=_("Mức độ"), required=False, coerce=int, empty_value=None, choices=LEVEL_CHOICES
    )
    tu_thang = forms.ChoiceField(label=_("Từ tháng"), required=False)
    den_thang = forms.ChoiceField(label=_("Đến tháng"), required=False)

    def __init__(
        self, data=None, *, agencies=None, fields=(), today=None, first_month=None, **kwargs
    ):
        """`first_month`: the first month with figures; the default period starts there when
        it is less than DEFAULT_MONTHS ago (a young portal shows no row of empty months)."""
        today = today or timezone.localdate()
        months = available_months(today=today)
        self.default_to = months[0]
        self.default_from = add_months(months[0], -(DEFAULT_MONTHS - 1))
        if first_month is not None:
            self.default_from = min(max(self.default_from, first_month), self.default_to)
        allowed_fields = {f.pk for f in fields}
        if data is not None:
            data = data.copy()
            # A field left selected from another agency (no JavaScript narrows the list).
            if data.get("linh_vuc") and not _int_in(data.get("linh_vuc"), allowed_fields):
                data.pop("linh_vuc")
        super().__init__(data, **kwargs)
        month_choices = [(_month_value(m), m.strftime("%m/%Y")) for m in months]
        self.fields["tu_thang"].choices = month_choices
        self.fields["den_thang"].choices = month_choices
        self.fields["tu_thang"].initial = _month_value(self.default_from)
        self.fields["den_thang"].initial = _month_value(self.default_to)
        if agencies is None:
            del self.fields["don_vi"]
        else:
            self.fields["don_vi"].choices = [("", _("Toàn tỉnh"))] + [
                (a.pk, a.name if a.is_active else _("%(name)s (đã sáp nhập)") % {"name": a.name})
                for a in agencies
            ]
        self.fields["linh_vuc"].choices = [("", _("Tất cả")), *_field_choices(fields)]
        if agencies is not None and not fields:
            self.fields["linh_vuc"].help_text = _(
                "Chọn một đơn vị rồi bấm “Xem thống kê” để lọc theo lĩnh vực của đơn vị đó."
            )
            self.fields["linh_vuc"].widget.attrs["aria-describedby"] = "id_linh_vuc-hint"

    def query(self, *, agency_id: int | None = None) -> StatsQuery:
        """The query these filters ask (the defaults where a value is missing or invalid)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # the valid values, even when another one is not
        month_from = _parse_month(data["tu_thang"]) if data.get("tu_thang") else self.default_from
        month_to = _parse_month(data["den_thang"]) if data.get("den_thang") else self.default_to
        if month_from > month_to:
            month_from, month_to = month_to, month_from
        if agency_id is None and "don_vi" in self.fields:
            agency_id = data.get("don_vi")
        return StatsQuery(
            month_from=month_start(month_from),
            month_to=month_start(month_to),
            agency_id=agency_id,
            field_id=data.get("linh_vuc"),
            level=data.get("muc_do"),
        )


def _int_in(value, allowed: set[int]) -> bool:
    try:
        return int(value) in allowed
    except (TypeError, ValueError):
        return False


def _field_choices(fields) -> list:
    """Flat when all fields are of one agency, else grouped by agency (<optgroup>)."""
    agencies = {f.agency_id for f in fields}
    if len(agencies) <= 1:
        return [(f.pk, f.name) for f in fields]
    groups: dict[str, list] = {}
    for f in fields:
        groups.setdefault(f.agency.name, []).append((f.pk, f.name))
    return list(groups.items())


class RatingForm(VietnameseErrorsMixin, forms.Form):
    score = forms.ChoiceField(
        label=_("Mức độ hài lòng"),
        choices=RatingScore.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")},
    )
    comment = TextField(
        label=_("Ý kiến của bạn"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không bắt buộc. Tối đa 2.000 ký tự."),
    )


class FeedbackForm(VietnameseErrorsMixin, forms.Form):
    """ "Phản ánh, kiến nghị": to an agency, or about one of the author's dossiers (then the
    dossier's agency receives it)."""

    ho_so = forms.TypedChoiceField(
        label=_("Hồ sơ liên quan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Không bắt buộc. Khi chọn hồ sơ, phản ánh được gửi đến đơn vị giải quyết hồ sơ đó."
        ),
    )
    don_vi = forms.TypedChoiceField(
        label=_("Đơn vị"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Đơn vị bạn muốn gửi phản ánh, kiến nghị (không cần chọn khi đã chọn hồ sơ)."),
    )
    tieu_de = TextField(label=_("Tiêu đề"), max_length=200)
    noi_dung = TextField(
        label=_("Nội dung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Nêu rõ sự việc, thời gian, địa điểm và kiến nghị của bạn."),
    )

    def __init__(self, *args, agencies=(), dossiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ho_so"].choices = [("", _("Không liên quan đến hồ sơ nào"))] + [
            (d.pk, f"{d.code} – {d.procedure_version.name}") for d in dossiers
        ]
        self.fields["don_vi"].choices = [("", _("— Chọn đơn vị —"))] + [
            (a.pk, a.name) for a in agencies
        ]

    def clean(self):
        data = super().clean()
        if not data.get("ho_so") and not data.get("don_vi") and "don_vi" not in self.errors:
            self.add_error("don_vi", _("Vui lòng chọn đơn vị hoặc hồ sơ liên quan."))
        return data


class AnswerForm(VietnameseErrorsMixin, forms.Form):
    answer = TextField(
        label=_("Nội dung trả lời"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Vui lòng nhập nội dung trả lời.")},
    )


class RegisterForm(VietnameseErrorsMixin, forms.Form):
    """The period of "Sổ theo dõi hồ sơ" (dossiers received from … to …)."""

    tu_ngay = VnDateField(
        label=_("Từ ngày"), error_messages={"required": _("Vui lòng nhập từ ngày.")}
    )
    den_ngay = VnDateField(
        label=_("Đến ngày"), error_messages={"required": _("Vui lòng nhập đến ngày.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("tu_ngay", "den_ngay"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", _("Đến ngày phải sau hoặc bằng từ ngày."))
        return data
