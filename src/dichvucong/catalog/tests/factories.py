"""Catalogue test data, made through the services (as the admin and the demo loader do)."""

from dichvucong.catalog import services
from dichvucong.catalog.models import Agency, AgencyLevel


def make_agency(code: str, name: str, *, short_name: str = "", parent=None) -> Agency:
    return Agency.objects.create(
        code=code, name=name, short_name=short_name, level=AgencyLevel.DEPARTMENT, parent=parent
    )


def make_procedure(
    agency,
    field,
    name: str,
    *,
    code: str = "",
    levels=(3,),
    days: int = 5,
    keywords: str = "",
    schema=None,
    components=None,
    publish: bool = True,
    **content,
):
    return services.procedure_create(
        agency=agency,
        field=field,
        national_code=code,
        content={
            "name": name,
            "level_3": 3 in levels,
            "level_4": 4 in levels,
            "processing_days": days,
            "keywords": keywords,
            "form_schema": schema,
            **content,
        },
        components=components
        if components is not None
        else [{"name": "Đơn đề nghị", "kind": "original", "quantity": 1, "required": True}],
        publish=publish,
    )


class Catalogue:
    """Two departments of the guides with a few real procedures."""

    def __init__(self, province: Agency):
        self.ldtbxh = make_agency(
            "000.00.17.H10",
            "Sở Lao động - Thương binh và Xã hội",
            short_name="SLĐTBXH",
            parent=province,
        )
        self.ngoaivu = make_agency(
            "000.00.31.H10", "Sở Ngoại vụ", short_name="SNgV", parent=province
        )
        self.atvsld = services.field_create(
            agency=self.ldtbxh, name="An toàn, vệ sinh lao động", position=1
        )
        self.viec_lam = services.field_create(agency=self.ldtbxh, name="Việc làm", position=2)
        self.hoi_nghi = services.field_create(
            agency=self.ngoaivu, name="Hội nghị, hội thảo quốc tế", position=1
        )
        self.khai_bao = make_procedure(
            self.ldtbxh,
            self.atvsld,
            "Khai báo sử dụng máy, thiết bị, vật tư có yêu cầu nghiêm ngặt về an toàn, "
            "vệ sinh lao động",
            code="2.000134",
            levels=(4,),
        )
        self.huan_luyen = make_procedure(
            self.ldtbxh,
            self.atvsld,
            "Cấp mới Giấy chứng nhận đủ điều kiện hoạt động huấn luyện an toàn, vệ sinh lao "
            "động hạng A, hạng B",
            code="1.000302",
            levels=(3,),
            days=25,
        )
        self.giay_phep = make_procedure(
            self.ldtbxh,
            self.viec_lam,
            "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            code="1.000105",
            levels=(3, 4),
            fee=600000,
        )
        self.hoi_thao = make_procedure(
            self.ngoaivu,
            self.hoi_nghi,
            "Cho phép tổ chức hội nghị, hội thảo quốc tế",
            code="2.001707",
            levels=(3, 4),
            days=15,
        )
        self.hoa_giai = make_procedure(
            self.ngoaivu,
            self.hoi_nghi,
            "Hoà giải tranh chấp về hợp tác quốc tế",
            code="9.999001",
            levels=(3,),
        )

    @property
    def all(self):
        return [self.khai_bao, self.huan_luyen, self.giay_phep, self.hoi_thao, self.hoa_giai]
