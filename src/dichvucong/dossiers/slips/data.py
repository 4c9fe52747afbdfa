"""What each slip says, read from the dossier, its events and its files.

Every builder returns a plain template context (strings already formatted: dates as
dd/mm/yyyy in Asia/Ho_Chi_Minh), so the templates never reach back into the database.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.catalog.selectors import agency_name_at

from .. import deadlines
from ..models import AttachmentKind, Dossier, DossierEvent, EventType, ResultDelivery
from ..workflow.statuses import Actor, Status
from ..workflow.transitions import TRANSITIONS
from .qr import lookup_url, qr_data_uri

RECEIPT = "receipt"
SUPPLEMENT = "supplement"
REFUSAL = "refusal"
APOLOGY = "apology"
CONTROL = "control"
REGISTER = "register"

SLIP_KINDS = {
    RECEIPT: gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    SUPPLEMENT: gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    REFUSAL: gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    APOLOGY: gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    CONTROL: gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    REGISTER: gettext_lazy("Sổ theo dõi hồ sơ"),
}
# The slips that concern the applicant (they may download them); the others are internal.
APPLICANT_KINDS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY)

SUPPLEMENT_ACTIONS = frozenset({"request_supplement", "request_supplement_processing"})
DECISION_ACTIONS = frozenset({"approve", "decline"})

# How the control slip names a step where the button's word is not enough.
STEP_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ"),
    "resubmit": gettext_lazy("Nộp bổ sung hồ sơ"),
    "resubmit_processing": gettext_lazy("Nộp bổ sung hồ sơ"),
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "request_supplement_processing": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "refuse": gettext_lazy("Từ chối tiếp nhận"),
    "approve": gettext_lazy("Phê duyệt kết quả"),
    "decline": gettext_lazy("Không phê duyệt (không giải quyết)"),
    "apologise": gettext_lazy("Xin lỗi, hẹn lại ngày trả kết quả"),
}


# --- formatting --------------------------------------------------------------------------


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def fmt_date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return value.strftime("%d/%m/%Y")


def fmt_time(value: dt.datetime | None) -> str:
    """ "08:30 21/11/2026", for table cells."""
    return _local(value).strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_long(value: dt.datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 21/11/2026", for sentences."""
    if value is None:
        return ""
    local = _local(value)
    return _("%(h)s giờ %(m)s phút, ngày %(d)s") % {
        "h": f"{local:%H}",
        "m": f"{local:%M}",
        "d": f"{local:%d/%m/%Y}",
    }


def date_words(value: dt.datetime | dt.date) -> str:
    """ "ngày 21 tháng 11 năm 2026", the date line under the national heading."""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{value:%d}",
        "m": f"{value:%m}",
        "y": f"{value:%Y}",
    }


# --- pieces shared by the slips ----------------------------------------------------------


def load(dossier: Dossier) -> Dossier:
    """The dossier fresh from the database with everything the slips print (one query)."""
    return Dossier.objects.select_related(
        "agency__parent", "procedure_version", "applicant", "assignee"
    ).get(pk=dossier.pk)


def handoff_events(dossier: Dossier) -> list[DossierEvent]:
    """Every step of the dossier's life (status changes and apologies), oldest first."""
    return list(
        dossier.events.filter(type__in=[EventType.TRANSITION, EventType.APOLOGY])
        .select_related("actor")
        .order_by("created_at", "id")
    )


def kinds_for(dossier: Dossier, actions: set[str]) -> list[str]:
    """The slips that exist for a dossier whose events carry `actions`."""
    present = {
        RECEIPT: dossier.received_at is not None and "receive" in actions,
        SUPPLEMENT: bool(actions & SUPPLEMENT_ACTIONS),
        REFUSAL: "refuse" in actions,
        APOLOGY: "apologise" in actions,
        CONTROL: dossier.status != Status.DRAFT and bool(dossier.code),
    }
    return [kind for kind in SLIP_KINDS if present.get(kind)]


def _last(events: list[DossierEvent], actions) -> DossierEvent:
    return [e for e in events if e.action in actions][-1]


def heading(agency, when: dt.datetime, number: str = "") -> dict:
    """The top of every slip: the agency (and its parent) as named at `when`, the number,
    and the date line."""
    parent = agency.parent
    return {
        # The governing body is usually printed short ("UBND tỉnh Bình Phước").
        "parent": (parent.short_name or agency_name_at(parent, when)) if parent else "",
        "agency": agency_name_at(agency, when),
        "number": number,
        "date": date_words(when),
    }


