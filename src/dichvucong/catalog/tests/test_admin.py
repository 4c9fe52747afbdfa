"""Administration: only administrators edit the catalogue; the schema editor validates the
JSON (Vietnamese messages) and previews the form; published versions are read-only."""

import json

import pytest
from django.contrib.auth.models import Permission

from dichvucong.accounts.models import User
from dichvucong.catalog import services
from dichvucong.catalog.models import AgencyNameHistory, Procedure, ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/catalog/"


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser("quantri", password="Demo@2026")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def version_post(version: ProcedureVersion, **changes) -> dict:
    data = {
        "name": version.name,
        "level_3": "on" if version.level_3 else "",
        "level_4": "on" if version.level_4 else "",
        "processing_days": version.processing_days,
        "fee": version.fee,
        "fee_text": version.fee_text,
        "for_citizen": "on" if version.for_citizen else "",
        "for_organisation": "on" if version.for_organisation else "",
        "requirements": version.requirements,
        "legal_basis": version.legal_basis,
        "result": version.result,
        "steps": version.steps,
        "channels": version.channels,
        "keywords": version.keywords,
        "form_schema": json.dumps(version.form_schema) if version.form_schema else "",
        "note": version.note,
        "components-TOTAL_FORMS": "0",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
    }
    components = list(version.components.all())
    data["components-TOTAL_FORMS"] = str(len(components))
    data["components-INITIAL_FORMS"] = str(len(components))
    for index, component in enumerate(components):
        data.update(
            {
                f"components-{index}-id": component.pk,
                f"components-{index}-version": version.pk,
                f"components-{index}-position": component.position,
                f"components-{index}-name": component.name,
                f"components-{index}-kind": component.kind,
                f"components-{index}-quantity": component.quantity,
                f"components-{index}-required": "on" if component.required else "",
            }
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


class TestAccess:
    """Only administrators edit; nobody else even sees the catalogue administration."""

    def urls(self, catalogue):
        version = catalogue.giay_phep.current_version
        return [
            f"{ADMIN}procedure/",
            f"{ADMIN}procedure/{catalogue.giay_phep.pk}/change/",
            f"{ADMIN}procedureversion/{version.pk}/change/",
            f"{ADMIN}procedureversion/{version.pk}/xem-truoc/",
            f"{ADMIN}agency/{catalogue.ngoaivu.pk}/change/",
            f"{ADMIN}agency/{catalogue.ngoaivu.pk}/sap-nhap/",
            f"{ADMIN}field/add/",
        ]

    def test_anonymous_is_sent_to_the_admin_login(self, client, catalogue):
        for url in self.urls(catalogue):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/quan-tri/login/"), url

    @pytest.mark.parametrize(
        "account",
        [
            {"username": "070090123456", "kind": "citizen"},
            {"username": "tiepnhan.ldtbxh", "kind": "staff"},
        ],
    )
    def test_citizens_and_officials_cannot_enter(self, client, catalogue, account):
        client.force_login(User.objects.create_user(**account))
        for url in self.urls(catalogue):
            assert client.get(url).status_code == 302, url
        response = client.post(
            f"{ADMIN}procedureversion/{catalogue.giay_phep.current_version_id}/cong-bo/"
        )
        assert response.status_code == 302

    def test_staff_without_catalogue_permissions_is_refused(self, client, catalogue):
        clerk = User.objects.create_user("vanthu", kind="staff", is_staff=True)
        client.force_login(clerk)
        for url in self.urls(catalogue):
            assert client.get(url).status_code == 403, url
        draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
        assert client.post(f"{ADMIN}procedureversion/{draft.pk}/cong-bo/").status_code == 403
        assert (
            client.post(f"{ADMIN}procedure/{catalogue.giay_phep.pk}/phien-ban-moi/").status_code
            == 403
        )
        draft.refresh_from_db()
        assert draft.status == VersionStatus.DRAFT

    def test_view_permission_alone_cannot_change(self, client, catalogue):
        reader = User.objects.create_user("doc", kind="staff", is_staff=True)
        reader.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_procedureversion", "view_procedure"])
        )
        client.force_login(reader)
        draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
        assert client.get(f"{ADMIN}procedureversion/{draft.pk}/change/").status_code == 200
        response = client.post(
            f"{ADMIN}procedureversion/{draft.pk}/change/", version_post(draft, name="Đổi tên")
        )
        assert response.status_code == 403
        assert client.post(f"{ADMIN}procedureversion/{draft.pk}/cong-bo/").status_code == 403

    def test_administrator_can_open_everything(self, admin_client, catalogue):
        for url in self.urls(catalogue):
            assert admin_client.get(url).status_code == 200, url


