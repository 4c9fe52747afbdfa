from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a personal access token may do. Applicants hold the dossier scopes, staff the
    back-office ones (tokens.scopes_for says which a user may choose)."""

    DOSSIERS_READ = "dossiers:read", _("Xem hồ sơ của tôi")
    DOSSIERS_WRITE = "dossiers:write", _("Tạo, nộp, bổ sung, rút, đánh giá hồ sơ của tôi")
    BACKOFFICE_READ = "backoffice:read", _("Xem hồ sơ của đơn vị (cán bộ)")
    BACKOFFICE_ACT = "backoffice:act", _("Xử lý hồ sơ của đơn vị (cán bộ)")


APPLICANT_SCOPES = (Scope.DOSSIERS_READ, Scope.DOSSIERS_WRITE)
STAFF_SCOPES = (Scope.BACKOFFICE_READ, Scope.BACKOFFICE_ACT)

TOKEN_PREFIX = "dvc_"  # noqa: S105 (a marker, not a secret)
MAX_TOKEN_DAYS = 365
