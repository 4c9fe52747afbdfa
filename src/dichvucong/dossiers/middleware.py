"""The lookup's fast lane: "Tra cứu hồ sơ" by code for an anonymous visitor, answered before the
session, language, CSRF, authentication, OTP, message and frame-options middleware run.

The busiest public page (seeds §III: codes typed from receipts, QR codes scanned) is almost
always the same request: GET /tra-cuu/?ma=<code>, with no session. For that request those
middleware only set the language from the URL and add four headers, yet they cost about as much
as the lookup's own query (bench/lookup.py, docs/performance.md). Like WhiteNoise for static
files, this middleware sits near the top of the stack (after the request log, security, static
files and CSP middleware, which still see and finish the response) and answers that one request
itself, with what the skipped middleware would have given it:

- the language of the URL (the default language without a prefix: i18n_patterns with
  prefix_default_language=False), as LocaleMiddleware sets it, and its Content-Language and
  "Vary: Accept-Language" (unprefixed URL only) headers;
- "Vary: Cookie", as SessionMiddleware adds once the page has asked whether someone is logged
  in; X-Frame-Options; Content-Length, as CommonMiddleware sets it;
- the host checked against ALLOWED_HOSTS (CommonMiddleware; a bad host gets Django's 400);
- an anonymous user (no session cookie: nobody can be logged in).

The view's own function answers (public_views.code_answer: rate limit, lookup, log, page), so
everything the page says is the view's. Anything else goes down the whole stack: another method
or path, a query that is not a code alone (public_views.typed_code), a cookie other than the
CSRF and language cookies (a session, a pending message), DEBUG, PREPEND_WWW or
DISALLOWED_USER_AGENTS set, or the page's layout not rendered yet in this process. The response
is the one the whole stack gives, header for header and byte for byte (tested for both
languages, found and not found, the rate limit, https behind a proxy, bad hosts and cookies:
dossiers/tests/test_lookup_fast_lane.py). LOOKUP_FAST_LANE=false turns it off.
"""

import functools

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from dichvucong.core.frame import is_kept
from dichvucong.core.http import add_never_cache

from . import public_views


class LookupFastLaneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LOOKUP_FAST_LANE and not settings.DEBUG:
            response = _answer(request)
            if response is not None:
                return response
        return self.get_response(request)


def _answer(request: HttpRequest) -> HttpResponse | None:
    """The lookup's response, or None for a request the whole stack must answer."""
    if request.method != "GET":
        return None
    path_language = _lookup_paths().get(request.path_info)
    if path_language is None:
        return None
    if request.COOKIES and not _harmless(request.COOKIES):
        return None
    if settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
        return None
    typed = public_views.typed_code(request.GET)
    if typed is None:
        return None
    request.get_host()  # DisallowedHost for a host not in ALLOWED_HOSTS, as CommonMiddleware
    language = path_language or settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    if not is_kept(request, _("Tra cứu hồ sơ")):
        return None  # the whole stack renders the layout once, then it is kept
    request.user = AnonymousUser()
    response = add_never_cache(public_views.code_answer(request, typed))
    # In the order the skipped middleware would have written them (the innermost first).
    headers = response.headers
    headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())
    headers["Content-Length"] = str(len(response.content))
    if not path_language:  # the language did not come from the URL
        patch_vary_headers(response, ("Accept-Language",))
    headers.setdefault("Content-Language", language)
    patch_vary_headers(response, ("Cookie",))
    return response


def _harmless(cookies: dict) -> bool:
    """Only the CSRF and language cookies: neither changes the lookup's page."""
    return {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}.issuperset(cookies)


@functools.cache
def _lookup_paths() -> dict[str, str]:
    """The lookup page's path in each language: the language of its prefix, "" without one."""
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            path = reverse("lookup")
        paths[path] = translation.get_language_from_path(path) or ""
    return paths
