"""The figures as files: CSV (public page), XLSX and PDF (officials' reports).

Each export carries the same numbers as the page it comes from (the same selectors), with the
period, the filters and the time of the figures written in.
"""

import csv
import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .charts import number, percent
from .constants import METRIC_LABELS

# Columns of the tables (page, CSV, XLSX, PDF): (attribute of Totals, heading).
COUNT_COLUMNS = [
    ("received_online", METRIC_LABELS["received_online"]),
    ("received_in_person", METRIC_LABELS["received_in_person"]),
    ("resolved_early", METRIC_LABELS["resolved_early"]),
    ("resolved_on_time", METRIC_LABELS["resolved_on_time"]),
    ("resolved_late", METRIC_LABELS["resolved_late"]),
    ("open_on_time", METRIC_LABELS["open_on_time"]),
    ("open_overdue", METRIC_LABELS["open_overdue"]),
    ("paused", METRIC_LABELS["paused"]),
    ("returned", METRIC_LABELS["returned"]),
    ("refused", METRIC_LABELS["refused"]),
    ("withdrawn", METRIC_LABELS["withdrawn"]),
    ("rated_very_satisfied", METRIC_LABELS["rated_very_satisfied"]),
    ("rated_satisfied", METRIC_LABELS["rated_satisfied"]),
    ("rated_unsatisfied", METRIC_LABELS["rated_unsatisfied"]),
]
RATE_COLUMNS = [
    ("on_time_rate", gettext_lazy("Tỷ lệ đúng hạn")),
    ("online_rate", gettext_lazy("Tỷ lệ trực tuyến")),
    ("satisfied_rate", gettext_lazy("Tỷ lệ hài lòng")),
]


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def fmt_moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _rate_cell(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}"


def csv_bytes(*, query: selectors.StatsQuery, as_of: dt.datetime | None) -> bytes:
    """One row per month × agency × field × level; UTF-8 with a byte-order mark so that
    spreadsheet programs read the Vietnamese letters. In-progress counts are those at the end
    of the month (or at the time of the figures for the current month). Rates in percent with
    a dot, empty when there is nothing to divide."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Tháng"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Lĩnh vực"),
            _("Mức độ"),
            *[str(label) for _n, label in COUNT_COLUMNS],
            *[f"{label} (%)" for _n, label in RATE_COLUMNS],
        ]
    )
    for row in selectors.detail_rows(query=query, as_of=as_of):
        totals = row["totals"]
        writer.writerow(
            [
                row["month"].strftime("%m/%Y"),
                row["agency_code"],
                row["agency_name"],
                row["field_name"],
                row["level"],
                *[getattr(totals, name) for name, _l in COUNT_COLUMNS],
                *[_rate_cell(getattr(totals, name)) for name, _l in RATE_COLUMNS],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------------


def key_figures(totals: selectors.Totals) -> list[tuple[str, object, str]]:
    """(label, value, kind) of the page's key figures; kind "count", "rate" or "score"."""
    score = totals.score.total
    return [
        (_("Hồ sơ tiếp nhận"), totals.received, "count"),
        (_("— trực tuyến"), totals.received_online, "count"),
        (_("— trực tiếp"), totals.received_in_person, "count"),
        (_("Đã giải quyết"), totals.resolved, "count"),
        (_("— trước hạn"), totals.resolved_early, "count"),
        (_("— đúng hạn"), totals.resolved_on_time, "count"),
        (_("— quá hạn"), totals.resolved_late, "count"),
        (_("Đang giải quyết (cuối kỳ)"), totals.in_progress, "count"),
        (_("— trong hạn"), totals.open_on_time, "count"),
        (_("— quá hạn"), totals.open_overdue, "count"),
        (_("— tạm dừng chờ bổ sung"), totals.paused, "count"),
        (_("Đã trả kết quả"), totals.returned, "count"),
        (_("Từ chối tiếp nhận"), totals.refused, "count"),
        (_("Công dân rút hồ sơ"), totals.withdrawn, "count"),
        (_("Tỷ lệ giải quyết đúng hạn"), totals.on_time_rate, "rate"),
        (_("Tỷ lệ tiếp nhận trực tuyến"), totals.online_rate, "rate"),
        (_("Tỷ lệ trực tuyến toàn trình (mức độ 4)"), totals.full_online_rate, "rate"),
        (_("Lượt đánh giá"), totals.ratings, "count"),
        (_("Tỷ lệ hài lòng"), totals.satisfied_rate, "rate"),
        (_("Điểm hài lòng trung bình (thang 3)"), totals.average_score, "average"),
        (_("Điểm đánh giá (thang 100)"), score, "score"),
    ]


