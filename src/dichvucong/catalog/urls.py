from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_list, name="procedure_list"),
    path("<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("<int:pk>/nop-ho-so/", views.procedure_submit, name="procedure_submit"),
    path("linh-vuc.json", views.fields_json, name="fields_json"),
    path("don-vi/<str:code>/", views.agency_detail, name="agency_detail"),
    path("mau/<int:pk>/", views.component_template, name="component_template"),
]
