from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Notification


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Every email and SMS the portal sent, for developers and demos (embedded profile only)."""
    if not settings.DEV_OUTBOX_ENABLED:
        raise Http404
    page = Paginator(Notification.objects.order_by("-created_at", "-id"), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "notifications/dev_outbox.html", {"page": page})
