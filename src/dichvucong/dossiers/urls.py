from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.my_dossiers, name="mine"),
    path("nop/<int:procedure_id>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/to-khai/", views.edit, name="edit"),
    path("<int:pk>/xem-lai/", views.review, name="review"),
    path("<int:pk>/da-nop/", views.done, name="done"),
    path("<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("<int:pk>/bo-sung/", views.supplement, name="supplement"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/phieu/<slug:kind>/", views.slip_download, name="slip"),
]
