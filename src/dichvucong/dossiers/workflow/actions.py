"""The officials' actions (DESIGN §4), one function each, each one transaction through
`dossier_transition()`: it refuses a wrong role, another agency, a stale page, a wrong state.

Called by the back-office pages (and later the API) with the version the officer saw.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.core import calendar
from dichvucong.core.errors import ApplicationError

from ..models import Attachment, AttachmentKind, Dossier, DossierEvent, EventType
from ..notify import notify_applicant
from ..uploads import check_upload
from .services import actor_roles, dossier_transition
from .statuses import OPEN, Actor


def _need(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(message, field="note", code="required")
    return text


def dossier_receive(*, dossier_id, user, expected_version, note="", client_address=None):
    """ "Tiếp nhận": the appointment date is computed from the receipt time and the
    procedure version's processing days, on the working-day calendar."""

    def apply(dossier: Dossier) -> None:
        dossier.due_at = calendar.due_at(timezone.now(), dossier.procedure_version.processing_days)

    return dossier_transition(
        dossier_id=dossier_id,
        name="receive",
        user=user,
        expected_version=expected_version,
        note=note,
        apply=apply,
        notify_template="dossier_received",
        client_address=client_address,
    )


def dossier_request_supplement(
    *, dossier_id, user, expected_version, note, missing=(), client_address=None
):
    """ "Yêu cầu bổ sung": at reception (before receipt) or during processing (the clock
    pauses until the applicant resubmits)."""
    note = _need(note, _("Vui lòng ghi rõ giấy tờ cần bổ sung, hoàn thiện và lý do."))
    status = Dossier.objects.values_list("status", flat=True).filter(pk=dossier_id).first()
    name = "request_supplement_processing" if status == "processing" else "request_supplement"
    missing = [m.strip() for m in missing if m and m.strip()]

    def apply(dossier: Dossier) -> None:
        if name == "request_supplement_processing":
            dossier.paused_at = timezone.now()

    return dossier_transition(
        dossier_id=dossier_id,
        name=name,
        user=user,
        expected_version=expected_version,
        note=note,
        data={"missing": missing},
        apply=apply,
        notify_template="dossier_supplement_requested",
        notify_extra={"missing": missing},
        client_address=client_address,
    )


def resume_after_supplement(dossier: Dossier) -> None:
    """Give back the working days the dossier waited; called by the applicant's resubmission."""
    if dossier.paused_at is not None and dossier.due_at is not None:
        days = calendar.paused_working_days(dossier.paused_at, timezone.now())
        dossier.due_at = calendar.extend(dossier.due_at, days)
    dossier.paused_at = None


def dossier_refuse(*, dossier_id, user, expected_version, note, client_address=None):
    note = _need(note, _("Vui lòng ghi lý do từ chối tiếp nhận."))
    return dossier_transition(
        dossier_id=dossier_id,
        name="refuse",
        user=user,
        expected_version=expected_version,
        note=note,
        notify_template="dossier_refused",
        client_address=client_address,
    )


def dossier_start_processing(
    *, dossier_id, user, expected_version, assignee, note="", client_address=None
):
    """ "Chuyển xử lý" to a handling officer ("Người xử lý") of the same agency."""
    if assignee is None:
        raise ApplicationError(_("Vui lòng chọn người xử lý."), field="assignee")

    def apply(dossier: Dossier) -> None:
        roles = actor_roles(user=assignee, dossier=dossier)
        if Actor.HANDLER not in roles:
            raise ApplicationError(
                _("Người xử lý phải là chuyên viên của đơn vị."), field="assignee"
            )
        dossier.assignee = assignee

    return dossier_transition(
        dossier_id=dossier_id,
        name="start_processing",
        user=user,
        expected_version=expected_version,
        note=note,
        data={"assignee": assignee.pk},
        apply=apply,
        client_address=client_address,
    )


