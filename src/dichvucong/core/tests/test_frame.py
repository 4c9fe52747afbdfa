"""core.frame: base.html around content from another engine, kept per process for anonymous
visitors (like the header and footer of {% anonymous_cache %}), never for logged-in people or
requests with a message to show."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation

from dichvucong.accounts.tests.factories import citizen
from dichvucong.core import frame
from dichvucong.core.templatetags import chrome

pytestmark = pytest.mark.django_db
URL = reverse("lookup")


@pytest.fixture(autouse=True)
def _empty_cache():
    chrome.clear()
    with translation.override("vi"):
        yield
    chrome.clear()


@pytest.fixture
def frame_renders():
    """How many times frame.html was rendered by the template engine."""
    rendered: list[str] = []

    def count(sender, template, context, **kwargs):
        if template.name == "frame.html":
            rendered.append(template.name)

    template_rendered.connect(count)
    yield rendered
    template_rendered.disconnect(count)


@pytest.fixture
def anonymous_request():
    def make():
        request = RequestFactory().get(URL)
        request.user = AnonymousUser()
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return make


def test_the_page_is_the_layout_around_its_content(client):
    html = client.get(URL).content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "<title>Tra cứu hồ sơ – " in html
    assert 'href="/tra-cuu/" aria-current="page">Tra cứu hồ sơ<' in html
    main = html.split('<main id="noi-dung" class="container" tabindex="-1">')[1]
    assert main.index("<h1>Tra cứu hồ sơ</h1>") < main.index("</main>") < main.index("<footer")
    assert "\x00" not in html
    assert html.count("<html") == html.count("</html>") == 1


def test_anonymous_visitors_share_one_rendered_layout_per_page_and_language(client, frame_renders):
    first = client.get(URL).content.decode()
    second = client.get(URL, {"ma": "000.00.31.H10-261121-0007"}).content.decode()
    assert len(frame_renders) == 1
    assert first.split("<main")[0] == second.split("<main")[0]
    assert first.split("</main>")[1] == second.split("</main>")[1]
    english = client.get("/en" + URL).content.decode()
    assert len(frame_renders) == 2
    assert '<html lang="en">' in english
    assert "Tra cứu hồ sơ" not in english.split("<main")[0]


def test_logged_in_people_get_their_own_layout_every_time(client, frame_renders):
    client.get(URL)
    user = citizen(verified=True)
    client.force_login(user)
    for _ in range(2):
        html = client.get(URL).content.decode()
        assert "Đăng xuất" in html
        assert "csrfmiddlewaretoken" in html  # the logout form's own token
    assert len(frame_renders) == 3
    client.logout()
    assert "Đăng xuất" not in client.get(URL).content.decode()


def test_a_pending_message_is_shown_once_and_never_kept(anonymous_request, frame_renders):
    frame.render_in_frame(anonymous_request(), "<p>x</p>", title="T")  # keeps the layout
    request = anonymous_request()
    messages.success(request, "Bạn đã đăng xuất.")
    html = frame.render_in_frame(request, "<p>x</p>", title="T").content.decode()
    assert "Bạn đã đăng xuất." in html
    again = frame.render_in_frame(anonymous_request(), "<p>x</p>", title="T").content.decode()
    assert "Bạn đã đăng xuất." not in again
    assert len(frame_renders) == 2


def test_the_status_and_the_content_are_the_caller_s(anonymous_request):
    response = frame.render_in_frame(anonymous_request(), "<p>Nội dung</p>", title="T", status=429)
    assert isinstance(response, HttpResponse)
    assert response.status_code == 429
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<p>Nội dung</p>" in response.content.decode()


def test_a_changed_setting_shows_at_once(client, settings):
    client.get(URL)
    settings.PORTAL_NAME = "Cổng Dịch vụ công tỉnh Thử nghiệm"
    assert "<title>Tra cứu hồ sơ – Cổng Dịch vụ công tỉnh Thử nghiệm</title>" in (
        client.get(URL).content.decode()
    )


def test_without_a_session_cookie_the_session_is_not_read_and_caches_still_vary(client):
    client.get(URL)  # the layout rendered once (its header asks who is there)
    response = client.get(URL)
    session = response.wsgi_request.session
    assert "_session_cache" not in vars(session)  # not read: nobody is logged in without one
    assert "Cookie" in response["Vary"]
    assert "Đăng nhập" in response.content.decode()


def test_a_stale_session_cookie_is_an_anonymous_visitor(client, frame_renders):
    client.get(URL)
    client.cookies["sessionid"] = "khong-con-phien-nay"
    html = client.get(URL).content.decode()
    assert "Đăng xuất" not in html
    assert "Đăng nhập" in html
    assert len(frame_renders) == 1  # the layout kept for anonymous visitors
