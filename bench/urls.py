"""The benchmark server's URLconf: the app's own URLs plus /bench/bare, a view that does
nothing but answer, through the same middleware stack, to measure the floor of the stack, and
/bench/bare-query, the same with one round trip to the database (`SELECT 1`, prepared as the
lookup's statement is): the floor of any page that asks the database anything."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dichvucong.config.urls import handler403, handler404, handler500
from dichvucong.config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def bare_query(request: HttpRequest) -> HttpResponse:
    from dichvucong.core.db import prepared_cursor

    with prepared_cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare", bare, name="bench-bare"),
    path("bench/bare-query", bare_query, name="bench-bare-query"),
    *app_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
