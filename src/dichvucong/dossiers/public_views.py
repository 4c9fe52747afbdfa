""" "Tra cứu hồ sơ" (seeds §III): anyone, no login, rate-limited, logged, nothing personal."""

import dataclasses

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from markupsafe import Markup

from dichvucong.core.forms import VietnameseErrorsMixin, VnDateField
from dichvucong.core.frame import render_in_frame
from dichvucong.core.http import never_cache
from dichvucong.core.ratelimit import client_address
from dichvucong.core.skeleton import Skeleton, current_zone, cut, slot, slot_datetime
from dichvucong.core.templatetags.chrome import kept, remembered

from . import lookup


class LookupForm(VietnameseErrorsMixin, forms.Form):
    ma = forms.CharField(
        label=gettext_lazy("Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu"),
        max_length=64,
        help_text=gettext_lazy(
            "Mã hồ sơ in trên giấy tiếp nhận, ví dụ 000.00.31.H10-261121-0007; hoặc số giấy "
            "tờ của người nộp."
        ),
        error_messages={"required": gettext_lazy("Vui lòng nhập mã hồ sơ hoặc số giấy tờ.")},
    )
    ngay_sinh = VnDateField(
        label=gettext_lazy("Ngày sinh"),
        required=False,
        help_text=gettext_lazy(
            "Ngày sinh của người nộp hồ sơ (ngày/tháng/năm), để bảo vệ thông tin của họ."
        ),
    )


NOT_FOUND = lookup.NOT_FOUND


@never_cache
def lookup_page(request: HttpRequest) -> HttpResponse:
    if not request.GET:
        return _page(request, {"form": LookupForm(None)})
    typed = typed_code(request.GET)
    if typed is not None:
        return code_answer(request, typed)
    if lookup.rate_limited(client_address(request)):
        return _limited(request)
    form = LookupForm(request.GET)
    context: dict = {"form": form}
    if not form.is_valid():
        return _page(request, context, status=400)
    outcome = lookup.lookup_search(
        raw_query=form.cleaned_data["ma"],
        birth_date=form.cleaned_data.get("ngay_sinh"),
        client_address=client_address(request),
    )
    if outcome.kind == "invalid":
        form.add_error("ma", lookup.INVALID_QUERY)
        return _page(request, context, status=400)
    if outcome.kind == "ask_birth_date":
        # Always ask, known ID or not: the question itself reveals nothing.
        context["ask_birth_date"] = True
        return _page(request, context)
    context.update(results=outcome.results, searched=True, ask_birth_date=outcome.kind == "id")
    return _page(request, context)


def code_answer(request: HttpRequest, typed: str) -> HttpResponse:
    """The answer to a lookup by code alone (typed_code()): counted against the client's
    limit, looked up, logged, and the page from its skeleton. The view's and the fast lane's
    (dossiers.middleware), without the caching headers, which both add."""
    client = client_address(request)
    if lookup.rate_limited(client):
        return _limited(request)
    outcome = lookup.lookup_search(raw_query=typed, birth_date=None, client_address=client)
    content = _code_content(typed, outcome.results[0] if outcome.results else None)
    return render_in_frame(request, content, title=_("Tra cứu hồ sơ"))


def _limited(request: HttpRequest) -> HttpResponse:
    """HTTP 429 with the form as it was sent and the reason."""
    context = {
        "form": LookupForm(request.GET),
        "rate_limit_message": _(
            "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 1 phút."
        ),
    }
    return _page(request, context, status=429)


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The page's content from its Jinja2 template inside the site layout (core.frame): the
    busiest public page, rendered at a fraction of the Django template's CPU."""
    content = _page_content(context, request)
    return render_in_frame(request, content, title=_("Tra cứu hồ sơ"), status=status)


def _page_content(context: dict, request: HttpRequest | None) -> str:
    context["fields_html"] = _fields(context["form"], bool(context.get("ask_birth_date")))
    return _content(context, request)


def _content(context: dict, request: HttpRequest | None) -> str:
    context["help_line"] = _("Cần hỗ trợ? Gọi %(hotline)s.") % {"hotline": settings.PORTAL_HOTLINE}
    return get_template("dossiers/lookup.html", using="jinja2").render(context, request)


# --- A lookup by code: the page from its skeleton ------------------------------------------


