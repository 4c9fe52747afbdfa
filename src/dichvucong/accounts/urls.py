from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("hoan-tat-dang-ky/", views.registered, name="registered"),
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc/gui-lai/", views.resend_code, name="resend_code"),
    path("xac-thuc/email/<str:token>/", views.verify_link, name="verify_link"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("quen-mat-khau/", views.password_reset_request, name="password_reset_request"),
    path("dat-lai-mat-khau/", views.password_reset, name="password_reset"),
    path("", views.profile, name="profile"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
]
