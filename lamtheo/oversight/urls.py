from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/step/", views.case_step, name="case-step"),
    path("cases/<int:pk>/finding/", views.case_finding, name="case-finding"),
    path("cases/<int:pk>/history/", views.case_history, name="case-history"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard-export"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("discipline/", views.measure_list, name="measure-list"),
    path("discipline/new/", views.measure_create, name="measure-create"),
    path("discipline/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("front/", views.supervision_list, name="supervision-list"),
    path("front/new/", views.supervision_create, name="supervision-create"),
    path("front/<int:pk>/", views.supervision_detail, name="supervision-detail"),
    path("front/people/", views.supervision_person_picker, name="supervision-person-picker"),
    path("front/units/", views.supervision_unit_picker, name="supervision-unit-picker"),
]
