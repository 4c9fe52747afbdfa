"""The benchmarks' data generator (bench/generate.py) at a tiny scale, on real PostgreSQL: the
rows it writes are what the app itself would have written, and the pages work on them.

Not a benchmark: nothing here is timed.
"""

import datetime as dt
import itertools
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from staff import session_create  # noqa: E402

from dichvucong.accounts.models import User  # noqa: E402
from dichvucong.dossiers.models import Dossier, DossierEvent  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DOSSIERS, APPLICANTS = 200, 40
OPEN = {"submitted", "received", "processing", "awaiting_approval", "resolved", "not_resolved"}
OPEN |= {"supplement_requested"}


def _dsn() -> str:
    params = connection.get_connection_params()
    return " ".join(
        f"{key}={params[key]}"
        for key, name in (
            ("host", "host"),
            ("port", "port"),
            ("user", "user"),
            ("dbname", "dbname"),
        )
        if params.get(name)
    )


@pytest.fixture
def generated():
    """200 dossiers submitted over the last 60 days (so that some are still open), 40
    citizens, the demo catalogue plus a few generated procedures, the officer."""
    generate.load_catalogue(procedures=60, agencies=8, seed=7)
    connection.close()
    generate.load_rows(
        _dsn(), dossiers=DOSSIERS, applicants=APPLICANTS, days=60, seed=7, phases=generate.Phases()
    )
    return generate.officer_setup()


def test_counts_and_status_mix(generated):
    """The requested numbers of citizens and dossiers; old dossiers closed, recent ones open."""
    assert User.objects.filter(kind="citizen").count() == APPLICANTS
    assert Dossier.objects.count() == DOSSIERS
    mix = Counter(Dossier.objects.values_list("status", flat=True))
    assert set(mix) <= OPEN | {"returned", "refused", "withdrawn"}
    assert "draft" not in mix
    assert mix.most_common(1)[0][0] == "returned"
    assert sum(mix[status] for status in OPEN) >= DOSSIERS // 10
    assert len(set(mix) & OPEN) >= 3


def test_five_events_each_six_when_returned(generated):
    """Every dossier's timeline: 5 events, 6 for a returned result (the workflow's minimum);
    the transitions chain from draft to the dossier's status, in time order, in the past."""
    events = Counter(DossierEvent.objects.values_list("dossier_id", flat=True))
    assert DossierEvent.objects.count() == sum(events.values())
    now = timezone.now()
    for dossier in Dossier.objects.all():
        expected = 6 if dossier.status == "returned" else 5
        assert events[dossier.pk] == expected, dossier.status
        timeline = list(dossier.events.order_by("created_at", "id"))
        moments = [event.created_at for event in timeline]
        assert moments == sorted(moments)
        assert moments[-1] < now
        transitions = [e for e in timeline if e.type == "transition"]
        assert transitions[0].from_status == "draft"
        for before, after in itertools.pairwise(transitions):
            assert after.from_status == before.to_status
        assert transitions[-1].to_status == dossier.status
        assert dossier.version == 1 + len(transitions)


def test_codes_are_unique_and_in_the_real_format(generated):
    """`<agency code>-<yymmdd of submission, local>-<NNNN>`, numbered per agency and day from
    0001, and the code sequence continues after them."""
    rows = list(Dossier.objects.values_list("code", "agency__code", "submitted_at", "agency_id"))
    assert len({code for code, *_ in rows}) == DOSSIERS
    per_day: dict[tuple, list[int]] = {}
    for code, agency_code, submitted_at, agency_id in rows:
        day = timezone.localtime(submitted_at).date()
        match = re.fullmatch(rf"{re.escape(agency_code)}-{day:%y%m%d}-(\d{{4}})", code)
        assert match, code
        per_day.setdefault((agency_id, day), []).append(int(match.group(1)))
    for numbers in per_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    from dichvucong.dossiers.workflow.codes import next_sequence

    (agency_id, day), numbers = next(iter(per_day.items()))
    assert next_sequence(agency_id=agency_id, day=day) == len(numbers) + 1


def test_dates_follow_the_timeline(generated):
    today = timezone.localdate()
    for dossier in Dossier.objects.all():
        assert today - dt.timedelta(days=61) <= timezone.localtime(dossier.submitted_at).date()
        assert dossier.created_at < dossier.submitted_at
        if dossier.received_at:
            assert dossier.submitted_at < dossier.received_at < dossier.due_at
        if dossier.status in ("resolved", "not_resolved", "returned"):
            assert dossier.received_at < dossier.finished_at
        if dossier.status == "returned":
            assert dossier.finished_at < dossier.returned_at


def test_citizens_log_in_with_the_shared_password(generated):
    user = User.objects.filter(kind="citizen").order_by("?").first()
    assert re.fullmatch(r"070\d{9}", user.username)
    assert user.has_verified_contact
    assert user.check_password(generate.PASSWORD)
    client = Client()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.username, "password": generate.PASSWORD}
    )
    assert response.status_code == 302


def test_lookup_finds_a_generated_code(generated, client):
    dossier = Dossier.objects.order_by("?").first()
    response = client.get("/tra-cuu/", {"ma": f" {dossier.code.lower()} "})
    assert response.status_code == 200
    page = response.content.decode()
    assert dossier.code in page
    assert dossier.procedure_version.name in page


def test_officer_inbox_and_statistics_on_generated_data(generated, client):
    """The officer's server-side session (logged in, OTP verified) opens the inbox of the
    busiest agency, which lists its open dossiers; the statistics page reads the rebuilt
    figures."""
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = User.objects.get(username=generate.OFFICER)
    assert officer.agency.code == generated["agency"]
    device = TOTPDevice.objects.get(user=officer)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_create(officer, device)
    response = client.get("/can-bo/")
    assert response.status_code == 200
    page = response.content.decode()
    waiting = Dossier.objects.filter(agency=officer.agency, status__in=OPEN)
    assert waiting.exists()
    assert any(code in page for code in waiting.values_list("code", flat=True))
    other = Dossier.objects.exclude(agency=officer.agency).values_list("code", flat=True)
    assert not any(code in page for code in other)

    rebuilt = generate.stats_rebuild_all()
    assert rebuilt["dossiers_read"] > 0
    assert rebuilt["rows"] > 0
    response = Client().get("/thong-ke/")
    assert response.status_code == 200
