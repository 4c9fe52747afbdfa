""" "Tra cứu hồ sơ" (seeds §III): anyone, no login, rate-limited, logged, nothing personal."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dichvucong.core.forms import VietnameseErrorsMixin, VnDateField
from dichvucong.core.frame import render_in_frame
from dichvucong.core.ratelimit import client_address
from dichvucong.core.templatetags.chrome import remembered

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
    form = LookupForm(request.GET or None)
    context: dict = {"form": form}
    if not request.GET:
        return _page(request, context)
    client = client_address(request)
    if lookup.rate_limited(client):
        context["rate_limit_message"] = _(
            "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 1 phút."
        )
        return _page(request, context, status=429)
    if not form.is_valid():
        return _page(request, context, status=400)
    outcome = lookup.lookup_search(
        raw_query=form.cleaned_data["ma"],
        birth_date=form.cleaned_data.get("ngay_sinh"),
        client_address=client,
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


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The page's content from its Jinja2 template inside the site layout (core.frame): the
    busiest public page, rendered at a fraction of the Django template's CPU."""
    context["help_line"] = _("Cần hỗ trợ? Gọi %(hotline)s.") % {"hotline": settings.PORTAL_HOTLINE}
    context["fields_html"] = _fields(context["form"], bool(context.get("ask_birth_date")))
    content = get_template("dossiers/lookup.html", using="jinja2").render(context, request)
    return render_in_frame(request, content, title=_("Tra cứu hồ sơ"), status=status)


# Stand-ins for the typed values in the fields rendered once (no escaping changes them).
_SLOTS = {"ma": "\x00ma\x00", "ngay_sinh": "\x00ngay_sinh\x00"}


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
        blank = LookupForm(initial={name: _SLOTS[name] for name in filled})
        context = {"form": blank, "ask_birth_date": ask_birth_date}
        return get_template("dossiers/lookup_fields.html", using="jinja2").render(context)

    html = str(remembered(key, render))
    for name in filled:
        html = html.replace(_SLOTS[name], escape(str(values[name])))
    return mark_safe(html)  # noqa: S308 (our markup; the values escaped)
