"""The lookup's fast lane (dossiers.middleware): a lookup by code from an anonymous visitor is
answered before most of the middleware, with the response the whole stack gives, header for
header and byte for byte; anything else goes down the whole stack."""

import datetime as dt
import itertools
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from dichvucong.accounts.tests.factories import citizen
from dichvucong.core.templatetags import chrome
from dichvucong.dossiers.models import LookupLog

from .factories import submitted

pytestmark = pytest.mark.django_db
URL = reverse("lookup")
with translation.override("en"):
    EN_URL = reverse("lookup")
_addresses = (f"10.9.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def fresh_address() -> str:
    """A client address of its own, so that the rate limit never mixes two requests."""
    return next(_addresses)


def took_fast_lane(response) -> bool:
    """The middleware below the fast lane never ran: no session was ever attached."""
    return not hasattr(response.wsgi_request, "session")


def both(client, monkeypatch, path, data, **extra):
    """The same request answered with the fast lane on, then through the whole stack."""
    client.get(path, data, REMOTE_ADDR=fresh_address(), **extra)  # the layout kept
    fast = client.get(path, data, REMOTE_ADDR=fresh_address(), **extra)
    monkeypatch.setattr(django_settings, "LOOKUP_FAST_LANE", False)
    whole = client.get(path, data, REMOTE_ADDR=fresh_address(), **extra)
    monkeypatch.setattr(django_settings, "LOOKUP_FAST_LANE", True)
    return fast, whole


def assert_same_response(fast, whole):
    assert fast.status_code == whole.status_code
    assert fast.content == whole.content
    fast_headers, whole_headers = dict(fast.headers), dict(whole.headers)
    # Expires is the time of the answer: the same second or the next.
    expires = [parsedate_to_datetime(h.pop("Expires")) for h in (fast_headers, whole_headers)]
    assert abs(expires[0] - expires[1]) <= dt.timedelta(seconds=1)
    assert list(fast_headers.items()) == list(whole_headers.items())
    assert fast.cookies.output() == whole.cookies.output()


@pytest.fixture
def dossier():
    return submitted(user=citizen(verified=True, full_name="Trần Thị Bình"))


@pytest.mark.parametrize(
    ("path", "typed", "found"),
    [
        (URL, "{code}", True),
        (URL, " {lower} ", True),
        (EN_URL, "{code}", True),
        (URL, "000.00.31.H10-261121-9999", False),  # well formed, no such dossier
        (EN_URL, "000.00.31.H10-261121-9999", False),
    ],
)
def test_a_lookup_by_code_is_answered_as_the_whole_stack_answers(
    client, monkeypatch, dossier, path, typed, found
):
    query = {"ma": typed.format(code=dossier.code, lower=dossier.code.lower())}
    fast, whole = both(client, monkeypatch, path, query)
    assert took_fast_lane(fast)
    assert not took_fast_lane(whole)
    assert_same_response(fast, whole)
    assert fast.status_code == 200
    assert (dossier.procedure_version.name in fast.content.decode()) is found
    assert LookupLog.objects.filter(found=found).count() == 3


def test_the_language_comes_from_the_url_whatever_the_browser_asks(client, monkeypatch, dossier):
    """Without a prefix the page is in the default language (i18n_patterns without a prefix
    for it), with Vary: Accept-Language, as LocaleMiddleware answers; the CSRF and language
    cookies change nothing."""
    client.cookies["django_language"] = "en"
    client.cookies["csrftoken"] = "x" * 32
    fast, whole = both(client, monkeypatch, URL, {"ma": dossier.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert took_fast_lane(fast)
    assert_same_response(fast, whole)
    assert fast["Content-Language"] == "vi"
    assert fast["Vary"] == "Accept-Language, Cookie"
    fast, whole = both(client, monkeypatch, EN_URL, {"ma": dossier.code})
    assert_same_response(fast, whole)
    assert fast["Content-Language"] == "en"
    assert fast["Vary"] == "Cookie"
    assert '<html lang="en">' in fast.content.decode()


def test_over_the_limit_the_fast_lane_answers_429_once_counted(client, monkeypatch, settings):
    settings.LOOKUPS_PER_CLIENT_PER_MINUTE = 2
    client.get(URL, {"ma": "285123456"})  # the layout kept (another client address)
    answers = [
        client.get(URL, {"ma": "000.00.31.H10-261121-0007"}, REMOTE_ADDR="10.8.0.1")
        for _ in range(3)
    ]
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert all(took_fast_lane(r) for r in answers)
    assert "tra cứu quá nhiều lần" in answers[2].content.decode()
    monkeypatch.setattr(django_settings, "LOOKUP_FAST_LANE", False)
    whole = [
        client.get(URL, {"ma": "000.00.31.H10-261121-0007"}, REMOTE_ADDR="10.8.0.2")
        for _ in range(3)
    ]
    assert [r.status_code for r in whole] == [200, 200, 429]
    assert_same_response(answers[2], whole[2])
    # Each lookup counted and logged once, whichever way it went.
    assert LookupLog.objects.filter(client_address="10.8.0.1").count() == 2
    assert LookupLog.objects.filter(client_address="10.8.0.2").count() == 2


def test_https_behind_the_proxy_gets_the_same_security_headers(client, monkeypatch, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    fast, whole = both(
        client,
        monkeypatch,
        URL,
        {"ma": "000.00.31.H10-261121-0007"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert took_fast_lane(fast)
    assert_same_response(fast, whole)
    assert fast["Strict-Transport-Security"].startswith("max-age=3600")
    assert "Content-Security-Policy" in fast
    assert fast["X-Frame-Options"] == "DENY"


def test_a_host_not_allowed_gets_400_either_way(client, monkeypatch):
    fast, whole = both(
        client, monkeypatch, URL, {"ma": "000.00.31.H10-261121-0007"}, HTTP_HOST="evil.example"
    )
    assert fast.status_code == whole.status_code == 400
    assert LookupLog.objects.count() == 0


@pytest.mark.parametrize(
    ("why", "request_kwargs"),
    [
        ("another parameter", {"data": {"ma": "000.00.31.H10-261121-0007", "nguon": "qr"}}),
        ("an ID number", {"data": {"ma": "285123456"}}),
        ("no query", {"data": {}}),
        ("a non-ASCII query", {"data": {"ma": "000.00.31.H10-261121-0007đ"}}),
        ("a pending message", {"data": {"ma": "000.00.31.H10-261121-0007"}, "cookie": "messages"}),
        ("another cookie", {"data": {"ma": "000.00.31.H10-261121-0007"}, "cookie": "other"}),
    ],
)
def test_anything_else_goes_down_the_whole_stack(client, why, request_kwargs):
    client.get(URL, {"ma": "285123456"})  # the layout kept
    if "cookie" in request_kwargs:
        client.cookies[request_kwargs["cookie"]] = "x"
    response = client.get(URL, request_kwargs["data"], REMOTE_ADDR=fresh_address())
    assert response.status_code in (200, 400)
    assert not took_fast_lane(response), why


def test_other_methods_go_down_the_whole_stack(client):
    client.get(URL, {"ma": "285123456"})
    head = client.head(URL, {"ma": "000.00.31.H10-261121-0007"})
    post = client.post(URL, {"ma": "000.00.31.H10-261121-0007"})
    assert not took_fast_lane(head)
    assert not took_fast_lane(post)


def test_a_logged_in_citizen_sees_their_own_header(client, dossier):
    """A session cookie: the whole stack, which shows who is logged in."""
    client.force_login(dossier.applicant)
    client.get(URL, {"ma": "285123456"})
    response = client.get(URL, {"ma": dossier.code})
    assert not took_fast_lane(response)
    assert "Đăng xuất" in response.content.decode()  # the header of a logged-in visitor


def test_until_the_layout_is_kept_the_whole_stack_answers(client):
    chrome.clear()
    first = client.get(URL, {"ma": "000.00.31.H10-261121-0007"})
    second = client.get(URL, {"ma": "000.00.31.H10-261121-0007"})
    assert (took_fast_lane(first), took_fast_lane(second)) == (False, True)


def test_off_by_setting_and_with_debug(client, settings):
    client.get(URL, {"ma": "285123456"})
    settings.LOOKUP_FAST_LANE = False
    client.get(URL, {"ma": "285123456"})
    assert not took_fast_lane(client.get(URL, {"ma": "000.00.31.H10-261121-0007"}))
    settings.LOOKUP_FAST_LANE = True
    settings.DEBUG = True
    client.get(URL, {"ma": "285123456"})
    assert not took_fast_lane(client.get(URL, {"ma": "000.00.31.H10-261121-0007"}))


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_page_is_the_same_through_libpq(client, settings):
    """As a request runs in production (autocommit): on PostgreSQL the lookup's statement goes
    through libpq (core.db.fetch_all); the page is the one the cursor's rows give."""
    try:
        dossier = submitted(user=citizen(verified=True, full_name="Lê Văn Cường"))
        pages = [client.get(URL, {"ma": dossier.code}).content for _ in range(2)]
        settings.DB_PREPARED_STATEMENTS = False  # the cursor, whatever the database
        client.get(URL, {"ma": "285123456"})  # the layout kept again (the setting cleared it)
        pages.append(client.get(URL, {"ma": dossier.code}).content)
        assert pages[0] == pages[1] == pages[2]
        assert dossier.procedure_version.name in pages[0].decode()
        assert "Lê V… C…" in pages[0].decode()
    finally:
        LookupLog.objects.all().delete()
