"""Markup rendered once with stand-ins and filled per request (core.skeleton): the filled
skeleton equals the template's own output, values are escaped as autoescaping does, dates are
written by the date filters' rules, and a template that changes a stand-in is refused."""

import datetime as dt
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone
from markupsafe import Markup

from dichvucong.core import skeleton
from dichvucong.core.skeleton import Skeleton, cut, slot, slot_datetime

TEMPLATE = (
    '<p title="{{ name }}">{{ name }} · {{ at|ngay_gio }} · {{ at|ngay }}'
    ' <time datetime="{{ at|ngay_iso }}"></time> {{ note }}</p>'
)


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize("name", ["An", '"><script>x</script>', "Trần & 'Lê'", ""])
@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC"])
def test_a_filled_skeleton_is_what_the_template_writes(name, zone):
    at = dt.datetime(2026, 12, 31, 20, 15, tzinfo=dt.UTC)
    note = Markup("<em>đã</em>")
    skeleton = Skeleton(render(TEMPLATE, name=slot("name"), at=slot_datetime("at"), note=slot("n")))
    assert skeleton.names == {"name", "at", "n"}
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert skeleton.fill({"name": name, "at": at, "n": note}) == render(
            TEMPLATE, name=name, at=at, note=note
        )


def test_dates_in_the_current_time_zone():
    skeleton = Skeleton(render("{{ at|ngay_gio }}|{{ at|ngay_iso }}", at=slot_datetime("at")))
    at = dt.datetime(2026, 12, 31, 20, 15, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")):
        assert skeleton.fill({"at": at}) == "03:15 01/01/2027|2027-01-01T03:15:00+07:00"


def test_a_stand_in_changed_by_the_template_is_refused():
    with pytest.raises(ValueError, match="changed"):
        Skeleton(render("{{ name[1:] }}", name=slot("name")))
    upper = Skeleton(render("{{ name|upper }}", name=slot("name")))
    with pytest.raises(KeyError):  # a stand-in of another name: never filled silently
        upper.fill({"name": "An"})


def test_a_missing_value_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        Skeleton(render("{{ a }}{{ b }}", a=slot("a"), b=slot("b"))).fill({"a": "x"})


def test_a_repeated_part_is_cut_out_once():
    item = "<li>\x00x\x00</li>"
    page = f"<ol>{item}</ol>"
    assert cut(page, item, "items") == "<ol>\x00items\x00</ol>"
    with pytest.raises(ValueError, match="2 times"):
        cut(page + page, item, "items")
    with pytest.raises(ValueError, match="0 times"):
        cut(page, "<li>y</li>", "items")


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(1999, 7, 9, 0, 0, tzinfo=dt.UTC),
        dt.datetime(1000, 1, 1, 12, 0, tzinfo=dt.UTC),
    ],
)
def test_the_date_formats_are_strftime_s(at):
    for fmt, write in skeleton._FORMATTERS.items():
        assert write(at) == (at.isoformat() if fmt == skeleton.ISO else at.strftime(fmt))
