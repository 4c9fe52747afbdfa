"""FastInputRenderer writes each stock <input> exactly as Django's templates do."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from dichvucong.core.forms_renderer import FastInputRenderer


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Gợi ý")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": True}))
    email = forms.EmailField()
    url = forms.URLField(required=False, assume_scheme="https")
    number = forms.IntegerField(min_value=0, max_value=9)
    decimal = forms.DecimalField(required=False, decimal_places=2)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    search = forms.CharField(required=False, widget=forms.SearchInput)
    tel = forms.CharField(required=False, widget=forms.TelInput(attrs={"autocomplete": False}))
    color = forms.CharField(required=False, widget=forms.ColorInput)


TRICKY = {
    "text": '"><script>alert(1)</script> & Nguyễn',
    "optional": "x",
    "email": "an@example.vn",
    "url": "https://a.vn/?q=1&r=2",
    "number": "12",
    "decimal": "1.5",
    "password": "bí-mật'\"<",
    "secret": "không hiện",
    "hidden": "ẩn",
    "date": "2026-11-22",
    "when": "2026-11-22 08:30",
    "time": "08:30",
    "search": "an toàn",
    "tel": "0912345678",
    "color": "#aabbcc",
}


def render_all(form, renderer, **attrs):
    form.renderer = renderer
    return {
        name: str(bound.as_widget(attrs={"aria-describedby": "x-hint", **attrs}))
        for name, bound in ((name, form[name]) for name in form.fields)
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: Everything(),
        lambda: Everything(initial={"date": dt.date(2026, 1, 2), "number": 3}),
        lambda: Everything(data=TRICKY),
        lambda: Everything(data={"text": "", "number": "abc"}),
        lambda: Everything(data={"text": mark_safe("<b>an toàn</b>")}),
    ],
)
def test_every_stock_input_is_written_as_django_writes_it(make):
    fast = render_all(make(), FastInputRenderer())
    stock = render_all(make(), DjangoTemplates())
    assert fast == stock


def test_boolean_attributes_and_extra_attributes_match():
    form = Everything(data=TRICKY)
    extra = {"required": True, "readonly": False, "data-n": 0, "placeholder": "Số <ĐT>"}
    assert render_all(form, FastInputRenderer(), **extra) == render_all(
        Everything(data=TRICKY), DjangoTemplates(), **extra
    )


def test_other_widgets_still_go_through_the_templates():
    class Others(forms.Form):
        choice = forms.ChoiceField(choices=[("1", "Một"), ("2", "Hai")])
        note = forms.CharField(widget=forms.Textarea)
        agree = forms.BooleanField()

    fast = render_all(Others(data={"choice": "2", "note": "<ghi chú>"}), FastInputRenderer())
    stock = render_all(Others(data={"choice": "2", "note": "<ghi chú>"}), DjangoTemplates())
    assert fast == stock
    assert "<select" in fast["choice"]


def test_the_site_uses_it(settings):
    assert settings.FORM_RENDERER == "dichvucong.core.forms_renderer.FastInputRenderer"
    assert FastInputRenderer().stock_inputs is True


def test_typed_text_is_escaped():
    html = render_all(Everything(data=TRICKY), FastInputRenderer())["text"]
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Nguyễn"' in html
