"""The back office's one entry to the officials' actions: an action name and its inputs to
the dossiers' workflow action that performs it. The staff pages and the API both call
`staff_act()`, so no action is wired twice."""

import datetime as dt

from django.utils.translation import gettext as _

from dichvucong.core.errors import ApplicationError
from dichvucong.dossiers.workflow import actions

# Which inputs each action takes (the pages show only these; the API documents them).
ACTION_INPUTS = {
    "receive": ["note"],
    "request_supplement": ["note", "missing"],
    "request_supplement_processing": ["note", "missing"],
    "refuse": ["note"],
    "start_processing": ["assignee", "note"],
    "propose": ["note", "files"],
    "approve": ["note", "files"],
    "decline": ["note"],
    "send_back": ["note"],
    "return_result": ["note"],
    "apologise": ["new_due", "note"],
}
STAFF_ACTIONS = frozenset(ACTION_INPUTS)


def staff_act(
    name: str,
    *,
    dossier_id: int,
    user,
    expected_version: int,
    client_address: str | None = None,
    note: str = "",
    missing: list[str] | None = None,
    assignee_id: int | None = None,
    new_due: dt.date | None = None,
    uploads=(),
):
    """Perform the staff action `name` on a dossier (each action is one transaction and
    checks role, agency, state and version itself). Raises ApplicationError when refused."""
    common = {
        "dossier_id": dossier_id,
        "user": user,
        "expected_version": expected_version,
        "client_address": client_address,
    }
    note = note or ""
    if name == "receive":
        return actions.dossier_receive(**common, note=note)
    if name in ("request_supplement", "request_supplement_processing"):
        return actions.dossier_request_supplement(**common, note=note, missing=missing or [])
    if name == "refuse":
        return actions.dossier_refuse(**common, note=note)
    if name == "start_processing":
        from dichvucong.accounts.models import User

        assignee = User.objects.filter(pk=assignee_id or 0).first()
        return actions.dossier_start_processing(**common, assignee=assignee, note=note)
    if name == "propose":
        return actions.dossier_propose(**common, note=note, uploads=uploads)
    if name == "approve":
        return actions.dossier_approve(**common, note=note, uploads=uploads)
    if name == "decline":
        return actions.dossier_decline(**common, note=note)
    if name == "send_back":
        return actions.dossier_send_back(**common, note=note)
    if name == "return_result":
        return actions.dossier_return_result(**common, note=note)
    if name == "apologise":
        if not new_due:
            raise ApplicationError(_("Vui lòng nhập ngày hẹn mới."), field="new_due")
        return actions.dossier_apologise(**common, note=note, new_due=new_due)
    raise ApplicationError(_("Không có thao tác này."), code="unknown_action")
