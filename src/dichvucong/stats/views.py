"""Public and citizen pages: "Thống kê" (and its CSV), the rating of a returned dossier, and
"Phản ánh, kiến nghị". Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dichvucong.catalog.models import Agency, Field
from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow.statuses import Status

from . import charts, exports, selectors, services
from .forms import FeedbackForm, RatingForm, StatsFilterForm
from .models import Rating

PAGE_SIZE = 20


def _agency_param(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("don_vi") or 0) or None
    except ValueError:
        return None


def _public_form(request: HttpRequest) -> tuple[StatsFilterForm, list[Agency]]:
    """The filters, with the fields of the chosen agency (none chosen: no field list)."""
    agencies = list(Agency.objects.order_by("name").only("id", "name", "is_active"))
    agency_id = _agency_param(request)
    fields = (
        list(Field.objects.filter(agency_id=agency_id).order_by("position", "name"))
        if agency_id and any(a.pk == agency_id for a in agencies)
        else []
    )
    form = StatsFilterForm(
        request.GET or None,
        agencies=agencies,
        fields=fields,
        first_month=selectors.first_month(),
    )
    return form, agencies


def chart_context(report: selectors.Report) -> dict:
    """The page's charts (each beside a table of the same numbers)."""
    months = charts.bar_chart(
        id="bieu-do-thang",
        title=_("Kết quả giải quyết hồ sơ theo tháng"),
        description=_(
            "Mỗi thanh là một tháng, chia thành số hồ sơ giải quyết trước hạn, đúng hạn và quá "
            "hạn; con số cuối thanh là tổng số hồ sơ đã giải quyết. Số liệu chi tiết ở bảng bên "
            "cạnh."
        ),
        rows=[
            (
                month.strftime("%m/%Y"),
                [
                    ("early", _("Trước hạn"), totals.resolved_early),
                    ("on_time", _("Đúng hạn"), totals.resolved_on_time),
                    ("late", _("Quá hạn"), totals.resolved_late),
                ],
                charts.number(totals.resolved),
            )
            for month, totals in report.months
        ],
        empty_text=_("Chưa có hồ sơ nào được giải quyết trong khoảng thời gian này."),
    )
    if report.group == "agency":
        groups = charts.bar_chart(
            id="bieu-do-don-vi",
            title=_("Điểm đánh giá của các đơn vị (thang 100)"),
            description=_(
                "Mỗi thanh là một đơn vị, dài theo điểm đánh giá trên thang 100, xếp từ cao "
                "xuống thấp. Đơn vị chưa có số liệu để chấm không có thanh."
            ),
            rows=[
                (
                    agency.name,
                    [("score", _("Điểm"), totals.score.total or 0)],
                    charts.number(totals.score.total, 1),
                )
                for agency, totals in report.groups
            ],
            scale_max=100,
            empty_text=_("Chưa có đơn vị nào có số liệu trong khoảng thời gian này."),
        )
    else:
        groups = charts.bar_chart(
            id="bieu-do-linh-vuc",
            title=_("Tỷ lệ giải quyết đúng hạn theo lĩnh vực"),
            description=_(
                "Mỗi thanh là một lĩnh vực, dài theo tỷ lệ hồ sơ giải quyết trước hạn và đúng "
                "hạn trên tổng số hồ sơ đã giải quyết (thang 100 %)."
            ),
            rows=[
                (
                    field_.name,
                    [("on_time", _("Đúng hạn"), 100 * (totals.on_time_rate or 0))],
                    charts.percent(totals.on_time_rate),
                )
                for field_, totals in report.groups
            ],
            scale_max=100,
            empty_text=_("Chưa có lĩnh vực nào có hồ sơ được giải quyết."),
        )
    total = report.total
    satisfaction = charts.bar_chart(
        id="bieu-do-hai-long",
        title=_("Đánh giá mức độ hài lòng"),
        description=_("Số lượt đánh giá của người nộp hồ sơ theo từng mức độ hài lòng."),
        rows=[
            (
                _("Rất hài lòng"),
                [("very_satisfied", _("Rất hài lòng"), total.rated_very_satisfied)],
                charts.number(total.rated_very_satisfied),
            ),
            (
                _("Hài lòng"),
                [("satisfied", _("Hài lòng"), total.rated_satisfied)],
                charts.number(total.rated_satisfied),
            ),
            (
                _("Không hài lòng"),
                [("unsatisfied", _("Không hài lòng"), total.rated_unsatisfied)],
                charts.number(total.rated_unsatisfied),
            ),
        ],
        empty_text=_("Chưa có lượt đánh giá nào trong khoảng thời gian này."),
    )
    return {"month_chart": months, "group_chart": groups, "satisfaction_chart": satisfaction}


