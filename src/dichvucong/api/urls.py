from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import common, docs, views_me, views_public, views_staff  # noqa: F401  (converter "id")

app_name = "api"

urlpatterns = [
    path("catalog/agencies/", views_public.AgencyList.as_view(), name="agencies"),
    path("catalog/agencies/<str:code>/", views_public.AgencyDetail.as_view(), name="agency"),
    path("catalog/fields/", views_public.FieldList.as_view(), name="fields"),
    path("catalog/procedures/", views_public.ProcedureList.as_view(), name="procedures"),
    path("catalog/procedures/<id:pk>/", views_public.ProcedureDetail.as_view(), name="procedure"),
    path("lookup/", views_public.Lookup.as_view(), name="lookup"),
    path("me/", views_me.Profile.as_view(), name="me"),
    path("me/dossiers/", views_me.MyDossiers.as_view(), name="my-dossiers"),
    path("me/dossiers/<id:pk>/", views_me.MyDossier.as_view(), name="my-dossier"),
    path(
        "me/dossiers/<id:pk>/attachments/",
        views_me.MyAttachments.as_view(),
        name="my-attachments",
    ),
    path(
        "me/dossiers/<id:pk>/attachments/<id:attachment_id>/",
        views_me.MyAttachment.as_view(),
        name="my-attachment",
    ),
    path("me/dossiers/<id:pk>/submit/", views_me.Submit.as_view(), name="my-submit"),
    path("me/dossiers/<id:pk>/supplement/", views_me.Supplement.as_view(), name="my-supplement"),
    path("me/dossiers/<id:pk>/withdraw/", views_me.Withdraw.as_view(), name="my-withdraw"),
    path("me/dossiers/<id:pk>/rating/", views_me.Rate.as_view(), name="my-rating"),
    path("me/dossiers/<id:pk>/slips/<str:kind>/", views_me.MySlip.as_view(), name="my-slip"),
    path(
        "me/attachments/<id:attachment_id>/file/",
        views_me.MyAttachmentFile.as_view(),
        name="my-attachment-file",
    ),
    path("backoffice/dossiers/", views_staff.Inbox.as_view(), name="inbox"),
    path("backoffice/dossiers/<id:pk>/", views_staff.StaffDossier.as_view(), name="staff-dossier"),
    path(
        "backoffice/dossiers/<id:pk>/actions/<str:name>/",
        views_staff.StaffAction.as_view(),
        name="staff-action",
    ),
    path(
        "backoffice/dossiers/<id:pk>/slips/<str:kind>/",
        views_staff.StaffSlip.as_view(),
        name="staff-slip",
    ),
    path(
        "backoffice/attachments/<id:attachment_id>/file/",
        views_staff.StaffAttachmentFile.as_view(),
        name="staff-attachment-file",
    ),
    path("backoffice/handlers/", views_staff.Handlers.as_view(), name="handlers"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(), name="docs"),
    re_path(r"^.*$", docs.not_found, name="not-found"),
]
