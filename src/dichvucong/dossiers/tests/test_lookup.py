""" "Tra cứu hồ sơ": by code (any case, spaces), by ID number with the date of birth; the
same answer for everything unknown; nothing personal on the page; limited; logged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dichvucong.accounts.tests.factories import cccd_for, citizen, staff
from dichvucong.dossiers import lookup, lookuplog
from dichvucong.dossiers.lookup import lookup_log_purge, query_hash
from dichvucong.dossiers.models import LookupLog
from dichvucong.dossiers.workflow import actions

from .factories import draft, submitted

pytestmark = pytest.mark.django_db
URL = reverse("lookup")
NOT_FOUND = "Không tìm thấy hồ sơ."


def person(**kwargs):
    birth = dt.date(1985, 3, 9)
    user = citizen(
        verified=True,
        full_name="Nguyễn Văn An",
        birth_date=birth,
        id_number=cccd_for(birth),
        **kwargs,
    )
    user.address = "12 Trần Hưng Đạo"
    user.save(update_fields=["address"])
    return user


def assert_nothing_personal(html, dossier):
    """What the page shows beyond what the visitor typed into the box themselves."""
    applicant = dossier.applicant
    html = html.replace(f'value="{applicant.id_number}"', "")
    for secret in [
        applicant.full_name,
        applicant.id_number,
        applicant.phone,
        applicant.email,
        "Trần Hưng Đạo",
        "Nguyễn Văn An",  # a form answer
        "/ho-so/tep/",  # attachment links
    ]:
        assert secret not in html, secret


def test_the_page_has_the_guide_box_and_button(client):
    html = client.get(URL).content.decode()
    assert "Mã hồ sơ hoặc số CMND/CCCD/Hộ chiếu" in html
    assert ">Tra cứu</button>" in html
    assert f'href="{URL}"' in html  # linked from the header


@pytest.mark.parametrize("variant", ["exact", "lower", "spaces"])
def test_lookup_by_code_ignores_case_and_spaces(client, variant):
    dossier = submitted(user=person())
    query = {"exact": dossier.code, "lower": dossier.code.lower(), "spaces": f"  {dossier.code} "}[
        variant
    ]
    html = client.get(URL, {"ma": query}).content.decode()
    assert dossier.code in html
    assert dossier.procedure_version.name in html
    assert dossier.agency.name in html
    assert "Mới nộp, chờ tiếp nhận" in html
    assert "Nguyễn V… A…" in html
    assert_nothing_personal(html, dossier)


@pytest.mark.parametrize("known", [True, False])
def test_a_plain_code_and_the_form_with_more_fields_give_the_same_page(client, known):
    """A request with only the code is answered from the template's skeleton
    (public_views._code_content); any other parameter takes the form's path."""
    dossier = submitted(user=person())
    code = dossier.code.lower() if known else dossier.code[:-1] + "9"
    fast = client.get(URL, {"ma": f" {code} "})
    slow = client.get(URL, {"ma": f" {code} ", "nguon": "qr"})
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert fast["Cache-Control"] == slow["Cache-Control"]
    assert (dossier.procedure_version.name in fast.content.decode()) is known
    assert LookupLog.objects.filter(found=known).count() == 2


def test_the_public_timeline_has_statuses_and_dates_but_no_notes(client):
    dossier = submitted(user=person())
    officer = staff(agency=dossier.agency, role="reception")
    dossier = actions.dossier_request_supplement(
        dossier_id=dossier.pk,
        user=officer,
        expected_version=dossier.version,
        note="Ghi chú nội bộ: thiếu bản sao",
    )
    html = client.get(URL, {"ma": dossier.code}).content.decode()
    assert "Yêu cầu bổ sung hồ sơ" in html
    assert "Ghi chú nội bộ" not in html
    assert_nothing_personal(html, dossier)


def test_lookup_by_code_gives_what_the_id_lookup_gives():
    """by_code's single statement and the ORM rows of the ID lookup describe a dossier alike:
    same names, same aware dates, same timeline in the same order."""
    dossier = submitted(user=person())
    officer = staff(agency=dossier.agency, role="reception")
    dossier = actions.dossier_request_supplement(
        dossier_id=dossier.pk, user=officer, expected_version=dossier.version, note="Thiếu tờ khai"
    )
    found = lookup.by_code(dossier.code)
    (listed,) = lookup.by_id_and_birth_date(dossier.applicant.id_number, dt.date(1985, 3, 9))
    assert found == listed
    assert [event.status for event in found.timeline] == [
        "Mới nộp, chờ tiếp nhận",
        "Yêu cầu bổ sung hồ sơ",
    ]
    assert found.submitted_at == dossier.submitted_at
    assert timezone.is_aware(found.timeline[0].at)
    assert lookup.by_code(dossier.code.lower()) is None  # the page normalises, not the query


def test_drafts_are_never_found(client):
    dossier = draft(user=person())
    assert dossier.code is None
    html = client.get(URL, {"ma": "000.00.01.H10-261122-0001"}).content.decode()
    assert NOT_FOUND in html


