"""The rating block of the applicant's dossier page, read here so that the dossier views know
nothing of the statistics app: dossiers/detail.html includes stats/_dossier_slot.html, which
calls `{% dossier_rating dossier %}`."""

from django import template

from dichvucong.dossiers.workflow.statuses import Status

from ..forms import RatingForm
from ..models import Rating

register = template.Library()


@register.inclusion_tag("stats/_rating.html", takes_context=True)
def dossier_rating(context, dossier):
    """The applicant's rating of a returned dossier, or the form to give it (one query, and
    only for a returned dossier); nothing for anybody else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_applicant = bool(user and user.is_authenticated and dossier.applicant_id == user.pk)
    returned = dossier.status == Status.RETURNED
    rating = Rating.objects.filter(dossier_id=dossier.pk).first() if returned else None
    return {
        "dossier": dossier,
        "show": is_applicant and dossier.status != Status.DRAFT,
        "returned": returned,
        "rating": rating,
        "form": RatingForm(auto_id="danh-gia-%s") if returned and rating is None else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def num(value, decimals=0):
    """1.234.567 (Vietnamese grouping); "—" for nothing."""
    from ..charts import number

    return number(value, int(decimals))


@register.filter
def pct(rate):
    """0.952 → "95,2 %"; "—" when there was nothing to divide."""
    from ..charts import percent

    return percent(rate)


@register.filter
def attr(obj, name):
    """The attribute `name` of `obj` (the tables walk the same column list as the exports)."""
    return getattr(obj, name, "")
