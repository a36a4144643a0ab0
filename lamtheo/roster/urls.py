from django.urls import path

from . import views

app_name = "roster"

urlpatterns = [
    path("imports/", views.import_list, name="import-list"),
    path("imports/<uuid:public_id>/", views.import_detail, name="import-detail"),
    path("imports/<uuid:public_id>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<uuid:public_id>/cancel/", views.import_cancel, name="import-cancel"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template-download"),
    path("exports/new/", views.export_create, name="export-create"),
    path("exports/<uuid:public_id>/", views.export_detail, name="export-detail"),
    path("exports/<uuid:public_id>/download/", views.export_download, name="export-download"),
]
