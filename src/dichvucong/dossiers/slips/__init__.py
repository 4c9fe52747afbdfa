"""The PDF slips of the one-stop shop (DESIGN §4, issue 5 item 5), in the spirit of the
national templates (Thông tư 01/2018/TT-VPCP mẫu 01–06, replaced by Thông tư 03/2025/TT-VPCP)
with our own wording:

- "receipt"    Giấy tiếp nhận hồ sơ và hẹn trả kết quả
- "supplement" Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
- "refusal"    Phiếu từ chối tiếp nhận giải quyết hồ sơ
- "apology"    Phiếu xin lỗi và hẹn lại ngày trả kết quả
- "control"    Phiếu kiểm soát quá trình giải quyết hồ sơ
- "register"   Sổ theo dõi hồ sơ (per agency and period: `render_register`)

Each dossier slip has the national heading, the agency (and its parent) as named when the slip's
event happened, and a QR code to the public lookup page. Called by the back-office and applicant
download views; they check who may see the dossier, this package does not.
"""

import datetime as dt

from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError

from ..models import Dossier
from . import data
from .data import APPLICANT_KINDS, SLIP_KINDS
from .pdf import html_to_pdf, render_html
from .qr import lookup_url, qr_data_uri, qr_matrix, qr_svg

__all__ = [
    "REGISTER_MAX_ROWS",
    "SLIP_KINDS",
    "applicant_slips",
    "available_slips",
    "lookup_url",
    "qr_data_uri",
    "qr_matrix",
    "qr_svg",
    "register_html",
    "render_register",
    "render_slip",
    "slip_html",
]

# A register longer than this is refused (ask for a shorter period): a PDF of thousands of
# pages is no use on paper and would hold a web worker for minutes.
REGISTER_MAX_ROWS = 2000


def available_slips(dossier: Dossier) -> list[str]:
    """The slips that exist for this dossier now, in SLIP_KINDS order: the receipt once
    received, the supplement slip once a supplement was asked, the refusal when refused,
    the apology when one was issued, the control slip once submitted."""
    actions = set(dossier.events.values_list("action", flat=True))
    return data.kinds_for(dossier, actions)


def applicant_slips(dossier: Dossier) -> list[str]:
    """The available slips that concern the applicant (they may download these)."""
    return [kind for kind in available_slips(dossier) if kind in APPLICANT_KINDS]


def slip_html(*, kind: str, dossier: Dossier) -> str:
    """The slip as HTML (what `render_slip` prints). Raises ApplicationError when this
    dossier has no such slip."""
    if kind not in data.BUILDERS:
        raise ApplicationError(_("Không có loại phiếu này."), code="unknown_slip")
    dossier = data.load(dossier)
    events = data.handoff_events(dossier)
    if kind not in data.kinds_for(dossier, {e.action for e in events}):
        raise ApplicationError(
            _("Hồ sơ %(code)s chưa có “%(title)s”.")
            % {"code": dossier.code or dossier.pk, "title": SLIP_KINDS[kind]},
            code="slip_not_available",
        )
    return render_html(kind, data.BUILDERS[kind](dossier, events))


def render_slip(*, kind: str, dossier: Dossier) -> bytes:
    """The slip `kind` of `dossier` as PDF bytes."""
    return html_to_pdf(slip_html(kind=kind, dossier=dossier))


def register_html(*, agency, date_from: dt.date, date_to: dt.date) -> str:
    if date_from > date_to:
        raise ApplicationError(
            _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), field="date_from"
        )
    context = data.register(
        agency=agency, date_from=date_from, date_to=date_to, max_rows=REGISTER_MAX_ROWS
    )
    if context["too_many"]:
        raise ApplicationError(
            _("Có hơn %(n)s hồ sơ trong khoảng thời gian này. Vui lòng chọn khoảng ngắn hơn.")
            % {"n": REGISTER_MAX_ROWS},
            code="too_many",
        )
    return render_html("register", context)


def render_register(*, agency, date_from: dt.date, date_to: dt.date) -> bytes:
    """ "Sổ theo dõi hồ sơ": the dossiers `agency` received from `date_from` to `date_to`
    (inclusive, local days), one row each, A4 landscape, as PDF bytes."""
    return html_to_pdf(register_html(agency=agency, date_from=date_from, date_to=date_to))
