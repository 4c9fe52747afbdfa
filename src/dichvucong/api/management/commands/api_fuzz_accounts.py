"""`manage.py api_fuzz_accounts`: for fuzzing the API on demo data (.ci/api-fuzz), a verified
demo citizen with a draft and a submitted dossier, and personal access tokens for them and
for the demo reception officer of Sở Ngoại vụ (whose second factor is set up for it).
Prints shell assignments: `CITIZEN_TOKEN`, `STAFF_TOKEN`, and the ids of those dossiers and
their files (`DOSSIER_IDS`, `ATTACHMENT_IDS`) for the fuzzer's dictionaries. Never in
production (like load_demo)."""

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import User
from dichvucong.accounts.services import Registration, account_register
from dichvucong.api.services import token_create
from dichvucong.catalog.selectors import procedures_public
from dichvucong.dossiers import services as dossiers
from dichvucong.dossiers.models import Attachment

CITIZEN_ID = "070090001234"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Command(BaseCommand):
    help = "Tài khoản, hồ sơ và khóa truy cập để chạy schemathesis trên dữ liệu mẫu."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEV_OUTBOX_ENABLED:
            raise CommandError("Chỉ dành cho môi trường chạy thử.")
        person = User.objects.filter(username=CITIZEN_ID).first()
        if person is None:
            person = account_register(
                data=Registration(
                    kind="citizen",
                    full_name="Nguyễn Thị Thử",
                    id_kind="cccd",
                    id_number=CITIZEN_ID,
                    birth_date=dt.date(1990, 1, 1),
                    gender="female",
                    phone="0912000111",
                    email="thu.nghiem@example.vn",
                ),
                password="Demo@2026",  # noqa: S106
            )
            person.email_verified_at = timezone.now()
            person.save(update_fields=["email_verified_at"])
        officer = User.objects.get(username="tiepnhan.ngoaivu")
        TOTPDevice.objects.get_or_create(user=officer, name="Thử API", confirmed=True)
        procedure = (
            procedures_public()
            .filter(
                agency=officer.agency,
                current_version__for_citizen=True,
                current_version__form_schema__isnull=True,
            )
            .order_by("id")
            .first()
        )
        made = [dossiers.dossier_start(user=person, procedure=procedure, level=3) for _ in range(3)]
        for dossier in made[1:]:
            uploads = {
                c.pk: [SimpleUploadedFile("giay-to.pdf", MINIMAL_PDF)]
                for c in procedure.current_version.components.all()
            }
            dossiers.dossier_save_draft(
                dossier_id=dossier.pk, user=person, raw_data={}, uploads=uploads
            )
            dossiers.dossier_submit(dossier_id=dossier.pk, user=person)
        attachments = Attachment.objects.filter(dossier__in=made).values_list("pk", flat=True)
        citizen_token = token_create(
            user=person, name="schemathesis", scopes=["dossiers:read", "dossiers:write"], days=1
        )
        staff_token = token_create(
            user=officer, name="schemathesis", scopes=["backoffice:read", "backoffice:act"], days=1
        )
        self.stdout.write(f"CITIZEN_TOKEN={citizen_token.secret}")
        self.stdout.write(f"STAFF_TOKEN={staff_token.secret}")
        self.stdout.write(f"DOSSIER_IDS={','.join(str(d.pk) for d in made)}")
        self.stdout.write(f"ATTACHMENT_IDS={','.join(str(pk) for pk in attachments)}")
