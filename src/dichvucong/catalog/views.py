"""Public catalogue pages (seeds §II Bước 2–4): the "Thủ tục hành chính" list with its filters,
a procedure's page, an agency's page and template downloads. Thin: selectors read."""

import mimetypes
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import listing, selectors
from .forms import ProcedureFilterForm
from .options import catalogue_options

PAGE_SIZE = 20
_CONTENT_SUFFIX = re.compile(r"-[0-9a-f]{12}(\.\w+)$")
_PK = 987654321


@dataclass(frozen=True)
class ProcedureRow:
    """One row of a procedure list, every text ready: the lists render many rows and Django's
    template engine is slow at per-row URL reversing and translation (see bench/)."""

    pk: int
    name: str
    url: str
    submit_url: str
    national_code: str
    agency: str
    field: str
    levels: list[str]
    processing_time: str


def _row_texts():
    """What every row of a list shares: the URL patterns and the translated labels."""
    detail = reverse("catalog:procedure_detail", args=[_PK]).replace(str(_PK), "{}")
    submit = reverse("catalog:procedure_submit", args=[_PK]).replace(str(_PK), "{}")
    levels = (_("Mức độ 3 (một phần)"), _("Mức độ 4 (toàn trình)"))
    return detail, submit, levels, _("Trong ngày làm việc"), _("%(days)s ngày làm việc")


def procedure_rows(procedures) -> list[ProcedureRow]:
    """Rows for `{% procedure_list %}` (catalog_tags) (procedures with agency, field and current
    version selected)."""
    return list_rows(
        listing.ListRow(
            pk=procedure.pk,
            name=procedure.name,
            national_code=procedure.national_code,
            agency_name=procedure.agency.name,
            field_name=procedure.field.name,
            level_3=procedure.current_version.level_3,
            level_4=procedure.current_version.level_4,
            processing_days=procedure.current_version.processing_days,
        )
        for procedure in procedures
    )


def list_rows(rows) -> list[ProcedureRow]:
    """Rows for `{% procedure_list %}` (catalog_tags) from `listing.ListRow`s."""
    detail, submit, (level_3, level_4), same_day, days = _row_texts()
    return [
        ProcedureRow(
            pk=row.pk,
            name=row.name,
            url=detail.format(row.pk),
            submit_url=submit.format(row.pk),
            national_code=row.national_code,
            agency=row.agency_name,
            field=row.field_name,
            levels=[label for label, on in ((level_3, row.level_3), (level_4, row.level_4)) if on],
            processing_time=days % {"days": row.processing_days}
            if row.processing_days
            else same_day,
        )
        for row in rows
    ]


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    """'Thủ tục hành chính': filters in the URL (?don_vi=&linh_vuc=&muc_do=&tu_khoa=&trang=).

    The filter's options come from the per-version memory of options.py and the page from the
    SQL compiled once per shape in listing.py: a list costs two queries, a search one."""
    options = catalogue_options()
    chosen_field = _field_in_url(options, request.GET.get("linh_vuc"))
    code = ProcedureFilterForm.implied_agency_code(request.GET, chosen_field)
    agency = options.agencies_by_code.get(code)
    form = ProcedureFilterForm(
        request.GET,
        agencies=options.agencies,
        fields=options.fields_by_agency.get(agency.pk, ()) if agency else (),
        chosen_field=chosen_field,
    )
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    filters = selectors.ProcedureFilters(
        agency=cleaned.get("agency"),
        field=cleaned.get("field"),
        level=cleaned.get("level"),
        query=cleaned.get("tu_khoa") or "",
    )
    page = listing.procedure_page(filters, request.GET.get("trang"), PAGE_SIZE)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": list_rows(page.object_list),
            "is_filtered": any((filters.agency, filters.field, filters.level, filters.query)),
        },
    )


def _field_in_url(options, value: str | None):
    """The active field whose id is `value` (as typed in the URL), if any: as
    `selectors.field_option`, from the options in memory."""
    if not value or not str(value).isdigit() or len(str(value)) > 18:
        return None
    try:
        return options.fields_by_pk.get(int(value))
    except ValueError:  # digits int() refuses, such as "²"
        return None


@require_GET
@cache_control(public=True, max_age=300)
def fields_json(request: HttpRequest) -> JsonResponse:
    """{agency code: [[field id, field name], …]}: catalog.js loads it once to make the
    "Lĩnh vực" options follow the chosen agency at once."""
    data: dict[str, list[list[str]]] = {}
    for field in selectors.fields_for_filter():
        data.setdefault(field.agency_code, []).append([str(field.pk), field.name])
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A procedure with every attribute, its components and templates, and "Nộp hồ sơ"."""
    procedure = selectors.procedure_detail(pk)
    if procedure is None:
        raise Http404
    version = procedure.current_version
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "components": list(version.components.all()),
            "form_fields": (version.form_schema or {}).get("fields", []),
            "form_title": (version.form_schema or {}).get("title", ""),
        },
    )


@require_GET
def procedure_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Nộp hồ sơ" (seeds §II Bước 4–5): log in first, then the submission's first step
    (the level choice), whose URL name the settings give (the catalogue knows no dossier)."""
    if not selectors.procedures_public().filter(pk=pk).exists():
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return redirect(settings.SUBMISSION_START_URL_NAME, procedure_id=pk)


@require_GET
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's page: its fields and their procedures; a merged agency points onwards."""
    agency = selectors.agency_by_code(code)
    if agency is None or agency.level == "tinh":
        raise Http404
    sections = [
        (field, procedure_rows(procedures))
        for field, procedures in (selectors.agency_page(agency) if agency.is_active else [])
    ]
    return render(
        request,
        "catalog/agency_detail.html",
        {
            "agency": agency,
            "sections": sections,
            "procedure_count": sum(len(rows) for _field, rows in sections),
        },
    )


@require_GET
def component_template(request: HttpRequest, pk: int) -> FileResponse:
    """Download a component's template (mẫu đơn, tờ khai) from the private storage."""
    component = selectors.component_for_download(pk)
    if component is None:
        raise Http404
    try:
        handle = component.template_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # "mau-so-01-3f2a…c9.docx" (named by content in storage) is offered as "mau-so-01.docx".
    filename = _CONTENT_SUFFIX.sub(r"\1", PurePosixPath(component.template_file.name).name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if filename.endswith(".docx"):
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
