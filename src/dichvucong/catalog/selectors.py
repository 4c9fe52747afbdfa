from django.db.models import QuerySet

from .models import Agency


def agencies_public() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).exclude(level="tinh").order_by("name")


def home_summary() -> dict[str, object]:
    """What the home page shows: the agencies people submit to."""
    return {"agencies": list(agencies_public().only("id", "name", "code"))}
