"""Issue 9, language: the public pages also in English under /en/, the Vietnamese pages
exactly as before, and the pages that have no English version never prefixed."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

PUBLIC = [
    "/",
    "/thu-tuc/",
    "/tra-cuu/",
    "/tai-khoan/dang-nhap/",
    "/tai-khoan/dang-ky/",
    "/thong-ke/",
    "/dieu-khoan-su-dung/",
]


def lang_of(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


def switcher(response) -> str:
    match = re.search(r'<p class="language-switch">(.*?)</p>', response.content.decode())
    return match.group(1) if match else ""


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_in_vietnamese_and_in_english(client, path):
    """The Vietnamese address is unchanged and Vietnamese whatever the browser prefers;
    /en/ serves the same page in English; each links to the other."""
    vietnamese = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert vietnamese.status_code == 200
    assert lang_of(vietnamese) == "vi"
    assert f'href="/en{path}"' in switcher(vietnamese)
    assert ">English<" in switcher(vietnamese)
    assert "Trang chủ" in vietnamese.content.decode()

    english = client.get("/en" + path)
    assert english.status_code == 200
    assert lang_of(english) == "en"
    assert f'href="{path}"' in switcher(english)
    assert ">Tiếng Việt<" in switcher(english)
    text = english.content.decode()
    assert ">Home<" in text
    assert "Administrative procedures" in text
    assert "Trang chủ" not in text


@pytest.mark.django_db
def test_english_pages_link_to_english_pages(client):
    """Links on an English page stay in English where there is an English page."""
    text = client.get("/en/").content.decode()
    assert text.count("without visiting the agency again and again.") == 1
    assert 'href="/en/thu-tuc/"' in text
    assert 'href="/en/tra-cuu/"' in text
    assert 'href="/en/tai-khoan/dang-nhap/"' in text
    with translation.override("en"):
        assert reverse("catalog:procedure_list") == "/en/thu-tuc/"
    with translation.override("vi"):
        assert reverse("catalog:procedure_list") == "/thu-tuc/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/en/can-bo/", "/en/quan-tri/", "/en/api/v1/catalog/agencies/", "/en/ho-so/"]
)
def test_pages_without_english_are_not_prefixed(client, path):
    assert client.get(path).status_code == 404
    assert client.get(path[3:]).status_code != 404


@pytest.mark.django_db
def test_no_switcher_where_there_is_no_english_page(client):
    """The citizen's dossier pages and the back office are Vietnamese only: no link to a
    page that does not exist."""
    from dichvucong.accounts.tests.factories import citizen

    client.force_login(citizen(verified=True))
    response = client.get("/ho-so/")
    assert response.status_code == 200
    assert switcher(response) == ""
    assert lang_of(response) == "vi"


def test_switching_never_copies_the_query(client, db):
    """A lookup's query holds an ID number and a date of birth: the link to the other
    language is the page alone."""
    response = client.get("/tra-cuu/?ma=070090001234&ngay_sinh=15%2F08%2F1990")
    assert 'href="/en/tra-cuu/"' in switcher(response)
    assert "070090001234" not in switcher(response)
