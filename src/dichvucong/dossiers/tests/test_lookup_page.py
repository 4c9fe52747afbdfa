"""The lookup page's parts rendered once and filled per request: the form's fields
(public_views._fields) and a lookup by code's whole content (public_views._code_content, from
core.skeleton); the same markup as the template renders itself, whatever was typed or found."""

import dataclasses
import datetime as dt
import zoneinfo

import pytest
from django.http import QueryDict
from django.template.loader import get_template
from django.utils import timezone, translation

from dichvucong.dossiers import public_views
from dichvucong.dossiers.lookup import PublicDossier, PublicEvent
from dichvucong.dossiers.public_views import (
    LookupForm,
    _code_content,
    _fields,
    _page_content,
    typed_code,
)

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


# --- A lookup by code from the template's skeleton (public_views._code_content) -------------

WHEN = dt.datetime(2026, 11, 21, 1, 5, tzinfo=dt.UTC)  # 08:05 in Hà Nội; 31/12 → 01/01 below
DOSSIER = PublicDossier(
    code="000.00.31.H10-261121-0007",
    procedure='Cấp "giấy phép" <xây dựng> & sửa chữa nhà ở riêng lẻ',
    agency="Sở Xây dựng tỉnh Bình Phước",
    status="received",
    status_label="Đã tiếp nhận",
    applicant="Nguyễn V… A…",
    submitted_at=WHEN,
    received_at=WHEN + dt.timedelta(hours=2),
    due_at=dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC),
    finished_at=WHEN + dt.timedelta(days=3),
    returned_at=WHEN + dt.timedelta(days=4, minutes=1),
    timeline=(
        PublicEvent(status="Mới nộp, chờ tiếp nhận", at=WHEN),
        PublicEvent(status="Đã tiếp nhận <b>&</b>", at=WHEN + dt.timedelta(hours=2)),
        PublicEvent(status="Đang xử lý", at=dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)),
    ),
)
RESULTS = {
    "every date": DOSSIER,
    "not finished": dataclasses.replace(DOSSIER, finished_at=None, returned_at=None),
    "only submitted": dataclasses.replace(
        DOSSIER, received_at=None, due_at=None, finished_at=None, returned_at=None
    ),
    "no timeline": dataclasses.replace(DOSSIER, timeline=()),
    "one event, no name": dataclasses.replace(DOSSIER, applicant="", timeline=DOSSIER.timeline[:1]),
    "not found": None,
}


def template_content(typed: str, result: PublicDossier | None) -> str:
    """What the page's template renders for this lookup (the path of every other request)."""
    form = bound(typed)
    assert form.is_valid()
    context = {"form": form, "searched": True, "results": [result] if result else []}
    context["ask_birth_date"] = False
    return _page_content(context, None)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC", "America/New_York"])
@pytest.mark.parametrize("result", RESULTS.values(), ids=RESULTS.keys())
@pytest.mark.parametrize("typed", ["000.00.31.H10-261121-0007", "  000.00.31.h10-261121-0007 "])
def test_the_skeleton_gives_the_template_s_markup(language, zone, result, typed):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        fast = _code_content(typed, result)
        again = _code_content(typed, result)  # from the kept skeletons
        assert fast == again == template_content(typed, result)
    assert "\x00" not in fast
    if result is not None:
        assert "&lt;xây dựng&gt; &amp; sửa" in fast
        assert fast.count("<li>") == len(result.timeline)
    if result is DOSSIER:
        assert "Đã tiếp nhận &lt;b&gt;&amp;&lt;/b&gt;" in fast


def test_the_skeleton_writes_the_dates_in_the_current_time_zone():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")):
        html = _code_content(DOSSIER.code, DOSSIER)
    assert '<time datetime="2026-11-21T08:05:00+07:00">08:05 21/11/2026</time>' in html
    assert "01/01/2027" in html  # the appointment, 17:30 UTC on 31/12
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert "31/12/2026" in _code_content(DOSSIER.code, DOSSIER)


@pytest.mark.parametrize(
    "query",
    [
        {"ma": "000.00.31.H10-261121-0007"},
        {"ma": " 000.00.31.h10-261121-0007\t"},
    ],
)
def test_only_a_plain_code_takes_the_skeleton(query):
    assert typed_code(querydict(query)) == query["ma"]


@pytest.mark.parametrize(
    "query",
    [
        {"ma": "000.00.31.H10-261121-0007", "ngay_sinh": ""},  # the birth-date step
        {"ma": "000.00.31.H10-261121-0007", "utm_source": "zalo"},
        {"ma": ["000.00.31.H10-261121-0007", "000.00.31.H10-261121-0008"]},
        {"ma": "000.00.31.H10-261121-0007\u00a0"},  # not ASCII: the form cleans it
        {"ma": "000.00.31.H10-261121-" + "0" * 60},  # longer than the field allows
        {"ma": "285123456"},  # an ID number
        {"ma": "Nguyễn"},
        {"ma": ""},
        {"ngay_sinh": "01/01/1990"},
    ],
)
def test_anything_else_takes_the_form(query):
    assert typed_code(querydict(query)) is None


def querydict(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def test_with_debug_on_an_edited_template_shows_at_once(settings, monkeypatch):
    """Nothing is kept while DEBUG is on (`make run`): the next lookup renders the template."""
    settings.DEBUG = True
    before = _code_content(DOSSIER.code, DOSSIER)
    calls = []
    real = public_views._content
    monkeypatch.setattr(public_views, "_content", lambda *a: calls.append(1) or real(*a))
    assert _code_content(DOSSIER.code, DOSSIER) == before
    assert calls == [1]
