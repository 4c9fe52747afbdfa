"""Every write on dossiers by the applicant: start, save the draft, attach, submit, withdraw,
supplement. Status changes go through workflow.services.dossier_transition."""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError

from .declaration import declaration_form, missing_components, prefill
from .models import Attachment, AttachmentKind, Dossier, DossierEvent, EventType, ResultDelivery
from .uploads import check_upload
from .workflow.actions import resume_after_supplement
from .workflow.codes import dossier_code_next
from .workflow.services import dossier_transition
from .workflow.statuses import Actor, Status


def applicant_can_submit(*, user, version) -> None:
    """Raise ApplicationError when this account may not submit to this procedure version."""
    if not user.is_authenticated or not user.is_applicant:
        raise ApplicationError(
            _("Chỉ tài khoản cá nhân hoặc tổ chức mới nộp được hồ sơ."), code="not_applicant"
        )
    if not user.has_verified_contact:
        raise ApplicationError(
            _(
                "Tài khoản của bạn chưa được xác thực. Hãy xác thực số điện thoại hoặc thư điện "
                "tử trước khi nộp hồ sơ."
            ),
            code="unverified",
        )
    if user.kind == "citizen" and not version.for_citizen:
        raise ApplicationError(
            _("Thủ tục này chỉ dành cho tổ chức. Hãy đăng nhập bằng tài khoản tổ chức."),
            code="kind",
        )
    if user.kind == "organisation" and not version.for_organisation:
        raise ApplicationError(_("Thủ tục này chỉ dành cho cá nhân."), code="kind")


@transaction.atomic
def dossier_start(*, user, procedure, level: int, token: uuid.UUID | None = None) -> Dossier:
    """Create a draft for `procedure` at `level`; the same start token gives the same draft
    (a double click or a retried request never makes two)."""
    if token is not None:
        existing = Dossier.objects.filter(start_token=token, applicant=user).first()
        if existing is not None:
            return existing
    version = procedure.current_version
    if version is None or not procedure.is_published:
        raise ApplicationError(_("Thủ tục này hiện không nhận hồ sơ trực tuyến."), code="closed")
    applicant_can_submit(user=user, version=version)
    if level not in version.levels:
        raise ApplicationError(
            _("Thủ tục này không cung cấp dịch vụ công mức độ %(level)s.") % {"level": level},
            field="level",
        )
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                procedure=procedure,
                procedure_version=version,
                agency=procedure.agency,
                applicant=user,
                level=level,
                draft_data=prefill(version.form_schema, user),
                result_delivery=ResultDelivery.ONLINE if level == 4 else ResultDelivery.IN_PERSON,
                start_token=token,
            )
    except IntegrityError:  # the same start token, a concurrent request won
        existing = Dossier.objects.filter(start_token=token, applicant=user).first()
        if existing is None:
            raise
        return existing
    DossierEvent.objects.create(
        dossier=dossier,
        type=EventType.CREATED,
        actor=user,
        actor_role=Actor.APPLICANT,
        is_public=False,
    )
    return dossier


@dataclass
class UploadOutcome:
    added: list[Attachment] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)  # key: component id or "supplement"


def _check_totals(dossier: Dossier, adding_bytes: int, adding_files: int) -> None:
    totals = Attachment.objects.filter(dossier=dossier).aggregate(size=Sum("size"))
    count = Attachment.objects.filter(dossier=dossier).count()
    if count + adding_files > settings.UPLOAD_MAX_FILES_PER_DOSSIER:
        raise ApplicationError(
            _("Một hồ sơ có tối đa %(n)d tệp.") % {"n": settings.UPLOAD_MAX_FILES_PER_DOSSIER},
            code="too_many",
        )
    if (totals["size"] or 0) + adding_bytes > settings.UPLOAD_MAX_DOSSIER_BYTES:
        raise ApplicationError(
            _("Tổng dung lượng tệp của một hồ sơ tối đa %(mb)d MB.")
            % {"mb": settings.UPLOAD_MAX_DOSSIER_BYTES // (1024 * 1024)},
            code="dossier_too_large",
        )


def _store(
    *, dossier: Dossier, user, uploads, component=None, kind: str, round_: int, outcome, key: str
) -> None:
    for upload in uploads:
        try:
            checked = check_upload(upload, allow_office=bool(component and component.template_file))
            _check_totals(dossier, checked.size, 1)
        except ApplicationError as error:
            outcome.errors.setdefault(key, []).append(error.message)
            continue
        attachment = Attachment(
            dossier=dossier,
            component=component,
            kind=kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user,
            round=round_,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        attachment.save()
        outcome.added.append(attachment)


def _own_draft(*, dossier_id: int, user) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))  # only the dossier: never the agency
        .select_related("procedure_version", "agency")
        .filter(pk=dossier_id, applicant=user)
        .first()
    )
    if dossier is None:
        raise ApplicationError(_("Không tìm thấy hồ sơ."), code="not_found")
    if dossier.status != Status.DRAFT:
        raise ApplicationError(_("Hồ sơ đã nộp, không sửa được nữa."), code="not_draft")
    return dossier


