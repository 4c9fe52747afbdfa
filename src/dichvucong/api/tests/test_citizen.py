"""The applicant's endpoints: profile, "Hồ sơ của bạn", a draft, its files, submission with
per-field problems, withdrawal, supplement, rating and slips; CSRF on session calls."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from dichvucong.accounts.tests.factories import citizen
from dichvucong.dossiers.models import Attachment, Dossier
from dichvucong.dossiers.tests import factories
from dichvucong.dossiers.tests.files import EXE, pdf, pdf_bytes, upload
from dichvucong.dossiers.workflow import actions
from dichvucong.stats.models import Rating

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db
FORM = {
    "ho_ten": "Nguyễn Văn An",
    "so_giay_to": "070090123456",
    "dien_thoai": "0912345678",
    "ngay_du_kien": "20/12/2026",
    "so_luong": 2,
}


def components(procedure):
    return list(procedure.current_version.components.order_by("position", "id"))


def test_profile_is_the_account_itself(world):
    body = bearer(world.citizen_a).get("/api/v1/me/").json()
    assert body["full_name"] == "Trần Thị Bích"
    assert body["id_number"] == world.citizen_a.id_number
    assert body["email_verified"] is True


def test_my_dossiers_filter_by_status_and_give_sync_codes(world):
    factories.draft(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    rows = client.get("/api/v1/me/dossiers/").json()["results"]
    assert [r["status"] for r in rows] == ["draft", "submitted"]
    assert [r["sync_code"] for r in rows] == [None, 1]
    assert rows[1]["status_label"] == "Mới nộp, chờ tiếp nhận"
    submitted = client.get("/api/v1/me/dossiers/", {"status": "submitted"}).json()
    assert [r["code"] for r in submitted["results"]] == [world.dossier.code]
    body = assert_problem(client.get("/api/v1/me/dossiers/", {"status": "nope"}), 400)
    assert "status" in body["errors"]


def test_my_dossiers_list_has_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        factories.submitted(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    client.get("/api/v1/me/dossiers/")  # the token's last use is written once a minute
    with django_assert_max_num_queries(4):  # token + user, count, page
        response = client.get("/api/v1/me/dossiers/")
    assert response.json()["count"] == 6


def test_draft_upload_submit(world):
    client = bearer(world.citizen_a)
    response = client.post(
        "/api/v1/me/dossiers/",
        {"procedure": world.procedure.pk, "level": 3, "form_data": FORM},
        format="json",
    )
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft"
    assert draft["code"] is None
    assert draft["draft_data"]["ho_ten"] == ["Nguyễn Văn An"]
    url = f"/api/v1/me/dossiers/{draft['id']}"

    incomplete = assert_problem(client.post(f"{url}/submit/"), 422, "incomplete")
    required = [c for c in components(world.procedure) if c.required]
    assert set(incomplete["errors"]) == {f"components.{c.pk}" for c in required}

    for component in required:
        response = client.post(
            f"{url}/attachments/",
            {"component": component.pk, "file": pdf(f"{component.pk}.pdf")},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        assert response.json()["content_type"] == "application/pdf"
    response = client.post(f"{url}/submit/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["sync_code"] == 1
    assert body["code"].startswith(world.agency_x.code)
    assert body["form_data"]["ho_ten"] == "Nguyễn Văn An"


def test_submission_lists_the_declaration_errors_per_field(world):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    response = client.patch(
        f"/api/v1/me/dossiers/{dossier.pk}/",
        {"form_data": {**FORM, "dien_thoai": "123", "ngay_du_kien": ""}},
        format="json",
    )
    assert response.status_code == 200
    body = assert_problem(client.post(f"/api/v1/me/dossiers/{dossier.pk}/submit/"), 422)
    assert set(body["errors"]) == {"form_data.dien_thoai", "form_data.ngay_du_kien"}
    assert all(not m.isascii() for ms in body["errors"].values() for m in ms)
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"level": 3}, "procedure"),
        ({"procedure": "abc", "level": 3}, "procedure"),
        ({"procedure": 10**30, "level": 3}, "procedure"),
        ({"procedure": 999999, "level": 3}, "procedure"),
        ({"procedure": "P", "level": 5}, "level"),
        ({"procedure": "P", "level": 3, "form_data": {"ho_ten": {"x": 1}}}, "form_data.ho_ten"),
        ({"procedure": "P", "level": 3, "form_data": {"ho ten!": "x"}}, "form_data.ho ten!"),
        ({"procedure": "P", "level": 3, "form_data": {"ho_ten": "a\x00b"}}, "form_data.ho_ten"),
        ({"procedure": "P", "level": 3, "form_data": []}, "form_data"),
    ],
)
def test_bad_drafts_are_refused_per_field(world, payload, field):
    if payload.get("procedure") == "P":
        payload = {**payload, "procedure": world.procedure.pk}
    before = Dossier.objects.count()
    response = bearer(world.citizen_a).post("/api/v1/me/dossiers/", payload, format="json")
    body = assert_problem(response, 400)
    assert field in body["errors"], body
    assert Dossier.objects.count() == before


def test_a_level_the_procedure_does_not_offer_is_refused(world):
    only_3 = factories.procedure(agency_=world.agency_x, levels=(3,))
    response = bearer(world.citizen_a).post(
        "/api/v1/me/dossiers/", {"procedure": only_3.pk, "level": 4}, format="json"
    )
    body = assert_problem(response, 400)
    assert "level" in body["errors"]


def test_an_unverified_account_cannot_start(world):
    unverified = citizen()
    response = bearer(unverified).post(
        "/api/v1/me/dossiers/", {"procedure": world.procedure.pk, "level": 3}, format="json"
    )
    body = assert_problem(response, 422, "unverified")
    assert "xác thực" in body["detail"]


@pytest.mark.parametrize(
    ("name", "content", "code_word"),
    [("virus.pdf", EXE, "không phải loại"), ("empty.pdf", b"", "rỗng")],
)
def test_uploads_are_checked_by_content(world, name, content, code_word):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure, complete=False)
    component = components(world.procedure)[0]
    response = bearer(world.citizen_a).post(
        f"/api/v1/me/dossiers/{dossier.pk}/attachments/",
        {"component": component.pk, "file": upload(name, content)},
        format="multipart",
    )
    body = assert_problem(response, 400)
    assert "file" in body["errors"]
    assert any(code_word in m for m in body["errors"]["file"]) or code_word == "rỗng"
    assert not Attachment.objects.filter(dossier=dossier).exists()


def test_upload_needs_multipart_and_a_component_of_the_procedure(world):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure, complete=False)
    client = bearer(world.citizen_a)
    url = f"/api/v1/me/dossiers/{dossier.pk}/attachments/"
    assert_problem(client.post(url, {"component": 1}, format="json"), 415)
    other = factories.procedure(agency_=world.agency_x)
    foreign = components(other)[0]
    body = assert_problem(
        client.post(url, {"component": foreign.pk, "file": pdf()}, format="multipart"), 400
    )
    assert "component" in body["errors"]


def test_a_draft_file_can_be_removed_but_not_after_submission(world):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    attachment = dossier.attachments.first()
    url = f"/api/v1/me/dossiers/{dossier.pk}/attachments/{attachment.pk}/"
    assert client.delete(url).status_code == 204
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    kept = world.dossier.attachments.first()
    response = client.delete(f"/api/v1/me/dossiers/{world.dossier.pk}/attachments/{kept.pk}/")
    assert_problem(response, 409, "not_draft")
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_withdraw_needs_the_current_version(world):
    client = bearer(world.citizen_a)
    url = f"/api/v1/me/dossiers/{world.dossier.pk}/withdraw/"
    stale = client.post(url, {"version": world.dossier.version - 1, "reason": "x"}, format="json")
    assert_problem(stale, 409, "stale")
    missing = assert_problem(
        client.post(url, {"version": world.dossier.version}, format="json"), 400
    )
    assert missing["errors"]["reason"] == ["Trường này là bắt buộc."]
    ok = client.post(url, {"version": world.dossier.version, "reason": "Nộp nhầm"}, format="json")
    assert ok.json()["status"] == "withdrawn"
    assert ok.json()["sync_code"] == 7
    again = client.post(url, {"version": ok.json()["version"], "reason": "x"}, format="json")
    assert_problem(again, 409, "invalid_transition")


def test_supplement_adds_files_and_sends_the_dossier_back(world):
    dossier = factories.supplement_requested(user=world.citizen_a, procedure_=world.procedure)
    client = bearer(world.citizen_a)
    url = f"/api/v1/me/dossiers/{dossier.pk}/supplement/"
    refused = client.post(
        url,
        {"version": dossier.version, "note": "x", "files": [upload("a.pdf", EXE)]},
        format="multipart",
    )
    assert_problem(refused, 400)
    response = client.post(
        url,
        {"version": dossier.version, "note": "Đã chụp lại CCCD", "files": [pdf("cccd-moi.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    supplements = [a for a in body["attachments"] if a["kind"] == "supplement"]
    assert [a["name"] for a in supplements] == ["cccd-moi.pdf"]
    assert [a["round"] for a in supplements] == [1]


def test_rating_after_the_result_is_returned(world):
    client = bearer(world.citizen_a)
    url = f"/api/v1/me/dossiers/{world.dossier.pk}/rating/"
    assert_problem(client.post(url, {"score": "satisfied"}, format="json"), 422, "not_returned")
    _return(world)
    bad = assert_problem(client.post(url, {"score": "great"}, format="json"), 400)
    assert "score" in bad["errors"]
    response = client.post(url, {"score": "very_satisfied", "comment": "Nhanh"}, format="json")
    assert response.status_code == 201
    assert Rating.objects.get(dossier=world.dossier).score == "very_satisfied"
    assert_problem(client.post(url, {"score": "satisfied"}, format="json"), 409, "already_rated")


def _return(world):
    dossier = world.dossier
    steps = [
        (world.reception_x, actions.dossier_receive, {}),
        (world.reception_x, actions.dossier_start_processing, {"assignee": world.handler_x}),
        (world.handler_x, actions.dossier_propose, {"note": "Đề xuất", "uploads": [pdf("kq.pdf")]}),
        (world.leader_x, actions.dossier_approve, {}),
        (world.reception_x, actions.dossier_return_result, {}),
    ]
    for user, action, extra in steps:
        dossier = action(
            dossier_id=dossier.pk, user=user, expected_version=dossier.version, **extra
        )
    return dossier


def test_the_receipt_slip_as_pdf_for_the_applicant_only(world):
    actions.dossier_receive(
        dossier_id=world.dossier.pk, user=world.reception_x, expected_version=world.dossier.version
    )
    url = f"/api/v1/me/dossiers/{world.dossier.pk}/slips/receipt/"
    response = bearer(world.citizen_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_problem(bearer(world.citizen_b).get(url), 404)
    assert_problem(
        bearer(world.citizen_a).get(f"/api/v1/me/dossiers/{world.dossier.pk}/slips/refusal/"), 404
    )


def test_session_calls_need_the_csrf_token_on_writes(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.citizen_a)
    assert browser.get("/api/v1/me/dossiers/").status_code == 200
    url = f"/api/v1/me/dossiers/{world.dossier.pk}/withdraw/"
    data = {"version": world.dossier.version, "reason": "Nộp nhầm"}
    refused = browser.post(url, data, content_type="application/json")
    assert_problem(refused, 403)
    assert Dossier.objects.get(pk=world.dossier.pk).status == "submitted"
    browser.get("/tai-khoan/khoa-truy-cap-api/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    ok = browser.post(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "withdrawn"


def test_a_staff_session_without_its_second_factor_is_not_enough(world):
    client = APIClient()
    client.force_login(world.reception_x)
    assert_problem(client.get("/api/v1/backoffice/dossiers/"), 401)


def test_pdf_bytes_are_kept_exactly(world):
    dossier = factories.draft(user=world.citizen_a, procedure_=world.procedure, complete=False)
    content = pdf_bytes("Giay khai sinh")
    component = components(world.procedure)[0]
    client = bearer(world.citizen_a)
    created = client.post(
        f"/api/v1/me/dossiers/{dossier.pk}/attachments/",
        {"component": component.pk, "file": upload("khai-sinh.pdf", content)},
        format="multipart",
    ).json()
    response = client.get(created["download_url"])
    assert b"".join(response.streaming_content) == content
