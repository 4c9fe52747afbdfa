"""Back-office pages of the statistics app (mounted under /can-bo/ beside the inbox)."""

from django.urls import path

from . import staff_views

app_name = "stats_staff"
urlpatterns = [
    path("bao-cao/", staff_views.reports, name="reports"),
    path("bao-cao/tai-xlsx/", staff_views.reports_xlsx, name="reports_xlsx"),
    path("bao-cao/tai-pdf/", staff_views.reports_pdf, name="reports_pdf"),
    path("bao-cao/so-theo-doi-ho-so/", staff_views.register_pdf, name="register"),
    path("phan-anh/", staff_views.feedback_list, name="feedback_list"),
    path("phan-anh/<int:pk>/", staff_views.feedback_detail, name="feedback_detail"),
]
