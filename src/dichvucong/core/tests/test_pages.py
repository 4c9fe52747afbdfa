import pytest
from django.urls import reverse

from .helpers import run_django

pytestmark = pytest.mark.django_db


def test_home_page_in_vietnamese_with_the_guides_entry_points(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert 'class="skip-link" href="#noi-dung"' in html
    for text in ["Trang chủ", "Thủ tục hành chính", "Đăng ký", "Đăng nhập", "0271 3886 227"]:
        assert text in html, text
    assert "cdn" not in html.lower()


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_healthz_checks_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unknown_pages_answer_404_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_terms_page(client):
    assert "Điều khoản sử dụng" in client.get(reverse("terms")).content.decode()


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b":root" in b"".join(response.streaming_content)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("", {"DATABASE_URL": "postgres://postgres@127.0.0.1/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_its_secrets_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = run_django(
        code, {"SECRET_KEY": "k" * 64, "DATABASE_URL": "postgres://postgres@127.0.0.1/x"}
    )
    assert result.stdout.strip() == "True True True False", result.stderr
