import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from dichvucong.accounts.tests.factories import citizen
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow.codes import dossier_code_next, next_sequence

from .factories import agency, draft, procedure

pytestmark = pytest.mark.django_db


def test_code_format_agency_day_sequence():
    office = agency(code="000.00.31.H10")
    when = dt.datetime(2026, 11, 21, 9, 30, tzinfo=timezone.get_default_timezone())
    assert dossier_code_next(agency=office, when=when) == "000.00.31.H10-261121-0001"
    assert dossier_code_next(agency=office, when=when) == "000.00.31.H10-261121-0002"


def test_sequences_are_per_agency_and_per_day():
    one, two = agency(), agency()
    day = dt.date(2026, 11, 21)
    assert next_sequence(agency_id=one.pk, day=day) == 1
    assert next_sequence(agency_id=one.pk, day=day) == 2
    assert next_sequence(agency_id=two.pk, day=day) == 1
    assert next_sequence(agency_id=one.pk, day=day + dt.timedelta(days=1)) == 1


def test_the_day_is_the_local_day_in_vietnam():
    office = agency(code="000.00.40.H10")
    # 18:30 UTC on the 21st is 01:30 on the 22nd in Hà Nội.
    when = dt.datetime(2026, 11, 21, 18, 30, tzinfo=dt.UTC)
    assert dossier_code_next(agency=office, when=when).startswith("000.00.40.H10-261122-")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes():
    """Eight applicants press "Nộp hồ sơ" at once, on real PostgreSQL connections."""
    proc = procedure()
    drafts = [draft(user=citizen(verified=True), procedure_=proc) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    codes, errors = [], []

    def submit(dossier):
        try:
            barrier.wait()
            codes.append(
                services.dossier_submit(dossier_id=dossier.pk, user=dossier.applicant).code
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(codes)) == 8
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 9))
    agency_code = re.escape(drafts[0].agency.code)
    assert all(re.fullmatch(rf"{agency_code}-\d{{6}}-\d{{4}}", c) for c in codes)
    assert Dossier.objects.filter(code__in=codes).count() == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_start_token_make_one_draft():
    """A double click on "Tiếp tục" sends two requests at once: one draft, no error."""
    import uuid

    user = citizen(verified=True)
    proc = procedure()
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    drafts, errors = [], []

    def start():
        try:
            barrier.wait()
            drafts.append(
                services.dossier_start(user=user, procedure=proc, level=3, token=token).pk
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(set(drafts)) == 1
    assert Dossier.objects.filter(applicant=user).count() == 1