@transaction.atomic
def dossier_save_draft(
    *, dossier_id: int, user, raw_data: dict[str, list[str]], uploads: dict[int, list]
) -> UploadOutcome:
    """ "Lưu nháp": keep what was typed (as typed, valid or not) and every acceptable file.

    Files that fail their checks are reported per component and not kept; the rest is.
    """
    dossier = _own_draft(dossier_id=dossier_id, user=user)
    dossier.draft_data = raw_data
    dossier.version += 1
    dossier.save(update_fields=["draft_data", "version", "updated_at"])
    components = {c.pk: c for c in dossier.procedure_version.components.all()}
    outcome = UploadOutcome()
    for component_id, files in uploads.items():
        component = components.get(component_id)
        if component is None:
            continue
        _store(
            dossier=dossier,
            user=user,
            uploads=files,
            component=component,
            kind=AttachmentKind.COMPONENT,
            round_=0,
            outcome=outcome,
            key=str(component_id),
        )
    return outcome


@transaction.atomic
def attachment_remove(*, attachment_id: int, user) -> None:
    """Remove a file from a draft (after submission files are never removed)."""
    attachment = (
        Attachment.objects.select_related("dossier")
        .filter(pk=attachment_id, dossier__applicant=user)
        .first()
    )
    if attachment is None:
        raise ApplicationError(_("Không tìm thấy tệp."), code="not_found")
    _own_draft(dossier_id=attachment.dossier_id, user=user)
    attachment.file.delete(save=False)
    attachment.delete()


def dossier_problems(dossier: Dossier):
    """(bound declaration form, list of missing required components) for a draft."""
    form = declaration_form(dossier.procedure_version, data=dossier.draft_data)
    return form, missing_components(dossier)


def dossier_submit(*, dossier_id: int, user) -> Dossier:
    """ "Nộp hồ sơ": check everything, assign the code, send it to the agency — one transaction.

    Submitting a dossier that is already submitted returns it unchanged: a double click, a
    second tab or a retried request never creates or changes anything.
    """
    current = Dossier.objects.filter(pk=dossier_id, applicant=user).first()
    if current is None:
        raise ApplicationError(_("Không tìm thấy hồ sơ."), code="not_found")
    if current.status != Status.DRAFT:
        return current
    applicant_can_submit(user=user, version=current.procedure_version)

    def apply(dossier: Dossier) -> None:
        form, missing = dossier_problems(dossier)
        if not form.is_valid() or missing:
            raise ApplicationError(
                _("Hồ sơ chưa đầy đủ. Vui lòng kiểm tra tờ khai và các giấy tờ bắt buộc."),
                code="incomplete",
            )
        dossier.form_data = form.cleaned_json()
        dossier.code = dossier_code_next(agency=dossier.agency)

    try:
        return dossier_transition(
            dossier_id=dossier_id,
            name="submit",
            user=user,
            apply=apply,
            notify_template="dossier_submitted",
        )
    except ApplicationError as error:
        if error.code == "invalid_transition":  # a concurrent request submitted it first
            return Dossier.objects.get(pk=dossier_id)
        raise


def dossier_withdraw(*, dossier_id: int, user, reason: str, expected_version: int) -> Dossier:
    """ "Rút hồ sơ" while the agency has not received it yet."""
    return dossier_transition(
        dossier_id=dossier_id,
        name="withdraw",
        user=user,
        expected_version=expected_version,
        note=reason,
        notify_template="dossier_withdrawn",
    )


def dossier_supplement(
    *, dossier_id: int, user, note: str, uploads: list, expected_version: int
) -> tuple[Dossier | None, UploadOutcome]:
    """Upload what the agency asked for and send the dossier back: the files are added as a
    new round beside the earlier ones (never replacing them). If any file is refused, nothing
    is stored or sent and the person sees why."""
    outcome = UploadOutcome()
    for upload in uploads:
        try:
            check_upload(upload)
        except ApplicationError as error:
            outcome.errors.setdefault("files", []).append(error.message)
        upload.seek(0)
    if outcome.errors:
        return None, outcome
    if not uploads and not note:
        raise ApplicationError(
            _("Hãy đính kèm giấy tờ bổ sung hoặc ghi nội dung đã sửa."), field="files"
        )
    try:
        with transaction.atomic():
            dossier = (
                Dossier.objects.select_for_update()
                .filter(pk=dossier_id, applicant=user, status=Status.SUPPLEMENT_REQUESTED)
                .first()
            )
            if dossier is None:
                raise ApplicationError(_("Hồ sơ này không ở trạng thái chờ bổ sung."), code="state")
            round_ = (dossier.attachments.aggregate(m=Max("round"))["m"] or 0) + 1
            _store(
                dossier=dossier,
                user=user,
                uploads=uploads,
                kind=AttachmentKind.SUPPLEMENT,
                round_=round_,
                outcome=outcome,
                key="files",
            )
            if outcome.errors:  # over the dossier's totals
                raise ApplicationError(" ".join(outcome.errors["files"]), field="files")
            dossier = dossier_transition(
                dossier_id=dossier_id,
                # back where the request came from: processing (clock resumes) or reception
                name="resubmit_processing" if dossier.paused_at else "resubmit",
                apply=resume_after_supplement,
                user=user,
                expected_version=expected_version,
                note=note,
                data={"attachments": [a.pk for a in outcome.added], "round": round_},
                notify_template="dossier_resubmitted",
            )
    except ApplicationError:
        for attachment in outcome.added:  # the rows rolled back; remove their files too
            attachment.file.delete(save=False)
        raise
    return dossier, outcome
