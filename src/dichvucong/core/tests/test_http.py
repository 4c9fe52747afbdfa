"""core.http.never_cache gives a response the headers Django's never_cache gives it."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.views.decorators import cache as django_cache

from dichvucong.core import http


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Cache-Control": "public, max-age=600"},
        {"Expires": "Thu, 01 Jan 2037 00:00:00 GMT"},
        {"Vary": "Cookie"},
    ],
)
def test_the_same_headers_as_django_s(headers, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 1_800_000_000.25)

    def view(request):
        response = HttpResponse("ok")
        for name, value in headers.items():
            response.headers[name] = value
        return response

    request = RequestFactory().get("/tra-cuu/")
    ours = http.never_cache(view)(request)
    django = django_cache.never_cache(view)(request)
    assert dict(ours.headers) == dict(django.headers)
    if not headers:
        assert ours["Expires"] == "Fri, 15 Jan 2027 08:00:00 GMT"
        assert ours["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_expires_follows_the_clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr("time.time", lambda: now[0])
    first = http._expires_now()
    now[0] += 1
    assert http._expires_now() != first
