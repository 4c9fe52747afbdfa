from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("xac-thuc/", views.otp_verify, name="otp"),
    path("dang-ky-xac-thuc/", views.otp_enrol, name="otp_enrol"),
    path("ho-so/<int:pk>/", views.dossier_page, name="dossier"),
    path("ho-so/<int:pk>/thao-tac/<slug:name>/", views.act, name="act"),
    path("ho-so/<int:pk>/phieu/<slug:kind>/", views.slip, name="slip"),
    path("tep/<int:pk>/", views.attachment_file, name="file"),
    path("tep/<int:pk>/xem/", views.attachment_file, {"inline": True}, name="file_preview"),
]
