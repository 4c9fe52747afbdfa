""" "Đánh giá mức độ hài lòng": only the applicant, only once, only after "Đã trả kết quả";
shown on the dossier page (which imports nothing of the stats app) and counted."""

import pytest
from django.db.models import Sum

from dichvucong.accounts.tests.factories import citizen
from dichvucong.backoffice.tests.helpers import officer
from dichvucong.core.errors import ApplicationError
from dichvucong.stats.models import DailyAgencyStats, Rating
from dichvucong.stats.services import rating_create, stats_rebuild

from .timeline import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(clock, make_office, life):
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    item = life(where)
    item.receive(at(2026, 11, 9, 9))
    item.decide(at(2026, 11, 10, 9))
    item.return_result(at(2026, 11, 10, 15))
    clock.set(at(2026, 11, 11, 9))
    return item


def detail(client, dossier) -> str:
    return client.get(f"/ho-so/{dossier.pk}/").content.decode()


def test_the_applicant_rates_a_returned_dossier_once_from_its_page(client, returned):
    dossier = returned.dossier
    client.force_login(dossier.applicant)
    page = detail(client, dossier)
    assert "Đánh giá mức độ hài lòng" in page
    assert f'action="/danh-gia/ho-so/{dossier.pk}/"' in page
    for label in ("Rất hài lòng", "Hài lòng", "Không hài lòng"):
        assert f">{label}</label>" in page
    response = client.post(
        f"/danh-gia/ho-so/{dossier.pk}/",
        {"score": "satisfied", "comment": "Cán bộ hướng dẫn tận tình."},
        follow=True,
    )
    assert "Cảm ơn bạn đã đánh giá mức độ hài lòng." in response.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.score, rating.comment) == ("satisfied", "Cán bộ hướng dẫn tận tình.")
    page = detail(client, dossier)
    assert "Bạn đã đánh giá" in page
    assert "Cán bộ hướng dẫn tận tình." in page
    assert f'action="/danh-gia/ho-so/{dossier.pk}/"' not in page
    # a second try (a stale page, a replayed request) changes nothing
    response = client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"score": "unsatisfied"}, follow=True)
    assert "Bạn đã đánh giá hồ sơ này." in response.content.decode()
    with pytest.raises(ApplicationError) as error:
        rating_create(dossier_id=dossier.pk, user=dossier.applicant, score="unsatisfied")
    assert error.value.code == "already_rated"
    assert Rating.objects.get().score == "satisfied"


def test_a_missing_score_keeps_the_comment_and_says_why(client, returned):
    dossier = returned.dossier
    client.force_login(dossier.applicant)
    response = client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"comment": "Nhanh gọn"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng chọn mức độ hài lòng." in html
    assert "Nhanh gọn</textarea>" in html
    assert not Rating.objects.exists()


def test_nobody_else_rates_it(client, returned):
    dossier = returned.dossier
    stranger = citizen(verified=True)
    client.force_login(stranger)
    assert client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"score": "satisfied"}).status_code == 404
    client.logout()
    officer(client, agency=returned.office.agency, role="reception")
    assert client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"score": "satisfied"}).status_code == 404
    client.logout()
    response = client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"score": "satisfied"})
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]
    with pytest.raises(ApplicationError) as error:
        rating_create(dossier_id=dossier.pk, user=stranger, score="satisfied")
    assert error.value.code == "forbidden"
    assert not Rating.objects.exists()


def test_not_before_the_result_is_returned(client, clock, make_office, life):
    where = make_office(days=2)
    clock.set(at(2026, 11, 9, 8))
    item = life(where)
    item.receive(at(2026, 11, 9, 9))
    item.decide(at(2026, 11, 10, 9))  # "Đã có kết quả", not yet returned
    dossier = item.dossier
    client.force_login(dossier.applicant)
    page = detail(client, dossier)
    assert "Đánh giá mức độ hài lòng" not in page
    assert f'href="/phan-anh-kien-nghi/gui/?ho_so={dossier.pk}"' in page
    response = client.post(f"/danh-gia/ho-so/{dossier.pk}/", {"score": "satisfied"}, follow=True)
    assert "Chỉ đánh giá được khi hồ sơ đã trả kết quả." in response.content.decode()
    with pytest.raises(ApplicationError) as error:
        rating_create(dossier_id=dossier.pk, user=dossier.applicant, score="satisfied")
    assert error.value.code == "not_returned"
    assert not Rating.objects.exists()


def test_the_dossier_page_asks_one_more_query_only_when_returned(
    client, returned, django_assert_max_num_queries
):
    """The rating block reads one row, and only for a returned dossier."""
    dossier = returned.dossier
    client.force_login(dossier.applicant)
    detail(client, dossier)  # warm (session, caches)
    with django_assert_max_num_queries(30) as captured:
        detail(client, dossier)
    rating_queries = [q for q in captured.captured_queries if "stats_rating" in q["sql"]]
    assert len(rating_queries) == 1


def test_ratings_count_on_the_day_they_are_given(client, clock, returned):
    dossier = returned.dossier
    clock.set(at(2026, 11, 12, 10))
    rating_create(dossier_id=dossier.pk, user=dossier.applicant, score="very_satisfied")
    stats_rebuild(day_from=at(2026, 11, 9).date(), day_to=at(2026, 11, 12).date())
    rows = DailyAgencyStats.objects.filter(agency_id=dossier.agency_id)
    assert rows.aggregate(n=Sum("rated_very_satisfied"))["n"] == 1
    assert rows.get(rated_very_satisfied=1).day == at(2026, 11, 12).date()
