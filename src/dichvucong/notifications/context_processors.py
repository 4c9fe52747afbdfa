from django.http import HttpRequest

from .selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """`notifications_unread` for the "Thông báo" item of the top navigation.

    A callable (templates call it), counted once per page and only when a page shows it.
    """
    user = getattr(request, "user", None)
    memo: list[int] = []

    def count() -> int:
        if not memo:
            memo.append(unread_count(user=user))
        return memo[0]

    return {"notifications_unread": count}
