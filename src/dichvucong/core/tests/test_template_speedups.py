"""The two speed-ups of the busiest pages: the chrome kept for anonymous visitors
({% anonymous_cache %}) and the strftime date filters (vn_dates)."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.urls import reverse
from django.utils import timezone, translation

from dichvucong.accounts.tests.factories import citizen
from dichvucong.core.templatetags import chrome

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _empty_chrome_cache():
    chrome.clear()
    with translation.override("vi"):  # an /en/ request leaves English active in the thread
        yield
    chrome.clear()


def current_nav_item(html: str) -> str:
    _head, _, rest = html.partition('aria-current="page">')
    assert rest, "no navigation item is marked as the current page"
    return rest.split("<", 1)[0]


def test_each_page_keeps_its_own_current_navigation_item(client):
    for _ in range(2):  # the second round is served from the kept chrome
        assert current_nav_item(client.get(reverse("lookup")).content.decode()) == "Tra cứu hồ sơ"
        assert (
            current_nav_item(client.get(reverse("catalog:procedure_list")).content.decode())
            == "Thủ tục hành chính"
        )
        assert current_nav_item(client.get(reverse("home")).content.decode()) == "Trang chủ"


def test_logged_in_people_never_get_the_visitors_header_nor_one_another_s(client):
    client.get(reverse("lookup"))  # keeps the anonymous header
    user = citizen(verified=True)
    client.force_login(user)
    html = client.get(reverse("lookup")).content.decode()
    assert "Đăng xuất" in html
    assert "Hồ sơ của bạn" in html
    assert 'href="/tai-khoan/dang-nhap/"' not in html.split("</header>")[0]
    client.logout()
    html = client.get(reverse("lookup")).content.decode()
    assert "Đăng xuất" not in html
    assert "Đăng nhập" in html


def test_a_changed_setting_is_shown_at_once(client, settings):
    settings.PORTAL_HOTLINE = "0271 1111 111"
    assert "0271 1111 111" in client.get(reverse("lookup")).content.decode()
    settings.PORTAL_HOTLINE = "0271 2222 222"
    html = client.get(reverse("lookup")).content.decode()
    assert "0271 2222 222" in html
    assert "0271 1111 111" not in html


def test_with_debug_on_nothing_is_kept(rf, settings):
    settings.DEBUG = True
    template = Template('{% load chrome %}{% anonymous_cache "t" %}{{ n }}{% endanonymous_cache %}')
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert template.render(Context({"request": request, "n": 1})) == "1"
    assert template.render(Context({"request": request, "n": 2})) == "2"


def test_values_listed_after_the_name_and_the_language_make_separate_entries(rf):
    template = Template(
        '{% load chrome %}{% anonymous_cache "t" page %}{{ page }}{{ n }}{% endanonymous_cache %}'
    )
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()

    def render(page, n):
        return template.render(Context({"request": request, "page": page, "n": n}))

    assert render("a", 1) == "a1"
    assert render("a", 2) == "a1"  # kept
    assert render("b", 3) == "b3"
    with translation.override("en"):
        assert render("a", 4) == "a4"


def test_the_entries_are_bounded(rf, monkeypatch):
    monkeypatch.setattr(chrome, "MAX_ENTRIES", 3)
    template = Template(
        '{% load chrome %}{% anonymous_cache "t" k %}{{ k }}{% endanonymous_cache %}'
    )
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    for k in range(10):
        template.render(Context({"request": request, "k": k}))
    assert len(chrome._entries) == 3


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 11, 22, 16, 59, 5, tzinfo=dt.UTC),  # 23:59 in Hồ Chí Minh
        dt.datetime(2026, 11, 22, 17, 0, 0, tzinfo=dt.UTC),  # next day there
        dt.datetime(2026, 1, 2, 3, 4, tzinfo=HCM),
    ],
)
def test_the_fast_date_filters_write_what_the_date_filter_writes(value):
    with timezone.override(HCM):
        rendered = Template(
            "{% load vn_dates %}{{ v|ngay_gio }}|{{ v|ngay }}|{{ v|ngay_iso }}"
        ).render(Context({"v": value}))
        expected = Template(
            '{{ v|date:"H:i d/m/Y" }}|{{ v|date:"d/m/Y" }}|{{ v|date:"c" }}'
        ).render(Context({"v": value}))
    assert rendered == expected
    assert django_date(dt.date(2026, 3, 4), "d/m/Y") == Template(
        "{% load vn_dates %}{{ d|ngay }}"
    ).render(Context({"d": dt.date(2026, 3, 4)}))


def test_the_fast_date_filters_leave_empty_values_empty():
    html = Template('{% load vn_dates %}[{{ v|ngay_gio|default:"—" }}][{{ v|ngay }}]').render(
        Context({"v": None})
    )
    assert html == "[—][]"


def test_the_language_switcher_follows_the_page_and_the_language(client):
    for _ in range(2):  # the second round is served from the kept chrome
        html = client.get("/tra-cuu/").content.decode()
        assert 'href="/en/tra-cuu/" lang="en"' in html
        html = client.get("/thu-tuc/").content.decode()
        assert 'href="/en/thu-tuc/" lang="en"' in html
        html = client.get("/en/tra-cuu/").content.decode()
        assert 'href="/tra-cuu/" lang="vi"' in html
        assert "Tra cứu hồ sơ</a>" not in html.split("</header>")[0]


def test_a_block_inside_a_kept_region_is_refused():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="cannot hold"):
        Template(
            '{% load chrome %}{% anonymous_cache "t" %}'
            "{% block b %}{% endblock %}{% endanonymous_cache %}"
        )


def test_blocks_around_a_kept_region_are_still_found():
    from django.template import engines

    engine = engines["django"].engine
    parent = engine.from_string(
        '{% load chrome %}{% anonymous_cache "t" %}đầu{% endanonymous_cache %}'
        "[{% block content %}gốc{% endblock %}]"
    )
    child = engine.from_string("{% extends parent %}{% block content %}con{% endblock %}")
    assert child.render(Context({"parent": parent})) == "đầu[con]"
