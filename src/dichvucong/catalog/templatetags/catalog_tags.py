"""Presentation of catalogue facts: money in đồng, processing time, levels."""

import re

from django import template
from django.utils.translation import gettext as _

from ..formschema import TYPE_LABELS, format_number

register = template.Library()

_LEADING_NUMBER = re.compile(r"^(?:bước\s*)?\d+\s*[.):-]\s*", re.IGNORECASE)


@register.filter
def dong(value) -> str:
    """600000 -> '600.000 đồng'."""
    if value in (None, ""):
        return ""
    return _("%(amount)s đồng") % {"amount": format_number(int(value))}


@register.filter
def processing_time(days) -> str:
    if days in (None, ""):
        return ""
    if int(days) == 0:
        return _("Trong ngày làm việc")
    return _("%(days)s ngày làm việc") % {"days": days}


@register.filter
def level_labels(version) -> list[str]:
    labels = []
    if version.level_3:
        labels.append(_("Mức độ 3 (một phần)"))
    if version.level_4:
        labels.append(_("Mức độ 4 (toàn trình)"))
    return labels


@register.filter
def applicants(version) -> str:
    kinds = []
    if version.for_citizen:
        kinds.append(_("Cá nhân"))
    if version.for_organisation:
        kinds.append(_("Tổ chức"))
    return ", ".join(kinds)


@register.filter
def lines(text) -> list[str]:
    """Non-empty lines of a multi-line text (steps, legal basis)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def field_type_label(kind) -> str:
    return str(TYPE_LABELS.get(kind, kind))


@register.filter
def steps(text) -> list[str]:
    """Lines of a numbered text without their own numbers ('1. Nộp hồ sơ' -> 'Nộp hồ sơ'),
    for an <ol> that numbers them."""
    return [_LEADING_NUMBER.sub("", line) for line in lines(text)]
