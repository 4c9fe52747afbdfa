from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Every email and SMS the portal sent, for developers and demos (embedded profile only)."""
    if not settings.DEV_OUTBOX_ENABLED:
        raise Http404
    page = Paginator(Notification.objects.order_by("-created_at", "-id"), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "notifications/dev_outbox.html", {"page": page})


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    """ "Thông báo": the person's own in-app messages, unread first marked, newest first."""
    page = Paginator(selectors.inbox_for(user=request.user), 20).get_page(request.GET.get("trang"))
    return render(request, "notifications/centre.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        raise Http404
    messages.success(request, _("Đã đánh dấu thông báo là đã đọc."))
    return redirect_to_centre(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count})
    return redirect_to_centre(request)


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Xem": mark one's own message read and go where it points (on this site only)."""
    notification = selectors.inbox_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification_id=pk)
    target = notification.link
    if target.startswith(settings.PORTAL_BASE_URL.rstrip("/") + "/"):
        target = target[len(settings.PORTAL_BASE_URL.rstrip("/")) :]
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect_to_centre(request)
    return redirect(target)


def redirect_to_centre(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("trang", "")
    response = redirect("notifications:centre")
    if page.isdigit() and page != "1":
        response["Location"] += f"?trang={page}"
    return response
