"""Jinja2 for the busiest public pages (docs/performance.md).

Django's template language interprets its node tree on every render; Jinja2 compiles a template
to Python once. For a page like the public lookup, rendered hundreds of times a second, the
difference is most of the page's CPU (bench/lookup.py). Everything else stays in Django
templates: Jinja2 templates live in an app's `jinja2/` folder and are found only by name, after
the Django engine (settings.TEMPLATES), and they go inside the common layout through
core.frame.render_in_frame, so base.html stays the one layout of the site.

What the environment gives templates, so that they read like their Django counterparts:
- autoescaping (Django's SafeString and format_html() output pass through as they are);
- {% trans %}…{% endtrans %} / _("…") through Django's gettext, so the same message catalogue
  (locale/) serves both engines; `makemessages` does not read Jinja2 files, so every message a
  Jinja2 template uses must also appear in Python or a Django template (tested);
- the filters ngay_gio, ngay, ngay_iso of core.templatetags.vn_dates, with the conversion to the
  current time zone that Django's engine does itself (`expects_localtime`);
- field_context() and error_summary_items(): the context of core.templatetags.ui's
  components, for the macros of core/jinja2/components/ (tested against the Django ones).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from dichvucong.core.templatetags import ui, vn_dates


def _local(value):
    if isinstance(value, dt.datetime) and settings.USE_TZ and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def ngay_gio(value) -> str:
    return vn_dates.ngay_gio(_local(value))


def ngay(value) -> str:
    return vn_dates.ngay(_local(value))


def ngay_iso(value) -> str:
    return vn_dates.ngay_iso(_local(value))


def environment(**options) -> Environment:
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701 (autoescape is on, above)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(ngay_gio=ngay_gio, ngay=ngay, ngay_iso=ngay_iso)
    env.globals.update(
        field_context=ui.field,
        error_summary_items=lambda *forms: ui.error_summary(*forms)["errors"],
    )
    return env
