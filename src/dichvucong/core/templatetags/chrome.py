"""{% anonymous_cache %}: the page chrome (header, footer) rendered once per process for visitors.

The header and footer are the same for every anonymous visitor of a page in a language, and
rendering them (a dozen `{% url %}`, `{% static %}` and `{% translate %}` tags and the
`aria-current` tests) costs more CPU than the whole lookup query (bench/lookup.py). So:

    {% anonymous_cache "header" request.path %}
      …markup…
    {% endanonymous_cache %}

renders the block normally for a logged-in user (their name, unread count, CSRF token), and for
an anonymous visitor keeps the rendered text in this process, keyed by the name, the active
language and the values listed after the name. The block may only depend on those values and
on settings: list whatever else it reads. Entries live until the process ends (a deployment
restarts it) or a setting changes (tests); at most MAX_ENTRIES, least recently used first out.
With DEBUG on (the embedded profile's runserver) nothing is kept, so template edits show at once.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import FilterExpression, Parser, Token
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_ENTRIES = 2048
_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def clear(**_kwargs) -> None:
    with _lock:
        _entries.clear()


setting_changed.connect(clear, dispatch_uid="chrome-anonymous-cache")


class AnonymousCacheNode(template.Node):
    # Not walked by get_nodes_by_type(): `{% extends %}` walks the whole parent template on
    # every render looking for {% block %}s, and the header and footer are most of base.html's
    # nodes. A {% block %} inside is refused when the template is compiled (see below).
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList, name: str, vary: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        if settings.DEBUG or request is None or not is_anonymous(request):
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(str(v.resolve(context)) for v in self.vary))
        return remembered(key, lambda: self.nodelist.render(context))


def is_anonymous(request) -> bool:
    """Whether the visitor is anonymous. Without a session cookie nobody can be logged in, and
    the session need not be read to know it (reading it is most of the cost of `request.user`
    on a page that otherwise needs no user)."""
    if getattr(request, "user", None) is None:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        session = getattr(request, "session", None)
        if session is not None:
            # The answer came from the cookies: marked as read, so that the response varies on
            # them (SessionMiddleware adds "Vary: Cookie") as when the session is read.
            session.accessed = True
        return True
    return not request.user.is_authenticated


def remembered(key: tuple, render: Callable[[], str]) -> str:
    """The text `render()` gives, kept in this process under `key` (LRU, MAX_ENTRIES, cleared
    when a setting changes). For markup that is the same for every anonymous visitor: the
    caller checks that the visitor is anonymous and that DEBUG is off. Also used by core.frame
    for the whole layout around a page's content."""
    return kept(key, lambda: mark_safe(render()))  # noqa: S308 (rendered by the template engine)


def kept[T](key: tuple, build: Callable[[], T]) -> T:
    """What `build()` gives, kept like remembered() text (core.skeleton keeps its skeletons)."""
    value = peek(key)
    if value is not None:
        return value
    value = build()
    with _lock:
        _entries[key] = value
        if len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def peek(key: tuple) -> Any:
    """What kept() holds under `key`, or None, without building it."""
    with _lock:
        value = _entries.get(key)
        if value is not None:
            _entries.move_to_end(key)
        return value


@register.tag
def anonymous_cache(parser: Parser, token: Token) -> AnonymousCacheNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' needs a name: {{% {bits[0]} \"header\" %}}"
        )
    nodelist = parser.parse(("endanonymous_cache",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(f"'{bits[0]}' cannot hold a {{% block %}}.")
    name = bits[1].strip("\"'")
    return AnonymousCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