def typed_code(query: QueryDict) -> str | None:
    """What was typed, when the request is the form sent with a dossier code and nothing else
    (the page's busiest case): ASCII, so that the form's cleaning (strip, NFC) could not change
    what lookup.normalise_query() makes of it, and within the field's length."""
    if len(query) != 1:
        return None
    typed = query.get("ma")
    if (
        typed is None
        or len(query.getlist("ma")) != 1
        or not typed.isascii()
        or len(typed.strip()) > LookupForm.base_fields["ma"].max_length
        or not lookup.looks_like_code(lookup.normalise_query(typed))
    ):
        return None
    return typed


def _code_content(typed: str, result: lookup.PublicDossier | None) -> str:
    """The content a lookup by code gives, as _page() renders it (compared for awkward values in
    dossiers/tests/test_lookup_page.py), from skeletons of the template kept per language and
    shape (core.skeleton): the content's text is written once, the values put in per request."""
    page, event = _code_skeletons(_shape(result))
    if result is None:
        return page.fill({"ma": typed})
    zone = current_zone()
    values = {name: getattr(result, name) for name in _SHOWN}
    values["ma"] = typed
    values["timeline"] = Markup(  # noqa: S704 (the skeleton's fill escaped the values)
        "".join(event.fill(e.__dict__, zone) for e in result.timeline)
    )
    return page.fill(values, zone)


# PublicDossier's fields that the page shows (the skeleton's stand-ins but the timeline).
_SHOWN = tuple(f.name for f in dataclasses.fields(lookup.PublicDossier) if f.name != "timeline")


def _shape(result: lookup.PublicDossier | None) -> tuple[str, ...] | None:
    """What decides the page's markup besides the language: found or not, and which fields
    are empty (the template writes "—" for a missing date)."""
    if result is None:
        return None
    return tuple(name for name in _SHOWN if not getattr(result, name))


def _code_skeletons(shape: tuple[str, ...] | None) -> tuple[Skeleton, Skeleton]:
    def build() -> tuple[Skeleton, Skeleton]:
        stand_in = lookup.PublicEvent(status=slot("status"), at=slot_datetime("at"))
        event_html = str(
            get_template("dossiers/lookup_parts.html", using="jinja2")
            .template.make_module()
            .event(stand_in)
        )
        results = []
        if shape is not None:
            fields = {name: _empty(name) if name in shape else _stand_in(name) for name in _SHOWN}
            results = [lookup.PublicDossier(**fields, timeline=(stand_in,))]
        context = {
            "form": LookupForm(initial={"ma": slot("ma")}),
            "searched": True,
            "results": results,
        }
        html = _content(context, None)  # no request: nothing of a visitor's in the skeleton
        if shape is not None:
            html = cut(html, event_html, "timeline")
        return Skeleton(html), Skeleton(event_html)

    if settings.DEBUG:  # a template being edited shows at once
        return build()
    return kept(("lookup-code-page", get_language(), shape), build)


def _stand_in(name: str) -> object:
    return slot_datetime(name) if name in _DATES else slot(name)


def _empty(name: str) -> object:
    return None if name in _DATES else ""


_DATES = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")


def _fields(form: LookupForm, ask_birth_date: bool) -> str | None:
    """The form's fields as lookup_fields.html writes them, or None when a field has an error
    (then the template renders them itself).

    Without errors the fields' markup depends only on the language, on which fields are shown
    and on which of them hold a value; it is rendered once per process for each of these
    (core.templatetags.chrome.remembered), with stand-ins where the values go, and the escaped
    values replace the stand-ins. Checked equal to the template's own output in
    dossiers/tests/test_lookup_page.py."""
    if form.is_bound and form.errors:
        return None
    names = ("ma", "ngay_sinh") if ask_birth_date else ("ma",)
    values = {name: form[name].value() if form.is_bound else None for name in names}
    filled = tuple(name for name in names if values[name] not in (None, ""))
    key = ("lookup-fields", get_language(), ask_birth_date, filled)

    def render() -> str:
        blank = LookupForm(initial={name: slot(name) for name in filled})
        context = {"form": blank, "ask_birth_date": ask_birth_date}
        return get_template("dossiers/lookup_fields.html", using="jinja2").render(context)

    html = render() if settings.DEBUG else str(remembered(key, render))
    for name in filled:
        html = html.replace(slot(name), escape(str(values[name])))
    return mark_safe(html)  # noqa: S308 (our markup; the values escaped)
