from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Dossier statuses with the labels people see (DESIGN §4)."""

    DRAFT = "draft", _("Hồ sơ nháp")
    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    RESOLVED = "resolved", _("Đã có kết quả")
    NOT_RESOLVED = "not_resolved", _("Không giải quyết (kèm lý do)")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


# The national portal's sync codes (DESIGN §4), so a later integration can report every step.
# A draft is not known to the national portal. "Không giải quyết" is a finished decision
# (a written refusal is the result), so it is reported as 9 like a positive result.
SYNC_CODES: dict[str, int | None] = {
    Status.DRAFT: None,
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.AWAITING_APPROVAL: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.WITHDRAWN: 7,
    Status.RESOLVED: 9,
    Status.NOT_RESOLVED: 9,
    Status.RETURNED: 10,
}

# Where a dossier's life ends: nothing moves it any more.
FINAL = frozenset({Status.REFUSED, Status.RETURNED, Status.WITHDRAWN})
# Received and not yet decided: the legal deadline runs.
OPEN = frozenset(
    {Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL, Status.SUPPLEMENT_REQUESTED}
)
# The applicant may still withdraw it (not yet received by the agency).
WITHDRAWABLE = frozenset({Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED})


class Actor(models.TextChoices):
    """Who acts on a transition: the applicant, a role in the agency, or the system."""

    APPLICANT = "applicant", _("Người nộp")
    RECEPTION = "reception", _("Cán bộ tiếp nhận")
    HANDLER = "handler", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    SYSTEM = "system", _("Hệ thống")
