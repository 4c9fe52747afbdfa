"""The transition table (DESIGN §4): (from, to) → who may do it and what it is called.

Two pairs split one line of DESIGN §4 in two, so that each row has one source and its own
actors: a supplement asked at reception (submitted → supplement_requested, reception officer)
or during processing (processing → supplement_requested, handling officer, clock paused); and
the applicant's resubmission goes back where the request came from (→ submitted for a
reception request; → processing, clock resumed, for a processing request).

`dossier_transition()` in workflow/services.py checks every change against this table; the
back office's buttons are derived from it, so a button exists only for a permitted action.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .statuses import Actor, Status


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset[str]
    target: str
    actors: frozenset[str]
    label: object  # the button / timeline wording


def _t(name, source, target, actors, label) -> Transition:
    return Transition(name, frozenset(source), target, frozenset(actors), label)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", [Status.DRAFT], Status.SUBMITTED, [Actor.APPLICANT], _("Nộp hồ sơ")),
        _t(
            "resubmit",
            [Status.SUPPLEMENT_REQUESTED],
            Status.SUBMITTED,
            [Actor.APPLICANT],
            _("Nộp bổ sung"),
        ),
        _t(
            "resubmit_processing",
            [Status.SUPPLEMENT_REQUESTED],
            Status.PROCESSING,
            [Actor.APPLICANT],
            _("Nộp bổ sung"),
        ),
        _t(
            "withdraw",
            [Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED],
            Status.WITHDRAWN,
            [Actor.APPLICANT],
            _("Rút hồ sơ"),
        ),
        _t("receive", [Status.SUBMITTED], Status.RECEIVED, [Actor.RECEPTION], _("Tiếp nhận")),
        _t(
            "request_supplement",
            [Status.SUBMITTED],
            Status.SUPPLEMENT_REQUESTED,
            [Actor.RECEPTION],
            _("Yêu cầu bổ sung"),
        ),
        _t(
            "request_supplement_processing",
            [Status.PROCESSING],
            Status.SUPPLEMENT_REQUESTED,
            [Actor.HANDLER],
            _("Yêu cầu bổ sung"),
        ),
        _t("refuse", [Status.SUBMITTED], Status.REFUSED, [Actor.RECEPTION], _("Từ chối")),
        _t(
            "start_processing",
            [Status.RECEIVED],
            Status.PROCESSING,
            [Actor.RECEPTION, Actor.HANDLER, Actor.LEADER],
            _("Chuyển xử lý"),
        ),
        _t(
            "propose",
            [Status.PROCESSING],
            Status.AWAITING_APPROVAL,
            [Actor.HANDLER],
            _("Trình phê duyệt"),
        ),
        _t("approve", [Status.AWAITING_APPROVAL], Status.RESOLVED, [Actor.LEADER], _("Phê duyệt")),
        _t(
            "decline",
            [Status.AWAITING_APPROVAL],
            Status.NOT_RESOLVED,
            [Actor.LEADER],
            _("Không phê duyệt"),
        ),
        _t(
            "send_back",
            [Status.AWAITING_APPROVAL],
            Status.PROCESSING,
            [Actor.LEADER],
            _("Trả lại chuyên viên"),
        ),
        _t(
            "return_result",
            [Status.RESOLVED, Status.NOT_RESOLVED],
            Status.RETURNED,
            [Actor.RECEPTION],
            _("Trả kết quả"),
        ),
    ]
}


def allowed(name: str, *, status: str, actors: set[str]) -> bool:
    transition = TRANSITIONS[name]
    return status in transition.source and bool(transition.actors & actors)


def available(*, status: str, actors: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.source and t.actors & actors]
