import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """'Trang chủ': the guides' entry points (procedures, lookup, register, log in)."""
    from dichvucong.catalog.selectors import home_summary

    return render(request, "core/home.html", home_summary())


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/terms.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app answers and its database does; 503 otherwise (for load balancers)."""
    try:
        _check_database()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    """Every Redis the settings name (cache, Celery broker), each with a short timeout."""
    import redis

    urls = {settings.REDIS_URL, getattr(settings, "CELERY_BROKER_URL", "") or ""}
    for url in sorted(u for u in urls if u.startswith(("redis://", "rediss://", "unix://"))):
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()


def _check_storage() -> None:
    from django.core.files.storage import storages

    from .storage import check_storage

    for alias in ("private", "default"):
        check_storage(storages[alias])


READINESS_CHECKS = {
    "database": _check_database,
    "redis": _check_redis,
    "storage": _check_storage,
}


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database, Redis (when configured) and the file storage answer.
    200 with each check "ok", else 503 naming what failed and the kind of error only (no
    addresses, names or secrets). For load balancers and `make run-prod`; /healthz only says
    the process is alive."""
    checks: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        if name == "redis" and not (settings.REDIS_URL or settings.CELERY_BROKER_URL):
            checks[name] = "not configured"
            continue
        try:
            check()
        except Exception as error:  # any failure makes the instance not ready
            logger.warning("readyz: %s failed (%s)", name, error.__class__.__name__)
            checks[name] = f"error: {error.__class__.__name__}"
        else:
            checks[name] = "ok"
    failed = sorted(name for name, result in checks.items() if result.startswith("error"))
    if failed:
        return JsonResponse({"status": "error", "failed": failed, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)