def addressee(user) -> str:
    if user.kind == "organisation":
        return _("Tổ chức")
    return {"male": _("Ông"), "female": _("Bà")}.get(user.gender, _("Ông/Bà"))


def applicant_facts(user) -> dict:
    id_labels = {"cmnd": _("Số CMND"), "cccd": _("Số CCCD"), "passport": _("Số hộ chiếu")}
    is_org = user.kind == "organisation"
    return {
        "addressee": addressee(user),
        "name": user.display_name,
        "representative": user.full_name if is_org and user.full_name else "",
        "id_label": _("Mã số thuế") if is_org else id_labels.get(user.id_kind, _("Số giấy tờ")),
        "id_number": (user.tax_code or user.id_number) if is_org else user.id_number,
        "address": user.address,
        "phone": user.phone or "",
        "email": user.email or "",
    }


def _common(dossier: Dossier, *, kind: str, when: dt.datetime) -> dict:
    applicant = applicant_facts(dossier.applicant)
    code = dossier.code or ""
    url = lookup_url(code)
    head = heading(dossier.agency, when, code)
    return {
        "kind": kind,
        "title": str(SLIP_KINDS[kind]),
        "heading": head,
        "agency_name": head["agency"],
        "dossier": dossier,
        "procedure": dossier.procedure_version.name,
        "applicant": applicant,
        "addressee_lower": applicant["addressee"].lower(),
        "submitted": fmt_long(dossier.submitted_at),
        "lookup_url": url,
        "qr": qr_data_uri(url),
        "hotline": dossier.agency.hotline or settings.PORTAL_HOTLINE,
    }


def _person(event: DossierEvent) -> str:
    return event.actor.display_name if event.actor else ""


ROLE_SIGNATURES: dict[str, str | Promise] = {
    Actor.RECEPTION: gettext_lazy("Người tiếp nhận hồ sơ"),
    Actor.HANDLER: gettext_lazy("Người xử lý hồ sơ"),
    Actor.LEADER: gettext_lazy("Lãnh đạo cơ quan"),
}


def _signer(event: DossierEvent) -> dict:
    return {
        "title": str(ROLE_SIGNATURES.get(event.actor_role, _("Người lập phiếu"))),
        "name": _person(event),
    }


# --- one builder per slip ----------------------------------------------------------------