@pytest.mark.parametrize("kind", ["cccd", "cmnd", "passport"])
def test_lookup_by_id_asks_the_birth_date_then_lists(client, kind):
    birth = dt.date(1985, 3, 9)
    id_number = {"cccd": cccd_for(birth), "cmnd": "285123456", "passport": "B1234567"}[kind]
    applicant = citizen(verified=True, birth_date=birth, id_number=id_number, id_kind=kind)
    dossier = submitted(user=applicant)
    step = client.get(URL, {"ma": id_number}).content.decode()
    assert "Ngày sinh" in step
    assert dossier.code not in step
    listed = client.get(URL, {"ma": id_number, "ngay_sinh": "09/03/1985"}).content.decode()
    assert dossier.code in listed
    assert_nothing_personal(listed, dossier)


def test_unknown_code_unknown_id_and_wrong_birth_date_answer_alike(client):
    dossier = submitted(user=person())
    applicant = dossier.applicant
    answers = [
        client.get(URL, {"ma": dossier.code[:-1] + "9"}),
        client.get(URL, {"ma": "070090999999", "ngay_sinh": "09/03/1985"}),
        client.get(URL, {"ma": applicant.id_number, "ngay_sinh": "10/03/1985"}),
    ]
    for response in answers:
        assert response.status_code == 200
        assert NOT_FOUND in response.content.decode()
    # an unknown ID is asked its birth date exactly like a known one
    known = client.get(URL, {"ma": applicant.id_number}).content.decode()
    unknown = client.get(URL, {"ma": "070090999999"}).content.decode()
    assert known.replace(applicant.id_number, "X") == unknown.replace("070090999999", "X")


def test_nonsense_gets_a_format_hint_and_keeps_what_was_typed(client):
    response = client.get(URL, {"ma": "xin chào"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng nhập mã hồ sơ" in html
    assert 'value="xin chào"' in html
    bad_date = client.get(URL, {"ma": "285123456", "ngay_sinh": "31/02/1985"})
    assert "Ngày không hợp lệ" in bad_date.content.decode()


def test_the_rate_limit_answers_429_in_vietnamese(client, settings):
    settings.LOOKUPS_PER_CLIENT_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(URL, {"ma": "285123456"}).status_code == 200
    response = client.get(URL, {"ma": "285123456"})
    assert response.status_code == 429
    assert "tra cứu quá nhiều lần" in response.content.decode()
    assert client.get(URL, {"ma": "285123456"}, REMOTE_ADDR="10.0.0.99").status_code == 200


def test_every_lookup_is_logged_with_a_hash_and_purged_later(client, settings):
    dossier = submitted(user=person())
    client.get(URL, {"ma": dossier.code.lower()}, REMOTE_ADDR="10.2.3.4")
    log = LookupLog.objects.get()
    assert log.query_hash == query_hash(dossier.code)
    assert dossier.code not in log.query_hash
    assert (log.kind, log.found, log.client_address) == ("code", True, "10.2.3.4")
    assert abs(timezone.now() - log.created_at) < dt.timedelta(minutes=1)
    settings.LOOKUP_LOG_RETENTION_DAYS = 30
    LookupLog.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    assert lookup_log_purge() == 1


def test_lookup_by_code_is_one_query_plus_the_log(client, django_assert_num_queries, settings):
    dossier = submitted(user=person())
    client.get(URL, {"ma": "285123456"})  # warm the session-less path
    # The dossier with its timeline, then the log row (written during the request: batch 1).
    with django_assert_num_queries(2):
        client.get(URL, {"ma": dossier.code})
    # With the production batches the log waits for others (test_lookuplog.py): one query.
    settings.LOOKUP_LOG_BATCH = 100
    with django_assert_num_queries(1):
        client.get(URL, {"ma": dossier.code})
    assert lookuplog.buffer.flush() == 1


@pytest.mark.parametrize("known", [True, False])
def test_a_lookup_by_code_logs_whether_it_found_the_dossier(known):
    dossier = submitted(user=person())
    code = dossier.code if known else dossier.code[:-1] + "9"
    outcome = lookup.lookup_search(raw_query=code, birth_date=None, client_address="10.9.8.7")
    assert outcome.kind == "code"
    assert bool(outcome.results) is known
    if known:
        assert outcome.results == [lookup.by_code(code)]
        assert [e.status for e in outcome.results[0].timeline] == ["Mới nộp, chờ tiếp nhận"]
    log = LookupLog.objects.get()
    assert (log.kind, log.found, log.client_address) == ("code", known, "10.9.8.7")
    assert log.query_hash == query_hash(code)


def test_organisations_show_their_name(client):
    org = citizen(
        verified=True,
        kind="organisation",
        organisation_name="Công ty TNHH Cao su Đồng Phú",
        tax_code="3800100121",
    )
    dossier = submitted(user=org)
    html = client.get(URL, {"ma": dossier.code}).content.decode()
    assert "Công ty TNHH Cao su Đồng Phú" in html
    assert org.id_number not in html


def test_the_query_hash_is_the_hmac_of_the_query_under_the_secret_key(settings):
    """Rows logged before and after stay comparable: HMAC-SHA256 keyed by SECRET_KEY."""
    import hashlib
    import hmac

    for secret in ("one-secret", "another-secret"):
        settings.SECRET_KEY = secret
        expected = hmac.new(secret.encode(), b"285123456", hashlib.sha256).hexdigest()
        assert query_hash("285123456") == expected
