from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/da-doc/", views.mark_read, name="mark_read"),
    path("<int:pk>/xem/", views.open_notification, name="open"),
    path("da-doc-tat-ca/", views.mark_all_read, name="mark_all_read"),
    path("hop-thu-thu-nghiem/", views.dev_outbox, name="dev_outbox"),
]
