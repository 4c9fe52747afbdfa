"""The demo catalogue (never in production): Bình Phước and its departments from
demo_data/binhphuoc.json. Idempotent: rows are matched on their codes and kept."""

import json
from functools import cache
from pathlib import Path

from django.db import transaction

from .models import Agency, AgencyLevel

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "binhphuoc.json"


@cache
def demo_document() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def demo_agencies_load() -> dict[str, Agency]:
    """Create the province and its agencies when missing; returns them by code."""
    document = demo_document()
    province_data = document["province"]
    province, _ = Agency.objects.get_or_create(
        code=province_data["code"],
        defaults={
            "name": province_data["name"],
            "short_name": province_data.get("short_name", ""),
            "level": AgencyLevel.PROVINCE,
            "address": province_data.get("address", ""),
            "hotline": province_data.get("hotline", ""),
        },
    )
    agencies = {province.code: province}
    for item in document["agencies"]:
        agency, _ = Agency.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "level": item.get("level", AgencyLevel.DEPARTMENT),
                "parent": province,
                "address": item.get("address", ""),
                "hotline": item.get("hotline", ""),
            },
        )
        agencies[agency.code] = agency
    return agencies
