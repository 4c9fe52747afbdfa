"""The back office through the API: the agency's inbox (filters, ordering, query count), a
dossier with the actions its officer may take, each action through the workflow (roles,
version, required inputs, files), slips as PDF; all logged like the pages."""

import pytest

from dichvucong.dossiers.models import Dossier, DossierAccess, DossierEvent
from dichvucong.dossiers.tests import factories
from dichvucong.dossiers.tests.files import pdf

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def act(client, dossier_id, name, version, fmt="json", **data):
    return client.post(
        f"/api/v1/backoffice/dossiers/{dossier_id}/actions/{name}/",
        {"version": version, **data},
        format=fmt,
    )


def test_inbox_is_the_officers_queue(world):
    factories.draft(user=world.citizen_a, procedure_=world.procedure)  # never shown to staff
    reception = bearer(world.reception_x)
    rows = reception.get("/api/v1/backoffice/dossiers/").json()["results"]
    assert [r["code"] for r in rows] == [world.dossier.code]
    assert rows[0]["applicant_name"] == "Trần Thị Bích"
    handler = bearer(world.handler_x)
    assert handler.get("/api/v1/backoffice/dossiers/").json()["count"] == 0  # not theirs yet
    everything = handler.get("/api/v1/backoffice/dossiers/", {"mine": "false"}).json()
    assert everything["count"] == 1
    filtered = handler.get("/api/v1/backoffice/dossiers/", {"status": "received"}).json()
    assert filtered["count"] == 0
    by_code = reception.get("/api/v1/backoffice/dossiers/", {"q": world.dossier.code}).json()
    assert by_code["count"] == 1
    body = assert_problem(reception.get("/api/v1/backoffice/dossiers/", {"due": "yesterday"}), 400)
    assert "due" in body["errors"]


def test_inbox_has_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(6):
        factories.submitted(user=world.citizen_b, procedure_=world.procedure)
    client = bearer(world.reception_x)
    client.get("/api/v1/backoffice/dossiers/")
    with django_assert_max_num_queries(6):  # token + user, 2FA device, roles, count, page
        response = client.get("/api/v1/backoffice/dossiers/", {"ordering": "submitted"})
    assert response.json()["count"] == 7


def test_the_dossier_page_lists_the_officers_actions_and_is_logged(world):
    body = bearer(world.reception_x).get(f"/api/v1/backoffice/dossiers/{world.dossier.pk}/").json()
    assert body["actions"] == ["receive", "request_supplement", "refuse"]
    assert body["applicant"]["id_number"] == world.citizen_a.id_number
    assert body["slips"] == ["control"]
    assert DossierAccess.objects.filter(dossier=world.dossier, kind="view").count() == 1
    leader = bearer(world.leader_x).get(f"/api/v1/backoffice/dossiers/{world.dossier.pk}/").json()
    assert leader["actions"] == []


def test_actions_refuse_wrong_role_stale_version_missing_input(world):
    dossier = world.dossier
    handler = bearer(world.handler_x)
    assert_problem(act(handler, dossier.pk, "receive", dossier.version), 403, "forbidden")
    reception = bearer(world.reception_x)
    assert_problem(act(reception, dossier.pk, "receive", dossier.version - 1), 409, "stale")
    refused = assert_problem(act(reception, dossier.pk, "refuse", dossier.version), 400)
    assert "note" in refused["errors"]
    assert_problem(act(reception, dossier.pk, "fly", dossier.version), 404)
    no_version = assert_problem(
        reception.post(
            f"/api/v1/backoffice/dossiers/{dossier.pk}/actions/receive/", {}, format="json"
        ),
        400,
    )
    assert "version" in no_version["errors"]
    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"


def test_a_supplement_request_carries_the_missing_documents(world):
    reception = bearer(world.reception_x)
    response = act(
        reception,
        world.dossier.pk,
        "request_supplement",
        world.dossier.version,
        note="Bản sao CCCD bị mờ",
        missing=["Bản sao CCCD", "Ảnh 4x6"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "supplement_requested"
    assert response.json()["sync_code"] == 5
    event = DossierEvent.objects.get(dossier=world.dossier, action="request_supplement")
    assert event.data["missing"] == ["Bản sao CCCD", "Ảnh 4x6"]
    mine = bearer(world.citizen_a).get(f"/api/v1/me/dossiers/{world.dossier.pk}/").json()
    assert mine["events"][-1]["data"]["missing"] == ["Bản sao CCCD", "Ảnh 4x6"]


def test_the_whole_handling_with_files(world):
    dossier_id = world.dossier.pk
    reception, handler, leader = (
        bearer(world.reception_x),
        bearer(world.handler_x),
        bearer(world.leader_x),
    )
    body = act(reception, dossier_id, "receive", world.dossier.version).json()
    assert body["due_at"]
    handlers = reception.get("/api/v1/backoffice/handlers/").json()["results"]
    assert [h["id"] for h in handlers] == [world.handler_x.pk]
    wrong = act(
        reception, dossier_id, "start_processing", body["version"], assignee=world.leader_x.pk
    )
    assert "assignee" in assert_problem(wrong, 400)["errors"]
    body = act(
        reception, dossier_id, "start_processing", body["version"], assignee=world.handler_x.pk
    ).json()
    assert body["assignee_id"] == world.handler_x.pk
    body = act(
        handler,
        dossier_id,
        "propose",
        body["version"],
        fmt="multipart",
        note="Đề nghị cấp",
        files=[pdf("du-thao.pdf")],
    ).json()
    assert body["status"] == "awaiting_approval"
    assert [a["kind"] for a in body["attachments"]].count("draft_result") == 1
    body = act(leader, dossier_id, "approve", body["version"]).json()
    assert body["status"] == "resolved"
    assert body["sync_code"] == 9
    body = act(reception, dossier_id, "return_result", body["version"]).json()
    assert body["status"] == "returned"
    assert body["sync_code"] == 10
    slip = reception.get(f"/api/v1/backoffice/dossiers/{dossier_id}/slips/receipt/")
    assert slip.status_code == 200
    assert slip.content.startswith(b"%PDF")
    assert DossierAccess.objects.filter(dossier_id=dossier_id, kind="slip").count() == 1
    assert_problem(reception.get(f"/api/v1/backoffice/dossiers/{dossier_id}/slips/refusal/"), 404)
    assert_problem(reception.get(f"/api/v1/backoffice/dossiers/{dossier_id}/slips/xyz/"), 404)
    other = bearer(world.reception_y)
    assert_problem(other.get(f"/api/v1/backoffice/dossiers/{dossier_id}/slips/receipt/"), 404)
