"""Public and citizen pages of the statistics app (mounted at the site root)."""

from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("thong-ke/", views.public_stats, name="public"),
    path("thong-ke/tai-csv/", views.public_csv, name="public_csv"),
    path("danh-gia/ho-so/<int:pk>/", views.rate, name="rate"),
    path("phan-anh-kien-nghi/", views.feedback_list, name="feedback_list"),
    path("phan-anh-kien-nghi/gui/", views.feedback_new, name="feedback_new"),
    path("phan-anh-kien-nghi/<int:pk>/", views.feedback_detail, name="feedback_detail"),
]
