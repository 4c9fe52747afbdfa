"""Back-office pages of the statistics app (staff of an agency, both factors: `staff_required`):
"Báo cáo thống kê" of their own agency with its XLSX and PDF exports and the register "Sổ theo
dõi hồ sơ"; "Phản ánh, kiến nghị" sent to their agency, and the answer. An officer never
reaches another agency's figures or feedback: the agency is always the officer's own."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.backoffice.twofactor import staff_required
from dichvucong.catalog.models import Field
from dichvucong.core.errors import ApplicationError

from . import exports, selectors, services
from .constants import FeedbackStatus
from .forms import LEVEL_CHOICES, AnswerForm, RegisterForm, StatsFilterForm
from .views import PAGE_SIZE, report_context


def _report(request: HttpRequest):
    user = request.user
    fields = list(Field.objects.filter(agency_id=user.agency_id).order_by("position", "name"))
    run = services.stats_figures_run()
    form = StatsFilterForm(
        request.GET or None,
        fields=fields,
        first_month=selectors.first_month(agency_id=user.agency_id),
    )
    query = form.query(agency_id=user.agency_id)
    report = selectors.stats_report(query=query, as_of=run.as_of if run else None, group="field")
    field_name = next((f.name for f in fields if f.pk == query.field_id), _("Tất cả"))
    level_name = str(dict(LEVEL_CHOICES).get(str(query.level or ""), _("Tất cả")))
    return form, report, field_name, level_name


def _filename(report, suffix: str) -> str:
    return f"bao-cao-{report.query.month_from:%Y-%m}-{report.query.month_to:%Y-%m}.{suffix}"


@staff_required
@never_cache
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    form, report, field_name, level_name = _report(request)
    today = timezone.localdate()
    register_form = RegisterForm(
        initial={"tu_ngay": today.replace(day=1), "den_ngay": today}, auto_id="so_%s"
    )
    return render(
        request,
        "stats/staff_reports.html",
        {
            "form": form,
            "register_form": register_form,
            "field_name": field_name,
            "level_name": level_name,
            "export_query": request.GET.urlencode(),
            **report_context(report),
        },
    )


@staff_required
@require_GET
def reports_xlsx(request: HttpRequest) -> HttpResponse:
    _form, report, field_name, level_name = _report(request)
    body = exports.xlsx_bytes(
        report=report, agency=request.user.agency, field_name=field_name, level_name=level_name
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def reports_pdf(request: HttpRequest) -> HttpResponse:
    _form, report, field_name, level_name = _report(request)
    body = exports.pdf_bytes(
        report=report, agency=request.user.agency, field_name=field_name, level_name=level_name
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def register_pdf(request: HttpRequest) -> HttpResponse:
    """ "Sổ theo dõi hồ sơ" of the officer's agency (dossiers.slips.render_register)."""
    from dichvucong.dossiers.slips import render_register

    form = RegisterForm(request.GET, auto_id="so_%s")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("stats_staff:reports")
    start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
    try:
        body = render_register(agency=request.user.agency, date_from=start, date_to=end)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("stats_staff:reports")
    response = HttpResponse(body, content_type="application/pdf")
    name = f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- "Phản ánh, kiến nghị" of the agency ------------------------------------------------------


@staff_required
@never_cache
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", "")
    feedback = selectors.feedback_of_agency(user=request.user, status=status)
    page = Paginator(feedback, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "stats/staff_feedback_list.html",
        {"page": page, "status": status, "statuses": FeedbackStatus.choices},
    )


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_staff(user=request.user, pk=pk)
    if feedback is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(
                feedback_id=feedback.pk, user=request.user, answer=form.cleaned_data["answer"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã gửi trả lời đến người phản ánh."))
        return redirect("stats_staff:feedback_detail", pk=feedback.pk)
    return render(request, "stats/staff_feedback_detail.html", {"feedback": feedback, "form": form})
