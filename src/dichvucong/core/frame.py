"""The site layout (templates/base.html) around content rendered by another engine.

`render_in_frame(request, content, title=…)` answers with base.html's header, navigation and
footer around `content` (escaped markup, usually from a Jinja2 template: core.jinja), exactly
as if a Django template had extended base.html with those `title` and `content` blocks.

For an anonymous visitor with no pending message (and DEBUG off) the layout is the same for
every request of a page in a language, so it is rendered once per process, split around the
content, and kept with the header and footer of {% anonymous_cache %} (core.templatetags.chrome:
least recently used out, cleared when a setting changes), keyed by language, path and title.
Logged-in users (their name, unread count, logout form) and requests with a message to show
get the layout rendered for them.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dichvucong.core.templatetags.chrome import is_anonymous, kept, peek

_CONTENT = "\x00frame-content\x00"


def _render(request: HttpRequest, title: str) -> str:
    context = {"frame_title": title, "frame_content": mark_safe(_CONTENT)}  # noqa: S308 (ours)
    return render_to_string("frame.html", context, request=request, using="django")


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def frame(request: HttpRequest, title: str) -> tuple[str, str]:
    """The layout's text before and after the content."""
    if settings.DEBUG or not is_anonymous(request) or _has_messages(request):
        return _split(_render(request, title))
    return kept(_key(request, title), lambda: _split(_render(request, title)))


def is_kept(request: HttpRequest, title: str) -> bool:
    """Whether the anonymous layout of this page in the current language is kept already (the
    lookup's fast lane answers only then: dossiers.middleware)."""
    return not settings.DEBUG and peek(_key(request, title)) is not None


def _key(request: HttpRequest, title: str) -> tuple:
    return ("frame", get_language(), request.path, str(title))


def _split(html: str) -> tuple[str, str]:
    before, after = html.split(_CONTENT)
    return before, after


def render_in_frame(
    request: HttpRequest, content: str, *, title: str, status: int = 200
) -> HttpResponse:
    before, after = frame(request, title)
    return HttpResponse(before + content + after, status=status)
