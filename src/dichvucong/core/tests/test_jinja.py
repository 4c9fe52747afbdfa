"""Jinja2 for the busiest pages (core/jinja.py): its form components give the markup of the
Django ones, its date filters the same text, and its messages are translated."""

import datetime as dt
import gettext
import re
import zoneinfo
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template, engines
from django.test.html import parse_html
from django.utils import translation

from dichvucong.core.forms import VnDateField

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PACKAGE = Path(__file__).resolve().parents[2]


class SampleForm(forms.Form):
    name = forms.CharField(label="Họ và tên", max_length=20, help_text="Như trên CCCD.")
    note = forms.CharField(label="Ghi chú", required=False)
    born = VnDateField(label="Ngày sinh", required=False)
    level = forms.ChoiceField(
        label="Mức độ",
        choices=[("3", "Một phần"), ("4", "Toàn trình")],
        widget=forms.RadioSelect,
        help_text="Chọn một.",
    )
    agree = forms.BooleanField(label="Tôi đồng ý", help_text="Bắt buộc.")

    def clean(self):
        raise forms.ValidationError("Lỗi chung của biểu mẫu <b>.")


def django_html(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def jinja_html(source: str, **context) -> str:
    prefix = '{% import "components/forms.html" as forms %}'
    return engines["jinja2"].from_string(prefix + source).render(context)


FORMS = {
    "unbound": SampleForm(),
    "bound, valid values": SampleForm(
        {"name": "Trần <Thị> B", "note": "", "born": "09/03/1985", "level": "4", "agree": "on"}
    ),
    "bound, every error": SampleForm({"name": "x" * 30, "born": "31/02/1985", "level": "5"}),
}


@pytest.mark.parametrize("state", FORMS)
@pytest.mark.parametrize(
    ("field", "options_django", "options_jinja"),
    [
        (
            "name",
            ' autocomplete="name" spellcheck="false"',
            ', autocomplete="name", spellcheck="false"',
        ),
        ("note", "", ""),
        ("born", ' inputmode="numeric"', ', inputmode="numeric"'),
        ("level", "", ""),
        ("agree", "", ""),
    ],
)
def test_the_field_macro_gives_the_django_component_s_markup(
    state, field, options_django, options_jinja
):
    form = FORMS[state]
    form.is_valid()
    expected = django_html(f"{{% field form.{field}{options_django} %}}", form=form)
    got = jinja_html(f"{{{{ forms.field(form.{field}{options_jinja}) }}}}", form=form)
    assert parse_html(got) == parse_html(expected)
    assert 'id="id_' in got


@pytest.mark.parametrize("state", FORMS)
def test_the_error_summary_macro_gives_the_django_component_s_markup(state):
    form = FORMS[state]
    form.is_valid()
    expected = django_html("{% error_summary form %}", form=form)
    got = jinja_html("{{ forms.error_summary(form) }}", form=form)
    assert parse_html(got) == parse_html(expected)
    if state == "bound, every error":
        assert "Lỗi chung của biểu mẫu &lt;b&gt;." in got  # escaped, not markup
        assert 'href="#id_level_0"' in got


def test_the_rate_limit_message_macro_gives_the_django_component_s_markup():
    message = "Bạn đã tra cứu quá nhiều lần <ngay>."
    expected = Template('{% include "components/rate_limited.html" %}').render(
        Context({"rate_limit_message": message})
    )
    got = jinja_html("{{ forms.rate_limited(message) }}", message=message)
    assert parse_html(got) == parse_html(expected)
    assert jinja_html("{{ forms.rate_limited(none) }}").strip() == ""


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 11, 21, 17, 30, tzinfo=dt.UTC),  # 00:30 the next day in Việt Nam
        dt.datetime(2026, 1, 1, 8, 5, tzinfo=HCM),
        dt.date(2026, 2, 28),
        None,
    ],
)
def test_date_filters_give_what_django_s_date_filter_gives_in_local_time(value):
    formats = ["H:i d/m/Y", "d/m/Y", "c"]
    filters = ["ngay_gio", "ngay", "ngay_iso"]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        formats, filters = formats[1:], filters[1:]  # a day has no time of day
    django = Template("|".join(f'{{{{ v|date:"{f}"|default:"—" }}}}' for f in formats)).render(
        Context({"v": value})
    )
    jinja = (
        engines["jinja2"]
        .from_string("|".join(f'{{{{ v|{f} or "—" }}}}' for f in filters))
        .render({"v": value})
    )
    assert jinja == django
    if isinstance(value, dt.datetime) and value.tzinfo is dt.UTC:
        assert jinja.startswith("00:30 22/11/2026")  # shown in Việt Nam's time


def test_the_time_zone_is_the_one_active_at_each_render():
    from django.utils import timezone

    template = engines["jinja2"].from_string("{{ v|ngay_gio }} {{ w|ngay_iso }}")
    value = dt.datetime(2026, 11, 21, 17, 30, tzinfo=dt.UTC)
    context = {"v": value, "w": value}
    assert template.render(context) == "00:30 22/11/2026 2026-11-22T00:30:00+07:00"
    with timezone.override("Europe/Paris"):
        assert template.render(context) == "18:30 21/11/2026 2026-11-21T18:30:00+01:00"
    assert template.render(context) == "00:30 22/11/2026 2026-11-22T00:30:00+07:00"


def test_text_is_escaped_and_django_safe_strings_are_not():
    from django.utils.html import format_html

    html = (
        engines["jinja2"]
        .from_string("{{ a }} {{ b }}")
        .render({"a": "<script>", "b": format_html("<em>{}</em>", "<x>")})
    )
    assert html == "&lt;script&gt; <em>&lt;x&gt;</em>"


def jinja_messages() -> set[str]:
    found = set()
    for path in PACKAGE.glob("*/jinja2/**/*.html"):
        found |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', path.read_text()))
    return found


def test_every_message_of_the_jinja_templates_has_its_english_translation():
    messages = jinja_messages()
    assert "Tra cứu hồ sơ" in messages
    assert "Lỗi:" in messages
    with (PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        translated = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    missing = sorted(m for m in messages if not translated.get(m))
    assert not missing, f"not in locale/en (run make messages and translate): {missing}"
    with translation.override("en"):
        html = engines["jinja2"].from_string('{{ _("Tra cứu hồ sơ") }}').render({})
    assert html == translated["Tra cứu hồ sơ"] != "Tra cứu hồ sơ"


def test_templates_are_compiled_per_language_with_their_messages_translated():
    from dichvucong.dossiers.public_views import LookupForm

    backend = engines["jinja2"]
    with translation.override("en"):
        english_h1 = gettext_in("en", "Tra cứu hồ sơ")
        source = backend.env.for_language("en").loader.get_source(
            backend.env, "dossiers/lookup.html"
        )[0]
    assert '_("Tra cứu hồ sơ")' not in source
    assert f'"{english_h1}"' in source
    for language, h1 in [("vi", "Tra cứu hồ sơ"), ("en", english_h1), ("vi", "Tra cứu hồ sơ")]:
        with translation.override(language):
            html = backend.get_template("dossiers/lookup.html").render(
                {"form": LookupForm(), "help_line": ""}
            )
        assert f"<h1>{h1}</h1>" in html
        assert ("Lỗi:" in html) is False  # no error on an empty form


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)
