"""The OpenAPI document: the committed file is what the code generates (drift check, run by
`make test`; `make api-schema` rewrites it), and the documentation page runs on the app's
own assets under the site's CSP."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "openapi.yaml"


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
        "src/dichvucong/api/openapi.yaml is out of date: run `make api-schema` and commit it."
    )


def test_the_schema_documents_problems_and_sync_codes():
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    submit = schema["paths"]["/me/dossiers/{id}/submit/"]["post"]
    assert "application/problem+json" in submit["responses"]["422"]["content"]
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])
    detail = schema["components"]["schemas"]["DossierDetail"]["properties"]
    assert "sync_code" in detail
    assert set(schema["components"]["securitySchemes"]) == {"khoaTruyCap", "phienDangNhap"}


@pytest.mark.django_db
def test_the_docs_page_uses_the_apps_assets_under_the_sites_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # the start-up script comes from its own URL
    assert "<style" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert client.get("/").headers["Content-Security-Policy"] == csp  # no page loosened
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
