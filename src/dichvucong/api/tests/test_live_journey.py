"""A client that knows only the OpenAPI document, over real HTTP (pytest-django's live
server and `requests`): find a procedure by search, create a draft, upload two files,
submit; then staff tokens receive → assign → propose → approve with a result → return; the
citizen's view and the public lookup follow every step."""

import uuid

import pytest
import requests

from dichvucong.accounts.tests.factories import citizen, staff
from dichvucong.dossiers.tests import factories
from dichvucong.dossiers.tests.files import pdf_bytes, png_bytes

from .conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)


class Api:
    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params):
        return self.session.get(self.base + path, params=params, timeout=30)

    def post(self, path: str, json=None, files=None, data=None, headers=None):
        return self.session.post(
            self.base + path, json=json, files=files, data=data, headers=headers, timeout=60
        )


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text[:500]
    return response.json()


def test_a_dossier_from_search_to_result_over_http(live_server):
    agency = factories.agency(name="Sở Lao động - Thương binh và Xã hội")
    factories.procedure(
        agency_=agency, name="Cấp giấy phép lao động cho người nước ngoài làm việc tại Việt Nam"
    )
    applicant = citizen(verified=True, full_name="Phạm Minh Đức")
    officers = {
        role: staff(agency=agency, role=role) for role in ("reception", "handler", "leader")
    }
    base = f"{live_server.url}/api/v1"
    public = Api(base)
    me = Api(base, token_for(applicant))
    desk = {role: Api(base, token_for(user)) for role, user in officers.items()}

    found = ok(public.get("/catalog/procedures/", q="giay phep lao dong nuoc ngoai"))
    procedure = found["results"][0]
    assert procedure["name"].startswith("Cấp giấy phép lao động")
    detail = ok(public.get(f"/catalog/procedures/{procedure['id']}/"))
    answers = {
        "text": "Phạm Minh Đức",
        "id_number": "070090123456",
        "phone": "0912345678",
        "date": "20/12/2026",
    }
    form_data = {
        field["name"]: answers[field["type"]]
        for field in detail["form_schema"]["fields"]
        if field["required"]
    }
    draft = ok(
        me.post(
            "/me/dossiers/", json={"procedure": procedure["id"], "level": 4, "form_data": form_data}
        ),
        201,
    )
    files = {"pdf": pdf_bytes("Don de nghi"), "png": png_bytes()}
    required = [c for c in detail["components"] if c["required"]]
    assert len(required) == 2
    for component, (kind, content) in zip(required, files.items(), strict=True):
        ok(
            me.post(
                f"/me/dossiers/{draft['id']}/attachments/",
                data={"component": component["id"]},
                files={"file": (f"giay-to.{kind}", content)},
            ),
            201,
        )
    key = str(uuid.uuid4())
    submitted = ok(me.post(f"/me/dossiers/{draft['id']}/submit/", headers={"Idempotency-Key": key}))
    again = me.post(f"/me/dossiers/{draft['id']}/submit/", headers={"Idempotency-Key": key})
    assert again.headers["Idempotent-Replayed"] == "true"
    code = submitted["code"]
    assert (submitted["status"], submitted["sync_code"]) == ("submitted", 1)

    def follow(expected: str, sync_code: int) -> None:
        mine = ok(me.get(f"/me/dossiers/{draft['id']}/"))
        assert (mine["status"], mine["sync_code"]) == (expected, sync_code)
        looked_up = ok(public.get("/lookup/", q=code))["results"][0]
        assert (looked_up["status"], looked_up["sync_code"]) == (expected, sync_code)

    follow("submitted", 1)
    inbox = ok(desk["reception"].get("/backoffice/dossiers/"))
    dossier = next(row for row in inbox["results"] if row["code"] == code)
    path = f"/backoffice/dossiers/{dossier['id']}/actions"
    state = ok(desk["reception"].post(f"{path}/receive/", json={"version": dossier["version"]}))
    follow("received", 2)
    handler_id = ok(desk["reception"].get("/backoffice/handlers/"))["results"][0]["id"]
    state = ok(
        desk["reception"].post(
            f"{path}/start_processing/", json={"version": state["version"], "assignee": handler_id}
        )
    )
    follow("processing", 4)
    state = ok(
        desk["handler"].post(
            f"{path}/propose/",
            data={"version": state["version"], "note": "Đủ điều kiện cấp giấy phép"},
            files={"files": ("du-thao-giay-phep.pdf", pdf_bytes("Du thao"))},
        )
    )
    follow("awaiting_approval", 4)
    state = ok(
        desk["leader"].post(
            f"{path}/approve/",
            data={"version": state["version"]},
            files={"files": ("giay-phep.pdf", pdf_bytes("Giay phep"))},
        )
    )
    follow("resolved", 9)
    ok(desk["reception"].post(f"{path}/return_result/", json={"version": state["version"]}))
    follow("returned", 10)
    mine = ok(me.get(f"/me/dossiers/{draft['id']}/"))
    result = next(a for a in mine["attachments"] if a["kind"] == "result")
    download = me.session.get(live_server.url + result["download_url"], timeout=30)
    assert download.content == pdf_bytes("Giay phep")
