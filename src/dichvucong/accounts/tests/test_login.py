import pytest
from django.urls import reverse

from .factories import PASSWORD, citizen

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
BAD = "Tên đăng nhập hoặc mật khẩu không đúng."


def logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("login_name", ["id", "phone", "phone+84", "email", "EMAIL"])
def test_log_in_with_id_number_phone_or_email(client, login_name):
    user = citizen(verified=True)
    name = {
        "id": user.id_number,
        "phone": user.phone,
        "phone+84": "+84 " + user.phone[1:],
        "email": user.email,
        "EMAIL": user.email.upper(),
    }[login_name]
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == str(user.pk)


def test_the_login_page_has_the_guide_labels(client):
    html = client.get(LOGIN).content.decode()
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert ">Đăng nhập</button>" in html
    assert "Quên mật khẩu?" in html


def test_wrong_password_and_unknown_name_get_the_same_answer(client):
    user = citizen()
    wrong = client.post(LOGIN, {"username": user.id_number, "password": "sai mật khẩu"})
    unknown = client.post(LOGIN, {"username": "070090999999", "password": "sai mật khẩu"})
    assert wrong.status_code == unknown.status_code == 200
    assert BAD in wrong.content.decode()
    assert BAD in unknown.content.decode()
    assert not logged_in_as(client)
    # the login name typed is kept, the password is not
    assert f'value="{user.id_number}"' in wrong.content.decode()
    assert "sai mật khẩu" not in wrong.content.decode()


def test_empty_fields_are_named(client):
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Vui lòng nhập tên đăng nhập." in html
    assert "Vui lòng nhập mật khẩu." in html


@pytest.mark.parametrize("known", [True, False])
def test_an_account_is_locked_after_repeated_failures_known_or_not(client, settings, known):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = citizen()
    name = user.id_number if known else "070090555555"
    for _ in range(3):
        client.post(LOGIN, {"username": name, "password": "sai"}, REMOTE_ADDR="10.0.0.1")
    # even the right password is refused while locked, from another address too
    response = client.post(LOGIN, {"username": name, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert "đăng nhập sai quá nhiều lần" in response.content.decode()
    assert not logged_in_as(client)


def test_a_client_address_is_locked_after_many_failures_across_accounts(client, settings):
    settings.LOGIN_FAILURES_PER_CLIENT = 4
    user = citizen()
    for i in range(4):
        client.post(LOGIN, {"username": f"07009000000{i}", "password": "x"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        LOGIN, {"username": user.id_number, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    other = client.post(
        LOGIN, {"username": user.id_number, "password": PASSWORD}, REMOTE_ADDR="10.9.9.10"
    )
    assert other.status_code == 302


def test_a_success_resets_the_account_counter(client, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = citizen()
    for _ in range(2):
        client.post(LOGIN, {"username": user.id_number, "password": "sai"})
    assert client.post(LOGIN, {"username": user.id_number, "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        client.post(LOGIN, {"username": user.id_number, "password": "sai"})
    assert client.post(LOGIN, {"username": user.id_number, "password": PASSWORD}).status_code == 302


def test_next_sends_back_only_to_this_site(client):
    user = citizen()
    ok = client.post(
        LOGIN + "?next=/tai-khoan/", {"username": user.id_number, "password": PASSWORD}
    )
    assert ok["Location"] == "/tai-khoan/"
    client.post(reverse("accounts:logout"))
    evil = client.post(
        LOGIN + "?next=https://evil.example/", {"username": user.id_number, "password": PASSWORD}
    )
    assert evil["Location"] == reverse("home")


def test_an_unverified_account_logs_in_and_is_told_why_it_cannot_submit(client):
    user = citizen()
    response = client.post(LOGIN, {"username": user.id_number, "password": PASSWORD}, follow=True)
    assert "chưa được xác thực" in response.content.decode()


def test_inactive_accounts_cannot_log_in(client):
    user = citizen()
    user.is_active = False
    user.save()
    response = client.post(LOGIN, {"username": user.id_number, "password": PASSWORD})
    assert BAD in response.content.decode()


def test_logout_is_a_post(client):
    client.force_login(citizen())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_as(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not logged_in_as(client)


def test_sessions_use_argon2_hashes():
    user = citizen()
    assert user.password.startswith("argon2$argon2id$")
