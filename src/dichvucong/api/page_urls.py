from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.tokens_page, name="list"),
    path("<int:pk>/thu-hoi/", pages.token_revoke_view, name="revoke"),
]