def _attach(dossier: Dossier, user, uploads, kind: str) -> list[Attachment]:
    added = []
    for upload in uploads:
        checked = check_upload(upload, allow_office=True)
        attachment = Attachment(
            dossier=dossier,
            kind=kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        attachment.save()
        added.append(attachment)
    return added


def dossier_propose(*, dossier_id, user, expected_version, note, uploads=(), client_address=None):
    """ "Trình phê duyệt": the handling officer's proposal and draft result (staff only)."""
    note = _need(note, _("Vui lòng ghi nội dung đề xuất."))
    for upload in uploads:
        check_upload(upload, allow_office=True)
        upload.seek(0)
    added: list[Attachment] = []
    event_data: dict = {"attachments": []}

    def apply(dossier: Dossier) -> None:
        added.extend(_attach(dossier, user, uploads, AttachmentKind.DRAFT_RESULT))
        event_data["attachments"] = [a.pk for a in added]

    try:
        return dossier_transition(
            dossier_id=dossier_id,
            name="propose",
            user=user,
            expected_version=expected_version,
            note=note,
            apply=apply,
            data=event_data,
            client_address=client_address,
        )
    except ApplicationError:
        for attachment in added:
            attachment.file.delete(save=False)
        raise


def dossier_approve(
    *, dossier_id, user, expected_version, note="", uploads=(), client_address=None
):
    """ "Phê duyệt": the result files ("Tệp kết quả") are attached; without new files the
    handling officer's draft result becomes the result. For level 4 the applicant downloads
    it from the portal."""
    for upload in uploads:
        check_upload(upload, allow_office=True)
        upload.seek(0)
    added: list[Attachment] = []
    event_data: dict = {"attachments": []}

    def apply(dossier: Dossier) -> None:
        _results(dossier)
        event_data["attachments"] = [a.pk for a in added]

    def _results(dossier: Dossier) -> None:
        if uploads:
            added.extend(_attach(dossier, user, uploads, AttachmentKind.RESULT))
            return
        proposal = dossier.events.filter(action="propose").order_by("-created_at", "-id").first()
        draft_ids = (proposal.data or {}).get("attachments", []) if proposal else []
        drafts = list(
            dossier.attachments.filter(pk__in=draft_ids, kind=AttachmentKind.DRAFT_RESULT)
        )
        if not drafts:
            raise ApplicationError(_("Vui lòng đính kèm tệp kết quả."), field="files")
        for draft in drafts:
            with draft.file.open("rb") as source:
                content = source.read()
            copy = Attachment(
                dossier=dossier,
                kind=AttachmentKind.RESULT,
                original_name=draft.original_name,
                content_type=draft.content_type,
                size=draft.size,
                sha256=draft.sha256,
                uploaded_by=user,
            )
            copy.file.save(draft.original_name, ContentFile(content), save=False)
            copy.save()
            added.append(copy)

    try:
        return dossier_transition(
            dossier_id=dossier_id,
            name="approve",
            user=user,
            expected_version=expected_version,
            note=note,
            apply=apply,
            data=event_data,
            notify_template="dossier_result_ready",
            client_address=client_address,
        )
    except ApplicationError:
        for attachment in added:
            attachment.file.delete(save=False)
        raise


def dossier_decline(*, dossier_id, user, expected_version, note, client_address=None):
    """ "Không phê duyệt": the agency will not grant it; the reason goes to the applicant."""
    note = _need(note, _("Vui lòng ghi lý do không giải quyết."))
    return dossier_transition(
        dossier_id=dossier_id,
        name="decline",
        user=user,
        expected_version=expected_version,
        note=note,
        notify_template="dossier_not_resolved",
        client_address=client_address,
    )


def dossier_send_back(*, dossier_id, user, expected_version, note, client_address=None):
    note = _need(note, _("Vui lòng ghi nội dung yêu cầu chuyên viên xử lý lại."))
    return dossier_transition(
        dossier_id=dossier_id,
        name="send_back",
        user=user,
        expected_version=expected_version,
        note=note,
        client_address=client_address,
    )


def dossier_return_result(*, dossier_id, user, expected_version, note="", client_address=None):
    return dossier_transition(
        dossier_id=dossier_id,
        name="return_result",
        user=user,
        expected_version=expected_version,
        note=note,
        notify_template="dossier_returned",
        client_address=client_address,
    )


@transaction.atomic
def dossier_apologise(
    *, dossier_id, user, expected_version, new_due: dt.date, note, client_address=None
) -> Dossier:
    """ "Phiếu xin lỗi và hẹn lại ngày trả kết quả": once, before the due date, by the
    handling officer or the leader; the dossier keeps counting as late in statistics."""
    note = _need(note, _("Vui lòng ghi lý do chậm trả kết quả."))
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("applicant", "agency")
        .get(pk=dossier_id)
    )
    if not actor_roles(user=user, dossier=dossier) & {Actor.HANDLER, Actor.LEADER}:
        raise ApplicationError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden")
    if expected_version != dossier.version:
        raise ApplicationError(
            _("Hồ sơ đã được cập nhật bởi người khác. Vui lòng tải lại trang và kiểm tra."),
            code="stale",
        )
    if dossier.status not in OPEN or dossier.due_at is None:
        raise ApplicationError(_("Chỉ hẹn lại được hồ sơ đang giải quyết."), code="state")
    if dossier.original_due_at is not None:
        raise ApplicationError(_("Hồ sơ này đã được hẹn lại một lần."), code="once")
    if dossier.due_at <= timezone.now():
        raise ApplicationError(
            _("Phiếu xin lỗi phải được lập trước ngày hẹn trả kết quả."), code="late"
        )
    new_due_at = calendar.end_of_day(new_due)
    if new_due_at <= dossier.due_at:
        raise ApplicationError(
            _("Ngày hẹn mới phải sau ngày hẹn cũ (%(old)s).")
            % {"old": timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")},
            field="new_due",
        )
    dossier.original_due_at = dossier.due_at
    dossier.due_at = new_due_at
    dossier.version += 1
    dossier.save(update_fields=["original_due_at", "due_at", "version", "updated_at"])
    DossierEvent.objects.create(
        dossier=dossier,
        type=EventType.APOLOGY,
        action="apologise",
        from_status=dossier.status,
        to_status=dossier.status,
        actor=user,
        actor_role=sorted(actor_roles(user=user, dossier=dossier) & {Actor.HANDLER, Actor.LEADER})[
            0
        ],
        note=note,
        data={
            "old_due": timezone.localtime(dossier.original_due_at).date().isoformat(),
            "new_due": new_due.isoformat(),
        },
        client_address=client_address,
    )
    notify_applicant(
        dossier=dossier,
        template="dossier_apology",
        extra={"note": note, "new_due": new_due.strftime("%d/%m/%Y")},
    )
    return dossier
