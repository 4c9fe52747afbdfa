"""never_cache() for the busiest public page (the lookup: dossiers.public_views).

Django's decorator merges its directives into whatever Cache-Control the response has
(parsing and rewriting the header twice) and formats the Expires date through the email
package: a twentieth of what a lookup costs in-process (bench/lookup.py). A response that has
neither header, as the lookup's never has, gets the same two headers here, written directly
(Expires formatted once a second); any other response is left to Django's own function.
Equal to Django's headers: core/tests/test_http.py. add_never_cache() is the same for a
response made outside a view (the lookup's fast lane: dossiers.middleware).
"""

import functools
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

NEVER = "max-age=0, no-cache, no-store, must-revalidate, private"


def never_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return add_never_cache(view(request, *args, **kwargs))

    return wrapper


def add_never_cache(response: HttpResponse) -> HttpResponse:
    """Django's add_never_cache_headers(), written directly on a response with neither header."""
    headers = response.headers
    if "Cache-Control" in headers or "Expires" in headers:
        add_never_cache_headers(response)
    else:
        headers["Expires"] = _expires_now()
        headers["Cache-Control"] = NEVER
    return response


_last: tuple[int, str] = (0, "")


def _expires_now() -> str:
    """http_date(time.time()), what Django's never_cache sets, formatted once a second."""
    global _last
    second = int(time.time())
    if _last[0] != second:
        _last = (second, http_date(second))
    return _last[1]
