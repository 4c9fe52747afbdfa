"""Template tags for the shared components in templates/components/.

{% field form.name %} renders a label (with * when required), the hint, the error next to the
field, and the input wired with aria-describedby / aria-invalid (GOV.UK Frontend pattern).
"""

from django import forms, template
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("components/field.html")
def field(bound_field, **options):
    widget = bound_field.field.widget
    hint_id = f"{bound_field.auto_id}-hint"
    error_id = f"{bound_field.auto_id}-error"
    described = []
    help_text = options.get("hint") or bound_field.help_text
    if help_text:
        described.append(hint_id)
    if bound_field.errors:
        described.append(error_id)
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required:
        attrs["aria-required"] = "true"
    for key in ("autocomplete", "inputmode", "type", "class", "spellcheck"):
        if key in options:
            attrs[key] = options[key]
    is_choice_list = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    return {
        "field": bound_field,
        "widget_html": bound_field.as_widget(attrs=attrs),
        "hint": help_text,
        "hint_id": hint_id,
        "error_id": error_id,
        "is_choice_list": is_choice_list,
        "is_checkbox": is_checkbox,
        "label_html": options.get("label_html"),
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms_):
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for bound in form:
            for message in bound.errors:
                anchor = bound.auto_id
                if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{bound.auto_id}_0"
                errors.append({"href": f"#{anchor}", "message": message})
    return {"errors": errors}


@register.simple_tag
def required_mark():
    return format_html('<span class="required" aria-hidden="true">*</span>')


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """This page's address in `language` (the public pages are also in English under /en/,
    config/urls.py), or "" when the page has no version in that language. base.html's
    language switcher. Without the query string: a lookup's may hold an ID number and a
    date of birth, which must not be copied into links."""
    request = context.get("request")
    if request is None:
        return ""
    current = request.path
    translated = translate_url(current, language)
    if translated == current and language != get_language():
        return ""
    return translated
