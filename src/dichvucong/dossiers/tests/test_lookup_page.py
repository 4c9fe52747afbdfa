"""The lookup form's fields rendered once per language with the typed values put in
(public_views._fields): the same markup as the template renders itself, whatever was typed."""

import pytest
from django.http import QueryDict
from django.template.loader import get_template
from django.utils import translation

from dichvucong.dossiers.public_views import LookupForm, _fields

TYPED = [
    "000.00.31.H10-261121-0007",
    "  000.00.31.h10-261121-0007 ",
    '"><script>alert(1)</script>',
    "Nguyễn & Trần 'x' <y>",
    "   ",
    "",
]


def template_fields(form: LookupForm, ask_birth_date: bool) -> str:
    context = {"form": form, "ask_birth_date": ask_birth_date}
    return get_template("dossiers/lookup_fields.html", using="jinja2").render(context)


def bound(ma: str, ngay_sinh: str | None = None) -> LookupForm:
    data = QueryDict(mutable=True)
    data["ma"] = ma
    if ngay_sinh is not None:
        data["ngay_sinh"] = ngay_sinh
    return LookupForm(data)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("ma", TYPED)
@pytest.mark.parametrize("ngay_sinh", [None, "", "27/07/1983", "<b>&"])
@pytest.mark.parametrize("ask_birth_date", [False, True])
def test_the_same_markup_as_the_template(language, ma, ngay_sinh, ask_birth_date):
    with translation.override(language):
        form = bound(ma, ngay_sinh)
        form.errors  # noqa: B018 (validated, as the view does)
        if form.errors:
            assert _fields(form, ask_birth_date) is None  # the template shows the errors
            return
        fast = _fields(form, ask_birth_date)
        again = _fields(bound(ma, ngay_sinh), ask_birth_date)  # from the kept copy
        assert fast == again == template_fields(bound(ma, ngay_sinh), ask_birth_date)
    if ma.strip():
        assert "<script>" not in fast


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_empty_form_and_the_language(language):
    with translation.override(language):
        fast = _fields(LookupForm(None), False)
        assert fast == template_fields(LookupForm(None), False)
    assert "value=" not in fast
    label = "Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu" if language == "vi" else "Dossier code"
    assert label in fast


def test_a_field_with_an_error_is_left_to_the_template():
    form = bound("")
    assert not form.is_valid()
    assert _fields(form, False) is None
