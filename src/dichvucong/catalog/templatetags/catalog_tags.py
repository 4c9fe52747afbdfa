"""Presentation of catalogue facts: money in đồng, processing time, levels; the procedure list."""

import re
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def procedure_list(rows, *, show_agency: bool = True, start: int | None = None) -> SafeString:
    """Component: a list of procedures (the catalogue's results, an agency's fields).

    Parameters: rows (`views.ProcedureRow`, every text ready), show_agency, start (the first
    number of an ordered list that continues a previous page).
    Each row: the name as a heading linking to the procedure, then a description list of its
    code (when it has one), agency (when `show_agency`), field, levels and processing time,
    then "Nộp hồ sơ", whose link text names the procedure for screen readers (hidden text).

    Written in Python rather than as a template: the template engine spent more time on the
    20 rows of a page than the rest of the page together (bench/catalogue.py --profile).
    Every text is escaped here as the template engine would (`html.escape` is Django's
    `escape`: & < > " ' alike)."""
    code_label, agency_label, field_label = _("Mã thủ tục"), _("Đơn vị"), _("Lĩnh vực")
    level_label, time_label = _("Mức độ"), _("Thời hạn giải quyết")
    submit_label = escape(_("Nộp hồ sơ"))
    parts = [f'\n<ol class="procedure-list"{f' start="{int(start)}"' if start else ""}>\n']
    for row in rows:
        name = escape(row.name)
        code = (
            f"<div><dt>{escape(code_label)}</dt><dd>{escape(row.national_code)}</dd></div>"
            if row.national_code
            else ""
        )
        agency = (
            f"<div><dt>{escape(agency_label)}</dt><dd>{escape(row.agency)}</dd></div>"
            if show_agency
            else ""
        )
        levels = "".join(
            f'<span class="tag tag-level">{escape(label)}</span> ' for label in row.levels
        )
        parts.append(
            '<li class="procedure-item">\n'
            f'  <h3 class="procedure-name"><a href="{escape(row.url)}">{name}</a></h3>\n'
            '  <dl class="procedure-facts">\n'
            f"    {code}\n"
            f"    {agency}\n"
            f"    <div><dt>{escape(field_label)}</dt><dd>{escape(row.field)}</dd></div>\n"
            f"    <div><dt>{escape(level_label)}</dt><dd>{levels}</dd></div>\n"
            f"    <div><dt>{escape(time_label)}</dt><dd>{escape(row.processing_time)}</dd></div>\n"
            "  </dl>\n"
            f'  <p class="procedure-actions"><a class="button button-small" '
            f'href="{escape(row.submit_url)}">{submit_label}'
            f'<span class="visually-hidden">: {name}</span></a></p>\n'
            "</li>\n"
        )
    parts.append("</ol>\n")
    # Every text above is escaped; the markup is this function's own.
    return mark_safe("".join(parts))  # noqa: S308
