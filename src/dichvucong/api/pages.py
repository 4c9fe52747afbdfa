""" "Khóa truy cập API": the page under the profile where an account creates and revokes its
personal access tokens. A new token is shown once. Staff reach it only with a session
verified by their second factor (and only once it is set up)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dichvucong.backoffice.twofactor import staff_required
from dichvucong.core.errors import ApplicationError
from dichvucong.core.forms import VietnameseErrorsMixin

from .constants import MAX_TOKEN_DAYS, Scope
from .models import ApiToken
from .services import scopes_for, token_create, token_revoke


class TokenForm(VietnameseErrorsMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=100,
        help_text=gettext_lazy("Ví dụ: Ứng dụng di động của tôi."),
        error_messages={"required": gettext_lazy("Vui lòng đặt tên gợi nhớ cho khóa.")},
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Quyền"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Vui lòng chọn ít nhất một quyền.")},
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Thời hạn"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 ngày")),
            (90, gettext_lazy("90 ngày")),
            (MAX_TOKEN_DAYS, gettext_lazy("1 năm")),
        ],
        initial=90,
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s, Scope(s).label) for s in scopes]


def _page(request: HttpRequest) -> HttpResponse:
    allowed = scopes_for(request.user)
    form = TokenForm(request.POST or None, scopes=allowed)
    secret = None
    if request.method == "POST" and allowed and form.is_valid():
        try:
            created = token_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            secret = created.secret
            form = TokenForm(scopes=allowed)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "allowed": allowed, "secret": secret},
        status=201 if secret else 200,
    )


@login_required
@never_cache
def tokens_page(request: HttpRequest) -> HttpResponse:
    if request.user.kind == "staff":
        return _staff_page(request)
    return _page(request)


_staff_page = staff_required(_page)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.kind == "staff" and not request.user.is_verified():
        return _staff_page(request)
    try:
        token_revoke(user=request.user, token_id=pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã thu hồi khóa."))
    return redirect("api_tokens:list")
