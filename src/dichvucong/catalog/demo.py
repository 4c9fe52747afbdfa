"""The demo catalogue (never in production): Bình Phước, its departments, their fields and
procedures from demo_data/binhphuoc.json (`make run` loads it through `manage.py load_demo`).

Idempotent: agencies are matched on their code, fields on (agency, name), procedures on
(agency, national code); what exists is kept as it is (an administrator may have changed it),
only what is missing is created, through the services, with its first version published and
Word templates generated for the components that have one. A merged agency is skipped.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction

from . import services
from .models import Agency, AgencyLevel, ComponentKind, Field, Procedure

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


@dataclass
class DemoCatalogueResult:
    agencies: int = 0
    fields_created: int = 0
    procedures_created: int = 0
    procedures_total: int = 0


def _version_content(item: dict) -> dict:
    levels = set(item.get("levels") or [3])
    kinds = set(item.get("applicant_kinds") or ["citizen", "organisation"])
    return {
        "name": item["name"],
        "level_3": 3 in levels,
        "level_4": 4 in levels,
        "processing_days": item["processing_days"],
        "fee": item.get("fee") or 0,
        "fee_text": item.get("fee_text") or "",
        "for_citizen": "citizen" in kinds,
        "for_organisation": "organisation" in kinds,
        "requirements": item.get("requirements") or "",
        "legal_basis": item.get("legal_basis") or "",
        "result": item.get("result") or "",
        "steps": item.get("steps") or "",
        "channels": item.get("channels") or "",
        "keywords": item.get("keywords") or "",
        "form_schema": item.get("form") or None,
    }


def _components(item: dict) -> list[dict]:
    return [
        {
            "name": component["name"],
            "kind": component.get("kind") or ComponentKind.ORIGINAL,
            "quantity": component.get("quantity") or 1,
            "required": bool(component.get("required", True)),
            "template": component.get("template") or None,
        }
        for component in item.get("components", [])
    ]


@transaction.atomic
def demo_catalogue_load() -> DemoCatalogueResult:
    """Agencies, fields and procedures of the demo province; safe to run again."""
    agencies = demo_agencies_load()
    result = DemoCatalogueResult(agencies=len(agencies))
    for agency_data in demo_document()["agencies"]:
        agency = agencies[agency_data["code"]]
        if agency.merged_into_id or not agency.is_active:
            continue
        existing_codes = set(
            Procedure.objects.filter(agency=agency).values_list("national_code", flat=True)
        )
        for position, field_data in enumerate(agency_data.get("fields", []), start=1):
            missing = [
                p for p in field_data["procedures"] if p["national_code"] not in existing_codes
            ]
            field = Field.objects.filter(agency=agency, name=field_data["name"]).first()
            if field is None:
                if not missing:
                    continue  # its procedures were moved elsewhere: do not bring it back
                field = services.field_create(
                    agency=agency, name=field_data["name"], position=position
                )
                result.fields_created += 1
            for item in missing:
                services.procedure_create(
                    agency=agency,
                    field=field,
                    national_code=item["national_code"],
                    content=_version_content(item),
                    components=_components(item),
                    publish=True,
                )
                existing_codes.add(item["national_code"])
                result.procedures_created += 1
    result.procedures_total = Procedure.objects.exclude(current_version=None).count()
    return result
