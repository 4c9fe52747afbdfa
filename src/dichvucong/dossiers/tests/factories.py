"""Catalogue and dossier test data, made through the real services."""

import itertools

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.catalog.models import Agency
from dichvucong.catalog.services import field_create, procedure_create
from dichvucong.dossiers import services
from dichvucong.dossiers.workflow.services import dossier_transition

from .files import pdf

_seq = itertools.count(1)

SCHEMA = {
    "title": "Tờ khai đề nghị",
    "fields": [
        {"name": "ho_ten", "type": "text", "label": "Họ và tên người đề nghị", "required": True},
        {"name": "so_giay_to", "type": "id_number", "label": "Số CMND/CCCD", "required": True},
        {"name": "dien_thoai", "type": "phone", "label": "Số điện thoại", "required": True},
        {"name": "ngay_du_kien", "type": "date", "label": "Ngày dự kiến", "required": True},
        {
            "name": "so_luong",
            "type": "number",
            "label": "Số lượng",
            "required": False,
            "validation": {"min": 1, "max": 100},
        },
        {"name": "ly_do", "type": "textarea", "label": "Lý do", "required": False},
    ],
}


def agency(**overrides) -> Agency:
    n = next(_seq)
    # QCVN 102 style, unique however many tests made agencies before: 000.<hundreds>.<n>.H10
    data = {
        "code": f"000.{n // 100:02d}.{n % 100:02d}.H10",
        "name": f"Sở Thử nghiệm {n}",
        "level": "so",
    }
    data.update(overrides)
    return Agency.objects.create(**data)


def procedure(*, agency_=None, levels=(3, 4), schema=SCHEMA, components=None, **content):
    agency_ = agency_ or agency()
    field = field_create(agency=agency_, name=f"Lĩnh vực {next(_seq)}")
    values = {
        "name": f"Thủ tục thử nghiệm {next(_seq)}",
        "level_3": 3 in levels,
        "level_4": 4 in levels,
        "processing_days": 5,
        "form_schema": schema,
    }
    values.update(content)
    return procedure_create(
        agency=agency_,
        field=field,
        national_code=f"1.{next(_seq):06d}",
        content=values,
        components=components
        if components is not None
        else [
            {"name": "Đơn đề nghị", "required": True},
            {"name": "Bản sao CCCD", "kind": "copy", "required": True},
            {"name": "Giấy tờ khác", "required": False},
        ],
        publish=True,
    )


def filled(procedure_) -> dict[str, list[str]]:
    """Draft data that satisfies SCHEMA."""
    return {
        "tk-ho_ten": ["Nguyễn Văn An"],
        "tk-so_giay_to": ["070090123456"],
        "tk-dien_thoai": ["0912345678"],
        "tk-ngay_du_kien": ["20/12/2026"],
        "tk-so_luong": ["2"],
        "tk-ly_do": [""],
    }


def draft(*, user=None, procedure_=None, level=3, complete=True):
    user = user or citizen(verified=True)
    procedure_ = procedure_ or procedure()
    dossier = services.dossier_start(user=user, procedure=procedure_, level=level)
    if complete:
        uploads = {
            c.pk: [pdf(f"{c.pk}.pdf")]
            for c in procedure_.current_version.components.all()
            if c.required
        }
        services.dossier_save_draft(
            dossier_id=dossier.pk, user=user, raw_data=filled(procedure_), uploads=uploads
        )
    dossier.refresh_from_db()
    return dossier


def submitted(**kwargs):
    dossier = draft(**kwargs)
    return services.dossier_submit(dossier_id=dossier.pk, user=dossier.applicant)


def supplement_requested(**kwargs):
    dossier = submitted(**kwargs)
    officer = staff(agency=dossier.agency, role="reception")
    return dossier_transition(
        dossier_id=dossier.pk,
        name="request_supplement",
        user=officer,
        note="Bản sao CCCD bị mờ, đề nghị chụp lại rõ nét.",
        data={"missing": ["Bản sao CCCD"]},
    )
