"""Jinja2 for the busiest public pages (docs/performance.md).

Django's template language interprets its node tree on every render; Jinja2 compiles a template
to Python once. For a page like the public lookup, rendered hundreds of times a second, the
difference is most of the page's CPU (bench/lookup.py). Everything else stays in Django
templates: Jinja2 templates live in an app's `jinja2/` folder and are found only by name, after
the Django engine (settings.TEMPLATES), and they go inside the common layout through
core.frame.render_in_frame, so base.html stays the one layout of the site.

What the environment gives templates, so that they read like their Django counterparts:
- autoescaping (Django's SafeString and format_html() output pass through as they are);
- _("…") through Django's gettext, so the same message catalogue (locale/) serves both engines
  (`makemessages` finds them: its template reader understands `{{ _("…") }}`). A template is
  compiled once per language with each constant _("…") replaced by its translation (escaped
  like any text), so rendering calls no gettext for them; _("…", name=value) and ngettext()
  are translated when rendering;
- the filters ngay_gio, ngay, ngay_iso of core.templatetags.vn_dates, with the conversion to the
  current time zone that Django's engine does itself (`expects_localtime`);
- field_context() and error_summary_items(): the context of core.templatetags.ui's
  components, for the macros of core/jinja2/components/ (tested against the Django ones).
"""

import ast
import datetime as dt
import json
import re
import threading

import jinja2
import jinja2.nodes
from django.conf import settings
from django.core.signals import setting_changed
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, ngettext

from dichvucong.core.templatetags import ui, vn_dates


def _local(eval_context: jinja2.nodes.EvalContext, value):
    """`value` in the current time zone, looked up once per render (each lookup goes through
    a context-local: a page of a dozen dates paid for a dozen)."""
    zone = getattr(eval_context, "time_zone", _UNSET)
    if zone is _UNSET:
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        eval_context.time_zone = zone
    if zone is not None and isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone)
    return value


_UNSET = object()


@jinja2.pass_eval_context
def ngay_gio(eval_context, value) -> str:
    return vn_dates.ngay_gio(_local(eval_context, value))


@jinja2.pass_eval_context
def ngay(eval_context, value) -> str:
    return vn_dates.ngay(_local(eval_context, value))


@jinja2.pass_eval_context
def ngay_iso(eval_context, value) -> str:
    return vn_dates.ngay_iso(_local(eval_context, value))


# A constant message: _("…") with nothing else inside the parentheses.
_CONSTANT_MESSAGE = re.compile(r'\b_\("((?:[^"\\]|\\.)*)"\)')


class TranslatingLoader(jinja2.BaseLoader):
    """Another loader's templates with their constant messages in one language."""

    def __init__(self, loader: jinja2.BaseLoader, language: str):
        self.loader = loader
        self.language = language

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        with translation.override(self.language):
            source = _CONSTANT_MESSAGE.sub(self._literal, source)
        return source, filename, uptodate

    @staticmethod
    def _literal(match: re.Match) -> str:
        message = ast.literal_eval(f'"{match[1]}"')
        return json.dumps(gettext(message), ensure_ascii=False)


class Environment(jinja2.Environment):
    """get_template() gives the template compiled for the active language (an overlay of this
    environment per language, sharing everything but the loader and the compiled templates)."""

    language: str | None = None  # set on the per-language overlays

    def get_template(self, name, parent=None, globals=None):
        if self.language is not None or self.loader is None:
            return super().get_template(name, parent, globals)
        language = get_language() or settings.LANGUAGE_CODE
        return self.for_language(language).get_template(name, parent, globals)

    def for_language(self, language: str) -> "Environment":
        key = (id(self), language)
        overlay = _overlays.get(key)
        if overlay is None:
            with _lock:
                overlay = _overlays.get(key)
                if overlay is None:
                    overlay = self.overlay(loader=TranslatingLoader(self.loader, language))
                    overlay.language = language
                    _overlays[key] = overlay
        return overlay  # type: ignore[return-value]


_overlays: dict[tuple[int, str], jinja2.Environment] = {}
_lock = threading.Lock()


def _forget_overlays(**_kwargs) -> None:
    """Tests change languages and message catalogues; a deployment restarts the processes."""
    with _lock:
        _overlays.clear()


setting_changed.connect(_forget_overlays, dispatch_uid="jinja-language-overlays")


def environment(**options) -> Environment:
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(**options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(ngay_gio=ngay_gio, ngay=ngay, ngay_iso=ngay_iso)
    env.globals.update(
        field_context=ui.field,
        error_summary_items=lambda *forms: ui.error_summary(*forms)["errors"],
    )
    return env
