import re

from dichvucong.notifications.models import Notification


def last_code(*, to: str, template: str | None = None) -> str:
    """The 6-digit code of the last message sent to an address (from the outbox)."""
    messages = Notification.objects.filter(to=to)
    if template:
        messages = messages.filter(template=template)
    body = messages.latest("created_at", "id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def last_link(*, to: str) -> str:
    body = Notification.objects.filter(to=to, channel="email").latest("created_at", "id").body
    return re.search(r"https?://\S+/tai-khoan/xac-thuc/email/\S+/", body).group(0)
