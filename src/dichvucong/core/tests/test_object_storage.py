"""STORAGE=s3: dossier files and published templates in a real S3-compatible server (moto in
server mode, standing in for MinIO/Ceph/AWS), through the real views."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from dichvucong.accounts.tests.factories import citizen
from dichvucong.backoffice.tests.helpers import login_staff, officer
from dichvucong.core.s3storage import S3StreamFile
from dichvucong.core.storage import private_storage
from dichvucong.dossiers.models import Attachment
from dichvucong.dossiers.tests.factories import draft, filled, procedure, submitted
from dichvucong.dossiers.tests.files import pdf_bytes, png_bytes, upload
from dichvucong.dossiers.workflow import actions

from .helpers import run_django

pytestmark = pytest.mark.django_db


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def submit_with_scan(client, scan: bytes) -> Attachment:
    """A citizen fills the form, uploads a scan and submits, through the real pages."""
    dossier = draft(complete=False)
    client.force_login(dossier.applicant)
    component = dossier.procedure_version.components.filter(required=True).first()
    others = dossier.procedure_version.components.filter(required=True).exclude(pk=component.pk)
    files = {f"tp-{c.pk}": upload(f"{c.pk}.pdf", pdf_bytes(), "application/pdf") for c in others}
    edit = reverse("dossiers:edit", kwargs={"pk": dossier.pk})
    response = client.post(
        edit,
        {
            **filled(None),
            "action": "submit",
            f"tp-{component.pk}": upload("anh-chup.png", scan, "image/png"),
            **files,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("dossiers:review", kwargs={"pk": dossier.pk}))
    assert response["Location"] == reverse("dossiers:done", kwargs={"pk": dossier.pk})
    return Attachment.objects.get(dossier=dossier, component=component)


def test_a_submitted_file_lands_in_the_bucket_and_downloads_byte_for_byte(
    client, moto_s3, s3_bucket
):
    scan = png_bytes(64, 48)
    attachment = submit_with_scan(client, scan)

    stored = moto_s3.objects(s3_bucket)
    key = f"ho-so/{attachment.file.name}"
    assert stored[key] == scan  # in the bucket under the private prefix, nothing on disk
    assert attachment.sha256 == sha256(scan)
    acl = moto_s3.client().get_object_acl(Bucket=s3_bucket, Key=key)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # owner only

    response = client.get(reverse("dossiers:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert sha256(body(response)) == attachment.sha256


def test_officials_of_the_agency_download_and_preview_from_the_bucket(client, s3_bucket):
    scan = png_bytes(32, 32)
    attachment = submit_with_scan(client, scan)
    client.logout()
    officer(client, agency=attachment.dossier.agency, role="reception")
    for name in ("backoffice:file", "backoffice:file_preview"):
        response = client.get(reverse(name, kwargs={"pk": attachment.pk}))
        assert response.status_code == 200
        assert sha256(body(response)) == sha256(scan)


def test_nobody_else_reaches_a_file_in_the_bucket(client, s3_bucket):
    attachment = submit_with_scan(client, png_bytes())
    url = reverse("dossiers:attachment", kwargs={"pk": attachment.pk})
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(citizen(verified=True))
    assert client.get(url).status_code == 404
    client.logout()
    officer(client, agency=procedure().agency, role="reception")  # another agency
    assert client.get(reverse("backoffice:file", kwargs={"pk": attachment.pk})).status_code == 404


def test_private_objects_have_no_url_not_even_a_signed_one(s3_bucket):
    storage = storages["private"]
    name = storage.save("dossiers/x/thu.pdf", ContentFile(b"%PDF-1.4 test"))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(name)
    with pytest.raises(ValueError, match="no public URL"):
        private_storage.url(name)  # the handle the Attachment model holds


def test_names_are_never_overwritten_and_missing_objects_are_not_found(s3_bucket):
    storage = storages["private"]
    first = storage.save("dossiers/x/a.pdf", ContentFile(b"first"))
    second = storage.save("dossiers/x/a.pdf", ContentFile(b"second"))
    assert first != second
    with storage.open(first) as handle:
        assert isinstance(handle, S3StreamFile)  # read from the response body, not a temp copy
        assert handle.size == 5
        assert handle.read(2) == b"fi"
        assert handle.read() == b"rst"
    with pytest.raises(FileNotFoundError):
        storage.open("dossiers/x/none.pdf")


def test_published_templates_are_served_from_the_bucket(client, moto_s3, s3_bucket):
    proc = procedure(
        components=[{"name": "Tờ khai (Mẫu số 01)", "required": True, "template": "mau-01"}]
    )
    component = proc.current_version.components.get()
    assert f"tep/{component.template_file.name}" in moto_s3.objects(s3_bucket)
    stored = default_storage.open(component.template_file.name).read()
    response = client.get(reverse("catalog:component_template", kwargs={"pk": component.pk}))
    assert response.status_code == 200
    assert body(response) == stored


def test_a_draft_result_becomes_the_result_and_reaches_the_applicant(client, moto_s3, s3_bucket):
    """The proposal's draft result (uploaded by the handler) is copied from the bucket as the
    result when the leader approves without new files; the applicant downloads it."""
    dossier = submitted(level=4)
    reception = officer(agency=dossier.agency, role="reception")
    handler = officer(agency=dossier.agency, role="handler")
    dossier = actions.dossier_receive(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version
    )
    dossier = actions.dossier_start_processing(
        dossier_id=dossier.pk, user=reception, expected_version=dossier.version, assignee=handler
    )
    result = pdf_bytes("Giay phep lao dong so 01")
    login_staff(client, handler)
    response = client.post(
        reverse("backoffice:act", kwargs={"pk": dossier.pk, "name": "propose"}),
        {"version": dossier.version, "note": "Đề xuất cấp", "files": [upload("gp.pdf", result)]},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    officer(client, agency=dossier.agency, role="leader")
    response = client.post(
        reverse("backoffice:act", kwargs={"pk": dossier.pk, "name": "approve"}),
        {"version": dossier.version},
    )
    assert response.status_code == 302
    copy = dossier.attachments.get(kind="result")
    assert moto_s3.objects(s3_bucket)[f"ho-so/{copy.file.name}"] == result

    client.logout()
    client.force_login(dossier.applicant)
    response = client.get(reverse("dossiers:attachment", kwargs={"pk": copy.pk}))
    assert response.status_code == 200
    assert body(response) == result


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE": "ftp"}, "STORAGE must be 'local' or 's3'"),
        ({"STORAGE": "s3"}, "STORAGE=s3 needs S3_BUCKET"),
    ],
)
def test_a_wrong_storage_setting_stops_startup(env, message):
    result = run_django("", {"SECRET_KEY": "k" * 64, "DATABASE_URL": "postgres:///x", **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_production_profile_builds_its_storages_from_the_environment():
    code = (
        "from django.core.files.storage import storages as s; p = s['private'];"
        "print(type(p).__name__, p.bucket_name, p.location, p.endpoint_url, p.default_acl,"
        " type(s['default']).__name__, s['default'].location)"
    )
    env = {
        "SECRET_KEY": "k" * 64,
        "DATABASE_URL": "postgres:///x",
        "STORAGE": "s3",
        "S3_BUCKET": "dvc-tinh",
        "S3_ENDPOINT_URL": "http://minio.internal:9000",
        "S3_ACCESS_KEY_ID": "id",
        "S3_SECRET_ACCESS_KEY": "secret",
    }
    result = run_django(code, env)
    assert result.stdout.split() == [
        "PrivateS3Storage",
        "dvc-tinh",
        "ho-so",
        "http://minio.internal:9000",
        "private",
        "S3ObjectStorage",
        "tep",
    ], result.stderr
