"""Applicant pages: seeds §II Bước 5–7 (level, declaration, attachments, "Nộp hồ sơ",
completion screen) and "Hồ sơ của bạn". Thin: services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dichvucong.catalog.models import Procedure
from dichvucong.core.errors import ApplicationError

from . import selectors, services
from .declaration import answers, declaration_form, missing_components, raw_from_post
from .downloads import attachment_response, slip_response
from .forms import LEVEL_EXPLANATIONS, LevelForm, ListFilterForm, SupplementForm, WithdrawForm
from .workflow.statuses import WITHDRAWABLE, Status

PAGE_SIZE = 20


def _own(request: HttpRequest, pk: int):
    dossier = selectors.dossier_for_applicant(user=request.user, pk=pk)
    if dossier is None:
        raise Http404
    return dossier


@login_required
@never_cache
def start(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """ "Nộp hồ sơ" on a procedure: the level choice ("Mức độ 3" / "Mức độ 4")."""
    procedure = get_object_or_404(
        Procedure.objects.select_related("agency", "current_version"),
        pk=procedure_id,
        is_published=True,
        current_version__isnull=False,
    )
    version = procedure.current_version
    try:
        services.applicant_can_submit(user=request.user, version=version)
    except ApplicationError as error:
        return render(
            request,
            "dossiers/cannot_submit.html",
            {"procedure": procedure, "reason": error.message, "code": error.code},
            status=403,
        )
    form = LevelForm(request.POST or None, levels=version.levels)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_start(
                user=request.user,
                procedure=procedure,
                level=form.cleaned_data["level"],
                token=form.cleaned_data["start_token"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/start.html",
        {"procedure": procedure, "version": version, "form": form},
    )


def _components(dossier, upload_errors: dict[str, list[str]] | None = None) -> list[dict]:
    files: dict[int, list] = {}
    for attachment in dossier.attachments.all():
        files.setdefault(attachment.component_id, []).append(attachment)
    return [
        {
            "component": component,
            "files": files.get(component.pk, []),
            "errors": (upload_errors or {}).get(str(component.pk), []),
            "input_name": f"tp-{component.pk}",
        }
        for component in dossier.procedure_version.components.all()
    ]


def _render_edit(request, dossier, form, *, upload_errors=None, missing=None, status=200):
    return render(
        request,
        "dossiers/edit.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "form": form,
            "components": _components(dossier, upload_errors),
            "missing": missing or [],
            "level_name": LEVEL_EXPLANATIONS[dossier.level][0],
        },
        status=status,
    )


@login_required
@never_cache
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Seeds §II Bước 6: the declaration form and one file input per component.

    Every POST keeps what was typed and every acceptable file ("Lưu nháp"); "Nộp hồ sơ" then
    checks everything and goes to the review step; a file's "Xóa" removes just that file.
    """
    dossier = _own(request, pk)
    if not dossier.is_draft:
        return redirect("dossiers:detail", pk=dossier.pk)
    if request.method != "POST":
        return _render_edit(
            request, dossier, declaration_form(dossier.procedure_version, data=dossier.draft_data)
        )
    uploads = {}
    for component in dossier.procedure_version.components.all():
        files = request.FILES.getlist(f"tp-{component.pk}")
        if files:
            uploads[component.pk] = files
    try:
        outcome = services.dossier_save_draft(
            dossier_id=dossier.pk,
            user=request.user,
            raw_data=raw_from_post(request.POST),
            uploads=uploads,
        )
        remove = request.POST.get("xoa")
        if remove and remove.isdigit():
            services.attachment_remove(attachment_id=int(remove), user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("dossiers:detail", pk=dossier.pk)
    dossier = _own(request, pk)
    form = declaration_form(dossier.procedure_version, data=dossier.draft_data)
    action = request.POST.get("action")
    if outcome.errors:
        form.is_valid()  # show the form's own errors beside the files' ones
        return _render_edit(request, dossier, form, upload_errors=outcome.errors, status=400)
    if action == "submit":
        missing = missing_components(dossier)
        if form.is_valid() and not missing:
            return redirect("dossiers:review", pk=dossier.pk)
        return _render_edit(request, dossier, form, missing=missing, status=400)
    if remove:
        messages.success(request, _("Đã xóa tệp."))
    else:
        messages.success(
            request, _("Đã lưu nháp. Bạn có thể tiếp tục khai sau trong mục Hồ sơ của bạn.")
        )
    return redirect("dossiers:edit", pk=dossier.pk)


@login_required
@never_cache
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything once more before the final "Nộp hồ sơ" (seeds §II Bước 7)."""
    dossier = _own(request, pk)
    if not dossier.is_draft:
        return redirect("dossiers:done" if dossier.code else "dossiers:detail", pk=dossier.pk)
    form, missing = services.dossier_problems(dossier)
    if not form.is_valid() or missing:
        messages.error(request, _("Hồ sơ chưa đầy đủ. Vui lòng kiểm tra lại."))
        return redirect("dossiers:edit", pk=dossier.pk)
    if request.method == "POST":
        try:
            dossier = services.dossier_submit(dossier_id=dossier.pk, user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("dossiers:edit", pk=dossier.pk)
        return redirect("dossiers:done", pk=dossier.pk)
    return render(
        request,
        "dossiers/review.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "answers": answers(dossier.procedure_version.form_schema, form.cleaned_json()),
            "components": _components(dossier),
            "level_name": LEVEL_EXPLANATIONS[dossier.level][0],
        },
    )


@login_required
@never_cache
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion screen and printable online receipt."""
    dossier = _own(request, pk)
    if dossier.is_draft:
        return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/done.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "components": _components(dossier),
            "level_name": LEVEL_EXPLANATIONS[dossier.level][0],
        },
    )


