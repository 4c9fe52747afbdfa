from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("hop-thu-thu-nghiem/", views.dev_outbox, name="dev_outbox"),
]
