"""The one-stop desk: staff pages only (not the Django admin). Thin: the dossiers' workflow
actions write, backoffice.selectors read, every look at personal data is logged."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from dichvucong.catalog.models import Field, Procedure
from dichvucong.core.calendar import working_days_left
from dichvucong.core.errors import ApplicationError
from dichvucong.core.ratelimit import client_address
from dichvucong.dossiers import audit
from dichvucong.dossiers.declaration import answers
from dichvucong.dossiers.downloads import attachment_response, slip_response
from dichvucong.dossiers.models import AttachmentKind
from dichvucong.dossiers.workflow.services import actor_roles
from dichvucong.dossiers.workflow.statuses import Status
from dichvucong.dossiers.workflow.transitions import available
from dichvucong.notifications.selectors import deliveries_for

from . import selectors, twofactor
from .forms import ActionForm, CodeForm, InboxFilterForm
from .services import ACTION_INPUTS, STAFF_ACTIONS, staff_act

PAGE_SIZE = 50


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("backoffice:inbox")


@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second factor: the code of the authenticator app (or a recovery code)."""
    user = request.user
    if not twofactor.is_staff_member(user) and not (user.is_authenticated and user.kind == "staff"):
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
        raise Http404
    if twofactor.confirmed_totp(user) is None:
        return redirect(f"{reverse('backoffice:otp_enrol')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("Mã xác thực không đúng hoặc đã dùng. Vui lòng thử lại."))
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(request, "backoffice/otp_verify.html", {"form": form, "next": _next(request)})


@never_cache
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First login: scan the QR code with an authenticator app and type its code."""
    user = request.user
    if not (user.is_authenticated and user.kind == "staff"):
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
        raise Http404
    if twofactor.confirmed_totp(user) is not None:
        return redirect(f"{reverse('backoffice:otp')}?next={_next(request)}")
    device = twofactor.totp_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(ch for ch in form.cleaned_data["code"] if ch.isdigit())
        if len(code) == 6 and device.verify_token(code):
            codes = twofactor.totp_confirm(device=device)
            otp_login(request, device)
            return render(
                request,
                "backoffice/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", _("Mã xác thực không đúng. Hãy nhập mã đang hiện trên ứng dụng."))
    return render(
        request,
        "backoffice/otp_enrol.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_base32(device),
            "next": _next(request),
        },
    )


@twofactor.staff_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = selectors.staff_roles(user)
    fields = Field.objects.filter(agency_id=user.agency_id).order_by("name").only("id", "name")
    procedures = (
        Procedure.objects.filter(agency_id=user.agency_id).order_by("name").only("id", "name")
    )
    form = InboxFilterForm(request.GET or None, fields=fields, procedures=procedures)
    data = form.cleaned_data if form.is_valid() else {}
    dossiers = selectors.inbox(
        user=user,
        roles=roles,
        status=data.get("trang_thai") or "",
        field_id=data.get("linh_vuc") or None,
        procedure_id=data.get("thu_tuc") or None,
        due=data.get("han") or "",
        query=data.get("q") or "",
        order=data.get("sap_xep") or "due",
    )
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = selectors.status_counts(user)
    return render(
        request,
        "backoffice/inbox.html",
        {
            "page": page,
            "form": form,
            "counts": [(s, counts.get(s.value, 0)) for s in Status if s != Status.DRAFT],
            "roles": roles,
        },
    )


@twofactor.staff_required
@never_cache
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = selectors.staff_dossier(user=request.user, pk=pk)
    if dossier is None:
        raise Http404
    audit.record_staff_view(
        user=request.user, dossier=dossier, client_address=client_address(request)
    )
    roles = actor_roles(user=request.user, dossier=dossier)
    possible = list(available(status=dossier.status, actors=roles))
    action_forms = []
    for transition in possible:
        action_forms.append(
            {
                "name": transition.name,
                "label": transition.label,
                "inputs": ACTION_INPUTS[transition.name],
                "form": ActionForm(
                    initial={"version": dossier.version},
                    handlers=selectors.handlers_of(dossier.agency_id),
                    auto_id=f"id_{transition.name}_%s",
                ),
            }
        )
    if (
        dossier.is_open
        and dossier.due_at
        and dossier.original_due_at is None
        and roles & {"handler", "leader"}
    ):
        action_forms.append(
            {
                "name": "apologise",
                "label": _("Lập phiếu xin lỗi, hẹn lại"),
                "inputs": ACTION_INPUTS["apologise"],
                "form": ActionForm(initial={"version": dossier.version}, auto_id="id_apologise_%s"),
            }
        )
    attachments = list(dossier.attachments.all())
    return render(
        request,
        "backoffice/dossier.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "answers": answers(dossier.procedure_version.form_schema, dossier.form_data),
            "attachments": [a for a in attachments if a.kind not in ("result", "draft_result")],
            "drafts": [a for a in attachments if a.kind == AttachmentKind.DRAFT_RESULT],
            "results": [a for a in attachments if a.kind == AttachmentKind.RESULT],
            "events": list(dossier.events.all()),
            "days_left": working_days_left(dossier.due_at) if dossier.due_at else None,
            "action_forms": action_forms,
            "slips": _slips_of(dossier),
            "deliveries": deliveries_for(recipient=dossier.applicant, reference=dossier.code),
        },
    )


@twofactor.staff_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One action button of the dossier page ("Tiếp nhận", "Yêu cầu bổ sung", …)."""
    if name not in STAFF_ACTIONS:
        raise Http404
    dossier = selectors.staff_dossier(user=request.user, pk=pk)
    if dossier is None:
        raise Http404
    form = ActionForm(request.POST, handlers=selectors.handlers_of(dossier.agency_id))
    page = reverse("backoffice:dossier", kwargs={"pk": dossier.pk})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{page}#thao-tac-{name}")
    try:
        data = form.cleaned_data
        staff_act(
            name,
            dossier_id=dossier.pk,
            user=request.user,
            expected_version=data["version"],
            client_address=client_address(request),
            note=data.get("note") or "",
            missing=(data.get("missing") or "").splitlines(),
            assignee_id=data.get("assignee") or None,
            new_due=data.get("new_due"),
            uploads=request.FILES.getlist("files"),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(f"{page}#thao-tac-{name}")
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": _label(name)})
    return redirect(page)


def _label(name: str) -> str:
    from dichvucong.dossiers.workflow.transitions import TRANSITIONS

    if name in TRANSITIONS:
        return str(TRANSITIONS[name].label)
    return _("Lập phiếu xin lỗi, hẹn lại")


@twofactor.staff_required
@xframe_options_sameorigin
def attachment_file(request: HttpRequest, pk: int, inline: bool = False) -> FileResponse:
    """A file of the agency's dossier: inline for previews (PDF and images), else a
    download. Logged either way."""
    attachment = selectors.staff_attachment(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    inline = inline and attachment.content_type in ("application/pdf", "image/png", "image/jpeg")
    audit.record_file_access(
        user=request.user,
        attachment=attachment,
        inline=inline,
        client_address=client_address(request),
    )
    return attachment_response(attachment, inline=inline, framed=True)


def _slips_of(dossier) -> list[tuple[str, str]]:
    from dichvucong.dossiers import slips

    return [(kind, slips.SLIP_KINDS[kind]) for kind in slips.available_slips(dossier)]


@twofactor.staff_required
def slip(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    from dichvucong.dossiers import slips

    dossier = selectors.staff_dossier(user=request.user, pk=pk)
    if dossier is None or kind not in slips.SLIP_KINDS:
        raise Http404
    try:
        pdf = slips.render_slip(kind=kind, dossier=dossier)
    except ApplicationError:
        raise Http404 from None
    audit.record_slip(
        user=request.user, dossier=dossier, kind=kind, client_address=client_address(request)
    )
    return slip_response(pdf, kind=kind, dossier=dossier)