class TestSchemaEditor:
    def draft(self, catalogue) -> ProcedureVersion:
        return services.procedure_version_draft(procedure=catalogue.giay_phep)

    def test_invalid_json_is_refused_saying_where(self, admin_client, catalogue):
        draft = self.draft(catalogue)
        response = admin_client.post(
            f"{ADMIN}procedureversion/{draft.pk}/change/",
            version_post(draft, form_schema='{"title": "T", "fields": [}'),
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "JSON không hợp lệ ở dòng 1, cột 27" in content
        assert "{&quot;title&quot;: &quot;T&quot;, &quot;fields&quot;: [}" in content  # kept
        draft.refresh_from_db()
        assert draft.form_schema is None

    def test_invalid_schema_lists_every_problem(self, admin_client, catalogue):
        draft = self.draft(catalogue)
        schema = {"title": "T", "fields": [{"name": "Ho ten", "type": "chu", "label": "A"}]}
        response = admin_client.post(
            f"{ADMIN}procedureversion/{draft.pk}/change/",
            version_post(draft, form_schema=json.dumps(schema)),
        )
        content = response.content.decode()
        assert '"name" phải gồm chữ thường không dấu' in content.replace("&quot;", '"')
        assert 'kiểu "chu" không hợp lệ' in content.replace("&quot;", '"')
        draft.refresh_from_db()
        assert draft.form_schema is None

    def test_valid_schema_is_saved_and_previewed(self, admin_client, catalogue):
        draft = self.draft(catalogue)
        schema = {
            "title": "Tờ khai thử",
            "fields": [
                {"name": "ho_ten", "type": "text", "label": "Họ và tên", "required": True},
                {"name": "dia_chi", "type": "address", "label": "Địa chỉ"},
            ],
        }
        response = admin_client.post(
            f"{ADMIN}procedureversion/{draft.pk}/change/",
            version_post(draft, form_schema=json.dumps(schema), _continue="1"),
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        draft.refresh_from_db()
        assert draft.form_schema == schema
        change = admin_client.get(f"{ADMIN}procedureversion/{draft.pk}/change/").content.decode()
        assert "2 trường." in change
        preview = admin_client.get(
            f"{ADMIN}procedureversion/{draft.pk}/xem-truoc/"
        ).content.decode()
        assert '<h2 id="preview-title">Tờ khai thử</h2>' in preview
        assert '<label class="label" for="id_ho_ten">Họ và tên' in preview
        assert 'for="id_dia_chi_1">Xã/phường/đặc khu</label>' in preview

    def test_preview_checks_unsaved_json_and_tries_data(self, admin_client, catalogue):
        draft = self.draft(catalogue)
        url = f"{ADMIN}procedureversion/{draft.pk}/xem-truoc/"
        bad = admin_client.post(url, {"form_schema": '{"title": "T", "fields": []}'})
        assert "Cần &quot;fields&quot;: danh sách ít nhất một trường." in bad.content.decode()
        schema = {
            "title": "Thử",
            "fields": [
                {"name": "so_dt", "type": "phone", "label": "Số điện thoại", "required": True}
            ],
        }
        good = admin_client.post(url, {"form_schema": json.dumps(schema)})
        assert 'for="id_so_dt">Số điện thoại' in good.content.decode()
        tried = admin_client.post(
            url, {"form_schema": json.dumps(schema), "_thu": "1", "so_dt": "123"}
        )
        assert "Số điện thoại di động không hợp lệ" in tried.content.decode()
        ok = admin_client.post(
            url, {"form_schema": json.dumps(schema), "_thu": "1", "so_dt": "0912345678"}
        )
        assert "Dữ liệu thử hợp lệ." in ok.content.decode()
        draft.refresh_from_db()
        assert draft.form_schema is None  # nothing saved


class TestVersionsInAdmin:
    def test_published_version_is_read_only(self, admin_client, catalogue):
        version = catalogue.giay_phep.current_version
        page = admin_client.get(f"{ADMIN}procedureversion/{version.pk}/change/").content.decode()
        assert 'name="processing_days"' not in page
        assert "Phiên bản đã công bố không sửa được." in page
        admin_client.post(
            f"{ADMIN}procedureversion/{version.pk}/change/",
            version_post(version, processing_days=1),
        )
        version.refresh_from_db()
        assert version.processing_days == 5

    def test_new_version_edit_and_publish(self, admin_client, administrator, catalogue):
        procedure = catalogue.giay_phep
        response = admin_client.post(f"{ADMIN}procedure/{procedure.pk}/phien-ban-moi/")
        draft = procedure.versions.get(status=VersionStatus.DRAFT)
        assert response["Location"] == f"{ADMIN}procedureversion/{draft.pk}/change/"
        response = admin_client.post(
            f"{ADMIN}procedureversion/{draft.pk}/change/",
            version_post(draft, processing_days="7", _continue="1"),
        )
        assert response.status_code == 302
        admin_client.post(f"{ADMIN}procedureversion/{draft.pk}/cong-bo/")
        procedure.refresh_from_db()
        assert procedure.current_version_id == draft.pk
        assert procedure.current_version.processing_days == 7
        assert procedure.current_version.published_by == administrator
        assert procedure.versions.get(number=1).status == VersionStatus.SUPERSEDED

    def test_add_procedure_creates_a_draft(self, admin_client, catalogue):
        response = admin_client.post(
            f"{ADMIN}procedure/add/",
            {
                "agency": catalogue.ngoaivu.pk,
                "field": catalogue.hoi_nghi.pk,
                "national_code": "1.011652",
                "version_name": "Cho phép sử dụng thẻ ABTC",
                "processing_days": "10",
                "is_published": "on",
            },
        )
        procedure = Procedure.objects.get(national_code="1.011652")
        draft = procedure.versions.get()
        assert response["Location"] == f"{ADMIN}procedureversion/{draft.pk}/change/"
        assert draft.status == VersionStatus.DRAFT
        assert procedure.current_version is None

    def test_add_procedure_refuses_a_field_of_another_agency(self, admin_client, catalogue):
        response = admin_client.post(
            f"{ADMIN}procedure/add/",
            {
                "agency": catalogue.ngoaivu.pk,
                "field": catalogue.viec_lam.pk,
                "version_name": "Sai",
                "processing_days": "1",
            },
        )
        assert "Lĩnh vực không thuộc đơn vị đã chọn." in response.content.decode()
        assert not Procedure.objects.filter(name="Sai").exists()


class TestAgenciesInAdmin:
    def test_renaming_keeps_history(self, admin_client, catalogue):
        agency = catalogue.ngoaivu
        response = admin_client.post(
            f"{ADMIN}agency/{agency.pk}/change/",
            {
                "code": agency.code,
                "name": "Sở Ngoại vụ (tên mới)",
                "short_name": agency.short_name,
                "level": agency.level,
                "parent": agency.parent_id,
                "is_active": "on",
                "name_history-TOTAL_FORMS": "0",
                "name_history-INITIAL_FORMS": "0",
                "name_history-MIN_NUM_FORMS": "0",
                "name_history-MAX_NUM_FORMS": "1000",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        agency.refresh_from_db()
        assert agency.name == "Sở Ngoại vụ (tên mới)"
        assert AgencyNameHistory.objects.get(agency=agency).name == "Sở Ngoại vụ"

    def test_merge_from_admin(self, admin_client, catalogue):
        response = admin_client.post(
            f"{ADMIN}agency/{catalogue.ngoaivu.pk}/sap-nhap/", {"target": catalogue.ldtbxh.pk}
        )
        assert response["Location"] == f"{ADMIN}agency/{catalogue.ldtbxh.pk}/change/"
        catalogue.ngoaivu.refresh_from_db()
        assert catalogue.ngoaivu.merged_into == catalogue.ldtbxh
        assert not catalogue.ngoaivu.is_active

    def test_agencies_cannot_be_deleted(self, admin_client, catalogue):
        response = admin_client.post(
            f"{ADMIN}agency/{catalogue.ngoaivu.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403


class TestComponentsInAdmin:
    def test_a_draft_gets_a_component_with_an_uploaded_template(self, admin_client, catalogue):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from dichvucong.catalog.documents import docx_bytes

        draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
        data = version_post(draft, _continue="1")
        data.update(
            {
                "components-TOTAL_FORMS": "2",
                "components-1-position": "1",
                "components-1-name": "Tờ khai (Mẫu số 01)",
                "components-1-kind": "original",
                "components-1-quantity": "1",
                "components-1-required": "on",
                "components-1-template_file": SimpleUploadedFile(
                    "mau-01.docx", docx_bytes(title="Tờ khai", agency_name="Sở")
                ),
            }
        )
        response = admin_client.post(f"{ADMIN}procedureversion/{draft.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        component = draft.components.get(name="Tờ khai (Mẫu số 01)")
        assert component.template_file.name.startswith("catalog/mau/mau-01")
        download = admin_client.get(f"{ADMIN}procedureversion/thanh-phan/{component.pk}/mau/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"PK")
        page = admin_client.get(f"{ADMIN}procedureversion/{draft.pk}/change/").content.decode()
        assert f"thanh-phan/{component.pk}/mau/" in page

    def test_a_template_must_be_a_document(self, admin_client, catalogue):
        from django.core.files.uploadedfile import SimpleUploadedFile

        draft = services.procedure_version_draft(procedure=catalogue.giay_phep)
        data = version_post(draft)
        data.update(
            {
                "components-TOTAL_FORMS": "2",
                "components-1-position": "1",
                "components-1-name": "Tệp lạ",
                "components-1-kind": "original",
                "components-1-quantity": "1",
                "components-1-template_file": SimpleUploadedFile("virus.exe", b"MZ"),
            }
        )
        response = admin_client.post(f"{ADMIN}procedureversion/{draft.pk}/change/", data)
        assert response.status_code == 200
        assert not draft.components.filter(name="Tệp lạ").exists()
