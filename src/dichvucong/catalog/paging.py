"""One query for a page and its total: `COUNT(*) OVER ()` rides along with the page's rows.

Django's Paginator counts first (a second query, as costly as the page itself when the page is
a search). The window function gives the same number on SQLite and PostgreSQL.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


def page_with_total(
    queryset: QuerySet, number: str | int | None, per_page: int, *, count_in_window: bool = True
) -> Page:
    """The page `number` (1 when missing or not a number; the last when past the end).

    `count_in_window` suits costly filters (a search scans every row once instead of twice);
    for a plain list a separate COUNT is cheaper than numbering every row in a window.
    """
    try:
        wanted = max(int(str(number)), 1)
    except (TypeError, ValueError):
        wanted = 1
    paginator = Paginator(queryset, per_page)
    if not count_in_window:
        return paginator.get_page(wanted)
    counted = queryset.annotate(total_rows=Window(expression=Count("pk")))
    rows = list(counted[(wanted - 1) * per_page : wanted * per_page])
    if rows:
        total = rows[0].total_rows
    elif wanted > 1:
        total = queryset.count()
        wanted = max((total + per_page - 1) // per_page, 1)
        rows = list(queryset[(wanted - 1) * per_page : wanted * per_page])
    else:
        total = 0
    paginator.__dict__["count"] = total  # Paginator.count is a cached_property
    return Page(rows, wanted, paginator)
