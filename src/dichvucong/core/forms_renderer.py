"""The form renderer (settings.FORM_RENDERER): Django's, with the plain `<input>` written in Python.

Rendering one `<input>` through Django's widget templates (text.html → input.html →
attrs.html, each through the template engine) costs about a sixth of the CPU of the public
lookup page (bench/lookup.py); every form has several. For the stock input templates only,
`render()` writes exactly what those templates write (tested side by side in
core/tests/test_forms_renderer.py); everything else (select, textarea, checkboxes, our own
widget templates, and any project template that overrides a stock one) goes through the
templates as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

INPUT_TYPES = (
    "text",
    "email",
    "url",
    "number",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
)
STOCK_INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{kind}.html" for kind in INPUT_TYPES)
STOCK_INPUT = "django/forms/widgets/input.html"
STOCK_ATTRS = "django/forms/widgets/attrs.html"


def _text(value) -> str:
    """conditional_escape(), without its wrappers (lazy-string checks, a SafeString per call):
    markup passes as it is, anything else is escaped as django.utils.html.escape() does."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def input_html(widget: dict) -> SafeString:
    """What django/forms/widgets/input.html renders for this widget context."""
    parts = [f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{_text(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_text(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


class FastInputRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in STOCK_INPUT_TEMPLATES and self.stock_inputs:
            return input_html(context["widget"])
        return super().render(template_name, context, request=request)

    @cached_property
    def stock_inputs(self) -> bool:
        """False when a project template replaces one of Django's input templates (then the
        templates must be used)."""
        names = {*STOCK_INPUT_TEMPLATES, STOCK_INPUT, STOCK_ATTRS}
        return all(
            "/django/forms/templates/"
            in str(self.get_template(name).origin.name).replace("\\", "/")
            for name in names
        )
