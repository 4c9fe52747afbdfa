from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    """Portal name and hotline for the header and footer of every page."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_HOTLINE": settings.PORTAL_HOTLINE,
        "DEV_OUTBOX_ENABLED": settings.DEV_OUTBOX_ENABLED,
    }