def xlsx_bytes(*, report: selectors.Report, agency, field_name: str, level_name: str) -> bytes:
    """Three sheets: "Tổng hợp" (the key figures), "Theo tháng", "Theo lĩnh vực"; numbers as
    numbers, rates as percentages, the heading rows saying what and when."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")
    heading = [
        [_("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")],
        [_("Đơn vị"), agency.name],
        [_("Lĩnh vực"), field_name],
        [_("Mức độ"), level_name],
        [
            _("Kỳ báo cáo"),
            _("từ %(start)s đến %(end)s")
            % {
                "start": fmt_date(report.period.date_from),
                "end": fmt_date(report.period.date_to),
            },
        ],
        [_("Số liệu tính đến"), fmt_moment(report.as_of)],
        [],
    ]
    for row in heading:
        summary.append(row)
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Chỉ tiêu"), _("Giá trị")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for label, value, kind in key_figures(report.total):
        summary.append([label, value])
        cell = summary.cell(row=summary.max_row, column=2)
        if kind == "rate":
            cell.number_format = "0.0%"
        elif kind in ("score", "average"):
            cell.number_format = "0.0" if kind == "score" else "0.00"
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 48

    def table(sheet, first: str, rows: list[tuple[str, selectors.Totals]]) -> None:
        headers = [
            first,
            *[str(label) for _n, label in COUNT_COLUMNS],
            *[str(label) for _n, label in RATE_COLUMNS],
        ]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for label, totals in rows:
            sheet.append(
                [
                    label,
                    *[getattr(totals, name) for name, _l in COUNT_COLUMNS],
                    *[getattr(totals, name) for name, _l in RATE_COLUMNS],
                ]
            )
            for offset in range(len(RATE_COLUMNS)):
                column = 2 + len(COUNT_COLUMNS) + offset
                sheet.cell(row=sheet.max_row, column=column).number_format = "0.0%"
        total_row = [_("Tổng cộng")]
        sheet.append(
            total_row
            + [getattr(report.total, name) for name, _l in COUNT_COLUMNS]
            + [getattr(report.total, name) for name, _l in RATE_COLUMNS]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for offset in range(len(RATE_COLUMNS)):
            column = 2 + len(COUNT_COLUMNS) + offset
            sheet.cell(row=sheet.max_row, column=column).number_format = "0.0%"
        sheet.column_dimensions["A"].width = 40
        for index in range(2, len(headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 14
        sheet.freeze_panes = "B2"

    months = book.create_sheet(_("Theo tháng"))
    table(months, _("Tháng"), [(m.strftime("%m/%Y"), t) for m, t in report.months])
    by_field = book.create_sheet(_("Theo lĩnh vực"))
    table(by_field, _("Lĩnh vực"), [(f.name, t) for f, t in report.groups])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def pdf_bytes(*, report: selectors.Report, agency, field_name: str, level_name: str) -> bytes:
    """The report on A4 landscape in the slips' print style (dossiers/slips/print.css, through
    their base template), rendered by WeasyPrint fetching nothing from outside."""
    from dichvucong.dossiers.slips.data import heading
    from dichvucong.dossiers.slips.pdf import html_to_pdf

    now = timezone.now()
    context = {
        "title": _("Báo cáo tình hình giải quyết hồ sơ"),
        "heading": heading(agency, now),
        "report": report,
        "field_name": field_name,
        "level_name": level_name,
        "date_from": fmt_date(report.period.date_from),
        "date_to": fmt_date(report.period.date_to),
        "as_of": fmt_moment(report.as_of),
        "printed": fmt_moment(now),
        "figures": [
            (label, _format(value, kind)) for label, value, kind in key_figures(report.total)
        ],
        "count_columns": COUNT_COLUMNS,
        "rate_columns": RATE_COLUMNS,
        "months": [(m.strftime("%m/%Y"), _cells(t)) for m, t in report.months],
        "fields": [(f.name, _cells(t)) for f, t in report.groups],
        "total_cells": _cells(report.total),
    }
    return html_to_pdf(render_to_string("stats/report_pdf.html", context))


def _format(value, kind: str) -> str:
    if kind == "rate":
        return percent(value)
    if kind == "score":
        return number(value, 1)
    if kind == "average":
        return number(value, 2)
    return number(value)


def _cells(totals: selectors.Totals) -> list[str]:
    return [number(getattr(totals, name)) for name, _l in COUNT_COLUMNS] + [
        percent(getattr(totals, name)) for name, _l in RATE_COLUMNS
    ]
