"""Markup rendered once with stand-ins for its values, filled in for each request.

A page that hundreds of visitors a second ask for with different values in the same shape (the
public lookup: dossiers.public_views) spent most of its CPU in the template engine writing the
same text around a dozen values. A `Skeleton` is the template's output for stand-in values,
cut at the stand-ins; what remains per request is joining its text with the escaped values.
The template stays the one source of the markup, and tests compare the filled skeleton with
the template's own output for awkward values.

The stand-ins go through the template as values do:
- `slot("name")` is a string that autoescaping leaves as it is (a NUL, letters, a NUL);
- `slot_datetime("name")` is a datetime whose strftime() and isoformat() give a stand-in that
  names the format, so the date filters (core.jinja: ngay_gio, ngay, ngay_iso) pass it through
  and the fill gives the real value the same format, in the current time zone as they do.

What a template decides from a value (an `{% if %}`, `or "—"`) is decided for the stand-in, so
the caller renders one skeleton per shape: values that are empty or None are rendered as
themselves and are part of the skeleton's key (core.templatetags.chrome.kept).
"""

import datetime as dt
import re
from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone
from markupsafe import escape

from dichvucong.core.templatetags.vn_dates import NGAY, NGAY_GIO

_MARK = "\x00"
_SLOT = re.compile("\x00([^\x00]*)\x00")
ISO = "iso"


class Slot(str):
    __slots__ = ()


def slot(name: str) -> Slot:
    return Slot(f"{_MARK}{name}{_MARK}")


class _SlotDateTime(dt.datetime):
    """A datetime that writes itself as a stand-in naming the format asked for."""

    slot_name: str

    def strftime(self, fmt: str) -> str:
        return f"{_MARK}{self.slot_name}|{fmt}{_MARK}"

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return f"{_MARK}{self.slot_name}|{ISO}{_MARK}"

    def astimezone(self, tz: dt.tzinfo | None = None) -> "_SlotDateTime":
        return self


def slot_datetime(name: str) -> dt.datetime:
    value = _SlotDateTime(2000, 1, 1, tzinfo=dt.UTC)
    value.slot_name = name
    return value


class Skeleton:
    """Markup cut at its stand-ins: `fill(values)` gives it with the values put in."""

    def __init__(self, html: str):
        pieces = _SLOT.split(html)
        if any(_MARK in text for text in pieces[::2]):
            raise ValueError("a stand-in was changed by the template (a filter on it?)")
        self._slots = tuple(_parse(key) for key in pieces[1::2])
        self.names = frozenset(name for name, _fmt in self._slots)
        # The text with a %s per stand-in: one C-level % puts the values in.
        self._format = "%s".join(text.replace("%", "%%") for text in pieces[::2])

    def fill(self, values: Mapping[str, object], zone: object = None) -> str:
        """The markup with `values[name]` for each stand-in: text escaped as autoescaping
        does (markup left as it is), datetimes formatted in `zone` (current_zone(): the
        caller of several fills looks it up once)."""
        out = []
        append = out.append
        last = local = None  # a date shown twice (<time datetime>, then as text) converted once
        for name, fmt in self._slots:
            value = values[name]
            if fmt is None:
                append(_escape(value))
                continue
            if value is not last:
                if zone is None:
                    zone = current_zone()
                last, local = value, _local(value, zone)  # type: ignore[arg-type]
            formatter = _FORMATTERS.get(fmt)
            append(formatter(local) if formatter else local.strftime(fmt))  # type: ignore[union-attr]
        return self._format % tuple(out)


def current_zone() -> dt.tzinfo | bool:
    """The zone the date filters write in (False without USE_TZ)."""
    return timezone.get_current_timezone() if settings.USE_TZ else False


def _escape(value: object) -> str:
    """markupsafe.escape(), which autoescaping applies, without a Markup object for plain
    strings (most values; the same five replacements)."""
    if type(value) is not str:
        return escape(value)
    if not _SPECIAL.search(value):
        return value
    return (
        value.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


_SPECIAL = re.compile("[&<>'\"]")


def _parse(key: str) -> tuple[str, str | None]:
    name, bar, fmt = key.partition("|")
    return (name, fmt) if bar else (name, None)


# The date filters' formats written without strftime (a third of its cost; equal: tested).
_FORMATTERS = {
    ISO: lambda d: d.isoformat(),
    NGAY_GIO: lambda d: f"{d.hour:02d}:{d.minute:02d} {d.day:02d}/{d.month:02d}/{d.year}",
    NGAY: lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
}


def _local(value: dt.date, zone: dt.tzinfo | bool) -> dt.date:
    """`value` as core.jinja's date filters write it: an aware datetime in the current zone."""
    if zone is not False and isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone)  # type: ignore[arg-type]
    return value


def cut(html: str, piece: str, name: str) -> str:
    """`html` with its one occurrence of `piece` replaced by slot(name): for a repeated part
    (a list's item) filled with its own skeleton. Raises ValueError unless `piece` occurs
    exactly once."""
    if not piece or html.count(piece) != 1:
        raise ValueError(f"{name}: the part occurs {html.count(piece)} times, not once")
    return html.replace(piece, slot(name))
