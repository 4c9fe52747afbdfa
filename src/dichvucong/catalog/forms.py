"""The catalogue's filter form ("Đơn vị", "Lĩnh vực", "Mức độ", "Từ khóa"), read from the URL."""

import html
from collections.abc import Sequence

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dichvucong.core.forms import TextField

from .options import AgencyOption, FieldOption

LEVEL_CHOICES = [
    ("", _("Tất cả mức độ")),
    ("3", _("Mức độ 3 (một phần)")),
    ("4", _("Mức độ 4 (toàn trình)")),
]


class FastSelect(forms.Select):
    """A <select> whose options are written in Python rather than one template per option:
    the same HTML as Django's, many times faster for the catalogue's lists (bench/)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                html.escape(str(key)),
                " selected" if str(key) in chosen else "",
                html.escape(str(label)),
            )
            for key, label in self.choices
        )
        # Every value and label is escaped just above; the attributes by flatatt.
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308


class ProcedureFilterForm(forms.Form):
    """A GET form: every filter lives in the URL so the page can be shared and the back button
    works. The "Lĩnh vực" options are the chosen agency's fields: without JavaScript after
    "Tìm kiếm" reloads the page, with it at once (static/js/catalog.js)."""

    don_vi = forms.ChoiceField(label=_("Đơn vị"), required=False, widget=FastSelect)
    linh_vuc = forms.ChoiceField(label=_("Lĩnh vực"), required=False, widget=FastSelect)
    muc_do = forms.ChoiceField(
        label=_("Mức độ"), required=False, choices=LEVEL_CHOICES, widget=FastSelect
    )
    tu_khoa = TextField(
        label=_("Từ khóa"),
        required=False,
        max_length=200,
        help_text=_("Tên hoặc mã thủ tục; gõ có dấu hay không dấu đều được, ví dụ: lao dong."),
    )

    def __init__(
        self,
        data,
        *,
        agencies: Sequence[AgencyOption],
        fields: Sequence[FieldOption],
        chosen_field: FieldOption | None = None,
    ):
        """`fields` are the chosen agency's (none when no agency is chosen); `chosen_field` is
        the field named in the URL, looked up whatever its agency."""
        self.agencies = {a.code: a for a in agencies}
        self.known_fields = {str(f.pk): f for f in fields}
        if chosen_field is not None:
            self.known_fields.setdefault(str(chosen_field.pk), chosen_field)
        self.field_dropped = False
        data = data.copy() if data is not None else {}
        if chosen_field and not data.get("don_vi"):
            # A link with only a field (e.g. from a procedure page): its agency is implied.
            data["don_vi"] = chosen_field.agency_code
        super().__init__(data, label_suffix="")
        self.fields["don_vi"].choices = [("", _("Tất cả đơn vị"))] + [
            (a.code, a.name) for a in agencies
        ]
        self.fields["don_vi"].error_messages["invalid_choice"] = _(
            "Đơn vị đã chọn không có trong danh sách."
        )
        self.fields["linh_vuc"].error_messages["invalid_choice"] = _(
            "Lĩnh vực đã chọn không có trong danh sách."
        )
        self.fields["muc_do"].error_messages["invalid_choice"] = _(
            "Mức độ chỉ có thể là mức độ 3 hoặc mức độ 4."
        )
        field = self.fields["linh_vuc"]
        field.choices = [("", _("Tất cả lĩnh vực"))] + [(str(f.pk), f.name) for f in fields]
        if self.agencies.get(data.get("don_vi", "")) is None:
            field.help_text = _("Chọn đơn vị để thấy các lĩnh vực của đơn vị đó.")
        # Any known field is accepted here; clean() drops one of another agency, with a notice.
        field.valid_value = lambda value: value in self.known_fields

    @staticmethod
    def implied_agency_code(data, chosen_field: FieldOption | None) -> str:
        """The agency whose fields to list: the chosen one, or the chosen field's."""
        code = (data or {}).get("don_vi", "")
        if not code and chosen_field is not None:
            return chosen_field.agency_code
        return code

    def clean(self):
        data = super().clean()
        agency = self.agencies.get(data.get("don_vi") or "")
        field = self.known_fields.get(data.get("linh_vuc") or "")
        if field is not None and (agency is None or field.agency_id != agency.pk):
            self.field_dropped = agency is not None
            field = None
        data["agency"] = agency
        data["field"] = field
        data["level"] = int(data["muc_do"]) if data.get("muc_do") else None
        return data