def received_components(dossier: Dossier, until: dt.datetime) -> list[dict]:
    """The papers the agency held when it received the dossier: the declaration, then each
    component with its number of files (first submission and supplements before receipt)."""
    counts = dict(
        dossier.attachments.filter(
            kind__in=[AttachmentKind.COMPONENT, AttachmentKind.SUPPLEMENT], uploaded_at__lte=until
        )
        .values_list("component_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    version = dossier.procedure_version
    rows = []
    if dossier.form_data:
        title = (version.form_schema or {}).get("title") or _("Tờ khai")
        rows.append({"name": title, "kind": _("Tờ khai trực tuyến"), "files": "—"})
    for component in version.components.all():
        if counts.get(component.pk):
            rows.append(
                {
                    "name": component.name,
                    "kind": component.get_kind_display(),
                    "files": counts[component.pk],
                }
            )
    if counts.get(None):
        rows.append(
            {"name": _("Giấy tờ bổ sung khác"), "kind": _("Bổ sung"), "files": counts[None]}
        )
    return rows


def delivery_text(dossier: Dossier, agency_name: str) -> str:
    """How the applicant gets the result: level 3 at the desk with the originals, level 4
    electronically on the portal (and by post when they chose it)."""
    if dossier.level == 4:
        text = _(
            "Nhận kết quả điện tử trên %(portal)s, trong trang hồ sơ của người nộp "
            "(tra cứu bằng mã hồ sơ)."
        ) % {"portal": settings.PORTAL_NAME}
        if dossier.result_delivery == ResultDelivery.POST:
            text += " " + _("Bản giấy được gửi qua dịch vụ bưu chính đến địa chỉ đã đăng ký.")
        return text
    if dossier.result_delivery == ResultDelivery.POST:
        return _(
            "Nhận kết quả qua dịch vụ bưu chính đến địa chỉ đã đăng ký, sau khi xuất trình "
            "bản chính các giấy tờ đã nộp trực tuyến để đối chiếu."
        )
    return _(
        "Nhận kết quả trực tiếp tại Bộ phận tiếp nhận và trả kết quả của %(agency)s. Khi đến "
        "nhận, vui lòng mang theo bản chính các giấy tờ đã nộp trực tuyến để đối chiếu."
    ) % {"agency": agency_name}


def receipt(dossier: Dossier, events: list[DossierEvent]) -> dict:
    event = _last(events, {"receive"})
    when = dossier.received_at or event.created_at
    context = _common(dossier, kind=RECEIPT, when=when)
    # The appointment given at receipt (pauses included); an apology's new date is not it.
    due = dossier.original_due_at or dossier.due_at
    context.update(
        components=received_components(dossier, until=when),
        processing_days=dossier.procedure_version.processing_days,
        received=fmt_long(when),
        due=fmt_long(due),
        delivery=delivery_text(dossier, context["agency_name"]),
        signer_left={"title": _("Người nộp hồ sơ"), "name": dossier.applicant.display_name},
        signer_right={"title": _("Người tiếp nhận hồ sơ"), "name": _person(event)},
    )
    return context


def supplement(dossier: Dossier, events: list[DossierEvent]) -> dict:
    event = _last(events, SUPPLEMENT_ACTIONS)
    context = _common(dossier, kind=SUPPLEMENT, when=event.created_at)
    context.update(
        note=event.note,
        missing=[m for m in (event.data or {}).get("missing", []) if m],
        during_processing=event.action == "request_supplement_processing",
        signer_right=_signer(event),
    )
    return context


def refusal(dossier: Dossier, events: list[DossierEvent]) -> dict:
    event = _last(events, {"refuse"})
    context = _common(dossier, kind=REFUSAL, when=event.created_at)
    context.update(reason=event.note, signer_right=_signer(event))
    return context


def apology(dossier: Dossier, events: list[DossierEvent]) -> dict:
    event = _last(events, {"apologise"})
    context = _common(dossier, kind=APOLOGY, when=event.created_at)
    data = event.data or {}
    old_due = dt.date.fromisoformat(data["old_due"]) if data.get("old_due") else None
    new_due = dt.date.fromisoformat(data["new_due"]) if data.get("new_due") else None
    leader = event.actor_role == Actor.LEADER
    context.update(
        received_date=fmt_date(dossier.received_at),
        old_due=fmt_date(old_due or dossier.original_due_at),
        new_due=fmt_date(new_due or dossier.due_at),
        reason=event.note,
        # The agency's head signs; the officer who drew it up is named on the left.
        signer_left=None if leader else {"title": _("Người lập phiếu"), "name": _person(event)},
        signer_right={
            "title": _("Lãnh đạo cơ quan"),
            "hint": _("(Ký, ghi rõ họ tên và đóng dấu)"),
            "name": _person(event) if leader else "",
        },
    )
    return context


def _handed_to(event: DossierEvent, dossier: Dossier, assignees: dict[int, str]) -> str:
    """Who holds the dossier after this step."""
    action = event.action
    reception = str(Actor.RECEPTION.label)
    handler = str(Actor.HANDLER.label)
    if action == "start_processing":
        assignee = (event.data or {}).get("assignee")
        name = assignees.get(assignee, "") if isinstance(assignee, int) else ""
        return f"{handler}: {name}" if name else handler
    if action in ("send_back", "resubmit_processing"):
        name = dossier.assignee.display_name if dossier.assignee else ""
        return f"{handler}: {name}" if name else handler
    return {
        "submit": reception,
        "resubmit": reception,
        "propose": str(Actor.LEADER.label),
        "approve": reception,
        "decline": reception,
        "request_supplement": str(Actor.APPLICANT.label),
        "request_supplement_processing": str(Actor.APPLICANT.label),
        "refuse": str(Actor.APPLICANT.label),
        "return_result": str(Actor.APPLICANT.label),
    }.get(action, "")


def _step_note(event: DossierEvent) -> str:
    data = event.data or {}
    parts = [event.note] if event.note else []
    if event.action in SUPPLEMENT_ACTIONS and data.get("missing"):
        parts.append(_("Cần bổ sung: %(items)s.") % {"items": "; ".join(data["missing"])})
    if event.action == "request_supplement_processing":
        parts.append(_("Tạm dừng tính thời hạn."))
    if event.action == "resubmit_processing":
        parts.append(_("Tiếp tục tính thời hạn."))
    if event.action == "apologise" and data.get("old_due") and data.get("new_due"):
        parts.append(
            _("Hẹn lại từ ngày %(old)s sang ngày %(new)s.")
            % {
                "old": fmt_date(dt.date.fromisoformat(data["old_due"])),
                "new": fmt_date(dt.date.fromisoformat(data["new_due"])),
            }
        )
    return "\n".join(parts)


def _step_label(action: str) -> str:
    if action in STEP_LABELS:
        return str(STEP_LABELS[action])
    transition = TRANSITIONS.get(action)
    return str(transition.label) if transition else action


def control(dossier: Dossier, events: list[DossierEvent], now: dt.datetime | None = None) -> dict:
    """Each hand-off with who, when, and — for the decision — the deadline and whether it
    was met; intermediate steps carry their time only (no per-step deadlines are set)."""
    now = now or timezone.now()
    context = _common(dossier, kind=CONTROL, when=now)
    assignee_ids = {
        (e.data or {}).get("assignee") for e in events if e.action == "start_processing"
    }
    assignees = {}
    if assignee_ids - {None}:
        assignees = {
            u.pk: u.display_name
            for u in get_user_model().objects.filter(pk__in=assignee_ids - {None})
        }
    code = deadlines.classify(dossier, now)
    finished = deadlines.is_finished(dossier.status)
    overall = deadlines.label(code, finished=finished)
    rows = []
    for event in events:
        row = {
            "step": _step_label(event.action),
            "to": _handed_to(event, dossier, assignees),
            "role": str(Actor(event.actor_role).label) if event.actor_role else "",
            "name": _person(event),
            "time": fmt_time(event.created_at),
            "deadline": "",
            "original_deadline": "",
            "timeliness": "",
            "note": _step_note(event),
        }
        if event.action in DECISION_ACTIONS:
            row["deadline"] = fmt_time(dossier.due_at)
            row["original_deadline"] = fmt_date(dossier.original_due_at)
            row["timeliness"] = overall
        elif event.action == "return_result":
            row["deadline"] = fmt_time(dossier.due_at)
        rows.append(row)
    overall_note = ""
    if dossier.original_due_at is not None and code in (deadlines.LATE, deadlines.OVERDUE):
        overall_note = _("đã có phiếu xin lỗi và hẹn lại ngày trả kết quả")
    context.update(
        rows=rows,
        received=fmt_long(dossier.received_at),
        due=fmt_long(dossier.due_at),
        original_due=fmt_long(dossier.original_due_at),
        status=dossier.get_status_display(),
        finished=fmt_long(dossier.finished_at),
        returned=fmt_long(dossier.returned_at),
        overall=overall,
        overall_note=overall_note,
        printed=fmt_time(now),
    )
    return context


BUILDERS: dict[str, Callable[[Dossier, list[DossierEvent]], dict]] = {
    RECEIPT: receipt,
    SUPPLEMENT: supplement,
    REFUSAL: refusal,
    APOLOGY: apology,
    CONTROL: control,
}


# --- the register ------------------------------------------------------------------------

REGISTER_SUMMARY = [
    (True, deadlines.EARLY),
    (True, deadlines.ON_TIME),
    (True, deadlines.LATE),
    (False, deadlines.ON_TIME),
    (False, deadlines.OVERDUE),
    (False, deadlines.PAUSED),
]


def register(*, agency, date_from: dt.date, date_to: dt.date, max_rows: int) -> dict:
    """One row per dossier the agency received between the two days (inclusive, local)."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), tz)
    dossiers = list(
        Dossier.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure_version", "applicant", "assignee")
        .order_by("received_at", "id")[: max_rows + 1]
    )
    if len(dossiers) > max_rows:
        return {"too_many": True}
    now = timezone.now()
    counts: dict[tuple[bool, str], int] = {}
    rows = []
    for dossier in dossiers:
        code = deadlines.classify(dossier, now)
        finished = deadlines.is_finished(dossier.status)
        if code:
            counts[(finished, code)] = counts.get((finished, code), 0) + 1
        rows.append(
            {
                "code": dossier.code,
                "procedure": dossier.procedure_version.name,
                "applicant": dossier.applicant.display_name,
                "received": fmt_date(dossier.received_at),
                "due": fmt_date(dossier.due_at),
                "assignee": dossier.assignee.display_name if dossier.assignee else "",
                "finished": fmt_date(dossier.finished_at),
                "returned": fmt_date(dossier.returned_at),
                "status": dossier.get_status_display(),
                "timeliness": deadlines.label(code, finished=finished),
            }
        )
    summary = {
        finished: [
            {
                "label": deadlines.label(code, finished=finished),
                "count": counts.get((finished, code), 0),
            }
            for is_finished, code in REGISTER_SUMMARY
            if is_finished == finished
        ]
        for finished in (True, False)
    }
    return {
        "too_many": False,
        "kind": REGISTER,
        "title": str(SLIP_KINDS[REGISTER]),
        "heading": heading(agency, now),
        "date_from": fmt_date(date_from),
        "date_to": fmt_date(date_to),
        "rows": rows,
        "total": len(rows),
        "summary_finished": summary[True],
        "summary_open": summary[False],
        "printed": fmt_time(now),
    }