def report_context(report: selectors.Report) -> dict:
    return {
        "report": report,
        "total": report.total,
        "score": report.total.score,
        "count_columns": exports.COUNT_COLUMNS,
        "as_of": report.as_of,
        **chart_context(report),
    }


def _months_query(query: selectors.StatsQuery) -> str:
    """The period and level of a query as GET parameters (the agency links keep them)."""
    params = {"tu_thang": f"{query.month_from:%Y-%m}", "den_thang": f"{query.month_to:%Y-%m}"}
    if query.level:
        params["muc_do"] = str(query.level)
    return urlencode(params)


@require_GET
def public_stats(request: HttpRequest) -> HttpResponse:
    """ "Thống kê": the whole province or one agency, a field, a level, a range of months.
    Answers from the daily table only (a few grouped sums)."""
    run = services.stats_figures_run()
    form, agencies = _public_form(request)
    query = form.query()
    report = selectors.stats_report(
        query=query,
        as_of=run.as_of if run else None,
        group="field" if query.agency_id else "agency",
    )
    agency = next((a for a in agencies if a.pk == query.agency_id), None)
    return render(
        request,
        "stats/public.html",
        {
            "form": form,
            "query": query,
            "agency": agency,
            "csv_query": request.GET.urlencode(),
            "link_query": _months_query(query),
            **report_context(report),
        },
    )


@require_GET
def public_csv(request: HttpRequest) -> HttpResponse:
    run = services.stats_figures_run()
    query = _public_form(request)[0].query()
    body = exports.csv_bytes(query=query, as_of=run.as_of if run else None)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"thong-ke-{query.month_from:%Y-%m}-{query.month_to:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Rating a returned dossier ------------------------------------------------------------------


def _own_dossier(request: HttpRequest, pk: int) -> Dossier:
    dossier = (
        Dossier.objects.select_related("procedure_version", "agency")
        .filter(pk=pk, applicant_id=request.user.pk)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Đánh giá mức độ hài lòng" of a returned dossier, once, by its applicant. The dossier
    page shows the same form; this page keeps what was typed when something is missing."""
    dossier = _own_dossier(request, pk)
    detail = reverse("dossiers:detail", kwargs={"pk": dossier.pk})
    existing = Rating.objects.filter(dossier=dossier).first()
    if existing is not None:
        messages.info(request, _("Bạn đã đánh giá hồ sơ này."))
        return redirect(f"{detail}#danh-gia")
    if dossier.status != Status.RETURNED:
        messages.error(request, _("Chỉ đánh giá được khi hồ sơ đã trả kết quả."))
        return redirect(detail)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_create(
                dossier_id=dossier.pk,
                user=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(f"{detail}#danh-gia")
        messages.success(request, _("Cảm ơn bạn đã đánh giá mức độ hài lòng."))
        return redirect(f"{detail}#danh-gia")
    return render(request, "stats/rate.html", {"dossier": dossier, "form": form})


# --- "Phản ánh, kiến nghị" --------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.feedback_of_author(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "stats/feedback_list.html", {"page": page})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_applicant:
        raise Http404
    agencies = list(Agency.objects.filter(is_active=True).order_by("name").only("id", "name"))
    dossiers = list(
        Dossier.objects.filter(applicant=request.user)
        .exclude(status=Status.DRAFT)
        .select_related("procedure_version")
        .only("id", "code", "procedure_version__name")
        .order_by("-submitted_at", "-id")[:100]
    )
    initial = {}
    if request.method == "GET" and request.GET.get("ho_so", "").isdigit():
        initial["ho_so"] = int(request.GET["ho_so"])
    form = FeedbackForm(request.POST or None, initial=initial, agencies=agencies, dossiers=dossiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dossier = next((d for d in dossiers if d.pk == data.get("ho_so")), None)
        agency = next((a for a in agencies if a.pk == data.get("don_vi")), None)
        try:
            feedback = services.feedback_submit(
                author=request.user,
                agency=agency,
                dossier=Dossier.objects.select_related("agency").get(pk=dossier.pk)
                if dossier
                else None,
                subject=data["tieu_de"],
                content=data["noi_dung"],
            )
        except ApplicationError as error:
            fields = {
                "agency": "don_vi",
                "dossier": "ho_so",
                "subject": "tieu_de",
                "content": "noi_dung",
            }
            form.add_error(fields.get(error.field or ""), error.message)
        else:
            messages.success(
                request,
                _(
                    "Đã gửi phản ánh, kiến nghị đến %(agency)s. Bạn sẽ nhận được thông báo khi "
                    "có trả lời."
                )
                % {"agency": feedback.agency.name},
            )
            return redirect("stats:feedback_detail", pk=feedback.pk)
    return render(request, "stats/feedback_form.html", {"form": form})


@login_required
@never_cache
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_author(user=request.user, pk=pk)
    if feedback is None:
        raise Http404
    return render(request, "stats/feedback_detail.html", {"feedback": feedback})