@login_required
@never_cache
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """ "Hồ sơ của bạn": code, procedure, status, submitted and appointment dates."""
    if not request.user.is_applicant:
        raise Http404
    filters = ListFilterForm(request.GET or None)
    status = filters.cleaned_data["trang_thai"] if filters.is_valid() else ""
    page = Paginator(
        selectors.dossiers_of_applicant(user=request.user, status=status or None), PAGE_SIZE
    ).get_page(request.GET.get("trang"))
    return render(request, "dossiers/my_dossiers.html", {"page": page, "filters": filters})


@login_required
@never_cache
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own(request, pk)
    supplement_request = (
        selectors.last_supplement_request(dossier)
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else None
    )
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "answers": answers(dossier.procedure_version.form_schema, dossier.form_data),
            "attachments": [a for a in dossier.attachments.all() if a.kind != "result"],
            "results": [a for a in dossier.attachments.all() if a.kind == "result"],
            "events": [e for e in dossier.events.all() if e.type == "transition"],
            "supplement_request": supplement_request,
            "supplement_form": SupplementForm(initial={"version": dossier.version}),
            "withdraw_form": WithdrawForm(initial={"version": dossier.version}),
            "can_withdraw": dossier.status in WITHDRAWABLE,
            "level_name": LEVEL_EXPLANATIONS[dossier.level][0],
            "slips": _applicant_slips(dossier),
        },
    )


def _applicant_slips(dossier) -> list[tuple[str, str]]:
    from . import slips

    if dossier.is_draft:
        return []
    return [(kind, slips.SLIP_KINDS[kind]) for kind in slips.applicant_slips(dossier)]


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("dossiers:detail", kwargs={"pk": dossier.pk}) + "#rut-ho-so")
    try:
        services.dossier_withdraw(
            dossier_id=dossier.pk,
            user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own(request, pk)
    form = SupplementForm(request.POST)
    files = request.FILES.getlist("files")
    if form.is_valid():
        try:
            updated, outcome = services.dossier_supplement(
                dossier_id=dossier.pk,
                user=request.user,
                note=form.cleaned_data["note"],
                uploads=files,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            form.add_error("note" if error.field != "files" else None, error.message)
        else:
            if updated is not None:
                messages.success(request, _("Đã nộp bổ sung. Cán bộ sẽ kiểm tra lại hồ sơ."))
                return redirect("dossiers:detail", pk=dossier.pk)
            for message in outcome.errors.get("files", []):
                form.add_error(None, message)
    return render(
        request,
        "dossiers/supplement_errors.html",
        {"dossier": dossier, "form": form},
        status=400,
    )


@login_required
def slip_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The slips that concern the applicant (receipt, supplement, refusal, apology)."""
    from . import slips

    dossier = _own(request, pk)
    if kind not in slips.applicant_slips(dossier):
        raise Http404
    return slip_response(slips.render_slip(kind=kind, dossier=dossier), kind=kind, dossier=dossier)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files only through this permission check, always as a download."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
