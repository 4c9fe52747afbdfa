"""The benchmark server's URLconf: the app's own URLs plus /bench/bare, a view that does
nothing but answer, through the same middleware stack, to measure the floor of the stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dichvucong.config.urls import handler403, handler404, handler500
from dichvucong.config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *app_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
