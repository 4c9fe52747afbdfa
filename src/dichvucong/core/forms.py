"""Form pieces shared by every app: NFC-normalised text input and the Vietnamese date field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import clean_spaces, nfc
from .validators import parse_vn_date


class TextField(forms.CharField):
    """Text normalised to Unicode NFC with runs of spaces collapsed."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_spaces(value) if value else value


class VnDateField(forms.Field):
    """A date typed as dd/mm/yyyy (a plain text box: works everywhere, read aloud well)."""

    widget = forms.TextInput

    default_error_messages = {"required": _("Vui lòng nhập ngày.")}

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "bday", "placeholder": "dd/mm/yyyy", "inputmode": "text"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_vn_date(nfc(str(value)))

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return value


class VietnameseErrorsMixin:
    """Every field without its own message says which field is missing, in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        generic = str(forms.Field.default_error_messages["required"])
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == generic:
                label = str(field.label or name)
                field.error_messages["required"] = _("Vui lòng nhập %(label)s.") % {
                    "label": label[0].lower() + label[1:] if label[1:2].islower() else label
                }
