"""Production logs: JSON lines, one per request, with its id and no personal data."""

import io
import json
import logging
import sys

import pytest
from django.urls import reverse

from dichvucong.accounts.tests.factories import citizen
from dichvucong.core.logging import JsonFormatter

from .helpers import run_django

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines(settings):
    """The production middleware in place and the log written through the JSON formatter."""
    settings.MIDDLEWARE = ["dichvucong.core.middleware.RequestLogMiddleware", *settings.MIDDLEWARE]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_request_is_one_json_line_with_its_id_status_and_duration(client, json_lines):
    response = client.get(reverse("terms"), {"q": "012345678901"})
    [line] = [e for e in json_lines() if e["logger"] == "dichvucong.requests"]
    assert line["method"] == "GET"
    assert line["path"] == "/dieu-khoan-su-dung/"  # never the query string
    assert line["status"] == 200
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["level"] == "INFO"
    assert "012345678901" not in json.dumps(json_lines())


def test_the_user_is_logged_by_id_only(client, json_lines):
    user = citizen(verified=True, full_name="Nguyễn Thị Bích")
    client.force_login(user)
    client.get(reverse("dossiers:mine"))
    [line] = [e for e in json_lines() if e["logger"] == "dichvucong.requests"]
    assert line["user_id"] == user.pk
    text = json.dumps(json_lines(), ensure_ascii=False)
    for personal in (user.full_name, user.id_number, user.phone, user.email):
        assert personal
        assert personal not in text


def test_an_anonymous_visitor_s_session_is_not_read_for_the_log(client, json_lines):
    client.get(reverse("lookup"))  # the page's layout, rendered once, asks who is there
    response = client.get(reverse("lookup"))
    assert "_session_cache" not in vars(response.wsgi_request.session)
    assert [e["user_id"] for e in json_lines() if e["logger"] == "dichvucong.requests"] == [
        None,
        None,
    ]


def test_a_proxy_request_id_is_kept_and_a_forged_one_replaced(client, json_lines):
    kept = client.get(reverse("terms"), headers={"X-Request-ID": "lb-7f3a9c21-0001"})
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    forged = client.get(reverse("terms"), headers={"X-Request-ID": 'x"\n{"level": "ERROR"}'})
    assert forged["X-Request-ID"] != 'x"\n{"level": "ERROR"}'
    ids = [e["request_id"] for e in json_lines() if e["logger"] == "dichvucong.requests"]
    assert ids == ["lb-7f3a9c21-0001", forged["X-Request-ID"]]


def test_lines_written_during_a_request_carry_its_id(client, json_lines, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # readyz logs the failed check
    response = client.get(reverse("readyz"))
    warning = next(e for e in json_lines() if e["logger"] == "dichvucong.core.views")
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response["X-Request-ID"]


def test_passing_probes_stay_out_of_the_info_log_but_failing_ones_are_in(
    client, json_lines, settings
):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert not [e for e in json_lines() if e["logger"] == "dichvucong.requests"]
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get(reverse("readyz")).status_code == 503
    [line] = [e for e in json_lines() if e["logger"] == "dichvucong.requests"]
    assert (line["path"], line["status"], line["level"]) == ("/readyz", 503, "INFO")


def test_errors_keep_their_traceback_in_one_line():
    try:
        raise RuntimeError("hỏng")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lỗi %s", ("A",), None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "lỗi A"
    assert "RuntimeError: hỏng" in data["exc"]


def test_the_production_profile_logs_requests_as_json():
    code = (
        "from django.conf import settings as s;"
        "print(s.MIDDLEWARE[0], s.LOGGING['formatters']['plain']['()'])"
    )
    result = run_django(code, {"SECRET_KEY": "k" * 64, "DATABASE_URL": "postgres:///x"})
    assert result.stdout.split() == [
        "dichvucong.core.middleware.RequestLogMiddleware",
        "dichvucong.core.logging.JsonFormatter",
    ], result.stderr
